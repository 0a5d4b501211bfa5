// The crypto part of the ABI: plain functions over (pointer, length) pairs and integers.
//
// Conventions (see docs/crypto.md): hash ids 1 = SHA-256, 2 = SHA-384, 3 = SHA-512. Fixed-size
// outputs (digests, MACs, X25519) go to a caller-given `out` pointer; variable-size outputs go to the
// result buffer (abi/memory.ts). Every call returns the output length (>= 0) or a negative Status.
// Every (pointer, length) pair is checked against the memory size first, so a bad argument is an
// error status and never a trap. `crypto_io()` is a module-owned scratch area (CRYPTO_IO_SIZE
// bytes) the host may use for small inputs and outputs instead of allocating buffers.

import { argStatus, argObject, argMem } from "./args";
import { Status, fail } from "./status";
import { resultReserve } from "./memory";
import { handleNew, handleRetire, Kind } from "./handles";
import { alloc, releaseSecret } from "../util/alloc";
import { ctEqual } from "../util/bytes";
import {
  HASH_CTX_SIZE,
  HASH_SHA256,
  hashFinal,
  hashInit,
  hashKnown,
  hashLen,
  hashOnce,
  hashUpdate,
} from "../crypto/hash";
import { HMAC_KEY_SIZE, hmac, hmacFinish, hmacKey, hmacSha256, hmacStart } from "../crypto/hmac";
import { hkdfExpand, hkdfExtract } from "../crypto/hkdf";
import {
  tls12ExtendedMasterSecret,
  tls12Finished,
  tls12KeyBlock,
  tls12MasterSecret,
  tls12Prf,
  MASTER_SECRET_LEN,
  VERIFY_DATA_LEN,
} from "../tls12/prf";
import {
  SCHEDULE_SECRETS,
  earlySecret,
  expandLabel,
  finishedKey,
  finishedVerifyData,
  keySchedule,
  nextSecret,
  trafficIv,
  trafficKey,
} from "../tls13/key_schedule";
import { binderKey, computeBinder, resumptionPsk } from "../tls13/psk";
import { AES_CTX_SIZE, aesInit } from "../crypto/aes";
import { cbcDecrypt, cbcEncrypt, cbcPaddedLen } from "../crypto/cbc";
import { GCM_TAG, gcmOpen, gcmSeal } from "../crypto/gcm";
import { x25519 as x25519Compute } from "../crypto/x25519";
import {
  NST_FIELDS_SIZE,
  buildNewSessionTicket,
  buildPskExtension,
  fillBinder,
  newSessionTicketLen,
  parseNewSessionTicket,
  pskExtensionLen,
  verifyBinder,
} from "../tls13/messages";

/** Handle kinds for crypto objects; chosen far above the session layer's kinds (abi/handles.ts). */
const KIND_HASHER: u8 = Kind.HASHER;

export const CRYPTO_IO_SIZE: usize = 32768;
let ioArea: usize = 0;

// ---- argument checks -------------------------------------------------------------------------

function badHash(): i32 {
  return fail(Status.INVALID_ARGUMENT, "unknown hash id (1 sha256, 2 sha384, 3 sha512)");
}
function noMem(): i32 {
  return fail(Status.NO_MEMORY, "result buffer: out of memory");
}

// ---- scratch and helpers ---------------------------------------------------------------------

export function crypto_io(): usize {
  if (!ioArea) ioArea = alloc(CRYPTO_IO_SIZE);
  return ioArea;
}
export function crypto_io_size(): i32 {
  return <i32>CRYPTO_IO_SIZE;
}

/** Constant-time comparison of two equal-length byte ranges: 1 equal, 0 different. */
export function ct_equal(a: usize, b: usize, len: usize): i32 {
  if (!argMem(a, len) || !argMem(b, len)) return argStatus();
  return ctEqual(a, b, len) ? 1 : 0;
}

// ---- SHA-2 -------------------------------------------------------------------------------------

/** Digest of `len` bytes at `p` into `out` (hashLen bytes). */
export function hash_digest(alg: i32, p: usize, len: usize, out: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (!argMem(p, len) || !argMem(out, hl)) return argStatus();
  hashOnce(alg, p, len, out);
  return <i32>hl;
}

/** What a hasher can still do. */
namespace HasherState {
  /** Takes updates (hash_update), then hash_final. */
  export const LIVE: u32 = 1;
  /** hash_final ran: only hash_free. */
  export const FINISHED: u32 = 2;
  /** A keyed HMAC object: one-shot MACs (hmac_key_mac), never updates. */
  export const KEYED: u32 = 3;
}

/**
 * A streaming hash or HMAC object behind a KIND_HASHER handle: this record, followed in the same
 * allocation (HASHER_SIZE bytes) by the hash context and the HMAC key state.
 */
@unmanaged
class Hasher {
  /** HASH_SHA256, HASH_SHA384 or HASH_SHA512. */
  alg: i32;
  /** A HasherState. */
  state: u32;
  /** hash_final finishes an HMAC rather than a plain hash. */
  isHmac: bool;

  /** The running hash context (HASH_CTX_SIZE bytes). */
  @inline get ctx(): usize {
    return changetype<usize>(this) + HASHER_CTX_AT;
  }
  /** The HMAC key's inner and outer states (HMAC_KEY_SIZE bytes). */
  @inline get key(): usize {
    return changetype<usize>(this) + HASHER_CTX_AT + HASH_CTX_SIZE;
  }
}

/** The context starts 16-byte aligned after the record. */
const HASHER_CTX_AT: usize = (offsetof<Hasher>() + 15) & ~15;
const HASHER_SIZE: usize = HASHER_CTX_AT + HASH_CTX_SIZE + HMAC_KEY_SIZE;

/** A new hasher with its handle; a negative status when out of memory or handles. */
function newObject(alg: i32, isHmac: bool): i32 {
  const p = alloc(HASHER_SIZE);
  if (!p) return fail(Status.NO_MEMORY, "hasher: out of memory");
  const h = handleNew(p, KIND_HASHER);
  if (!h) {
    releaseSecret(p, HASHER_SIZE);
    return fail(Status.NO_MEMORY, "hasher: out of handles");
  }
  const o = changetype<Hasher>(p);
  o.alg = alg;
  o.state = HasherState.LIVE;
  o.isHmac = isHmac;
  return <i32>h;
}

/** The hasher behind `h`, or null with BAD_HANDLE or WRONG_KIND recorded. */
// @ts-ignore: decorator
@inline function hasher(h: u32): Hasher | null {
  return changetype<Hasher | null>(argObject(h, KIND_HASHER));
}

/** A streaming hasher; returns a handle. */
export function hash_new(alg: i32): i32 {
  if (!hashKnown(alg)) return badHash();
  const h = newObject(alg, false);
  if (h < 0) return h;
  hashInit(alg, hasher(<u32>h)!.ctx);
  return h;
}

/** A streaming HMAC under `key`; returns a handle. */
export function hmac_new(alg: i32, key: usize, keyLen: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(key, keyLen)) return argStatus();
  const h = newObject(alg, true);
  if (h < 0) return h;
  const o = hasher(<u32>h)!;
  hmacKey(alg, o.key, key, keyLen);
  hmacStart(alg, o.key, o.ctx);
  return h;
}

/**
 * A keyed HMAC object: the key's inner and outer states, kept for any number of one-shot MACs
 * (hmac_key_mac). Same object layout and handle kind as the hashers (state 3: keyed), so hash_free
 * wipes and frees it.
 */
export function hmac_key_new(alg: i32, key: usize, keyLen: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(key, keyLen)) return argStatus();
  const h = newObject(alg, true);
  if (h < 0) return h;
  const o = hasher(<u32>h)!;
  hmacKey(alg, o.key, key, keyLen);
  o.state = HasherState.KEYED;
  return h;
}

/** HMAC of `len` bytes at `data` under the keyed object `h` into `out` (hashLen bytes). */
export function hmac_key_mac(h: u32, data: usize, len: usize, out: usize): i32 {
  if (!argMem(data, len)) return argStatus();
  const o = hasher(h);
  if (!o) return argStatus();
  const alg = o.alg;
  const hl = hashLen(alg);
  if (!argMem(out, hl)) return argStatus();
  if (o.state != HasherState.KEYED) return fail(Status.BAD_STATE, "not a keyed HMAC object");
  if (alg == HASH_SHA256) hmacSha256(o.key, data, len, 0, 0, out);
  else {
    hmacStart(alg, o.key, o.ctx);
    hashUpdate(alg, o.ctx, data, len);
    hmacFinish(alg, o.key, o.ctx, out);
  }
  return <i32>hl;
}

/** The hasher behind `h` if it still takes updates; otherwise null with the fault recorded. */
function liveObject(h: u32): Hasher | null {
  const o = hasher(h);
  if (!o) return null;
  if (o.state != HasherState.LIVE) {
    fail(Status.BAD_STATE, "hasher already finished");
    return null;
  }
  return o;
}

export function hash_update(h: u32, p: usize, len: usize): i32 {
  if (!argMem(p, len)) return argStatus();
  const o = liveObject(h);
  if (!o) return argStatus();
  hashUpdate(o.alg, o.ctx, p, len);
  return 0;
}

/** Finishes the hash or HMAC into `out`; the object then refuses updates until freed. */
export function hash_final(h: u32, out: usize): i32 {
  const o = liveObject(h);
  if (!o) return argStatus();
  const alg = o.alg;
  const hl = hashLen(alg);
  if (!argMem(out, hl)) return argStatus();
  if (o.isHmac) hmacFinish(alg, o.key, o.ctx, out);
  else hashFinal(alg, o.ctx, out);
  o.state = HasherState.FINISHED;
  return <i32>hl;
}

/** A copy of a live hasher (same state), as a new handle. */
export function hash_clone(h: u32): i32 {
  const o = liveObject(h);
  if (!o) return argStatus();
  const c = newObject(o.alg, o.isHmac);
  if (c < 0) return c;
  memory.copy(changetype<usize>(hasher(<u32>c)), changetype<usize>(o), HASHER_SIZE);
  return c;
}

/** Wipes and frees a hasher. Freeing handle 0 is a no-op. */
export function hash_free(h: u32): i32 {
  if (h == 0) return 0;
  const o = hasher(h);
  if (!o) return argStatus();
  handleRetire(h);
  releaseSecret(changetype<usize>(o), HASHER_SIZE);
  return 0;
}

// ---- HMAC, HKDF --------------------------------------------------------------------------------

export function hmac_compute(alg: i32, key: usize, keyLen: usize, data: usize, len: usize, out: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (!argMem(key, keyLen) || !argMem(data, len) || !argMem(out, hl)) return argStatus();
  hmac(alg, key, keyLen, data, len, out);
  return <i32>hl;
}

const MAC: usize = memory.data(64);

/** 1 if HMAC(key, data) starts with the `tagLen` bytes at `tag` (constant time), else 0. */
export function hmac_verify(
  alg: i32,
  key: usize,
  keyLen: usize,
  data: usize,
  len: usize,
  tag: usize,
  tagLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (tagLen == 0 || tagLen > hl)
    return fail(Status.INVALID_ARGUMENT, "tag length must be 1 to the hash length");
  if (!argMem(key, keyLen) || !argMem(data, len) || !argMem(tag, tagLen)) return argStatus();
  hmac(alg, key, keyLen, data, len, MAC);
  const ok = ctEqual(MAC, tag, tagLen);
  memory.fill(MAC, 0, 64);
  return ok ? 1 : 0;
}

export function hkdf_extract(
  alg: i32,
  salt: usize,
  saltLen: usize,
  ikm: usize,
  ikmLen: usize,
  out: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (!argMem(salt, saltLen) || !argMem(ikm, ikmLen) || !argMem(out, hl)) return argStatus();
  hkdfExtract(alg, salt, saltLen, ikm, ikmLen, out);
  return <i32>hl;
}

/** HKDF-Expand into the result buffer. */
export function hkdf_expand(
  alg: i32,
  prk: usize,
  prkLen: usize,
  info: usize,
  infoLen: usize,
  outLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (outLen > 255 * hashLen(alg))
    return fail(Status.INVALID_ARGUMENT, "HKDF-Expand length above 255 * hash length");
  if (!argMem(prk, prkLen) || !argMem(info, infoLen)) return argStatus();
  const out = resultReserve(outLen);
  if (!out && outLen) return noMem();
  hkdfExpand(alg, prk, prkLen, info, infoLen, out, outLen);
  return <i32>outLen;
}

// ---- TLS 1.2 -----------------------------------------------------------------------------------

/** PRF(secret, label, seed) of `outLen` bytes into the result buffer. */
export function tls12_prf(
  alg: i32,
  secret: usize,
  secretLen: usize,
  label: usize,
  labelLen: usize,
  seed: usize,
  seedLen: usize,
  outLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(secret, secretLen) || !argMem(label, labelLen) || !argMem(seed, seedLen)) return argStatus();
  if (outLen > 1 << 24) return fail(Status.INVALID_ARGUMENT, "PRF length above 16 MiB");
  const out = resultReserve(outLen);
  if (!out && outLen) return noMem();
  tls12Prf(alg, secret, secretLen, label, labelLen, seed, seedLen, out, outLen);
  return <i32>outLen;
}

/** 48-byte master secret from the pre-master secret and the two 32-byte randoms. */
export function tls12_master_secret(
  alg: i32,
  pms: usize,
  pmsLen: usize,
  clientRandom: usize,
  serverRandom: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(pms, pmsLen) || !argMem(clientRandom, 32) || !argMem(serverRandom, 32)) return argStatus();
  const out = resultReserve(MASTER_SECRET_LEN);
  if (!out) return noMem();
  tls12MasterSecret(alg, pms, pmsLen, clientRandom, serverRandom, out);
  return <i32>MASTER_SECRET_LEN;
}

/** RFC 7627 extended master secret from the pre-master secret and the session hash. */
export function tls12_extended_master_secret(
  alg: i32,
  pms: usize,
  pmsLen: usize,
  sessionHash: usize,
  sessionHashLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(pms, pmsLen) || !argMem(sessionHash, sessionHashLen)) return argStatus();
  const out = resultReserve(MASTER_SECRET_LEN);
  if (!out) return noMem();
  tls12ExtendedMasterSecret(alg, pms, pmsLen, sessionHash, sessionHashLen, out);
  return <i32>MASTER_SECRET_LEN;
}

/** key_block of `outLen` bytes (note the order: server random first). */
export function tls12_key_block(
  alg: i32,
  master: usize,
  masterLen: usize,
  serverRandom: usize,
  clientRandom: usize,
  outLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(master, masterLen) || !argMem(serverRandom, 32) || !argMem(clientRandom, 32))
    return argStatus();
  if (outLen > 1 << 16) return fail(Status.INVALID_ARGUMENT, "key block length above 65536");
  const out = resultReserve(outLen);
  if (!out && outLen) return noMem();
  tls12KeyBlock(alg, master, masterLen, serverRandom, clientRandom, out, outLen);
  return <i32>outLen;
}

/** 12-byte Finished verify_data; fromServer selects "server finished". */
export function tls12_finished(
  alg: i32,
  master: usize,
  masterLen: usize,
  fromServer: i32,
  handshakeHash: usize,
  hashLength: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(master, masterLen) || !argMem(handshakeHash, hashLength)) return argStatus();
  const out = resultReserve(VERIFY_DATA_LEN);
  if (!out) return noMem();
  tls12Finished(alg, master, masterLen, fromServer != 0, handshakeHash, hashLength, out);
  return <i32>VERIFY_DATA_LEN;
}

// ---- TLS 1.3 key schedule ----------------------------------------------------------------------

/** HKDF-Expand-Label(secret, "tls13 " + label, context, outLen) into the result buffer. */
export function tls13_expand_label(
  alg: i32,
  secret: usize,
  secretLen: usize,
  label: usize,
  labelLen: usize,
  context: usize,
  contextLen: usize,
  outLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(secret, secretLen) || !argMem(label, labelLen) || !argMem(context, contextLen))
    return argStatus();
  if (labelLen > 249) return fail(Status.INVALID_ARGUMENT, "label longer than 249 bytes");
  if (contextLen > 255) return fail(Status.INVALID_ARGUMENT, "context longer than 255 bytes");
  if (outLen > 255 * hashLen(alg)) return fail(Status.INVALID_ARGUMENT, "length above 255 * hash length");
  const out = resultReserve(outLen);
  if (!out && outLen) return noMem();
  expandLabel(alg, secret, secretLen, label, labelLen, context, contextLen, out, outLen);
  return <i32>outLen;
}

/** Early Secret from a PSK (pskLen 0: no PSK). */
export function tls13_early_secret(alg: i32, psk: usize, pskLen: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(psk, pskLen)) return argStatus();
  const hl = hashLen(alg);
  const out = resultReserve(hl);
  if (!out) return noMem();
  earlySecret(alg, psk, pskLen, out);
  return <i32>hl;
}

/** HKDF-Extract(Derive-Secret(prev, "derived", ""), ikm or 0^HashLen): handshake and master secrets. */
export function tls13_next_secret(alg: i32, prev: usize, ikm: usize, ikmLen: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (!argMem(prev, hl) || !argMem(ikm, ikmLen)) return argStatus();
  const out = resultReserve(hl);
  if (!out) return noMem();
  nextSecret(alg, prev, ikm, ikmLen, out);
  return <i32>hl;
}

/** finished_key (verifyData 0) or Finished verify_data over `transcriptHash` (verifyData 1). */
export function tls13_finished(alg: i32, baseKey: usize, transcriptHash: usize, verifyData: i32): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (!argMem(baseKey, hl) || (verifyData && !argMem(transcriptHash, hl))) return argStatus();
  const out = resultReserve(hl);
  if (!out) return noMem();
  if (verifyData) finishedVerifyData(alg, baseKey, transcriptHash, out);
  else finishedKey(alg, baseKey, out);
  return <i32>hl;
}

/** Traffic key (keyLen bytes) then iv (12 bytes) from a traffic secret. */
export function tls13_traffic_keys(alg: i32, secret: usize, keyLen: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  if (keyLen == 0 || keyLen > 64) return fail(Status.INVALID_ARGUMENT, "key length must be 1 to 64");
  if (!argMem(secret, hashLen(alg))) return argStatus();
  const out = resultReserve(keyLen + 12);
  if (!out) return noMem();
  trafficKey(alg, secret, out, keyLen);
  trafficIv(alg, secret, out + keyLen, 12);
  return <i32>(keyLen + 12);
}

/**
 * The whole schedule: 12 secrets of HashLen bytes (see tls13/key_schedule.ts for the order) from
 * the PSK, the (EC)DHE secret and four transcript hashes at `hashes`.
 */
export function tls13_key_schedule(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: i32,
  dhe: usize,
  dheLen: usize,
  hashes: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (!argMem(psk, pskLen) || !argMem(dhe, dheLen) || !argMem(hashes, 4 * hl)) return argStatus();
  const n = SCHEDULE_SECRETS * hl;
  const out = resultReserve(n);
  if (!out) return noMem();
  keySchedule(alg, psk, pskLen, external != 0, dhe, dheLen, hashes, out);
  return <i32>n;
}

/** PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", nonce, HashLen). */
export function tls13_resumption_psk(alg: i32, rms: usize, nonce: usize, nonceLen: usize): i32 {
  if (!hashKnown(alg)) return badHash();
  const hl = hashLen(alg);
  if (nonceLen > 255) return fail(Status.INVALID_ARGUMENT, "ticket nonce longer than 255 bytes");
  if (!argMem(rms, hl) || !argMem(nonce, nonceLen)) return argStatus();
  const out = resultReserve(hl);
  if (!out) return noMem();
  resumptionPsk(alg, rms, nonce, nonceLen, out);
  return <i32>hl;
}

export function tls13_binder_key(alg: i32, psk: usize, pskLen: usize, external: i32): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(psk, pskLen)) return argStatus();
  const hl = hashLen(alg);
  const out = resultReserve(hl);
  if (!out) return noMem();
  binderKey(alg, psk, pskLen, external != 0, out);
  return <i32>hl;
}

/** The binder over Transcript-Hash(prefix | truncated ClientHello). */
export function tls13_binder(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: i32,
  prefix: usize,
  prefixLen: usize,
  truncated: usize,
  truncatedLen: usize,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(psk, pskLen) || !argMem(prefix, prefixLen) || !argMem(truncated, truncatedLen))
    return argStatus();
  const hl = hashLen(alg);
  const out = resultReserve(hl);
  if (!out) return noMem();
  computeBinder(alg, psk, pskLen, external != 0, prefix, prefixLen, truncated, truncatedLen, out);
  return <i32>hl;
}

/** The ClientHello with binder `index` filled in, into the result buffer. */
export function tls13_fill_binder(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: i32,
  prefix: usize,
  prefixLen: usize,
  ch: usize,
  chLen: usize,
  index: u32,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(psk, pskLen) || !argMem(prefix, prefixLen) || !argMem(ch, chLen)) return argStatus();
  const out = resultReserve(chLen);
  if (!out && chLen) return noMem();
  if (chLen) memory.copy(out, ch, chLen);
  return fillBinder(alg, psk, pskLen, external != 0, prefix, prefixLen, out, chLen, index);
}

/** 1 if binder `index` of the ClientHello verifies under `psk`, 0 if not, < 0 if malformed. */
export function tls13_verify_binder(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: i32,
  prefix: usize,
  prefixLen: usize,
  ch: usize,
  chLen: usize,
  index: u32,
): i32 {
  if (!hashKnown(alg)) return badHash();
  if (!argMem(psk, pskLen) || !argMem(prefix, prefixLen) || !argMem(ch, chLen)) return argStatus();
  return verifyBinder(alg, psk, pskLen, external != 0, prefix, prefixLen, ch, chLen, index);
}

/** Parses a NewSessionTicket message into 8 u32 fields in the result buffer (messages.ts). */
export function tls13_nst_parse(msg: usize, len: usize): i32 {
  if (!argMem(msg, len)) return argStatus();
  const out = resultReserve(NST_FIELDS_SIZE);
  if (!out) return noMem();
  return parseNewSessionTicket(msg, len, out);
}

/** Builds a NewSessionTicket message (withEarly 0: no early_data extension) into the result buffer. */
export function tls13_nst_build(
  lifetime: u32,
  ageAdd: u32,
  nonce: usize,
  nonceLen: usize,
  ticket: usize,
  ticketLen: usize,
  withEarly: i32,
  maxEarly: u32,
): i32 {
  if (!argMem(nonce, nonceLen) || !argMem(ticket, ticketLen)) return argStatus();
  const n = newSessionTicketLen(nonceLen, ticketLen, withEarly != 0);
  if (n < 0) return n;
  const out = resultReserve(<usize>n);
  if (!out) return noMem();
  return buildNewSessionTicket(
    lifetime,
    ageAdd,
    nonce,
    nonceLen,
    ticket,
    ticketLen,
    withEarly != 0,
    maxEarly,
    out,
  );
}

/** Builds a pre_shared_key extension with one identity and a zero binder into the result buffer. */
export function tls13_psk_extension(
  identity: usize,
  identityLen: usize,
  obfuscatedAge: u32,
  binderLen: usize,
): i32 {
  if (!argMem(identity, identityLen)) return argStatus();
  const n = pskExtensionLen(identityLen, binderLen);
  if (n < 0) return n;
  const out = resultReserve(<usize>n);
  if (!out) return noMem();
  return buildPskExtension(identity, identityLen, obfuscatedAge, binderLen, out);
}

// ---- AES-CBC, AES-GCM, X25519 --------------------------------------------------------------------

const AES_KEY: usize = memory.data(<i32>AES_CTX_SIZE);

function badKey(): i32 {
  return fail(Status.INVALID_ARGUMENT, "AES key must be 16 or 32 bytes");
}

/** AES-CBC with PKCS#7 padding; the ciphertext goes to the result buffer. */
export function aes_cbc_encrypt(key: usize, keyLen: usize, iv: usize, src: usize, len: usize): i32 {
  if (keyLen != 16 && keyLen != 32) return badKey();
  if (!argMem(key, keyLen) || !argMem(iv, 16) || !argMem(src, len)) return argStatus();
  if (len > 1 << 30) return fail(Status.INVALID_ARGUMENT, "plaintext too long");
  const n = cbcPaddedLen(len);
  const out = resultReserve(n);
  if (!out) return noMem();
  aesInit(AES_KEY, key, keyLen);
  cbcEncrypt(AES_KEY, iv, src, len, out);
  memory.fill(AES_KEY, 0, AES_CTX_SIZE);
  return <i32>n;
}

/** AES-CBC decryption with the PKCS#7 padding checked and removed; the plaintext goes to the result buffer. */
export function aes_cbc_decrypt(key: usize, keyLen: usize, iv: usize, src: usize, len: usize): i32 {
  if (keyLen != 16 && keyLen != 32) return badKey();
  if (len == 0 || (len & 15) != 0 || len > 1 << 30)
    return fail(Status.INVALID_ARGUMENT, "ciphertext must be a non-zero multiple of 16 bytes");
  if (!argMem(key, keyLen) || !argMem(iv, 16) || !argMem(src, len)) return argStatus();
  const out = resultReserve(len);
  if (!out) return noMem();
  aesInit(AES_KEY, key, keyLen);
  const n = cbcDecrypt(AES_KEY, iv, src, len, out);
  memory.fill(AES_KEY, 0, AES_CTX_SIZE);
  if (n < 0) {
    memory.fill(out, 0, len);
    return fail(Status.INVALID_ARGUMENT, "decryption failed");
  }
  return <i32>n;
}

/** AES-GCM: ciphertext then the 16-byte tag into the result buffer. */
export function aes_gcm_seal(
  key: usize,
  keyLen: usize,
  iv: usize,
  ivLen: usize,
  src: usize,
  len: usize,
  aad: usize,
  aadLen: usize,
): i32 {
  if (keyLen != 16 && keyLen != 32) return badKey();
  if (ivLen == 0) return fail(Status.INVALID_ARGUMENT, "GCM iv must not be empty");
  if (len > 1 << 30 || aadLen > 1 << 30 || ivLen > 1 << 20)
    return fail(Status.INVALID_ARGUMENT, "GCM input too long");
  if (!argMem(key, keyLen) || !argMem(iv, ivLen) || !argMem(src, len) || !argMem(aad, aadLen))
    return argStatus();
  const out = resultReserve(len + GCM_TAG);
  if (!out) return noMem();
  gcmSeal(key, keyLen, iv, ivLen, src, len, aad, aadLen, out);
  return <i32>(len + GCM_TAG);
}

/** AES-GCM open of ciphertext||tag: the plaintext into the result buffer, or an error if the tag is wrong. */
export function aes_gcm_open(
  key: usize,
  keyLen: usize,
  iv: usize,
  ivLen: usize,
  src: usize,
  len: usize,
  aad: usize,
  aadLen: usize,
): i32 {
  if (keyLen != 16 && keyLen != 32) return badKey();
  if (ivLen == 0) return fail(Status.INVALID_ARGUMENT, "GCM iv must not be empty");
  if (len < GCM_TAG) return fail(Status.INVALID_ARGUMENT, "GCM input shorter than the tag");
  if (len > 1 << 30 || aadLen > 1 << 30 || ivLen > 1 << 20)
    return fail(Status.INVALID_ARGUMENT, "GCM input too long");
  if (!argMem(key, keyLen) || !argMem(iv, ivLen) || !argMem(src, len) || !argMem(aad, aadLen))
    return argStatus();
  const n = len - GCM_TAG;
  const out = resultReserve(n);
  if (!out && n) return noMem();
  if (!gcmOpen(key, keyLen, iv, ivLen, src, n, aad, aadLen, out))
    return fail(Status.INVALID_ARGUMENT, "authentication failed");
  return <i32>n;
}

/** X25519(scalar, u) into `out` (32 bytes each); an all-zero result is an error (small-order u). */
export function x25519(scalar: usize, u: usize, out: usize): i32 {
  if (!argMem(scalar, 32) || !argMem(u, 32) || !argMem(out, 32)) return argStatus();
  if (!x25519Compute(out, scalar, u))
    return fail(Status.INVALID_ARGUMENT, "X25519 result is all zeros (small-order point)");
  return 32;
}

/**
 * Kept for hosts written against older versions, which had a cache of the last HMAC and AES key:
 * there is none now (no key outlives the call that used it), so there is nothing to clear.
 */
export function crypto_wipe_cache(): void {}

// The TLS 1.3 key schedule, RFC 8446 §7.1 (secrets), §7.3 (traffic key and iv) and §4.4.4
// (Finished), for the SHA-256 and SHA-384 suites (SHA-512 works too; no suite uses it).
//
//   HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
//     HkdfLabel = uint16 Length | opaque label<7..255> = "tls13 " + Label | opaque context<0..255>
//   Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
//
//            0 -> HKDF-Extract(salt 0, PSK or 0) = Early Secret
//                   -> "ext binder" | "res binder", "c e traffic", "e exp master"
//   Derive-Secret(., "derived", "") -> HKDF-Extract(., (EC)DHE or 0) = Handshake Secret
//                   -> "c hs traffic", "s hs traffic"
//   Derive-Secret(., "derived", "") -> HKDF-Extract(., 0) = Master Secret
//                   -> "c ap traffic", "s ap traffic", "exp master", "res master"
//
// Functions here take transcript hashes, not messages: the caller hashes what it has.

import { HASH_CTX_SIZE, HASH_MAX_LEN, HASH_SHA256, hashLen, hashOnce, hashUpdate } from "../crypto/hash";
import { hkdfExpand, hkdfExtract } from "../crypto/hkdf";
import {
  HMAC_KEY_SIZE,
  hmac,
  hmacFinish,
  hmacKey,
  hmacKeySha256,
  hmacSha256,
  hmacStart,
} from "../crypto/hmac";

/** "tls13 " prefix length; labels may be at most 255 - 6 bytes long. */
const LABEL_PREFIX_LEN: usize = 6;
const MAX_LABEL_LEN: usize = 255 - LABEL_PREFIX_LEN;
const MAX_CONTEXT_LEN: usize = 255;

const HKDF_LABEL: usize = memory.data(2 + 1 + 255 + 1 + 255);
const ZEROS: usize = memory.data(<i32>HASH_MAX_LEN);
const EMPTY_HASH: usize = memory.data(<i32>HASH_MAX_LEN);
const TMP: usize = memory.data(<i32>HASH_MAX_LEN);
const TMP2: usize = memory.data(<i32>HASH_MAX_LEN);
const ASCII: usize = memory.data(32);

/**
 * HKDF-Expand-Label with a label given as bytes (without "tls13 "). Returns false when a length is
 * out of range (label > 249, context > 255, outLen > 255 * HashLen); nothing is written then.
 * `out` may overlap `secret` but not `label` or `context`.
 */
export function expandLabel(
  alg: i32,
  secret: usize,
  secretLen: usize,
  label: usize,
  labelLen: usize,
  context: usize,
  contextLen: usize,
  out: usize,
  outLen: usize,
): bool {
  if (labelLen > MAX_LABEL_LEN || contextLen > MAX_CONTEXT_LEN || outLen > 255 * hashLen(alg)) return false;
  let p = HKDF_LABEL;
  store<u8>(p, <u8>(outLen >> 8));
  store<u8>(p, <u8>outLen, 1);
  store<u8>(p, <u8>(labelLen + 6), 2);
  // "tls13 "
  store<u8>(p, 0x74, 3);
  store<u8>(p, 0x6c, 4);
  store<u8>(p, 0x73, 5);
  store<u8>(p, 0x31, 6);
  store<u8>(p, 0x33, 7);
  store<u8>(p, 0x20, 8);
  memory.copy(p + 9, label, labelLen);
  p += 9 + labelLen;
  store<u8>(p, <u8>contextLen);
  memory.copy(p + 1, context, contextLen);
  p += 1 + contextLen;
  const ok = hkdfExpand(alg, secret, secretLen, HKDF_LABEL, p - HKDF_LABEL, out, outLen);
  memory.fill(HKDF_LABEL, 0, p - HKDF_LABEL);
  return ok;
}

/** The same with a label written as a string literal (ASCII). */
export function expandLabelStr(
  alg: i32,
  secret: usize,
  secretLen: usize,
  label: string,
  context: usize,
  contextLen: usize,
  out: usize,
  outLen: usize,
): bool {
  const n = <usize>label.length;
  for (let i: usize = 0; i < n; i++) store<u8>(ASCII + i, <u8>label.charCodeAt(<i32>i));
  return expandLabel(alg, secret, secretLen, ASCII, n, context, contextLen, out, outLen);
}

// Hash("") per hash id, computed once (it is public).
const EMPTY_HASHES: usize = memory.data(3 * <i32>HASH_MAX_LEN);
let emptyReady: u32 = 0;

/** Transcript-Hash of no messages: Hash(""). */
function emptyHash(alg: i32, out: usize): void {
  const slot = EMPTY_HASHES + usize(alg - 1) * HASH_MAX_LEN;
  if (!(emptyReady & (1 << alg))) {
    hashOnce(alg, 0, 0, slot);
    emptyReady |= 1 << alg;
  }
  memory.copy(out, slot, hashLen(alg));
}

/** Derive-Secret(secret, label, messages) given transcriptHash = Transcript-Hash(messages). */
function deriveSecret(alg: i32, secret: usize, label: string, transcriptHash: usize, out: usize): void {
  const hl = hashLen(alg);
  expandLabelStr(alg, secret, hl, label, transcriptHash, hl, out, hl);
}

/** Derive-Secret over the empty transcript (binder keys, "derived"). */
export function deriveSecretEmpty(alg: i32, secret: usize, label: string, out: usize): void {
  emptyHash(alg, EMPTY_HASH);
  deriveSecret(alg, secret, label, EMPTY_HASH, out);
}

/** Early Secret = HKDF-Extract(0, PSK), or HKDF-Extract(0, 0^HashLen) when pskLen is 0. */
export function earlySecret(alg: i32, psk: usize, pskLen: usize, out: usize): void {
  const hl = hashLen(alg);
  memory.fill(ZEROS, 0, HASH_MAX_LEN);
  if (pskLen == 0) hkdfExtract(alg, ZEROS, hl, ZEROS, hl, out);
  else hkdfExtract(alg, ZEROS, hl, psk, pskLen, out);
}

/**
 * The next stage: HKDF-Extract(Derive-Secret(prev, "derived", ""), ikm), with ikm = 0^HashLen when
 * ikmLen is 0 (Handshake Secret from the Early Secret and the (EC)DHE secret; Master Secret).
 */
export function nextSecret(alg: i32, prev: usize, ikm: usize, ikmLen: usize, out: usize): void {
  const hl = hashLen(alg);
  deriveSecretEmpty(alg, prev, "derived", TMP);
  memory.fill(ZEROS, 0, HASH_MAX_LEN);
  if (ikmLen == 0) hkdfExtract(alg, TMP, hl, ZEROS, hl, out);
  else hkdfExtract(alg, TMP, hl, ikm, ikmLen, out);
  memory.fill(TMP, 0, HASH_MAX_LEN);
}

/** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (§4.4.4). */
export function finishedKey(alg: i32, baseKey: usize, out: usize): void {
  const hl = hashLen(alg);
  expandLabelStr(alg, baseKey, hl, "finished", 0, 0, out, hl);
}

/** verify_data = HMAC(finished_key(BaseKey), transcriptHash) (§4.4.4). */
export function finishedVerifyData(alg: i32, baseKey: usize, transcriptHash: usize, out: usize): void {
  const hl = hashLen(alg);
  finishedKey(alg, baseKey, TMP2);
  hmac(alg, TMP2, hl, transcriptHash, hl, out);
  memory.fill(TMP2, 0, HASH_MAX_LEN);
}

/** §7.3: write key = HKDF-Expand-Label(secret, "key", "", keyLen). */
export function trafficKey(alg: i32, secret: usize, out: usize, keyLen: usize): void {
  expandLabelStr(alg, secret, hashLen(alg), "key", 0, 0, out, keyLen);
}

/** §7.3: write iv = HKDF-Expand-Label(secret, "iv", "", ivLen). */
export function trafficIv(alg: i32, secret: usize, out: usize, ivLen: usize): void {
  expandLabelStr(alg, secret, hashLen(alg), "iv", 0, 0, out, ivLen);
}

/** Number of secrets `keySchedule` writes, in this order. */
export const SCHEDULE_SECRETS: usize = 12;
// 0 early_secret · 1 binder_key · 2 client_early_traffic_secret · 3 early_exporter_master_secret ·
// 4 handshake_secret · 5 client_handshake_traffic_secret · 6 server_handshake_traffic_secret ·
// 7 master_secret · 8 client_application_traffic_secret_0 · 9 server_application_traffic_secret_0 ·
// 10 exporter_master_secret · 11 resumption_master_secret

// keySchedule keys HMAC once per stage (STAGE) and derives every secret of the stage from it.
const STAGE: usize = memory.data(<i32>HMAC_KEY_SIZE);
const WORK: usize = memory.data(<i32>HASH_CTX_SIZE);
const ONE: usize = memory.data<u8>([1]);
// The keyed state of the all-zero SHA-256 salt: public, computed once.
const ZERO_KEY_STATE: usize = memory.data(<i32>HMAC_KEY_SIZE);
let zeroKeyReady = false;

/** The HkdfLabel of Derive-Secret (length hl, "tls13 " + label, context th) into HKDF_LABEL. */
function hkdfLabelStr(label: string, th: usize, hl: usize): usize {
  const n = <usize>label.length;
  let p = HKDF_LABEL;
  store<u8>(p, <u8>(hl >> 8));
  store<u8>(p, <u8>hl, 1);
  store<u8>(p, <u8>(n + 6), 2);
  store<u8>(p, 0x74, 3);
  store<u8>(p, 0x6c, 4);
  store<u8>(p, 0x73, 5);
  store<u8>(p, 0x31, 6);
  store<u8>(p, 0x33, 7);
  store<u8>(p, 0x20, 8);
  for (let i: usize = 0; i < n; i++) store<u8>(p + 9 + i, <u8>label.charCodeAt(<i32>i));
  p += 9 + n;
  store<u8>(p, <u8>hl);
  memory.copy(p + 1, th, hl);
  return p + 1 + hl - HKDF_LABEL;
}

/** HMAC under the keyed state `st` of a | b into `out`. */
function macKeyed(alg: i32, st: usize, a: usize, aLen: usize, b: usize, bLen: usize, out: usize): void {
  if (alg == HASH_SHA256) {
    hmacSha256(st, a, aLen, b, bLen, out);
    return;
  }
  hmacStart(alg, st, WORK);
  hashUpdate(alg, WORK, a, aLen);
  hashUpdate(alg, WORK, b, bLen);
  hmacFinish(alg, st, WORK, out);
}

/** Keys `st` for `key` (hl bytes), without the one-entry cache: each stage's key is used once. */
function keyStage(alg: i32, st: usize, key: usize, hl: usize): void {
  if (alg == HASH_SHA256) hmacKeySha256(st, key, hl);
  else hmacKey(alg, st, key, hl);
}

/** Derive-Secret under the keyed stage: T(1) = HMAC(secret, HkdfLabel | 0x01). */
function deriveKeyed(alg: i32, label: string, th: usize, out: usize): void {
  const hl = hashLen(alg);
  const n = hkdfLabelStr(label, th, hl);
  macKeyed(alg, STAGE, HKDF_LABEL, n, ONE, 1, out);
}

/** HKDF-Extract(salt, ikm or 0^hl) with a fresh key. */
function extractFresh(alg: i32, salt: usize, ikm: usize, ikmLen: usize, out: usize): void {
  const hl = hashLen(alg);
  keyStage(alg, STAGE, salt, hl);
  if (ikmLen == 0) macKeyed(alg, STAGE, ZEROS, hl, 0, 0, out);
  else macKeyed(alg, STAGE, ikm, ikmLen, 0, 0, out);
}

/**
 * The whole schedule in one call. `hashes` holds four transcript hashes back to back:
 * ClientHello, ClientHello..ServerHello, ClientHello..server Finished, ClientHello..client Finished.
 * pskLen 0 means no PSK; dheLen 0 means psk_ke (no (EC)DHE). Writes 12 * HashLen bytes to `out`.
 */
export function keySchedule(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: bool,
  dhe: usize,
  dheLen: usize,
  hashes: usize,
  out: usize,
): void {
  const hl = hashLen(alg);
  const hCH = hashes,
    hSH = hashes + hl,
    hSF = hashes + 2 * hl,
    hCF = hashes + 3 * hl;
  const early = out,
    hs = out + 4 * hl,
    ms = out + 7 * hl;
  memory.fill(ZEROS, 0, HASH_MAX_LEN);
  emptyHash(alg, EMPTY_HASH);
  // Early Secret = HKDF-Extract(0, PSK or 0)
  if (alg == HASH_SHA256) {
    if (!zeroKeyReady) {
      hmacKeySha256(ZERO_KEY_STATE, ZEROS, 32);
      zeroKeyReady = true;
    }
    if (pskLen == 0) hmacSha256(ZERO_KEY_STATE, ZEROS, hl, 0, 0, early);
    else hmacSha256(ZERO_KEY_STATE, psk, pskLen, 0, 0, early);
  } else extractFresh(alg, ZEROS, psk, pskLen, early);
  keyStage(alg, STAGE, early, hl);
  deriveKeyed(alg, external ? "ext binder" : "res binder", EMPTY_HASH, out + hl);
  deriveKeyed(alg, "c e traffic", hCH, out + 2 * hl);
  deriveKeyed(alg, "e exp master", hCH, out + 3 * hl);
  deriveKeyed(alg, "derived", EMPTY_HASH, TMP);
  extractFresh(alg, TMP, dhe, dheLen, hs);
  keyStage(alg, STAGE, hs, hl);
  deriveKeyed(alg, "c hs traffic", hSH, out + 5 * hl);
  deriveKeyed(alg, "s hs traffic", hSH, out + 6 * hl);
  deriveKeyed(alg, "derived", EMPTY_HASH, TMP);
  extractFresh(alg, TMP, 0, 0, ms);
  keyStage(alg, STAGE, ms, hl);
  deriveKeyed(alg, "c ap traffic", hSF, out + 8 * hl);
  deriveKeyed(alg, "s ap traffic", hSF, out + 9 * hl);
  deriveKeyed(alg, "exp master", hSF, out + 10 * hl);
  deriveKeyed(alg, "res master", hCF, out + 11 * hl);
  memory.fill(STAGE, 0, HMAC_KEY_SIZE);
  memory.fill(TMP, 0, HASH_MAX_LEN);
  memory.fill(HKDF_LABEL, 0, 2 + 1 + 255 + 1 + 255);
}

// Synchronous crypto API over the wasm module: SHA-2, HMAC, HKDF, the TLS 1.2 PRF, the TLS 1.3 key
// schedule, binders and ticket messages, X25519, AES-CBC and AES-GCM.
//
// Everything is computed inside the module; this file only checks arguments, copies bytes in and
// out, and turns status codes into errors. A wrong type is a TypeError, a wrong length a
// RangeError, and both name the argument. Results are fresh copies, never views of wasm memory.
//
// Secrets: every result except a digest and the public TLS messages (NewSessionTicket,
// pre_shared_key) has an ArrayBuffer of its own, never a slice of the shared output pool, so that
// wiping or transferring it touches nothing else. The module's result buffer is wiped after every
// call, and the staging area after every call that used it: no input or output of a call stays in
// wasm memory once the call returned.

import { wasm, copyIn, copyOut as copyOutShared, copyFrom, check } from "./load";
import { HashAlg } from "./abi.js";

export type HashName = "sha256" | "sha384" | "sha512";
type Bytes = Uint8Array;

const HASH_ID: Record<string, number> = {
  sha256: HashAlg.SHA256,
  sha384: HashAlg.SHA384,
  sha512: HashAlg.SHA512,
};
/** Digest length by hash id. */
const HASH_LEN: Record<number, number> = { [HashAlg.SHA256]: 32, [HashAlg.SHA384]: 48, [HashAlg.SHA512]: 64 };
const EMPTY = new Uint8Array(0);

// ---- argument checks ---------------------------------------------------------------------------

function hashId(hash: unknown, name = "hash"): number {
  if (typeof hash !== "string") throw new TypeError(`${name} must be "sha256", "sha384" or "sha512"`);
  const id = HASH_ID[hash];
  if (!id) throw new RangeError(`${name} must be "sha256", "sha384" or "sha512", not "${hash}"`);
  return id;
}

function bytes(x: unknown, name: string): Bytes {
  if (!(x instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  return x;
}

function bytesLen(x: unknown, name: string, ...lens: number[]): Bytes {
  const b = bytes(x, name);
  if (!lens.includes(b.length))
    throw new RangeError(`${name} must be ${lens.join(" or ")} bytes, not ${b.length}`);
  return b;
}

function optBytes(x: unknown, name: string): Bytes {
  return x === undefined || x === null ? EMPTY : bytes(x, name);
}

function uint(x: unknown, name: string, max: number): number {
  if (typeof x !== "number") throw new TypeError(`${name} must be a number`);
  if (!Number.isInteger(x) || x < 0 || x > max)
    throw new RangeError(`${name} must be an integer from 0 to ${max}`);
  return x;
}

const encoder = new TextEncoder();
// Labels repeat ("c hs traffic", "key expansion", ...): their encodings are kept, up to a bound.
// Measured: TextEncoder.encode was a third of a short hkdfExpandLabel call.
const labelCache = new Map<string, Bytes>();
function ascii(x: unknown, name: string, maxLen: number): Bytes {
  if (typeof x !== "string") throw new TypeError(`${name} must be a string`);
  let b = labelCache.get(x);
  if (b === undefined) {
    b = encoder.encode(x);
    if (x.length <= 64) {
      if (labelCache.size >= 256) labelCache.clear();
      labelCache.set(x, b);
    }
  }
  if (b.length > maxLen) throw new RangeError(`${name} must be at most ${maxLen} bytes`);
  return b;
}

// ---- staging: small arguments go through the module's scratch area, large ones through buffers ----

// biome-ignore lint/suspicious/noExplicitAny: the exports are checked per call, not typed yet
type Exports = any;
let ex: Exports = null;
let io = 0;
let ioSize = 0;
let view = new Uint8Array(0);

function mod(): Exports {
  const e = wasm() as Exports;
  if (e !== ex) {
    ex = e;
    view = new Uint8Array(e.memory.buffer);
    io = e.crypto_io();
    ioSize = io ? e.crypto_io_size() : 0;
  }
  return e;
}

/** The memory view; memory.grow detaches the old buffer (its length drops to 0), so rebuild then. */
function mem(): Uint8Array {
  if (view.length === 0) view = new Uint8Array(ex.memory.buffer);
  return view;
}

/**
 * One call's worth of staging: a bump pointer in the scratch area and the buffers to free. Calls
 * never nest, so one Stage is reused (no allocation per call).
 */
class Stage {
  private at = 0;
  private owned: number[] = [];
  reset(): this {
    this.at = io;
    return this;
  }
  /** Copies `b` in and returns its address. */
  put(b: Bytes): number {
    if (b.length <= io + ioSize - this.at) {
      const p = this.at;
      if (b.length) mem().set(b, p);
      this.at += (b.length + 7) & ~7;
      return p;
    }
    const p = copyIn(b);
    this.owned.push(p);
    return p;
  }
  /** Reserves `n` bytes of output space and returns its address. */
  out(n: number): number {
    if (n <= io + ioSize - this.at) {
      const p = this.at;
      this.at += (n + 7) & ~7;
      return p;
    }
    const p = copyIn(new Uint8Array(n));
    this.owned.push(p);
    return p;
  }
  /** Frees the buffers and wipes the scratch area used. */
  done(): void {
    if (this.owned.length) {
      for (const p of this.owned) ex.buf_free(p);
      this.owned.length = 0;
    }
    if (this.at > io) mem().fill(0, io, this.at);
  }
}
const stage = new Stage();

/** The result buffer's `n` bytes in an ArrayBuffer of their own; `call` wipes the buffer after. */
function copyOut(n: number): Bytes {
  return copyOutShared(n, true);
}

/**
 * Runs `f` with the stage; frees everything after, even on error, and wipes the staging area and
 * the module's result buffer. (Every export is guarded in bindings/load.ts: a trap inside `f`
 * has already poisoned the instance.)
 */
function call<T>(f: (s: Stage, e: Exports) => T): T {
  const e = mod();
  try {
    return f(stage.reset(), e);
  } finally {
    stage.done();
    wipeResult(e);
  }
}

/** Wipes the module's result buffer (nothing to do once the instance trapped). */
function wipeResult(e: Exports): void {
  try {
    e.result_wipe();
  } catch {
    // poisoned: the guard refused the call, and the instance is never used again
  }
}

// ---- SHA-2 -----------------------------------------------------------------------------------

/**
 * The fast path for the two hottest calls (hash, HMAC): up to two inputs and a fixed-size output in
 * the scratch area, no staging object and no closure. Returns null when they do not fit. A
 * `secret` output (a MAC) gets an ArrayBuffer of its own; a digest comes from the shared pool.
 * The scratch area is wiped before returning. Measured: a third of the binding overhead of a
 * 64-byte HMAC.
 */
function direct(
  _e: Exports,
  a: Bytes,
  b: Bytes | null,
  outLen: number,
  secret: boolean,
  run: (pa: number, pb: number, po: number) => number,
): Bytes | null {
  const pa = io,
    pb = pa + ((a.length + 7) & ~7);
  const po = b ? pb + ((b.length + 7) & ~7) : pb;
  const end = po + outLen;
  if (end > io + ioSize) return null;
  const m = mem();
  m.set(a, pa);
  if (b) m.set(b, pb);
  const st = run(pa, pb, po); // a trap poisons the instance in the export's guard
  const m2 = mem();
  const out = st < 0 ? null : copyFrom(po, end - po, secret);
  m2.fill(0, io, end);
  check(st);
  return out;
}

/** Digest of `data` with the named hash. */
export function hash(hashName: HashName, data: Bytes): Bytes {
  const id = hashId(hashName);
  bytes(data, "data");
  const e = mod(),
    hl = HASH_LEN[id];
  return (
    direct(e, data, null, hl, false, (p, _, o) => e.hash_digest(id, p, data.length, o)) ??
    call((s) => {
      const p = s.put(data),
        out = s.out(hl);
      check(e.hash_digest(id, p, data.length, out));
      return copyFrom(out, hl);
    })
  );
}

export function sha256(data: Bytes): Bytes {
  return hash("sha256", data);
}
export function sha384(data: Bytes): Bytes {
  return hash("sha384", data);
}
export function sha512(data: Bytes): Bytes {
  return hash("sha512", data);
}

const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<number>((h) => {
        try {
          ex?.hash_free(h);
        } catch {
          /* instance gone */
        }
      })
    : null;

/**
 * A streaming hash or HMAC. `update` as often as needed, then `digest` once. Holds a handle in the
 * module: call `free()` (or use `using`) when done; a FinalizationRegistry is only a safety net.
 */
export class Hasher {
  #h: number;
  readonly outputLen: number;
  private constructor(h: number, outputLen: number) {
    this.#h = h;
    this.outputLen = outputLen;
    registry?.register(this, h, this);
  }
  /** @internal */
  static wrap(h: number, len: number): Hasher {
    return new Hasher(h, len);
  }
  update(data: Bytes): this {
    bytes(data, "data");
    if (!this.#h) throw new Error("hasher was freed");
    const h = this.#h;
    call((s, e) => check(e.hash_update(h, s.put(data), data.length)));
    return this;
  }
  /** The digest (or MAC). The hasher cannot be updated afterwards. */
  digest(): Bytes {
    if (!this.#h) throw new Error("hasher was freed");
    const h = this.#h,
      n = this.outputLen;
    return call((s, e) => {
      const out = s.out(n);
      check(e.hash_final(h, out));
      return copyFrom(out, n, true);
    });
  }
  /** HMAC(key, data) under a keyed object from createHmacKey; it stays usable. */
  mac(data: Bytes): Bytes {
    bytes(data, "data");
    const h = this.#h,
      n = this.outputLen;
    if (!h) throw new Error("hasher was freed");
    const e = mod();
    return (
      direct(e, data, null, n, true, (d, _, o) => e.hmac_key_mac(h, d, data.length, o)) ??
      call((s) => {
        const out = s.out(n);
        check(e.hmac_key_mac(h, s.put(data), data.length, out));
        return copyFrom(out, n, true);
      })
    );
  }
  /** An independent copy of the current state. */
  clone(): Hasher {
    if (!this.#h) throw new Error("hasher was freed");
    const e = mod();
    return new Hasher(check(e.hash_clone(this.#h)), this.outputLen);
  }
  free(): void {
    if (!this.#h) return;
    registry?.unregister(this);
    mod().hash_free(this.#h);
    this.#h = 0;
  }
  [Symbol.dispose](): void {
    this.free();
  }
}

export function createHash(hashName: HashName): Hasher {
  const id = hashId(hashName);
  return Hasher.wrap(check(mod().hash_new(id)), HASH_LEN[id]);
}

export function createHmac(hashName: HashName, key: Bytes): Hasher {
  const id = hashId(hashName);
  bytes(key, "key");
  return call((s, e) => Hasher.wrap(check(e.hmac_new(id, s.put(key), key.length)), HASH_LEN[id]));
}

// ---- HMAC, HKDF, constant-time equality --------------------------------------------------------

export function hmac(hashName: HashName, key: Bytes, data: Bytes): Bytes {
  const id = hashId(hashName);
  bytes(key, "key");
  bytes(data, "data");
  const e = mod(),
    hl = HASH_LEN[id];
  return (
    direct(e, key, data, hl, true, (k, d, o) => e.hmac_compute(id, k, key.length, d, data.length, o)) ??
    call((s) => {
      const k = s.put(key),
        d = s.put(data),
        out = s.out(hl);
      check(e.hmac_compute(id, k, key.length, d, data.length, out));
      return copyFrom(out, hl, true);
    })
  );
}

/**
 * A key prepared once for many HMACs (a Hasher whose `mac` works and whose `update` and `digest`
 * do not): the inner and outer key blocks are hashed when it is made, so each `mac` costs only the
 * message's blocks. `free()` wipes the keyed state.
 */
export function createHmacKey(hashName: HashName, key: Bytes): Hasher {
  const id = hashId(hashName);
  bytes(key, "key");
  return call((s, e) => Hasher.wrap(check(e.hmac_key_new(id, s.put(key), key.length)), HASH_LEN[id]));
}

/** The shortest tag `hmacVerify` accepts unless told otherwise: 128 bits. */
export const HMAC_MIN_TAG_LENGTH = 16;

export interface HmacVerifyOptions {
  /**
   * The shortest tag to accept, 1 to the hash length (default 16). A tag of n bytes is forged in
   * about 2^(8n-1) guesses, so a shorter one must be an explicit choice: a protocol that truncates
   * MACs to fewer bytes says so here.
   */
  minTagLength?: number;
}

/**
 * True when `tag` is HMAC(key, data), or its first `tag.length` bytes (a truncated MAC); constant
 * time. A tag shorter than 16 bytes is refused (RangeError) unless `options.minTagLength` allows it.
 */
export function hmacVerify(
  hashName: HashName,
  key: Bytes,
  data: Bytes,
  tag: Bytes,
  options?: HmacVerifyOptions,
): boolean {
  const id = hashId(hashName);
  bytes(key, "key");
  bytes(data, "data");
  bytes(tag, "tag");
  if (options !== undefined && (typeof options !== "object" || options === null))
    throw new TypeError("options must be an object");
  const hl = HASH_LEN[id];
  const min =
    options?.minTagLength === undefined
      ? Math.min(HMAC_MIN_TAG_LENGTH, hl)
      : uint(options.minTagLength, "options.minTagLength", hl);
  if (min < 1) throw new RangeError(`options.minTagLength must be 1 to ${hl}`);
  if (tag.length > hl) throw new RangeError(`tag must be at most ${hl} bytes`);
  if (tag.length < min)
    throw new RangeError(
      `tag must be at least ${min} bytes: a ${tag.length}-byte tag is forged in about 2^${Math.max(0, 8 * tag.length - 1)} guesses (options.minTagLength accepts shorter ones)`,
    );
  return call(
    (s, e) =>
      check(e.hmac_verify(id, s.put(key), key.length, s.put(data), data.length, s.put(tag), tag.length)) ===
      1,
  );
}

/**
 * @deprecated Nothing to clear: the module keeps no HMAC or AES key past the call that used it
 * (a key used many times lives in an object you own and free, such as `createHmacKey`).
 */
export function wipeCryptoCache(): void {
  mod(); // refuses as every call does before init() or after a trap; there is nothing to wipe
}

/** Constant-time equality (false at once when the lengths differ: lengths are public). */
export function constantTimeEqual(a: Bytes, b: Bytes): boolean {
  bytes(a, "a");
  bytes(b, "b");
  if (a.length !== b.length) return false;
  return call((s, e) => check(e.ct_equal(s.put(a), s.put(b), a.length)) === 1);
}

export function hkdfExtract(hashName: HashName, salt: Bytes | undefined, ikm: Bytes): Bytes {
  const id = hashId(hashName);
  const sa = optBytes(salt, "salt");
  bytes(ikm, "ikm");
  return call((s, e) => {
    const out = s.out(HASH_LEN[id]);
    check(e.hkdf_extract(id, s.put(sa), sa.length, s.put(ikm), ikm.length, out));
    return copyFrom(out, HASH_LEN[id], true);
  });
}

export function hkdfExpand(hashName: HashName, prk: Bytes, info: Bytes | undefined, length: number): Bytes {
  const id = hashId(hashName);
  bytes(prk, "prk");
  const inf = optBytes(info, "info");
  uint(length, "length", 255 * HASH_LEN[id]);
  return call((s, e) =>
    copyOut(check(e.hkdf_expand(id, s.put(prk), prk.length, s.put(inf), inf.length, length))),
  );
}

/** HKDF (RFC 5869): extract then expand. */
export function hkdf(
  hashName: HashName,
  ikm: Bytes,
  salt: Bytes | undefined,
  info: Bytes | undefined,
  length: number,
): Bytes {
  return hkdfExpand(hashName, hkdfExtract(hashName, salt, ikm), info, length);
}

/** HKDF-Expand-Label (RFC 8446 §7.1); `label` without the "tls13 " prefix. */
export function hkdfExpandLabel(
  hashName: HashName,
  secret: Bytes,
  label: string,
  context: Bytes | undefined,
  length: number,
): Bytes {
  const id = hashId(hashName);
  bytes(secret, "secret");
  const lb = ascii(label, "label", 249);
  const ctx = optBytes(context, "context");
  if (ctx.length > 255) throw new RangeError("context must be at most 255 bytes");
  uint(length, "length", Math.min(65535, 255 * HASH_LEN[id]));
  return call((s, e) =>
    copyOut(
      check(
        e.tls13_expand_label(
          id,
          s.put(secret),
          secret.length,
          s.put(lb),
          lb.length,
          s.put(ctx),
          ctx.length,
          length,
        ),
      ),
    ),
  );
}

// ---- TLS 1.2 -----------------------------------------------------------------------------------

/** PRF(secret, label, seed) of RFC 5246 §5 with P_SHA256 or P_SHA384. */
export function tls12Prf(
  hashName: HashName,
  secret: Bytes,
  label: string,
  seed: Bytes,
  length: number,
): Bytes {
  const id = hashId(hashName);
  bytes(secret, "secret");
  const lb = ascii(label, "label", 1 << 16);
  bytes(seed, "seed");
  uint(length, "length", 1 << 24);
  return call((s, e) =>
    copyOut(
      check(
        e.tls12_prf(id, s.put(secret), secret.length, s.put(lb), lb.length, s.put(seed), seed.length, length),
      ),
    ),
  );
}

export const tls12 = {
  /** master_secret (RFC 5246 §8.1), 48 bytes. */
  masterSecret(hashName: HashName, preMaster: Bytes, clientRandom: Bytes, serverRandom: Bytes): Bytes {
    const id = hashId(hashName);
    bytes(preMaster, "preMaster");
    bytesLen(clientRandom, "clientRandom", 32);
    bytesLen(serverRandom, "serverRandom", 32);
    return call((s, e) =>
      copyOut(
        check(
          e.tls12_master_secret(
            id,
            s.put(preMaster),
            preMaster.length,
            s.put(clientRandom),
            s.put(serverRandom),
          ),
        ),
      ),
    );
  },
  /** Extended master secret (RFC 7627 §4) from the session hash, 48 bytes. */
  extendedMasterSecret(hashName: HashName, preMaster: Bytes, sessionHash: Bytes): Bytes {
    const id = hashId(hashName);
    bytes(preMaster, "preMaster");
    bytes(sessionHash, "sessionHash");
    return call((s, e) =>
      copyOut(
        check(
          e.tls12_extended_master_secret(
            id,
            s.put(preMaster),
            preMaster.length,
            s.put(sessionHash),
            sessionHash.length,
          ),
        ),
      ),
    );
  },
  /** key_block (RFC 5246 §6.3): note server random first. */
  keyBlock(
    hashName: HashName,
    master: Bytes,
    serverRandom: Bytes,
    clientRandom: Bytes,
    length: number,
  ): Bytes {
    const id = hashId(hashName);
    bytes(master, "master");
    bytesLen(serverRandom, "serverRandom", 32);
    bytesLen(clientRandom, "clientRandom", 32);
    uint(length, "length", 65536);
    return call((s, e) =>
      copyOut(
        check(
          e.tls12_key_block(
            id,
            s.put(master),
            master.length,
            s.put(serverRandom),
            s.put(clientRandom),
            length,
          ),
        ),
      ),
    );
  },
  /** Finished verify_data (RFC 5246 §7.4.9), 12 bytes. */
  finished(hashName: HashName, master: Bytes, fromServer: boolean, handshakeHash: Bytes): Bytes {
    const id = hashId(hashName);
    bytes(master, "master");
    bytes(handshakeHash, "handshakeHash");
    if (typeof fromServer !== "boolean") throw new TypeError("fromServer must be a boolean");
    return call((s, e) =>
      copyOut(
        check(
          e.tls12_finished(
            id,
            s.put(master),
            master.length,
            fromServer ? 1 : 0,
            s.put(handshakeHash),
            handshakeHash.length,
          ),
        ),
      ),
    );
  },
};

// ---- X25519, AES ---------------------------------------------------------------------------------

/** X25519(scalar, u) of RFC 7748 §5; throws when the result is all zeros (a small-order u). */
export function x25519(scalar: Bytes, uCoordinate: Bytes): Bytes {
  bytesLen(scalar, "scalar", 32);
  bytesLen(uCoordinate, "uCoordinate", 32);
  return call((s, e) => {
    const out = s.out(32);
    check(e.x25519(s.put(scalar), s.put(uCoordinate), out));
    return copyFrom(out, 32, true);
  });
}

const BASE_POINT = (() => {
  const b = new Uint8Array(32);
  b[0] = 9;
  return b;
})();
/** The public key for a private scalar: X25519(scalar, 9). */
export function x25519PublicKey(scalar: Bytes): Bytes {
  return x25519(scalar, BASE_POINT);
}

/** AES-CBC with PKCS#7 padding (AES-128 or AES-256 by key length). */
export function aesCbcEncrypt(key: Bytes, iv: Bytes, plaintext: Bytes): Bytes {
  bytesLen(key, "key", 16, 32);
  bytesLen(iv, "iv", 16);
  bytes(plaintext, "plaintext");
  return call((s, e) =>
    copyOut(check(e.aes_cbc_encrypt(s.put(key), key.length, s.put(iv), s.put(plaintext), plaintext.length))),
  );
}

/** Decrypts and removes PKCS#7 padding; throws on a length that is not a multiple of 16 or bad padding. */
export function aesCbcDecrypt(key: Bytes, iv: Bytes, ciphertext: Bytes): Bytes {
  bytesLen(key, "key", 16, 32);
  bytesLen(iv, "iv", 16);
  bytes(ciphertext, "ciphertext");
  if (ciphertext.length === 0 || ciphertext.length % 16)
    throw new RangeError("ciphertext must be a non-zero multiple of 16 bytes");
  return call((s, e) =>
    copyOut(
      check(e.aes_cbc_decrypt(s.put(key), key.length, s.put(iv), s.put(ciphertext), ciphertext.length)),
    ),
  );
}

/** AES-GCM: ciphertext followed by the 16-byte tag. */
export function aesGcmSeal(key: Bytes, iv: Bytes, plaintext: Bytes, aad?: Bytes): Bytes {
  bytesLen(key, "key", 16, 32);
  bytes(iv, "iv");
  bytes(plaintext, "plaintext");
  if (iv.length === 0) throw new RangeError("iv must not be empty");
  const ad = optBytes(aad, "aad");
  return call((s, e) =>
    copyOut(
      check(
        e.aes_gcm_seal(
          s.put(key),
          key.length,
          s.put(iv),
          iv.length,
          s.put(plaintext),
          plaintext.length,
          s.put(ad),
          ad.length,
        ),
      ),
    ),
  );
}

/** Opens ciphertext‖tag; throws when the tag does not verify (nothing is released then). */
export function aesGcmOpen(key: Bytes, iv: Bytes, sealed: Bytes, aad?: Bytes): Bytes {
  bytesLen(key, "key", 16, 32);
  bytes(iv, "iv");
  bytes(sealed, "sealed");
  if (iv.length === 0) throw new RangeError("iv must not be empty");
  if (sealed.length < 16) throw new RangeError("sealed must be at least 16 bytes (the tag)");
  const ad = optBytes(aad, "aad");
  return call((s, e) =>
    copyOut(
      check(
        e.aes_gcm_open(
          s.put(key),
          key.length,
          s.put(iv),
          iv.length,
          s.put(sealed),
          sealed.length,
          s.put(ad),
          ad.length,
        ),
      ),
    ),
  );
}

// ---- TLS 1.3 -----------------------------------------------------------------------------------

export interface KeyScheduleInput {
  hash: HashName;
  /** The PSK; omit for a full handshake. */
  psk?: Bytes;
  /** true for an external PSK ("ext binder"), false for resumption ("res binder"). */
  external?: boolean;
  /** The (EC)DHE shared secret; omit for psk_ke. */
  dhe?: Bytes;
  /** Transcript hashes: ClientHello, ..ServerHello, ..server Finished, ..client Finished. */
  transcript: { clientHello: Bytes; serverHello: Bytes; serverFinished: Bytes; clientFinished: Bytes };
}

export interface KeyScheduleSecrets {
  earlySecret: Bytes;
  binderKey: Bytes;
  clientEarlyTrafficSecret: Bytes;
  earlyExporterMasterSecret: Bytes;
  handshakeSecret: Bytes;
  clientHandshakeTrafficSecret: Bytes;
  serverHandshakeTrafficSecret: Bytes;
  masterSecret: Bytes;
  clientApplicationTrafficSecret: Bytes;
  serverApplicationTrafficSecret: Bytes;
  exporterMasterSecret: Bytes;
  resumptionMasterSecret: Bytes;
}

const SCHEDULE_NAMES: (keyof KeyScheduleSecrets)[] = [
  "earlySecret",
  "binderKey",
  "clientEarlyTrafficSecret",
  "earlyExporterMasterSecret",
  "handshakeSecret",
  "clientHandshakeTrafficSecret",
  "serverHandshakeTrafficSecret",
  "masterSecret",
  "clientApplicationTrafficSecret",
  "serverApplicationTrafficSecret",
  "exporterMasterSecret",
  "resumptionMasterSecret",
];

export interface NewSessionTicket {
  lifetime: number;
  ageAdd: number;
  nonce: Bytes;
  ticket: Bytes;
  /** max_early_data_size from the early_data extension, or undefined when absent. */
  maxEarlyData?: number;
}

interface BinderOptions {
  external?: boolean;
  /** transcript bytes before the ClientHello (after a HelloRetryRequest) */ prefix?: Bytes;
  index?: number;
}

function withHashLen(id: number, x: unknown, name: string): Bytes {
  return bytesLen(x, name, HASH_LEN[id]);
}

// keySchedule's staging of the four transcript hashes (public values), reused.
const scheduleHashes = new Uint8Array(4 * 64);
const TRANSCRIPT_KEYS = ["clientHello", "serverHello", "serverFinished", "clientFinished"] as const;

export const tls13 = {
  expandLabel: hkdfExpandLabel,

  /** Derive-Secret(secret, label, messages) given Transcript-Hash(messages). */
  deriveSecret(hashName: HashName, secret: Bytes, label: string, transcriptHash: Bytes): Bytes {
    const id = hashId(hashName);
    withHashLen(id, transcriptHash, "transcriptHash");
    return hkdfExpandLabel(hashName, secret, label, transcriptHash, HASH_LEN[id]);
  },

  /** Early Secret = HKDF-Extract(0, PSK); no PSK gives the full-handshake value. */
  earlySecret(hashName: HashName, psk?: Bytes): Bytes {
    const id = hashId(hashName);
    const p = optBytes(psk, "psk");
    return call((s, e) => copyOut(check(e.tls13_early_secret(id, s.put(p), p.length))));
  },

  /** Handshake Secret from the Early Secret and the (EC)DHE secret (omit it for psk_ke). */
  handshakeSecret(hashName: HashName, earlySecret: Bytes, dhe?: Bytes): Bytes {
    const id = hashId(hashName);
    withHashLen(id, earlySecret, "earlySecret");
    const d = optBytes(dhe, "dhe");
    return call((s, e) => copyOut(check(e.tls13_next_secret(id, s.put(earlySecret), s.put(d), d.length))));
  },

  /** Master Secret from the Handshake Secret. */
  masterSecret(hashName: HashName, handshakeSecret: Bytes): Bytes {
    const id = hashId(hashName);
    withHashLen(id, handshakeSecret, "handshakeSecret");
    return call((s, e) => copyOut(check(e.tls13_next_secret(id, s.put(handshakeSecret), 0, 0))));
  },

  finishedKey(hashName: HashName, baseKey: Bytes): Bytes {
    const id = hashId(hashName);
    withHashLen(id, baseKey, "baseKey");
    return call((s, e) => copyOut(check(e.tls13_finished(id, s.put(baseKey), 0, 0))));
  },

  /** Finished verify_data = HMAC(finished_key(baseKey), transcriptHash). */
  finishedVerifyData(hashName: HashName, baseKey: Bytes, transcriptHash: Bytes): Bytes {
    const id = hashId(hashName);
    withHashLen(id, baseKey, "baseKey");
    withHashLen(id, transcriptHash, "transcriptHash");
    return call((s, e) => copyOut(check(e.tls13_finished(id, s.put(baseKey), s.put(transcriptHash), 1))));
  },

  /** Traffic key and 12-byte iv from a traffic secret (RFC 8446 §7.3). */
  trafficKeys(hashName: HashName, secret: Bytes, keyLength: number): { key: Bytes; iv: Bytes } {
    const id = hashId(hashName);
    withHashLen(id, secret, "secret");
    uint(keyLength, "keyLength", 64);
    if (keyLength === 0) throw new RangeError("keyLength must be 1 to 64");
    return call((s, e) => {
      check(e.tls13_traffic_keys(id, s.put(secret), keyLength));
      const p = e.result_ptr();
      return { key: copyFrom(p, keyLength, true), iv: copyFrom(p + keyLength, 12, true) };
    });
  },

  /** Every secret of RFC 8446 §7.1 in one call. */
  keySchedule(input: KeyScheduleInput): KeyScheduleSecrets {
    if (typeof input !== "object" || input === null) throw new TypeError("input must be an object");
    const id = hashId(input.hash, "input.hash");
    const hl = HASH_LEN[id];
    const psk = optBytes(input.psk, "input.psk"),
      dhe = optBytes(input.dhe, "input.dhe");
    const t = input.transcript;
    if (typeof t !== "object" || t === null) throw new TypeError("input.transcript must be an object");
    const hashes = scheduleHashes.subarray(0, 4 * hl);
    for (let i = 0; i < 4; i++) {
      const h = t[TRANSCRIPT_KEYS[i]];
      if (!(h instanceof Uint8Array) || h.length !== hl)
        bytesLen(h, `input.transcript.${TRANSCRIPT_KEYS[i]}`, hl); // throws the error
      hashes.set(h, i * hl);
    }
    // Each secret in an ArrayBuffer of its own, read straight from the result buffer.
    return call((s, e) => {
      check(
        e.tls13_key_schedule(
          id,
          s.put(psk),
          psk.length,
          input.external ? 1 : 0,
          s.put(dhe),
          dhe.length,
          s.put(hashes),
        ),
      );
      const p = e.result_ptr();
      const out = {} as KeyScheduleSecrets;
      for (let i = 0; i < SCHEDULE_NAMES.length; i++) out[SCHEDULE_NAMES[i]] = copyFrom(p + i * hl, hl, true);
      return out;
    });
  },

  /** PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length). */
  resumptionPsk(hashName: HashName, resumptionMasterSecret: Bytes, nonce: Bytes): Bytes {
    const id = hashId(hashName);
    withHashLen(id, resumptionMasterSecret, "resumptionMasterSecret");
    bytes(nonce, "nonce");
    if (nonce.length > 255) throw new RangeError("nonce must be at most 255 bytes");
    return call((s, e) =>
      copyOut(check(e.tls13_resumption_psk(id, s.put(resumptionMasterSecret), s.put(nonce), nonce.length))),
    );
  },

  /** binder_key: Derive-Secret(Early Secret, "res binder" | "ext binder", ""). */
  binderKey(hashName: HashName, psk: Bytes, external = false): Bytes {
    const id = hashId(hashName);
    bytes(psk, "psk");
    return call((s, e) => copyOut(check(e.tls13_binder_key(id, s.put(psk), psk.length, external ? 1 : 0))));
  },

  /** The binder over Transcript-Hash(prefix | truncatedClientHello). */
  binder(hashName: HashName, psk: Bytes, truncatedClientHello: Bytes, options: BinderOptions = {}): Bytes {
    const id = hashId(hashName);
    bytes(psk, "psk");
    bytes(truncatedClientHello, "truncatedClientHello");
    const pre = optBytes(options.prefix, "options.prefix");
    return call((s, e) =>
      copyOut(
        check(
          e.tls13_binder(
            id,
            s.put(psk),
            psk.length,
            options.external ? 1 : 0,
            s.put(pre),
            pre.length,
            s.put(truncatedClientHello),
            truncatedClientHello.length,
          ),
        ),
      ),
    );
  },

  /** A copy of `clientHello` (a handshake message whose last extension is pre_shared_key) with binder `index` computed. */
  fillBinder(hashName: HashName, psk: Bytes, clientHello: Bytes, options: BinderOptions = {}): Bytes {
    const id = hashId(hashName);
    bytes(psk, "psk");
    bytes(clientHello, "clientHello");
    const pre = optBytes(options.prefix, "options.prefix");
    const index = uint(options.index ?? 0, "options.index", 0xffff);
    return call((s, e) =>
      copyOut(
        check(
          e.tls13_fill_binder(
            id,
            s.put(psk),
            psk.length,
            options.external ? 1 : 0,
            s.put(pre),
            pre.length,
            s.put(clientHello),
            clientHello.length,
            index,
          ),
        ),
      ),
    );
  },

  /** Server side: does binder `index` of `clientHello` verify under `psk`? Throws if malformed. */
  verifyBinder(hashName: HashName, psk: Bytes, clientHello: Bytes, options: BinderOptions = {}): boolean {
    const id = hashId(hashName);
    bytes(psk, "psk");
    bytes(clientHello, "clientHello");
    const pre = optBytes(options.prefix, "options.prefix");
    const index = uint(options.index ?? 0, "options.index", 0xffff);
    return (
      call((s, e) =>
        check(
          e.tls13_verify_binder(
            id,
            s.put(psk),
            psk.length,
            options.external ? 1 : 0,
            s.put(pre),
            pre.length,
            s.put(clientHello),
            clientHello.length,
            index,
          ),
        ),
      ) === 1
    );
  },

  /** The pre_shared_key extension (type and length included) with one identity and a zero binder. */
  pskExtension(identity: Bytes, obfuscatedTicketAge: number, binderLength: number): Bytes {
    bytes(identity, "identity");
    if (identity.length < 1 || identity.length > 65529)
      throw new RangeError("identity must be 1 to 65529 bytes");
    uint(obfuscatedTicketAge, "obfuscatedTicketAge", 0xffffffff);
    uint(binderLength, "binderLength", 255);
    if (binderLength < 32) throw new RangeError("binderLength must be 32 to 255");
    return call((s, e) =>
      copyOut(
        check(e.tls13_psk_extension(s.put(identity), identity.length, obfuscatedTicketAge, binderLength)),
      ),
    );
  },

  /**
   * The pre_shared_key extension with several identities (a resumption ticket and an external PSK,
   * say), each with a zero binder of its hash's length, in order; fill them with fillBinder(index).
   */
  pskExtensionList(entries: { identity: Bytes; obfuscatedTicketAge: number; binderLength: number }[]): Bytes {
    if (!Array.isArray(entries)) throw new TypeError("entries must be an array");
    if (entries.length === 0) throw new RangeError("entries must not be empty");
    let idsLen = 0,
      bindersLen = 0;
    entries.forEach((x, i) => {
      bytes(x?.identity, `entries[${i}].identity`);
      if (x.identity.length < 1) throw new RangeError(`entries[${i}].identity must not be empty`);
      uint(x.obfuscatedTicketAge, `entries[${i}].obfuscatedTicketAge`, 0xffffffff);
      uint(x.binderLength, `entries[${i}].binderLength`, 255);
      if (x.binderLength < 32) throw new RangeError(`entries[${i}].binderLength must be 32 to 255`);
      idsLen += 2 + x.identity.length + 4;
      bindersLen += 1 + x.binderLength;
    });
    const extLen = 2 + idsLen + 2 + bindersLen;
    if (extLen > 0xffff) throw new RangeError("entries make an extension longer than 65535 bytes");
    const out = new Uint8Array(4 + extLen);
    const v = new DataView(out.buffer);
    v.setUint16(0, 41);
    v.setUint16(2, extLen);
    v.setUint16(4, idsLen);
    let o = 6;
    for (const x of entries) {
      v.setUint16(o, x.identity.length);
      out.set(x.identity, o + 2);
      o += 2 + x.identity.length;
      v.setUint32(o, x.obfuscatedTicketAge);
      o += 4;
    }
    v.setUint16(o, bindersLen);
    o += 2;
    for (const x of entries) {
      out[o] = x.binderLength;
      o += 1 + x.binderLength;
    }
    return out;
  },

  /** Parses a NewSessionTicket handshake message (with its 4-byte header). */
  parseNewSessionTicket(message: Bytes): NewSessionTicket {
    bytes(message, "message");
    const f = call((s, e) => copyOut(check(e.tls13_nst_parse(s.put(message), message.length))));
    const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
    const u = (i: number) => v.getUint32(i * 4, true);
    const out: NewSessionTicket = {
      lifetime: u(0),
      ageAdd: u(1),
      nonce: message.slice(u(2), u(2) + u(3)),
      ticket: message.slice(u(4), u(4) + u(5)),
    };
    if (u(6)) out.maxEarlyData = u(7);
    return out;
  },

  /** Builds a NewSessionTicket handshake message. */
  buildNewSessionTicket(t: NewSessionTicket): Bytes {
    if (typeof t !== "object" || t === null) throw new TypeError("ticket must be an object");
    uint(t.lifetime, "lifetime", 0xffffffff);
    uint(t.ageAdd, "ageAdd", 0xffffffff);
    bytes(t.nonce, "nonce");
    bytes(t.ticket, "ticket");
    if (t.nonce.length > 255) throw new RangeError("nonce must be at most 255 bytes");
    if (t.ticket.length < 1 || t.ticket.length > 65535)
      throw new RangeError("ticket must be 1 to 65535 bytes");
    const early = t.maxEarlyData !== undefined;
    if (early) uint(t.maxEarlyData, "maxEarlyData", 0xffffffff);
    return call((s, e) =>
      copyOut(
        check(
          e.tls13_nst_build(
            t.lifetime,
            t.ageAdd,
            s.put(t.nonce),
            t.nonce.length,
            s.put(t.ticket),
            t.ticket.length,
            early ? 1 : 0,
            early ? t.maxEarlyData : 0,
          ),
        ),
      ),
    );
  },

  /** (ageMs + ageAdd) mod 2^32 (RFC 8446 §4.2.11.1). */
  obfuscateTicketAge(ageMs: number, ageAdd: number): number {
    uint(ageMs, "ageMs", 0xffffffff);
    uint(ageAdd, "ageAdd", 0xffffffff);
    return (ageMs + ageAdd) >>> 0;
  },

  /**
   * The ticket age OpenSSL's client reports, in ms: whole seconds since the session's time, minus
   * one when positive, times 1000; undefined when it does not fit 32 bits (OpenSSL sends no PSK).
   */
  opensslTicketAgeMs(nowSeconds: number, sessionTimeSeconds: number): number | undefined {
    if (typeof nowSeconds !== "number") throw new TypeError("nowSeconds must be a number");
    if (typeof sessionTimeSeconds !== "number") throw new TypeError("sessionTimeSeconds must be a number");
    let age = Math.floor(nowSeconds) - Math.floor(sessionTimeSeconds);
    if (age < 0 || age > 0xffffffff) return undefined;
    if (age > 0) age--;
    const ms = age * 1000;
    return ms > 0xffffffff ? undefined : ms;
  },

  /**
   * What OpenSSL's client keeps from a NewSessionTicket: the PSK derived at once from the resumption
   * master secret and the nonce, session id = SHA-256(ticket), time = now.
   */
  sessionFromTicket(hashName: HashName, resumptionMasterSecret: Bytes, message: Bytes, nowSeconds: number) {
    const t = tls13.parseNewSessionTicket(message);
    return {
      ...t,
      psk: tls13.resumptionPsk(hashName, resumptionMasterSecret, t.nonce),
      sessionId: sha256(t.ticket),
      time: uint(nowSeconds, "nowSeconds", Number.MAX_SAFE_INTEGER),
    };
  },
};

// HMAC, RFC 2104 / FIPS 198-1 §4, over SHA-256, SHA-384 and SHA-512 (RFC 4231 vectors).
//
// A keyed state (HMAC_KEY_SIZE bytes of caller memory) holds two hash contexts that have already
// absorbed K ^ ipad and K ^ opad. Every MAC under the same key then starts from a copy of them, so
// a key used many times (PRF, HKDF-Expand, ticket MACs) pays the key blocks only once.
//   [0, HASH_CTX_SIZE)                  inner context after (K ^ ipad)
//   [HASH_CTX_SIZE, 2 * HASH_CTX_SIZE)  outer context after (K ^ opad)
// No module-global cache keeps a key or a keyed state past the call: a key used for many MACs is
// kept by an object its caller owns and frees (a keyed HMAC object, a ticket key ring), which
// wipes it. Every scratch area here is wiped before the function that filled it returns.

import { sha256Blocks } from "./sha256";
import {
  HASH_CTX_SIZE,
  HASH_SHA256,
  HASH_MAX_BLOCK,
  HASH_MAX_LEN,
  hashBlockLen,
  hashCtxLen,
  hashFinal,
  hashInit,
  hashLen,
  hashOnce,
  hashUpdate,
} from "./hash";

export const HMAC_KEY_SIZE: usize = 2 * HASH_CTX_SIZE;

const PADBUF: usize = memory.data(<i32>HASH_MAX_BLOCK);
const INNER: usize = memory.data(<i32>HASH_MAX_LEN);

/** Prepares the keyed state `st` for `key` (any length; longer than a block is hashed first). */
export function hmacKey(alg: i32, st: usize, key: usize, keyLen: usize): void {
  const block = hashBlockLen(alg);
  if (alg == HASH_SHA256 && keyLen <= 64) {
    hmacKeySha256(st, key, keyLen);
    return;
  }
  memory.fill(PADBUF, 0, block);
  if (keyLen > block) hashOnce(alg, key, keyLen, PADBUF);
  else memory.copy(PADBUF, key, keyLen);
  for (let i: usize = 0; i < block; i += 8)
    store<u64>(PADBUF + i, load<u64>(PADBUF + i) ^ 0x3636363636363636);
  hashInit(alg, st);
  hashUpdate(alg, st, PADBUF, block);
  // (K ^ ipad) ^ (0x36 ^ 0x5c) = K ^ opad
  for (let i: usize = 0; i < block; i += 8)
    store<u64>(PADBUF + i, load<u64>(PADBUF + i) ^ 0x6a6a6a6a6a6a6a6a);
  hashInit(alg, st + HASH_CTX_SIZE);
  hashUpdate(alg, st + HASH_CTX_SIZE, PADBUF, block);
  memory.fill(PADBUF, 0, block);
}

/** Starts a MAC: copies the inner keyed context into the work context `ctx`. */
// @ts-ignore: decorator
@inline export function hmacStart(alg: i32, st: usize, ctx: usize): void {
  memory.copy(ctx, st, hashCtxLen(alg));
}

/** Finishes the MAC begun in `ctx` under `st`; writes hashLen(alg) bytes (out may alias anything). */
export function hmacFinish(alg: i32, st: usize, ctx: usize, out: usize): void {
  hashFinal(alg, ctx, INNER);
  memory.copy(ctx, st + HASH_CTX_SIZE, hashCtxLen(alg));
  hashUpdate(alg, ctx, INNER, hashLen(alg));
  hashFinal(alg, ctx, out);
  memory.fill(INNER, 0, HASH_MAX_LEN);
}

const ONE_KEY: usize = memory.data(<i32>HMAC_KEY_SIZE);
const ONE_CTX: usize = memory.data(<i32>HASH_CTX_SIZE);

/** One-shot HMAC(key, data) into `out`. */
export function hmac(alg: i32, key: usize, keyLen: usize, data: usize, len: usize, out: usize): void {
  if (alg == HASH_SHA256 && keyLen <= 64) {
    hmacKeySha256(ONE_KEY, key, keyLen);
    hmacSha256(ONE_KEY, data, len, 0, 0, out);
    memory.fill(ONE_KEY, 0, HMAC_KEY_SIZE);
    return;
  }
  hmacKey(alg, ONE_KEY, key, keyLen);
  if (alg == HASH_SHA256) {
    hmacSha256(ONE_KEY, data, len, 0, 0, out);
    memory.fill(ONE_KEY, 0, HMAC_KEY_SIZE);
    return;
  }
  hmacStart(alg, ONE_KEY, ONE_CTX);
  hashUpdate(alg, ONE_CTX, data, len);
  hmacFinish(alg, ONE_KEY, ONE_CTX, out);
  memory.fill(ONE_KEY, 0, HMAC_KEY_SIZE);
}

// ---- HMAC-SHA256 without the generic hash machinery ----
// The key blocks and the message's last blocks are laid out in BLK and compressed directly; the
// keyed state is the same as hmacKey's, so both paths mix freely.

const BLK: usize = memory.data(128);
const HST: usize = memory.data(32);

// @ts-ignore: decorator
@inline function sha256Iv(h: usize): void {
  store<u64>(h, 0xbb67ae856a09e667, 0);
  store<u64>(h, 0xa54ff53a3c6ef372, 8);
  store<u64>(h, 0x9b05688c510e527f, 16);
  store<u64>(h, 0x5be0cd191f83d9ab, 24);
}

/** hmacKey for SHA-256 and a key of at most one block. */
export function hmacKeySha256(st: usize, key: usize, keyLen: usize): void {
  memory.copy(BLK, key, keyLen);
  memory.fill(BLK + keyLen, 0, 64 - keyLen);
  for (let i: usize = 0; i < 64; i += 8) store<u64>(BLK + i, load<u64>(BLK + i) ^ 0x3636363636363636);
  sha256Iv(st);
  sha256Blocks(st, BLK, 1);
  store<u64>(st, 64, 32);
  store<u32>(st, 0, 40);
  for (let i: usize = 0; i < 64; i += 8) store<u64>(BLK + i, load<u64>(BLK + i) ^ 0x6a6a6a6a6a6a6a6a);
  const o = st + HASH_CTX_SIZE;
  sha256Iv(o);
  sha256Blocks(o, BLK, 1);
  store<u64>(o, 64, 32);
  store<u32>(o, 0, 40);
  memory.fill(BLK, 0, 64);
}

/**
 * HMAC-SHA256 under the keyed state `st` of the message a | b (b at most one byte: HKDF's
 * counter) into 32 bytes at `out` (which may alias anything).
 */
export function hmacSha256(st: usize, a: usize, aLen: usize, b: usize, bLen: usize, out: usize): void {
  memory.copy(HST, st, 32);
  const full = aLen >> 6;
  if (full) sha256Blocks(HST, a, full);
  let n = aLen & 63;
  memory.copy(BLK, a + (full << 6), n);
  if (bLen) {
    store<u8>(BLK + n, load<u8>(b));
    n++;
    if (n == 64) {
      sha256Blocks(HST, BLK, 1);
      n = 0;
    }
  }
  // FIPS 180-4 §5.1.1 padding after 64 key bytes and the message
  store<u8>(BLK + n, 0x80);
  const blocks: usize = n < 56 ? 1 : 2;
  const end = blocks << 6;
  memory.fill(BLK + n + 1, 0, end - 8 - n - 1);
  store<u64>(BLK + end - 8, bswap<u64>((<u64>(64 + aLen + bLen)) << 3));
  sha256Blocks(HST, BLK, blocks);
  // outer: the inner digest, padded, after the opad block
  for (let i: usize = 0; i < 32; i += 4) store<u32>(BLK + i, bswap<u32>(load<u32>(HST + i)));
  store<u64>(BLK + 32, 0x80);
  store<u64>(BLK + 40, 0);
  store<u64>(BLK + 48, 0);
  store<u64>(BLK + 56, bswap<u64>((<u64>(64 + 32)) << 3));
  memory.copy(HST, st + HASH_CTX_SIZE, 32);
  sha256Blocks(HST, BLK, 1);
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(HST + i)));
  memory.fill(BLK, 0, 128);
  memory.fill(HST, 0, 32);
}

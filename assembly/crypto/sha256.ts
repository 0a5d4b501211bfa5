// SHA-256, FIPS 180-4 §6.2 (initial hash value §5.3.3, padding §5.1.1). The compression function
// (§6.2.2, constants §4.2.2), unrolled, is generated into sha256_rounds.ts by build/gen_sha256.mjs;
// the functions of §4.1.2 that it calls, and its schedule area in the SIMD build, are here.
//
// The context lives in caller-owned raw memory (SHA256_CTX_SIZE bytes):
//   [0, 32)   H0..H7, u32 each (native order)
//   [32, 40)  total message length in bytes, u64
//   [40, 44)  bytes waiting in the block buffer, u32
//   [48, 112) the partial block
// No call allocates; the message schedule lives in locals only (the SIMD build: in WK).

import { sha256Blocks } from "./sha256_rounds";

export { sha256Blocks };

export const SHA256_CTX_SIZE: usize = 112;

const PAD: usize = memory.data(72);

// @ts-ignore: decorator
@inline export function bs0(x: u32): u32 {
  return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22);
}
// @ts-ignore: decorator
@inline export function bs1(x: u32): u32 {
  return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25);
}
// @ts-ignore: decorator
@inline export function ss0(x: u32): u32 {
  return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
}
// @ts-ignore: decorator
@inline export function ss1(x: u32): u32 {
  return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10);
}

// ---- The SIMD build: the message schedule four words at a time in v128 lanes ----

// W[t] + K[t] for the 64 rounds of one block (sha256_rounds.ts); wiped when sha256Blocks returns.
export const WK: usize = memory.data(256);

/** sigma0 of four words at once (§4.1.2 (4.6)). */
// @ts-ignore: decorator
@inline export function sig0(x: v128): v128 {
  return v128.xor(
    v128.xor(v128.xor(i32x4.shr_u(x, 7), i32x4.shl(x, 25)), v128.xor(i32x4.shr_u(x, 18), i32x4.shl(x, 14))),
    i32x4.shr_u(x, 3),
  );
}

/**
 * sigma1 (§4.1.2 (4.7)) of the words in lanes `i` and `j`, with each word doubled into a 64-bit lane
 * so that one 64-bit shift is a 32-bit rotation; the results land in the low half of each 64-bit lane.
 */
// @ts-ignore: decorator
@inline function sig1Pair(t: v128): v128 {
  return v128.xor(v128.xor(i64x2.shr_u(t, 17), i64x2.shr_u(t, 19)), i32x4.shr_u(t, 10));
}

/** sigma1 of lanes 2 and 3 of `x` (W[t-2], W[t-1]), into lanes 0 and 1; lanes 2 and 3 zero. */
// @ts-ignore: decorator
@inline export function sig1Lo(x: v128): v128 {
  const r = sig1Pair(i8x16.shuffle(x, x, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15));
  return i8x16.shuffle(r, i32x4.splat(0), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 16, 17, 18, 19);
}

/** sigma1 of lanes 0 and 1 of `x` (W[t], W[t+1]), into lanes 2 and 3; lanes 0 and 1 zero. */
// @ts-ignore: decorator
@inline export function sig1Hi(x: v128): v128 {
  const r = sig1Pair(i8x16.shuffle(x, x, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7));
  return i8x16.shuffle(i32x4.splat(0), r, 0, 1, 2, 3, 0, 1, 2, 3, 16, 17, 18, 19, 24, 25, 26, 27);
}

/** FIPS 180-4 §5.3.3 initial hash value. */
export function sha256Init(ctx: usize): void {
  store<u32>(ctx, 0x6a09e667, 0);
  store<u32>(ctx, 0xbb67ae85, 4);
  store<u32>(ctx, 0x3c6ef372, 8);
  store<u32>(ctx, 0xa54ff53a, 12);
  store<u32>(ctx, 0x510e527f, 16);
  store<u32>(ctx, 0x9b05688c, 20);
  store<u32>(ctx, 0x1f83d9ab, 24);
  store<u32>(ctx, 0x5be0cd19, 28);
  store<u64>(ctx, 0, 32);
  store<u32>(ctx, 0, 40);
}

export function sha256Update(ctx: usize, p: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(ctx, load<u64>(ctx, 32) + <u64>len, 32);
  const buf = ctx + 48;
  let n = <usize>load<u32>(ctx, 40);
  if (n) {
    const take = len < 64 - n ? len : 64 - n;
    memory.copy(buf + n, p, take);
    n += take;
    p += take;
    len -= take;
    if (n < 64) {
      store<u32>(ctx, <u32>n, 40);
      return;
    }
    sha256Blocks(ctx, buf, 1);
    n = 0;
  }
  const full = len >> 6;
  if (full) {
    sha256Blocks(ctx, p, full);
    p += full << 6;
    len &= 63;
  }
  if (len) memory.copy(buf, p, len);
  store<u32>(ctx, <u32>len, 40);
}

/** Shared by SHA-256 and the truncated SHA-224-style outputs: writes `words` big-endian words. */
export function sha256FinalN(ctx: usize, out: usize, words: usize): void {
  const bits = load<u64>(ctx, 32) << 3;
  const n = <usize>load<u32>(ctx, 40);
  // §5.1.1: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
  const padLen: usize = n < 56 ? 56 - n : 120 - n;
  store<u8>(PAD, 0x80);
  memory.fill(PAD + 1, 0, padLen - 1);
  store<u64>(PAD + padLen, bswap<u64>(bits));
  const total = load<u64>(ctx, 32);
  sha256Update(ctx, PAD, padLen + 8);
  store<u64>(ctx, total, 32);
  for (let i: usize = 0; i < words; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(ctx + (i << 2))));
  memory.fill(ctx, 0, SHA256_CTX_SIZE);
}

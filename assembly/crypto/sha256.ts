// SHA-256, FIPS 180-4 §6.2 (constants §4.2.2, initial hash value §5.3.3, padding §5.1.1).
//
// The context lives in caller-owned raw memory (SHA256_CTX_SIZE bytes):
//   [0, 32)   H0..H7, u32 each (native order)
//   [32, 40)  total message length in bytes, u64
//   [40, 44)  bytes waiting in the block buffer, u32
//   [48, 112) the partial block
// No call allocates. The message schedule lives in one static 256-byte scratch area, which is
// wiped after each block so no expanded message words stay behind.

export const SHA256_CTX_SIZE: usize = 112;
export const SHA256_BLOCK: usize = 64;
export const SHA256_LEN: usize = 32;

const K256: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W: usize = memory.data(256);
const PAD: usize = memory.data(72);

// @ts-ignore: decorator
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
// @ts-ignore: decorator
@inline function maj(x: u32, y: u32, z: u32): u32 { return (x & y) | (z & (x | y)); }
// @ts-ignore: decorator
@inline function bs0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline function bs1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function ss0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function ss1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }

/** Compresses `blocks` consecutive 64-byte blocks at `p` into the state at `h`. */
export function sha256Blocks(h: usize, p: usize, blocks: usize): void {
  let a = load<u32>(h, 0), b = load<u32>(h, 4), c = load<u32>(h, 8), d = load<u32>(h, 12);
  let e = load<u32>(h, 16), f = load<u32>(h, 20), g = load<u32>(h, 24), hh = load<u32>(h, 28);
  while (blocks--) {
    for (let i: usize = 0; i < 64; i += 4) store<u32>(W + i, bswap<u32>(load<u32>(p + i)));
    for (let i: usize = 64; i < 256; i += 4) {
      store<u32>(W + i, ss1(load<u32>(W + i - 8)) + load<u32>(W + i - 28) + ss0(load<u32>(W + i - 60)) + load<u32>(W + i - 64));
    }
    const a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = hh;
    // Eight rounds per iteration with the variables renamed instead of shifted (§6.2.2 step 3).
    for (let i: usize = 0; i < 256; i += 32) {
      const k = K256 + i, w = W + i;
      hh += bs1(e) + ch(e, f, g) + load<u32>(k, 0) + load<u32>(w, 0); d += hh; hh += bs0(a) + maj(a, b, c);
      g += bs1(d) + ch(d, e, f) + load<u32>(k, 4) + load<u32>(w, 4); c += g; g += bs0(hh) + maj(hh, a, b);
      f += bs1(c) + ch(c, d, e) + load<u32>(k, 8) + load<u32>(w, 8); b += f; f += bs0(g) + maj(g, hh, a);
      e += bs1(b) + ch(b, c, d) + load<u32>(k, 12) + load<u32>(w, 12); a += e; e += bs0(f) + maj(f, g, hh);
      d += bs1(a) + ch(a, b, c) + load<u32>(k, 16) + load<u32>(w, 16); hh += d; d += bs0(e) + maj(e, f, g);
      c += bs1(hh) + ch(hh, a, b) + load<u32>(k, 20) + load<u32>(w, 20); g += c; c += bs0(d) + maj(d, e, f);
      b += bs1(g) + ch(g, hh, a) + load<u32>(k, 24) + load<u32>(w, 24); f += b; b += bs0(c) + maj(c, d, e);
      a += bs1(f) + ch(f, g, hh) + load<u32>(k, 28) + load<u32>(w, 28); e += a; a += bs0(b) + maj(b, c, d);
    }
    a += a0; b += b0; c += c0; d += d0; e += e0; f += f0; g += g0; hh += h0;
    p += 64;
  }
  store<u32>(h, a, 0); store<u32>(h, b, 4); store<u32>(h, c, 8); store<u32>(h, d, 12);
  store<u32>(h, e, 16); store<u32>(h, f, 20); store<u32>(h, g, 24); store<u32>(h, hh, 28);
}

/** FIPS 180-4 §5.3.3 initial hash value. */
export function sha256Init(ctx: usize): void {
  store<u32>(ctx, 0x6a09e667, 0); store<u32>(ctx, 0xbb67ae85, 4);
  store<u32>(ctx, 0x3c6ef372, 8); store<u32>(ctx, 0xa54ff53a, 12);
  store<u32>(ctx, 0x510e527f, 16); store<u32>(ctx, 0x9b05688c, 20);
  store<u32>(ctx, 0x1f83d9ab, 24); store<u32>(ctx, 0x5be0cd19, 28);
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
    n += take; p += take; len -= take;
    if (n < 64) { store<u32>(ctx, <u32>n, 40); return; }
    sha256Blocks(ctx, buf, 1);
    n = 0;
  }
  const full = len >> 6;
  if (full) { sha256Blocks(ctx, p, full); p += full << 6; len &= 63; }
  if (len) memory.copy(buf, p, len);
  store<u32>(ctx, <u32>len, 40);
}

/** Writes the 32-byte digest to `out` and wipes the context. */
export function sha256Final(ctx: usize, out: usize): void {
  sha256FinalN(ctx, out, 8);
}

/** Shared by SHA-256 and the truncated SHA-224-style outputs: writes `words` big-endian words. */
export function sha256FinalN(ctx: usize, out: usize, words: usize): void {
  const bits = load<u64>(ctx, 32) << 3;
  const n = <usize>load<u32>(ctx, 40);
  // §5.1.1: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
  const padLen: usize = (n < 56 ? 56 - n : 120 - n);
  store<u8>(PAD, 0x80);
  memory.fill(PAD + 1, 0, padLen - 1);
  store<u64>(PAD + padLen, bswap<u64>(bits));
  const total = load<u64>(ctx, 32);
  sha256Update(ctx, PAD, padLen + 8);
  store<u64>(ctx, total, 32);
  for (let i: usize = 0; i < words; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(ctx + (i << 2))));
  memory.fill(ctx, 0, SHA256_CTX_SIZE);
  memory.fill(W, 0, 256);
}

const ONESHOT: usize = memory.data(<i32>SHA256_CTX_SIZE);

/** One-shot SHA-256 of `len` bytes at `p` into 32 bytes at `out` (out may alias the input). */
export function sha256(p: usize, len: usize, out: usize): void {
  sha256Init(ONESHOT);
  sha256Update(ONESHOT, p, len);
  sha256Final(ONESHOT, out);
}

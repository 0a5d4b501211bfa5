// SHA-512 and SHA-384, FIPS 180-4 §6.4 and §6.5 (constants §4.2.3, initial values §5.3.4, §5.3.5,
// padding §5.1.2).
//
// The context lives in caller-owned raw memory (SHA512_CTX_SIZE bytes):
//   [0, 64)    H0..H7, u64 each (native order)
//   [64, 72)   total message length in bytes, u64 (inputs are far below 2^61 bytes)
//   [72, 76)   bytes waiting in the block buffer, u32
//   [80, 208)  the partial block
// SHA-384 is SHA-512 with other initial values, truncated to six words.

export const SHA512_CTX_SIZE: usize = 208;

const K512: usize = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);

const W: usize = memory.data(640);
const PAD: usize = memory.data(144);

// @ts-ignore: decorator
@inline function ch(x: u64, y: u64, z: u64): u64 {
  return z ^ (x & (y ^ z));
}
// @ts-ignore: decorator
@inline function maj(x: u64, y: u64, z: u64): u64 {
  return (x & y) | (z & (x | y));
}
// @ts-ignore: decorator
@inline function bs0(x: u64): u64 {
  return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39);
}
// @ts-ignore: decorator
@inline function bs1(x: u64): u64 {
  return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41);
}
// @ts-ignore: decorator
@inline function ss0(x: u64): u64 {
  return rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >> 7);
}
// @ts-ignore: decorator
@inline function ss1(x: u64): u64 {
  return rotr<u64>(x, 19) ^ rotr<u64>(x, 61) ^ (x >> 6);
}

/** Compresses `blocks` consecutive 128-byte blocks at `p` into the state at `h`. */
function sha512Blocks(h: usize, p: usize, blocks: usize): void {
  let a = load<u64>(h, 0),
    b = load<u64>(h, 8),
    c = load<u64>(h, 16),
    d = load<u64>(h, 24);
  let e = load<u64>(h, 32),
    f = load<u64>(h, 40),
    g = load<u64>(h, 48),
    hh = load<u64>(h, 56);
  while (blocks--) {
    for (let i: usize = 0; i < 128; i += 8) store<u64>(W + i, bswap<u64>(load<u64>(p + i)));
    for (let i: usize = 128; i < 640; i += 8) {
      store<u64>(
        W + i,
        ss1(load<u64>(W + i - 16)) +
          load<u64>(W + i - 56) +
          ss0(load<u64>(W + i - 120)) +
          load<u64>(W + i - 128),
      );
    }
    const a0 = a,
      b0 = b,
      c0 = c,
      d0 = d,
      e0 = e,
      f0 = f,
      g0 = g,
      h0 = hh;
    // Eight rounds per iteration with the variables renamed instead of shifted (§6.4.2 step 3).
    for (let i: usize = 0; i < 640; i += 64) {
      const k = K512 + i,
        w = W + i;
      hh += bs1(e) + ch(e, f, g) + load<u64>(k, 0) + load<u64>(w, 0);
      d += hh;
      hh += bs0(a) + maj(a, b, c);
      g += bs1(d) + ch(d, e, f) + load<u64>(k, 8) + load<u64>(w, 8);
      c += g;
      g += bs0(hh) + maj(hh, a, b);
      f += bs1(c) + ch(c, d, e) + load<u64>(k, 16) + load<u64>(w, 16);
      b += f;
      f += bs0(g) + maj(g, hh, a);
      e += bs1(b) + ch(b, c, d) + load<u64>(k, 24) + load<u64>(w, 24);
      a += e;
      e += bs0(f) + maj(f, g, hh);
      d += bs1(a) + ch(a, b, c) + load<u64>(k, 32) + load<u64>(w, 32);
      hh += d;
      d += bs0(e) + maj(e, f, g);
      c += bs1(hh) + ch(hh, a, b) + load<u64>(k, 40) + load<u64>(w, 40);
      g += c;
      c += bs0(d) + maj(d, e, f);
      b += bs1(g) + ch(g, hh, a) + load<u64>(k, 48) + load<u64>(w, 48);
      f += b;
      b += bs0(c) + maj(c, d, e);
      a += bs1(f) + ch(f, g, hh) + load<u64>(k, 56) + load<u64>(w, 56);
      e += a;
      a += bs0(b) + maj(b, c, d);
    }
    a += a0;
    b += b0;
    c += c0;
    d += d0;
    e += e0;
    f += f0;
    g += g0;
    hh += h0;
    p += 128;
  }
  store<u64>(h, a, 0);
  store<u64>(h, b, 8);
  store<u64>(h, c, 16);
  store<u64>(h, d, 24);
  store<u64>(h, e, 32);
  store<u64>(h, f, 40);
  store<u64>(h, g, 48);
  store<u64>(h, hh, 56);
}

function setState(ctx: usize, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64): void {
  store<u64>(ctx, a, 0);
  store<u64>(ctx, b, 8);
  store<u64>(ctx, c, 16);
  store<u64>(ctx, d, 24);
  store<u64>(ctx, e, 32);
  store<u64>(ctx, f, 40);
  store<u64>(ctx, g, 48);
  store<u64>(ctx, h, 56);
  store<u64>(ctx, 0, 64);
  store<u32>(ctx, 0, 72);
}

/** FIPS 180-4 §5.3.5 initial hash value. */
export function sha512Init(ctx: usize): void {
  setState(
    ctx,
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
  );
}

/** FIPS 180-4 §5.3.4 initial hash value. */
export function sha384Init(ctx: usize): void {
  setState(
    ctx,
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
  );
}

export function sha512Update(ctx: usize, p: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(ctx, load<u64>(ctx, 64) + <u64>len, 64);
  const buf = ctx + 80;
  let n = <usize>load<u32>(ctx, 72);
  if (n) {
    const take = len < 128 - n ? len : 128 - n;
    memory.copy(buf + n, p, take);
    n += take;
    p += take;
    len -= take;
    if (n < 128) {
      store<u32>(ctx, <u32>n, 72);
      return;
    }
    sha512Blocks(ctx, buf, 1);
  }
  const full = len >> 7;
  if (full) {
    sha512Blocks(ctx, p, full);
    p += full << 7;
    len &= 127;
  }
  if (len) memory.copy(buf, p, len);
  store<u32>(ctx, <u32>len, 72);
}

/** Writes `words` big-endian 64-bit words of the digest (8: SHA-512, 6: SHA-384) and wipes. */
export function sha512FinalN(ctx: usize, out: usize, words: usize): void {
  const total = load<u64>(ctx, 64);
  const n = <usize>load<u32>(ctx, 72);
  // §5.1.2: 0x80, zeros to 112 mod 128, then the 128-bit big-endian bit length.
  const padLen: usize = n < 112 ? 112 - n : 240 - n;
  store<u8>(PAD, 0x80);
  memory.fill(PAD + 1, 0, padLen - 1);
  store<u64>(PAD + padLen, bswap<u64>(total >> 61));
  store<u64>(PAD + padLen + 8, bswap<u64>(total << 3));
  sha512Update(ctx, PAD, padLen + 16);
  for (let i: usize = 0; i < words; i++) store<u64>(out + (i << 3), bswap<u64>(load<u64>(ctx + (i << 3))));
  memory.fill(ctx, 0, SHA512_CTX_SIZE);
  memory.fill(W, 0, 640);
}

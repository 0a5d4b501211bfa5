// X25519, RFC 7748 §5 (the function, decoding and clamping) with the Montgomery ladder of §5 in
// constant time: the same operations for every scalar, conditional swaps done with masks.
//
// Field elements of GF(2^255 - 19) are ten signed 64-bit limbs in radix 2^25.5 (26, 25, 26, ... bits),
// so that every product of two limbs, times 38 at most, sums ten to a value below 2^63. Elements
// live in static memory (80 bytes each); nothing is allocated. The SIMD build runs the ladder in
// x25519_simd.ts instead (the same limbs, vector and integer units side by side) and comes back
// here for the inversion.

import { x25519LadderSimd } from "./x25519_simd";

const FE: usize = 80;
// ladder registers and temporaries, one static block so one fill wipes them all
const REGS: usize = memory.data(16 * 80);
const X1: usize = REGS + 0;
const X2: usize = REGS + 80;
const Z2: usize = REGS + 160;
const X3: usize = REGS + 240;
const Z3: usize = REGS + 320;
const A: usize = REGS + 400;
const AA: usize = REGS + 480;
const B: usize = REGS + 560;
const BB: usize = REGS + 640;
const E: usize = REGS + 720;
const C: usize = REGS + 800;
const D: usize = REGS + 880;
const DA: usize = REGS + 960;
const CB: usize = REGS + 1040;
const T: usize = REGS + 1120;
const INV: usize = REGS + 1200;
const K: usize = memory.data(32);
const BUF: usize = memory.data(40);

// @ts-ignore: decorator
@inline function limb(f: usize, i: usize): i64 {
  return load<i64>(f + (i << 3));
}

function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, FE);
}
function feSet(h: usize, v: i64): void {
  memory.fill(h, 0, FE);
  store<i64>(h, v);
}

function feAdd(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < FE; i += 8) store<i64>(h + i, load<i64>(f + i) + load<i64>(g + i));
}

function feSub(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < FE; i += 8) store<i64>(h + i, load<i64>(f + i) - load<i64>(g + i));
}

/** Carries ten raw limbs into range (limb i below 2^26 or 2^25, limb 1 slightly above) and stores them. */
// @ts-ignore: decorator
@inline function carryStore(
  h: usize,
  h0: i64,
  h1: i64,
  h2: i64,
  h3: i64,
  h4: i64,
  h5: i64,
  h6: i64,
  h7: i64,
  h8: i64,
  h9: i64,
): void {
  let c: i64;
  c = h0 >> 26;
  h1 += c;
  h0 -= c << 26;
  c = h1 >> 25;
  h2 += c;
  h1 -= c << 25;
  c = h2 >> 26;
  h3 += c;
  h2 -= c << 26;
  c = h3 >> 25;
  h4 += c;
  h3 -= c << 25;
  c = h4 >> 26;
  h5 += c;
  h4 -= c << 26;
  c = h5 >> 25;
  h6 += c;
  h5 -= c << 25;
  c = h6 >> 26;
  h7 += c;
  h6 -= c << 26;
  c = h7 >> 25;
  h8 += c;
  h7 -= c << 25;
  c = h8 >> 26;
  h9 += c;
  h8 -= c << 26;
  c = h9 >> 25;
  h0 += c * 19;
  h9 -= c << 25;
  c = h0 >> 26;
  h1 += c;
  h0 -= c << 26;
  store<i64>(h, h0, 0);
  store<i64>(h, h1, 8);
  store<i64>(h, h2, 16);
  store<i64>(h, h3, 24);
  store<i64>(h, h4, 32);
  store<i64>(h, h5, 40);
  store<i64>(h, h6, 48);
  store<i64>(h, h7, 56);
  store<i64>(h, h8, 64);
  store<i64>(h, h9, 72);
}

/**
 * carryStore with two interleaved carry chains (0→1→2→3→4 beside 4→5→6→7→8→9→0→1), which halves
 * the dependent latency. Limbs 1 and 5 may end one above their width: fine for every product and
 * sum below, not for packing (feToBytes uses carryStore).
 */
// @ts-ignore: decorator
@inline function carryStore2(
  h: usize,
  h0: i64,
  h1: i64,
  h2: i64,
  h3: i64,
  h4: i64,
  h5: i64,
  h6: i64,
  h7: i64,
  h8: i64,
  h9: i64,
): void {
  let c: i64, d: i64;
  c = h0 >> 26;
  h1 += c;
  h0 -= c << 26;
  d = h4 >> 26;
  h5 += d;
  h4 -= d << 26;
  c = h1 >> 25;
  h2 += c;
  h1 -= c << 25;
  d = h5 >> 25;
  h6 += d;
  h5 -= d << 25;
  c = h2 >> 26;
  h3 += c;
  h2 -= c << 26;
  d = h6 >> 26;
  h7 += d;
  h6 -= d << 26;
  c = h3 >> 25;
  h4 += c;
  h3 -= c << 25;
  d = h7 >> 25;
  h8 += d;
  h7 -= d << 25;
  c = h4 >> 26;
  h5 += c;
  h4 -= c << 26;
  d = h8 >> 26;
  h9 += d;
  h8 -= d << 26;
  d = h9 >> 25;
  h0 += d * 19;
  h9 -= d << 25;
  c = h0 >> 26;
  h1 += c;
  h0 -= c << 26;
  store<i64>(h, h0, 0);
  store<i64>(h, h1, 8);
  store<i64>(h, h2, 16);
  store<i64>(h, h3, 24);
  store<i64>(h, h4, 32);
  store<i64>(h, h5, 40);
  store<i64>(h, h6, 48);
  store<i64>(h, h7, 56);
  store<i64>(h, h8, 64);
  store<i64>(h, h9, 72);
}

/** h = f * g (h may alias f or g). */
function feMul(h: usize, f: usize, g: usize): void {
  const f0 = limb(f, 0),
    f1 = limb(f, 1),
    f2 = limb(f, 2),
    f3 = limb(f, 3),
    f4 = limb(f, 4);
  const f5 = limb(f, 5),
    f6 = limb(f, 6),
    f7 = limb(f, 7),
    f8 = limb(f, 8),
    f9 = limb(f, 9);
  const g0 = limb(g, 0),
    g1 = limb(g, 1),
    g2 = limb(g, 2),
    g3 = limb(g, 3),
    g4 = limb(g, 4);
  const g5 = limb(g, 5),
    g6 = limb(g, 6),
    g7 = limb(g, 7),
    g8 = limb(g, 8),
    g9 = limb(g, 9);
  // odd limbs times odd limbs carry an extra factor 2; wrapped terms (2^255 = 19) a factor 19
  const f1_2 = f1 << 1,
    f3_2 = f3 << 1,
    f5_2 = f5 << 1,
    f7_2 = f7 << 1,
    f9_2 = f9 << 1;
  const g1_19 = g1 * 19,
    g2_19 = g2 * 19,
    g3_19 = g3 * 19,
    g4_19 = g4 * 19,
    g5_19 = g5 * 19;
  const g6_19 = g6 * 19,
    g7_19 = g7 * 19,
    g8_19 = g8 * 19,
    g9_19 = g9 * 19;
  const h0 =
    f0 * g0 +
    f1_2 * g9_19 +
    f2 * g8_19 +
    f3_2 * g7_19 +
    f4 * g6_19 +
    f5_2 * g5_19 +
    f6 * g4_19 +
    f7_2 * g3_19 +
    f8 * g2_19 +
    f9_2 * g1_19;
  const h1 =
    f0 * g1 +
    f1 * g0 +
    f2 * g9_19 +
    f3 * g8_19 +
    f4 * g7_19 +
    f5 * g6_19 +
    f6 * g5_19 +
    f7 * g4_19 +
    f8 * g3_19 +
    f9 * g2_19;
  const h2 =
    f0 * g2 +
    f1_2 * g1 +
    f2 * g0 +
    f3_2 * g9_19 +
    f4 * g8_19 +
    f5_2 * g7_19 +
    f6 * g6_19 +
    f7_2 * g5_19 +
    f8 * g4_19 +
    f9_2 * g3_19;
  const h3 =
    f0 * g3 +
    f1 * g2 +
    f2 * g1 +
    f3 * g0 +
    f4 * g9_19 +
    f5 * g8_19 +
    f6 * g7_19 +
    f7 * g6_19 +
    f8 * g5_19 +
    f9 * g4_19;
  const h4 =
    f0 * g4 +
    f1_2 * g3 +
    f2 * g2 +
    f3_2 * g1 +
    f4 * g0 +
    f5_2 * g9_19 +
    f6 * g8_19 +
    f7_2 * g7_19 +
    f8 * g6_19 +
    f9_2 * g5_19;
  const h5 =
    f0 * g5 +
    f1 * g4 +
    f2 * g3 +
    f3 * g2 +
    f4 * g1 +
    f5 * g0 +
    f6 * g9_19 +
    f7 * g8_19 +
    f8 * g7_19 +
    f9 * g6_19;
  const h6 =
    f0 * g6 +
    f1_2 * g5 +
    f2 * g4 +
    f3_2 * g3 +
    f4 * g2 +
    f5_2 * g1 +
    f6 * g0 +
    f7_2 * g9_19 +
    f8 * g8_19 +
    f9_2 * g7_19;
  const h7 =
    f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  const h8 =
    f0 * g8 +
    f1_2 * g7 +
    f2 * g6 +
    f3_2 * g5 +
    f4 * g4 +
    f5_2 * g3 +
    f6 * g2 +
    f7_2 * g1 +
    f8 * g0 +
    f9_2 * g9_19;
  const h9 =
    f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carryStore2(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^2 (h may alias f): the products of feMul with each symmetric pair counted once, doubled. */
function feSq(h: usize, f: usize): void {
  const f0 = limb(f, 0),
    f1 = limb(f, 1),
    f2 = limb(f, 2),
    f3 = limb(f, 3),
    f4 = limb(f, 4);
  const f5 = limb(f, 5),
    f6 = limb(f, 6),
    f7 = limb(f, 7),
    f8 = limb(f, 8),
    f9 = limb(f, 9);
  const f0_2 = f0 * 2;
  const f1_2 = f1 * 2,
    f1_4 = f1 * 4,
    f1_76 = f1 * 76;
  const f2_2 = f2 * 2,
    f2_38 = f2 * 38;
  const f3_2 = f3 * 2,
    f3_4 = f3 * 4,
    f3_38 = f3 * 38,
    f3_76 = f3 * 76;
  const f4_2 = f4 * 2,
    f4_38 = f4 * 38;
  const f5_38 = f5 * 38,
    f5_76 = f5 * 76;
  const f6_19 = f6 * 19,
    f6_38 = f6 * 38;
  const f7_38 = f7 * 38,
    f7_76 = f7 * 76;
  const f8_19 = f8 * 19,
    f8_38 = f8 * 38;
  const f9_38 = f9 * 38;
  const h0 = f0 * f0 + f1_76 * f9 + f2_38 * f8 + f3_76 * f7 + f4_38 * f6 + f5_38 * f5;
  const h1 = f0_2 * f1 + f2_38 * f9 + f3_38 * f8 + f4_38 * f7 + f5_38 * f6;
  const h2 = f0_2 * f2 + f1_2 * f1 + f3_76 * f9 + f4_38 * f8 + f5_76 * f7 + f6_19 * f6;
  const h3 = f0_2 * f3 + f1_2 * f2 + f4_38 * f9 + f5_38 * f8 + f6_38 * f7;
  const h4 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_76 * f9 + f6_38 * f8 + f7_38 * f7;
  const h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_38 * f9 + f7_38 * f8;
  const h6 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_76 * f9 + f8_19 * f8;
  const h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_38 * f9;
  const h8 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_38 * f9;
  const h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  carryStore2(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f * 121665 ((A - 2) / 4 for curve25519, §5). */
function feMulA24(h: usize, f: usize): void {
  carryStore2(
    h,
    limb(f, 0) * 121665,
    limb(f, 1) * 121665,
    limb(f, 2) * 121665,
    limb(f, 3) * 121665,
    limb(f, 4) * 121665,
    limb(f, 5) * 121665,
    limb(f, 6) * 121665,
    limb(f, 7) * 121665,
    limb(f, 8) * 121665,
    limb(f, 9) * 121665,
  );
}

/** Swaps f and g when bit is 1, without a branch. */
function feCswap(f: usize, g: usize, bit: u32): void {
  const m: i64 = 0 - <i64>bit;
  for (let i: usize = 0; i < FE; i += 8) {
    const a = load<i64>(f + i),
      b = load<i64>(g + i);
    const t = (a ^ b) & m;
    store<i64>(f + i, a ^ t);
    store<i64>(g + i, b ^ t);
  }
}

const SHIFT: usize = memory.data<u8>([0, 26, 51, 77, 102, 128, 153, 179, 204, 230]);

/** §5 decodeUCoordinate: 32 little-endian bytes, the top bit masked off (values >= p are kept as is). */
function feFromBytes(h: usize, s: usize): void {
  memory.copy(BUF, s, 32);
  memory.fill(BUF + 32, 0, 8);
  store<u8>(BUF + 31, load<u8>(BUF + 31) & 0x7f);
  for (let i: usize = 0; i < 10; i++) {
    const sh = <usize>load<u8>(SHIFT + i);
    const w: u64 = i & 1 ? 0x1ffffff : 0x3ffffff;
    store<i64>(h + (i << 3), <i64>((load<u64>(BUF + (sh >> 3)) >> u64(sh & 7)) & w));
  }
  memory.fill(BUF, 0, 40);
}

/** Writes the unique representative in [0, p) as 32 little-endian bytes. */
function feToBytes(s: usize, f: usize): void {
  let h0 = limb(f, 0),
    h9 = limb(f, 9);
  const h1 = limb(f, 1),
    h2 = limb(f, 2),
    h3 = limb(f, 3),
    h4 = limb(f, 4);
  const h5 = limb(f, 5),
    h6 = limb(f, 6),
    h7 = limb(f, 7),
    h8 = limb(f, 8);
  // q = 1 exactly when the value (limbs in range) is >= p: the carry out of value + 19.
  let q: i64 = (19 * h9 + (1 << 24)) >> 25;
  q = (h0 + q) >> 26;
  q = (h1 + q) >> 25;
  q = (h2 + q) >> 26;
  q = (h3 + q) >> 25;
  q = (h4 + q) >> 26;
  q = (h5 + q) >> 25;
  q = (h6 + q) >> 26;
  q = (h7 + q) >> 25;
  q = (h8 + q) >> 26;
  q = (h9 + q) >> 25;
  // subtract q * p: add 19q at the bottom, remove q * 2^255 at the top; the value is then in
  // [0, p), so the carry pass below ends with no carry out of the top limb.
  h0 += 19 * q;
  h9 -= q << 25;
  const limbs = T;
  carryStore(limbs, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  // pack 255 bits
  memory.fill(BUF, 0, 40);
  for (let i: usize = 0; i < 10; i++) {
    const sh = <usize>load<u8>(SHIFT + i);
    const p = BUF + (sh >> 3);
    store<u64>(p, load<u64>(p) | ((<u64>load<i64>(limbs + (i << 3))) << u64(sh & 7)));
  }
  memory.copy(s, BUF, 32);
  memory.fill(BUF, 0, 40);
}

/** h = f^(2^n) (h may alias f), n >= 1. */
function feSqN(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

/**
 * h = f^(p - 2) = 1/f (Fermat) over the public exponent 2^255 - 21, with the usual addition chain
 * for it: 254 squarings and 11 multiplications (square-and-multiply bit by bit took 250).
 */
function feInvert(h: usize, f: usize): void {
  const z2 = A,
    z9 = AA,
    z11 = B,
    z5 = BB,
    z10 = E,
    z20 = C,
    z50 = D,
    z100 = DA,
    t = INV;
  feSq(z2, f); // 2
  feSqN(t, z2, 2); // 8
  feMul(z9, t, f); // 9
  feMul(z11, z9, z2); // 11
  feSq(t, z11); // 22
  feMul(z5, t, z9); // 2^5 - 1
  feSqN(t, z5, 5);
  feMul(z10, t, z5); // 2^10 - 1
  feSqN(t, z10, 10);
  feMul(z20, t, z10); // 2^20 - 1
  feSqN(t, z20, 20);
  feMul(t, t, z20); // 2^40 - 1
  feSqN(t, t, 10);
  feMul(z50, t, z10); // 2^50 - 1
  feSqN(t, z50, 50);
  feMul(z100, t, z50); // 2^100 - 1
  feSqN(t, z100, 100);
  feMul(t, t, z100); // 2^200 - 1
  feSqN(t, t, 50);
  feMul(t, t, z50); // 2^250 - 1
  feSqN(t, t, 5); // 2^255 - 2^5
  feMul(h, t, z11); // 2^255 - 21
}

/** The ladder of §5 on ten-limb elements: leaves x_2 and z_2 in X2 and Z2. */
function ladder(u: usize): void {
  feFromBytes(X1, u);
  feSet(X2, 1);
  feSet(Z2, 0);
  feCopy(X3, X1);
  feSet(Z3, 1);
  let swap: u32 = 0;
  for (let t = 254; t >= 0; t--) {
    const kt = ((<u32>load<u8>(K + ((<usize>t) >> 3))) >> ((<u32>t) & 7)) & 1;
    swap ^= kt;
    feCswap(X2, X3, swap);
    feCswap(Z2, Z3, swap);
    swap = kt;
    feAdd(A, X2, Z2);
    feSq(AA, A);
    feSub(B, X2, Z2);
    feSq(BB, B);
    feSub(E, AA, BB);
    feAdd(C, X3, Z3);
    feSub(D, X3, Z3);
    feMul(DA, D, A);
    feMul(CB, C, B);
    feAdd(T, DA, CB);
    feSq(X3, T);
    feSub(T, DA, CB);
    feSq(T, T);
    feMul(Z3, X1, T);
    feMul(X2, AA, BB);
    feMulA24(T, E);
    feAdd(T, AA, T);
    feMul(Z2, E, T);
  }
  feCswap(X2, X3, swap);
  feCswap(Z2, Z3, swap);
}

/**
 * X25519(k, u) of §5: writes 32 bytes to `out`. Returns false when the result is all zeros
 * (u of small order), which RFC 7748 §6.1 / RFC 8446 §7.4.2 require callers to reject.
 */
export function x25519(out: usize, scalar: usize, u: usize): bool {
  // decodeScalar25519: clamp
  memory.copy(K, scalar, 32);
  store<u8>(K, load<u8>(K) & 248);
  store<u8>(K + 31, (load<u8>(K + 31) & 127) | 64);
  if (ASC_FEATURE_SIMD) {
    feFromBytes(X1, u);
    x25519LadderSimd(K, X1, X2, Z2);
  } else ladder(u);
  feInvert(Z2, Z2);
  feMul(X2, X2, Z2);
  feToBytes(out, X2);
  // wipe every register and the scalar
  memory.fill(REGS, 0, 16 * FE);
  memory.fill(K, 0, 32);
  let z: u32 = 0;
  for (let i: usize = 0; i < 32; i++) z |= <u32>load<u8>(out + i);
  return z != 0;
}

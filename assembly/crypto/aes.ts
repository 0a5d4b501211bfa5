// AES-128 and AES-256 block cipher, FIPS 197 (§5.1 cipher, §5.2 key expansion, §5.3 inverse cipher),
// bitsliced so that no memory access and no branch depends on a secret: constant time.
//
// Four blocks are processed at once in eight 64-bit words ("slices"): slice b holds bit b of each
// of the 64 state bytes. Byte (row r, column c) of block k sits at bit r*16 + c*4 + k, so
//   ShiftRows   is a rotation of each row's 16-bit lane by 4*r bits,
//   MixColumns  uses whole-word rotations by 16 (the next row) and 32 bits,
//   SubBytes    is the Boyar-Peralta circuit of 113 XOR/AND/XNOR gates over the slices; the inverse
//               S-box is that circuit between two inverse affine maps (InvAffine . S . InvAffine).
// Conversion to and from slices is a byte permutation (public table) and 8x8 bit transposes.
//
// Key context (AES_CTX_SIZE bytes of caller memory): [rounds u32][pad 4][(rounds+1) x 64 bytes of
// round keys, already in sliced form, replicated over the four lanes].

import { ctEqual } from "../util/bytes";

export const AES_CTX_SIZE: usize = 8 + 15 * 64;
export const AES_BLOCK: usize = 16;

// Bit position -> byte offset in the four input blocks: pos = row*16 + col*4 + blk.
const PERM: usize = memory.data<u8>([
  0, 16, 32, 48, 4, 20, 36, 52, 8, 24, 40, 56, 12, 28, 44, 60, 1, 17, 33, 49, 5, 21, 37, 53, 9, 25, 41, 57,
  13, 29, 45, 61, 2, 18, 34, 50, 6, 22, 38, 54, 10, 26, 42, 58, 14, 30, 46, 62, 3, 19, 35, 51, 7, 23, 39, 55,
  11, 27, 43, 59, 15, 31, 47, 63,
]);

const GATHER: usize = memory.data(64);
const SL: usize = memory.data(64); // the state: 8 slices
const KEYW: usize = memory.data(240); // expanded key, scalar form, wiped after use
const SW: usize = memory.data(64); // SubWord scratch slices

/** Transposes the 8x8 bit matrix whose rows are the bytes of x (an involution). */
// @ts-ignore: decorator
@inline function transpose8(x: u64): u64 {
  let t = (x ^ (x >> 7)) & 0x00aa00aa00aa00aa;
  x ^= t ^ (t << 7);
  t = (x ^ (x >> 14)) & 0x0000cccc0000cccc;
  x ^= t ^ (t << 14);
  t = (x ^ (x >> 28)) & 0x00000000f0f0f0f0;
  x ^= t ^ (t << 28);
  return x;
}

/** Loads 64 bytes (four blocks) at `src` into slices at `s`. */
export function slice(src: usize, s: usize): void {
  for (let i: usize = 0; i < 64; i++) store<u8>(GATHER + i, load<u8>(src + <usize>load<u8>(PERM + i)));
  let s0: u64 = 0,
    s1: u64 = 0,
    s2: u64 = 0,
    s3: u64 = 0,
    s4: u64 = 0,
    s5: u64 = 0,
    s6: u64 = 0,
    s7: u64 = 0;
  for (let g: usize = 0; g < 8; g++) {
    const t = transpose8(load<u64>(GATHER + (g << 3)));
    const sh = <u64>(g << 3);
    s0 |= (t & 0xff) << sh;
    s1 |= ((t >> 8) & 0xff) << sh;
    s2 |= ((t >> 16) & 0xff) << sh;
    s3 |= ((t >> 24) & 0xff) << sh;
    s4 |= ((t >> 32) & 0xff) << sh;
    s5 |= ((t >> 40) & 0xff) << sh;
    s6 |= ((t >> 48) & 0xff) << sh;
    s7 |= (t >> 56) << sh;
  }
  store<u64>(s, s0, 0);
  store<u64>(s, s1, 8);
  store<u64>(s, s2, 16);
  store<u64>(s, s3, 24);
  store<u64>(s, s4, 32);
  store<u64>(s, s5, 40);
  store<u64>(s, s6, 48);
  store<u64>(s, s7, 56);
}

/** Stores the slices at `s` as 64 bytes (four blocks) at `dst`. */
export function unslice(s: usize, dst: usize): void {
  const s0 = load<u64>(s, 0),
    s1 = load<u64>(s, 8),
    s2 = load<u64>(s, 16),
    s3 = load<u64>(s, 24);
  const s4 = load<u64>(s, 32),
    s5 = load<u64>(s, 40),
    s6 = load<u64>(s, 48),
    s7 = load<u64>(s, 56);
  for (let g: usize = 0; g < 8; g++) {
    const sh = <u64>(g << 3);
    const x =
      ((s0 >> sh) & 0xff) |
      (((s1 >> sh) & 0xff) << 8) |
      (((s2 >> sh) & 0xff) << 16) |
      (((s3 >> sh) & 0xff) << 24) |
      (((s4 >> sh) & 0xff) << 32) |
      (((s5 >> sh) & 0xff) << 40) |
      (((s6 >> sh) & 0xff) << 48) |
      (((s7 >> sh) & 0xff) << 56);
    store<u64>(GATHER + (g << 3), transpose8(x));
  }
  for (let i: usize = 0; i < 64; i++) store<u8>(dst + <usize>load<u8>(PERM + i), load<u8>(GATHER + i));
}

/**
 * The AES S-box on eight slices at `s` (slice b = bit b), as the Boyar-Peralta circuit
 * ("A depth-16 circuit for the AES S-box", 2011 / "A new combinational logic minimization
 * technique", 2009). In the circuit's naming U0 is the most significant bit.
 */
export function sbox(s: usize): void {
  const x0 = load<u64>(s, 56),
    x1 = load<u64>(s, 48),
    x2 = load<u64>(s, 40),
    x3 = load<u64>(s, 32);
  const x4 = load<u64>(s, 24),
    x5 = load<u64>(s, 16),
    x6 = load<u64>(s, 8),
    x7 = load<u64>(s, 0);
  // top linear transformation
  const y14 = x3 ^ x5,
    y13 = x0 ^ x6,
    y9 = x0 ^ x3,
    y8 = x0 ^ x5,
    t0 = x1 ^ x2;
  const y1 = t0 ^ x7,
    y4 = y1 ^ x3,
    y12 = y13 ^ y14,
    y2 = y1 ^ x0,
    y5 = y1 ^ x6;
  const y3 = y5 ^ y8,
    t1 = x4 ^ y12,
    y15 = t1 ^ x5,
    y20 = t1 ^ x1,
    y6 = y15 ^ x7;
  const y10 = y15 ^ t0,
    y11 = y20 ^ y9,
    y7 = x7 ^ y11,
    y17 = y10 ^ y11,
    y19 = y10 ^ y8;
  const y16 = t0 ^ y11,
    y21 = y13 ^ y16,
    y18 = x0 ^ y16;
  // shared non-linear middle
  const t2 = y12 & y15,
    t3 = y3 & y6,
    t4 = t3 ^ t2,
    t5 = y4 & x7,
    t6 = t5 ^ t2;
  const t7 = y13 & y16,
    t8 = y5 & y1,
    t9 = t8 ^ t7,
    t10 = y2 & y7,
    t11 = t10 ^ t7;
  const t12 = y9 & y11,
    t13 = y14 & y17,
    t14 = t13 ^ t12,
    t15 = y8 & y10,
    t16 = t15 ^ t12;
  const t17 = t4 ^ t14,
    t18 = t6 ^ t16,
    t19 = t9 ^ t14,
    t20 = t11 ^ t16;
  const t21 = t17 ^ y20,
    t22 = t18 ^ y19,
    t23 = t19 ^ y21,
    t24 = t20 ^ y18;
  const t25 = t21 ^ t22,
    t26 = t21 & t23,
    t27 = t24 ^ t26,
    t28 = t25 & t27,
    t29 = t28 ^ t22;
  const t30 = t23 ^ t24,
    t31 = t22 ^ t26,
    t32 = t31 & t30,
    t33 = t32 ^ t24,
    t34 = t23 ^ t33;
  const t35 = t27 ^ t33,
    t36 = t24 & t35,
    t37 = t36 ^ t34,
    t38 = t27 ^ t36,
    t39 = t29 & t38;
  const t40 = t25 ^ t39,
    t41 = t40 ^ t37,
    t42 = t29 ^ t33,
    t43 = t29 ^ t40,
    t44 = t33 ^ t37;
  const t45 = t42 ^ t41;
  const z0 = t44 & y15,
    z1 = t37 & y6,
    z2 = t33 & x7,
    z3 = t43 & y16,
    z4 = t40 & y1;
  const z5 = t29 & y7,
    z6 = t42 & y11,
    z7 = t45 & y17,
    z8 = t41 & y10,
    z9 = t44 & y12;
  const z10 = t37 & y3,
    z11 = t33 & y4,
    z12 = t43 & y13,
    z13 = t40 & y5,
    z14 = t29 & y2;
  const z15 = t42 & y9,
    z16 = t45 & y14,
    z17 = t41 & y8;
  // bottom linear transformation
  const t46 = z15 ^ z16,
    t47 = z10 ^ z11,
    t48 = z5 ^ z13,
    t49 = z9 ^ z10,
    t50 = z2 ^ z12;
  const t51 = z2 ^ z5,
    t52 = z7 ^ z8,
    t53 = z0 ^ z3,
    t54 = z6 ^ z7,
    t55 = z16 ^ z17;
  const t56 = z12 ^ t48,
    t57 = t50 ^ t53,
    t58 = z4 ^ t46,
    t59 = z3 ^ t54,
    t60 = t46 ^ t57;
  const t61 = z14 ^ t57,
    t62 = t52 ^ t58,
    t63 = t49 ^ t58,
    t64 = z4 ^ t59,
    t65 = t61 ^ t62;
  const t66 = z1 ^ t63,
    t67 = t64 ^ t65;
  const s0 = t59 ^ t63,
    s6 = ~(t56 ^ t62),
    s7 = ~(t48 ^ t60),
    s3 = t53 ^ t66;
  const s4 = t51 ^ t66,
    s5 = t47 ^ t65,
    s1 = ~(t64 ^ s3),
    s2 = ~(t55 ^ t67);
  store<u64>(s, s0, 56);
  store<u64>(s, s1, 48);
  store<u64>(s, s2, 40);
  store<u64>(s, s3, 32);
  store<u64>(s, s4, 24);
  store<u64>(s, s5, 16);
  store<u64>(s, s6, 8);
  store<u64>(s, s7, 0);
}

/** FIPS 197 §5.3.2 inverse affine map on slices: b_i = b_(i+2) ^ b_(i+5) ^ b_(i+7) ^ (0x05)_i. */
function invAffine(s: usize): void {
  const b0 = load<u64>(s, 0),
    b1 = load<u64>(s, 8),
    b2 = load<u64>(s, 16),
    b3 = load<u64>(s, 24);
  const b4 = load<u64>(s, 32),
    b5 = load<u64>(s, 40),
    b6 = load<u64>(s, 48),
    b7 = load<u64>(s, 56);
  store<u64>(s, ~(b2 ^ b5 ^ b7), 0);
  store<u64>(s, b3 ^ b6 ^ b0, 8);
  store<u64>(s, ~(b4 ^ b7 ^ b1), 16);
  store<u64>(s, b5 ^ b0 ^ b2, 24);
  store<u64>(s, b6 ^ b1 ^ b3, 32);
  store<u64>(s, b7 ^ b2 ^ b4, 40);
  store<u64>(s, b0 ^ b3 ^ b5, 48);
  store<u64>(s, b1 ^ b4 ^ b6, 56);
}

export function invSbox(s: usize): void {
  invAffine(s);
  sbox(s);
  invAffine(s);
}

// @ts-ignore: decorator
@inline function shiftRows1(x: u64): u64 {
  return (
    (x & 0x000000000000ffff) |
    ((x & 0x00000000fff00000) >> 4) |
    ((x & 0x00000000000f0000) << 12) |
    ((x & 0x0000ff0000000000) >> 8) |
    ((x & 0x000000ff00000000) << 8) |
    ((x & 0xf000000000000000) >> 12) |
    ((x & 0x0fff000000000000) << 4)
  );
}

// @ts-ignore: decorator
@inline function invShiftRows1(x: u64): u64 {
  return (
    (x & 0x000000000000ffff) |
    ((x & 0x000000000fff0000) << 4) |
    ((x & 0x00000000f0000000) >> 12) |
    ((x & 0x0000ff0000000000) >> 8) |
    ((x & 0x000000ff00000000) << 8) |
    ((x & 0x000f000000000000) << 12) |
    ((x & 0xfff0000000000000) >> 4)
  );
}

function shiftRows(s: usize): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(s + i, shiftRows1(load<u64>(s + i)));
}

function invShiftRows(s: usize): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(s + i, invShiftRows1(load<u64>(s + i)));
}

/** MixColumns (§5.1.3): out = 2(a ^ a') ^ a' ^ (a'' ^ a'''), with a' the next row (rotr 16). */
function mixColumns(s: usize): void {
  const a0 = load<u64>(s, 0),
    a1 = load<u64>(s, 8),
    a2 = load<u64>(s, 16),
    a3 = load<u64>(s, 24);
  const a4 = load<u64>(s, 32),
    a5 = load<u64>(s, 40),
    a6 = load<u64>(s, 48),
    a7 = load<u64>(s, 56);
  const r0 = rotr<u64>(a0, 16),
    r1 = rotr<u64>(a1, 16),
    r2 = rotr<u64>(a2, 16),
    r3 = rotr<u64>(a3, 16);
  const r4 = rotr<u64>(a4, 16),
    r5 = rotr<u64>(a5, 16),
    r6 = rotr<u64>(a6, 16),
    r7 = rotr<u64>(a7, 16);
  const t0 = a0 ^ r0,
    t1 = a1 ^ r1,
    t2 = a2 ^ r2,
    t3 = a3 ^ r3,
    t4 = a4 ^ r4,
    t5 = a5 ^ r5,
    t6 = a6 ^ r6,
    t7 = a7 ^ r7;
  // xtime(t): multiply by x modulo x^8 + x^4 + x^3 + x + 1
  store<u64>(s, t7 ^ r0 ^ rotr<u64>(t0, 32), 0);
  store<u64>(s, t0 ^ t7 ^ r1 ^ rotr<u64>(t1, 32), 8);
  store<u64>(s, t1 ^ r2 ^ rotr<u64>(t2, 32), 16);
  store<u64>(s, t2 ^ t7 ^ r3 ^ rotr<u64>(t3, 32), 24);
  store<u64>(s, t3 ^ t7 ^ r4 ^ rotr<u64>(t4, 32), 32);
  store<u64>(s, t4 ^ r5 ^ rotr<u64>(t5, 32), 40);
  store<u64>(s, t5 ^ r6 ^ rotr<u64>(t6, 32), 48);
  store<u64>(s, t6 ^ r7 ^ rotr<u64>(t7, 32), 56);
}

/** InvMixColumns (§5.3.3) as a ^= 4(a ^ a'') followed by MixColumns. */
function invMixColumns(s: usize): void {
  const u0 = load<u64>(s, 0),
    u1 = load<u64>(s, 8),
    u2 = load<u64>(s, 16),
    u3 = load<u64>(s, 24);
  const u4 = load<u64>(s, 32),
    u5 = load<u64>(s, 40),
    u6 = load<u64>(s, 48),
    u7 = load<u64>(s, 56);
  const v0 = u0 ^ rotr<u64>(u0, 32),
    v1 = u1 ^ rotr<u64>(u1, 32),
    v2 = u2 ^ rotr<u64>(u2, 32),
    v3 = u3 ^ rotr<u64>(u3, 32);
  const v4 = u4 ^ rotr<u64>(u4, 32),
    v5 = u5 ^ rotr<u64>(u5, 32),
    v6 = u6 ^ rotr<u64>(u6, 32),
    v7 = u7 ^ rotr<u64>(u7, 32);
  // w = xtime(xtime(v))
  const x0 = v7,
    x1 = v0 ^ v7,
    x2 = v1,
    x3 = v2 ^ v7,
    x4 = v3 ^ v7,
    x5 = v4,
    x6 = v5,
    x7 = v6;
  const w0 = x7,
    w1 = x0 ^ x7,
    w2 = x1,
    w3 = x2 ^ x7,
    w4 = x3 ^ x7,
    w5 = x4,
    w6 = x5,
    w7 = x6;
  store<u64>(s, u0 ^ w0, 0);
  store<u64>(s, u1 ^ w1, 8);
  store<u64>(s, u2 ^ w2, 16);
  store<u64>(s, u3 ^ w3, 24);
  store<u64>(s, u4 ^ w4, 32);
  store<u64>(s, u5 ^ w5, 40);
  store<u64>(s, u6 ^ w6, 48);
  store<u64>(s, u7 ^ w7, 56);
  mixColumns(s);
}

// @ts-ignore: decorator
@inline function addRoundKey(s: usize, rk: usize): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(s + i, load<u64>(s + i) ^ load<u64>(rk + i));
}

/** SubWord of §5.2 in constant time: the four bytes of w through the sliced S-box. */
function subWord(w: u32): u32 {
  const t = transpose8(<u64>w);
  for (let b: usize = 0; b < 8; b++) store<u64>(SW + (b << 3), (t >> u64(b << 3)) & 0xff);
  sbox(SW);
  let x: u64 = 0;
  for (let b: usize = 0; b < 8; b++) x |= (load<u64>(SW + (b << 3)) & 0xff) << u64(b << 3);
  memory.fill(SW, 0, 64);
  return <u32>transpose8(x);
}

/** Expands a 16- or 32-byte key into `ctx`; false for other lengths. */
export function aesInit(ctx: usize, key: usize, keyLen: usize): bool {
  if (keyLen != 16 && keyLen != 32) return false;
  const nk = keyLen >> 2;
  const nr = nk + 6;
  const total = (nr + 1) << 2;
  memory.copy(KEYW, key, keyLen);
  let rcon: u32 = 1;
  for (let i = nk; i < total; i++) {
    let t = load<u32>(KEYW + ((i - 1) << 2));
    if (i % nk == 0) {
      t = subWord(rotr<u32>(t, 8)) ^ rcon;
      rcon = (rcon << 1) ^ (0x11b & (0 - (rcon >> 7)));
    } else if (nk > 6 && i % nk == 4) {
      t = subWord(t);
    }
    store<u32>(KEYW + (i << 2), load<u32>(KEYW + ((i - nk) << 2)) ^ t);
  }
  store<u32>(ctx, <u32>nr);
  for (let r: usize = 0; r <= nr; r++) {
    const k = KEYW + (r << 4);
    for (let j: usize = 0; j < 64; j += 16) memory.copy(GATHER + j, k, 16);
    memory.copy(SL, GATHER, 64);
    slice(SL, ctx + 8 + (r << 6));
  }
  memory.fill(KEYW, 0, 240);
  memory.fill(GATHER, 0, 64);
  memory.fill(SL, 0, 64);
  return true;
}

// The expanded form of the last key, so that a ticket key used for every ticket is expanded once.
// Compared in constant time; aesWipeCache clears it. Measured: the key expansion (subWord and the
// slicing of 11 or 15 round keys) was about a third of a 256-byte ticket decryption.
const CACHE_CTX: usize = memory.data(<i32>AES_CTX_SIZE);
const CACHE_KEY: usize = memory.data(32);
let cacheLen: usize = 0;

/** aesInit through a one-entry cache of the last key's expansion. */
export function aesInitCached(ctx: usize, key: usize, keyLen: usize): bool {
  if (keyLen == cacheLen && keyLen != 0 && ctEqual(key, CACHE_KEY, keyLen)) {
    memory.copy(ctx, CACHE_CTX, AES_CTX_SIZE);
    return true;
  }
  if (!aesInit(ctx, key, keyLen)) return false;
  memory.copy(CACHE_CTX, ctx, AES_CTX_SIZE);
  memory.copy(CACHE_KEY, key, keyLen);
  cacheLen = keyLen;
  return true;
}

export function aesWipeCache(): void {
  memory.fill(CACHE_CTX, 0, AES_CTX_SIZE);
  memory.fill(CACHE_KEY, 0, 32);
  cacheLen = 0;
}

const IO: usize = memory.data(64);

/** Encrypts `n` (1 to 4) consecutive blocks from `src` to `dst` (which may be the same). */
export function aesEncryptBlocks(ctx: usize, src: usize, dst: usize, n: usize): void {
  const nr = <usize>load<u32>(ctx);
  const rk = ctx + 8;
  memory.copy(IO, src, n << 4);
  if (n < 4) memory.fill(IO + (n << 4), 0, 64 - (n << 4));
  slice(IO, SL);
  addRoundKey(SL, rk);
  for (let r: usize = 1; r < nr; r++) {
    sbox(SL);
    shiftRows(SL);
    mixColumns(SL);
    addRoundKey(SL, rk + (r << 6));
  }
  sbox(SL);
  shiftRows(SL);
  addRoundKey(SL, rk + (nr << 6));
  unslice(SL, IO);
  memory.copy(dst, IO, n << 4);
  memory.fill(IO, 0, 64);
}

/** Decrypts `n` (1 to 4) consecutive blocks from `src` to `dst` (which may be the same). */
export function aesDecryptBlocks(ctx: usize, src: usize, dst: usize, n: usize): void {
  const nr = <usize>load<u32>(ctx);
  const rk = ctx + 8;
  memory.copy(IO, src, n << 4);
  if (n < 4) memory.fill(IO + (n << 4), 0, 64 - (n << 4));
  slice(IO, SL);
  addRoundKey(SL, rk + (nr << 6));
  for (let r = nr - 1; r > 0; r--) {
    invShiftRows(SL);
    invSbox(SL);
    addRoundKey(SL, rk + (r << 6));
    invMixColumns(SL);
  }
  invShiftRows(SL);
  invSbox(SL);
  addRoundKey(SL, rk);
  unslice(SL, IO);
  memory.copy(dst, IO, n << 4);
  memory.fill(IO, 0, 64);
}

/** Wipes the state scratch (call after the last block of an operation). */
export function aesWipeScratch(): void {
  memory.fill(SL, 0, 64);
  memory.fill(GATHER, 0, 64);
}

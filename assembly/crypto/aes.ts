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
//
// The SIMD build (ASC_FEATURE_SIMD) runs eight blocks at once in eight v128 slices instead, in
// the layout of Kasper and Schwabe: bit k of byte p of slice b is bit b of state byte p
// (p = row + 4 * column, FIPS 197 §3.4) of block k. Slicing is an 8x8 bit transpose of the eight
// blocks (three layers of swaps); ShiftRows and the row rotations of MixColumns are byte shuffles.
// Its round keys take 128 bytes each.

export const AES_CTX_SIZE: usize = ASC_FEATURE_SIMD ? 8 + 15 * 128 : 8 + 15 * 64;
/** Blocks per call of aesEncryptBlocks / aesDecryptBlocks: eight in v128 slices, four in u64 ones. */
export const AES_PAR: usize = ASC_FEATURE_SIMD ? 8 : 4;

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
  if (ASC_FEATURE_SIMD) {
    for (let r: usize = 0; r <= nr; r++) {
      const k = KEYW + (r << 4);
      for (let j: usize = 0; j < 128; j += 16) memory.copy(IOV + j, k, 16);
      transposeV(IOV, ctx + 8 + (r << 7));
    }
    memory.fill(IOV, 0, 128);
  } else {
    for (let r: usize = 0; r <= nr; r++) {
      const k = KEYW + (r << 4);
      for (let j: usize = 0; j < 64; j += 16) memory.copy(GATHER + j, k, 16);
      memory.copy(SL, GATHER, 64);
      slice(SL, ctx + 8 + (r << 6));
    }
  }
  memory.fill(KEYW, 0, 240);
  memory.fill(GATHER, 0, 64);
  memory.fill(SL, 0, 64);
  return true;
}

const IO: usize = memory.data(64);

/** Encrypts `n` (1 to AES_PAR) consecutive blocks from `src` to `dst` (which may be the same). */
export function aesEncryptBlocks(ctx: usize, src: usize, dst: usize, n: usize): void {
  if (ASC_FEATURE_SIMD) {
    encryptV(ctx, src, dst, n);
    return;
  }
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

/** Decrypts `n` (1 to AES_PAR) consecutive blocks from `src` to `dst` (which may be the same). */
export function aesDecryptBlocks(ctx: usize, src: usize, dst: usize, n: usize): void {
  if (ASC_FEATURE_SIMD) {
    decryptV(ctx, src, dst, n);
    return;
  }
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
  if (ASC_FEATURE_SIMD) {
    memory.fill(SLV, 0, 128);
    memory.fill(IOV, 0, 128);
  }
}

// ---- The SIMD build: eight blocks in eight v128 slices (see the top of this file) ----

const SLV: usize = memory.data(128, 16); // the state: 8 slices
const IOV: usize = memory.data(128, 16); // eight blocks in byte form
const ZERO_RK: usize = memory.data(128, 16);

/**
 * The 8x8 bit transpose of the eight 16-byte blocks at `src` into eight slices at `dst` (and back:
 * it is an involution). Each layer swaps the off-diagonal halves of 2x2 blocks of the bit matrix.
 */
function transposeV(src: usize, dst: usize): void {
  let r0 = v128.load(src, 0),
    r1 = v128.load(src, 16),
    r2 = v128.load(src, 32),
    r3 = v128.load(src, 48);
  let r4 = v128.load(src, 64),
    r5 = v128.load(src, 80),
    r6 = v128.load(src, 96),
    r7 = v128.load(src, 112);
  const m1 = i8x16.splat(0x55),
    m2 = i8x16.splat(0x33),
    m4 = i8x16.splat(0x0f);
  let t: v128;
  t = v128.and(v128.xor(i64x2.shr_u(r0, 1), r1), m1);
  r1 = v128.xor(r1, t);
  r0 = v128.xor(r0, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r2, 1), r3), m1);
  r3 = v128.xor(r3, t);
  r2 = v128.xor(r2, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r4, 1), r5), m1);
  r5 = v128.xor(r5, t);
  r4 = v128.xor(r4, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r6, 1), r7), m1);
  r7 = v128.xor(r7, t);
  r6 = v128.xor(r6, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r0, 2), r2), m2);
  r2 = v128.xor(r2, t);
  r0 = v128.xor(r0, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r1, 2), r3), m2);
  r3 = v128.xor(r3, t);
  r1 = v128.xor(r1, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r4, 2), r6), m2);
  r6 = v128.xor(r6, t);
  r4 = v128.xor(r4, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r5, 2), r7), m2);
  r7 = v128.xor(r7, t);
  r5 = v128.xor(r5, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r0, 4), r4), m4);
  r4 = v128.xor(r4, t);
  r0 = v128.xor(r0, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(r1, 4), r5), m4);
  r5 = v128.xor(r5, t);
  r1 = v128.xor(r1, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(r2, 4), r6), m4);
  r6 = v128.xor(r6, t);
  r2 = v128.xor(r2, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(r3, 4), r7), m4);
  r7 = v128.xor(r7, t);
  r3 = v128.xor(r3, i64x2.shl(t, 4));
  v128.store(dst, r0, 0);
  v128.store(dst, r1, 16);
  v128.store(dst, r2, 32);
  v128.store(dst, r3, 48);
  v128.store(dst, r4, 64);
  v128.store(dst, r5, 80);
  v128.store(dst, r6, 96);
  v128.store(dst, r7, 112);
}

/** The S-box circuit of sbox on v128 slices. */
function sboxV(s: usize): void {
  const x0 = v128.load(s, 112),
    x1 = v128.load(s, 96),
    x2 = v128.load(s, 80),
    x3 = v128.load(s, 64);
  const x4 = v128.load(s, 48),
    x5 = v128.load(s, 32),
    x6 = v128.load(s, 16),
    x7 = v128.load(s, 0);
  // top linear transformation
  const y14 = v128.xor(x3, x5),
    y13 = v128.xor(x0, x6),
    y9 = v128.xor(x0, x3),
    y8 = v128.xor(x0, x5),
    t0 = v128.xor(x1, x2);
  const y1 = v128.xor(t0, x7),
    y4 = v128.xor(y1, x3),
    y12 = v128.xor(y13, y14),
    y2 = v128.xor(y1, x0),
    y5 = v128.xor(y1, x6);
  const y3 = v128.xor(y5, y8),
    t1 = v128.xor(x4, y12),
    y15 = v128.xor(t1, x5),
    y20 = v128.xor(t1, x1),
    y6 = v128.xor(y15, x7);
  const y10 = v128.xor(y15, t0),
    y11 = v128.xor(y20, y9),
    y7 = v128.xor(x7, y11),
    y17 = v128.xor(y10, y11),
    y19 = v128.xor(y10, y8);
  const y16 = v128.xor(t0, y11),
    y21 = v128.xor(y13, y16),
    y18 = v128.xor(x0, y16);
  // shared non-linear middle
  const t2 = v128.and(y12, y15),
    t3 = v128.and(y3, y6),
    t4 = v128.xor(t3, t2),
    t5 = v128.and(y4, x7),
    t6 = v128.xor(t5, t2);
  const t7 = v128.and(y13, y16),
    t8 = v128.and(y5, y1),
    t9 = v128.xor(t8, t7),
    t10 = v128.and(y2, y7),
    t11 = v128.xor(t10, t7);
  const t12 = v128.and(y9, y11),
    t13 = v128.and(y14, y17),
    t14 = v128.xor(t13, t12),
    t15 = v128.and(y8, y10),
    t16 = v128.xor(t15, t12);
  const t17 = v128.xor(t4, t14),
    t18 = v128.xor(t6, t16),
    t19 = v128.xor(t9, t14),
    t20 = v128.xor(t11, t16);
  const t21 = v128.xor(t17, y20),
    t22 = v128.xor(t18, y19),
    t23 = v128.xor(t19, y21),
    t24 = v128.xor(t20, y18);
  const t25 = v128.xor(t21, t22),
    t26 = v128.and(t21, t23),
    t27 = v128.xor(t24, t26),
    t28 = v128.and(t25, t27),
    t29 = v128.xor(t28, t22);
  const t30 = v128.xor(t23, t24),
    t31 = v128.xor(t22, t26),
    t32 = v128.and(t31, t30),
    t33 = v128.xor(t32, t24),
    t34 = v128.xor(t23, t33);
  const t35 = v128.xor(t27, t33),
    t36 = v128.and(t24, t35),
    t37 = v128.xor(t36, t34),
    t38 = v128.xor(t27, t36),
    t39 = v128.and(t29, t38);
  const t40 = v128.xor(t25, t39),
    t41 = v128.xor(t40, t37),
    t42 = v128.xor(t29, t33),
    t43 = v128.xor(t29, t40),
    t44 = v128.xor(t33, t37);
  const t45 = v128.xor(t42, t41);
  const z0 = v128.and(t44, y15),
    z1 = v128.and(t37, y6),
    z2 = v128.and(t33, x7),
    z3 = v128.and(t43, y16),
    z4 = v128.and(t40, y1);
  const z5 = v128.and(t29, y7),
    z6 = v128.and(t42, y11),
    z7 = v128.and(t45, y17),
    z8 = v128.and(t41, y10),
    z9 = v128.and(t44, y12);
  const z10 = v128.and(t37, y3),
    z11 = v128.and(t33, y4),
    z12 = v128.and(t43, y13),
    z13 = v128.and(t40, y5),
    z14 = v128.and(t29, y2);
  const z15 = v128.and(t42, y9),
    z16 = v128.and(t45, y14),
    z17 = v128.and(t41, y8);
  // bottom linear transformation
  const t46 = v128.xor(z15, z16),
    t47 = v128.xor(z10, z11),
    t48 = v128.xor(z5, z13),
    t49 = v128.xor(z9, z10),
    t50 = v128.xor(z2, z12);
  const t51 = v128.xor(z2, z5),
    t52 = v128.xor(z7, z8),
    t53 = v128.xor(z0, z3),
    t54 = v128.xor(z6, z7),
    t55 = v128.xor(z16, z17);
  const t56 = v128.xor(z12, t48),
    t57 = v128.xor(t50, t53),
    t58 = v128.xor(z4, t46),
    t59 = v128.xor(z3, t54),
    t60 = v128.xor(t46, t57);
  const t61 = v128.xor(z14, t57),
    t62 = v128.xor(t52, t58),
    t63 = v128.xor(t49, t58),
    t64 = v128.xor(z4, t59),
    t65 = v128.xor(t61, t62);
  const t66 = v128.xor(z1, t63),
    t67 = v128.xor(t64, t65);
  const s0 = v128.xor(t59, t63),
    s6 = v128.not(v128.xor(t56, t62)),
    s7 = v128.not(v128.xor(t48, t60)),
    s3 = v128.xor(t53, t66);
  const s4 = v128.xor(t51, t66),
    s5 = v128.xor(t47, t65),
    s1 = v128.not(v128.xor(t64, s3)),
    s2 = v128.not(v128.xor(t55, t67));
  v128.store(s, s0, 112);
  v128.store(s, s1, 96);
  v128.store(s, s2, 80);
  v128.store(s, s3, 64);
  v128.store(s, s4, 48);
  v128.store(s, s5, 32);
  v128.store(s, s6, 16);
  v128.store(s, s7, 0);
}

/** The inverse affine map (see invAffine) on v128 slices. */
function invAffineV(s: usize): void {
  const b0 = v128.load(s, 0),
    b1 = v128.load(s, 16),
    b2 = v128.load(s, 32),
    b3 = v128.load(s, 48);
  const b4 = v128.load(s, 64),
    b5 = v128.load(s, 80),
    b6 = v128.load(s, 96),
    b7 = v128.load(s, 112);
  v128.store(s, v128.not(v128.xor(v128.xor(b2, b5), b7)), 0);
  v128.store(s, v128.xor(v128.xor(b3, b6), b0), 16);
  v128.store(s, v128.not(v128.xor(v128.xor(b4, b7), b1)), 32);
  v128.store(s, v128.xor(v128.xor(b5, b0), b2), 48);
  v128.store(s, v128.xor(v128.xor(b6, b1), b3), 64);
  v128.store(s, v128.xor(v128.xor(b7, b2), b4), 80);
  v128.store(s, v128.xor(v128.xor(b0, b3), b5), 96);
  v128.store(s, v128.xor(v128.xor(b1, b4), b6), 112);
}

// Byte shuffles of one slice (byte p = row + 4 * column).
// ShiftRows: (r, c) <- (r, c + r)
// @ts-ignore: decorator
@inline function srV(x: v128): v128 {
  return i8x16.shuffle(x, x, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
}
// InvShiftRows: (r, c) <- (r, c - r)
// @ts-ignore: decorator
@inline function isrV(x: v128): v128 {
  return i8x16.shuffle(x, x, 0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3);
}
// The next row: (r, c) <- (r + 1, c)
// @ts-ignore: decorator
@inline function rot1V(x: v128): v128 {
  return i8x16.shuffle(x, x, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
}
// rot1V(srV(x)) in one shuffle
// @ts-ignore: decorator
@inline function srRot1V(x: v128): v128 {
  return i8x16.shuffle(x, x, 5, 10, 15, 0, 9, 14, 3, 4, 13, 2, 7, 8, 1, 6, 11, 12);
}
// Two rows on: (r, c) <- (r + 2, c)
// @ts-ignore: decorator
@inline function rot2V(x: v128): v128 {
  return i8x16.shuffle(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}

/**
 * MixColumns (after ShiftRows when `sr`) and AddRoundKey on the slices at `s`, as mixColumns does
 * it: out = 2 (a ^ a1) ^ a1 ^ (a2 ^ a3), a1 the next row, a2 and a3 the two after it.
 */
// @ts-ignore: decorator
@inline function mixV(s: usize, rk: usize, sr: bool): void {
  let a0 = v128.load(s, 0),
    a1 = v128.load(s, 16),
    a2 = v128.load(s, 32),
    a3 = v128.load(s, 48);
  let a4 = v128.load(s, 64),
    a5 = v128.load(s, 80),
    a6 = v128.load(s, 96),
    a7 = v128.load(s, 112);
  let r0: v128, r1: v128, r2: v128, r3: v128, r4: v128, r5: v128, r6: v128, r7: v128;
  if (sr) {
    r0 = srRot1V(a0);
    r1 = srRot1V(a1);
    r2 = srRot1V(a2);
    r3 = srRot1V(a3);
    r4 = srRot1V(a4);
    r5 = srRot1V(a5);
    r6 = srRot1V(a6);
    r7 = srRot1V(a7);
    a0 = srV(a0);
    a1 = srV(a1);
    a2 = srV(a2);
    a3 = srV(a3);
    a4 = srV(a4);
    a5 = srV(a5);
    a6 = srV(a6);
    a7 = srV(a7);
  } else {
    r0 = rot1V(a0);
    r1 = rot1V(a1);
    r2 = rot1V(a2);
    r3 = rot1V(a3);
    r4 = rot1V(a4);
    r5 = rot1V(a5);
    r6 = rot1V(a6);
    r7 = rot1V(a7);
  }
  const t0 = v128.xor(a0, r0),
    t1 = v128.xor(a1, r1),
    t2 = v128.xor(a2, r2),
    t3 = v128.xor(a3, r3);
  const t4 = v128.xor(a4, r4),
    t5 = v128.xor(a5, r5),
    t6 = v128.xor(a6, r6),
    t7 = v128.xor(a7, r7);
  v128.store(s, v128.xor(v128.xor(v128.xor(t7, r0), rot2V(t0)), v128.load(rk, 0)), 0);
  v128.store(s, v128.xor(v128.xor(v128.xor(v128.xor(t0, t7), r1), rot2V(t1)), v128.load(rk, 16)), 16);
  v128.store(s, v128.xor(v128.xor(v128.xor(t1, r2), rot2V(t2)), v128.load(rk, 32)), 32);
  v128.store(s, v128.xor(v128.xor(v128.xor(v128.xor(t2, t7), r3), rot2V(t3)), v128.load(rk, 48)), 48);
  v128.store(s, v128.xor(v128.xor(v128.xor(v128.xor(t3, t7), r4), rot2V(t4)), v128.load(rk, 64)), 64);
  v128.store(s, v128.xor(v128.xor(v128.xor(t4, r5), rot2V(t5)), v128.load(rk, 80)), 80);
  v128.store(s, v128.xor(v128.xor(v128.xor(t5, r6), rot2V(t6)), v128.load(rk, 96)), 96);
  v128.store(s, v128.xor(v128.xor(v128.xor(t6, r7), rot2V(t7)), v128.load(rk, 112)), 112);
}

/** AddRoundKey on the slices at `s`, after ShiftRows (`sr`) or InvShiftRows (`isr`) if asked. */
// @ts-ignore: decorator
@inline function arkV(s: usize, rk: usize, sr: bool, isr: bool): void {
  for (let i: usize = 0; i < 128; i += 16) {
    let x = v128.load(s + i);
    if (sr) x = srV(x);
    if (isr) x = isrV(x);
    v128.store(s + i, v128.xor(x, v128.load(rk + i)));
  }
}

/** InvMixColumns (§5.3.3) as a ^= 4 (a ^ a2) followed by MixColumns; no round key. */
function invMixV(s: usize): void {
  const u0 = v128.load(s, 0),
    u1 = v128.load(s, 16),
    u2 = v128.load(s, 32),
    u3 = v128.load(s, 48);
  const u4 = v128.load(s, 64),
    u5 = v128.load(s, 80),
    u6 = v128.load(s, 96),
    u7 = v128.load(s, 112);
  const v0 = v128.xor(u0, rot2V(u0)),
    v1 = v128.xor(u1, rot2V(u1)),
    v2 = v128.xor(u2, rot2V(u2)),
    v3 = v128.xor(u3, rot2V(u3));
  const v4 = v128.xor(u4, rot2V(u4)),
    v5 = v128.xor(u5, rot2V(u5)),
    v6 = v128.xor(u6, rot2V(u6)),
    v7 = v128.xor(u7, rot2V(u7));
  // w = xtime(xtime(v)), as in invMixColumns
  v128.store(s, v128.xor(u0, v6), 0);
  v128.store(s, v128.xor(u1, v128.xor(v6, v7)), 16);
  v128.store(s, v128.xor(u2, v128.xor(v0, v7)), 32);
  v128.store(s, v128.xor(u3, v128.xor(v1, v6)), 48);
  v128.store(s, v128.xor(u4, v128.xor(v128.xor(v2, v7), v6)), 64);
  v128.store(s, v128.xor(u5, v128.xor(v3, v7)), 80);
  v128.store(s, v128.xor(u6, v4), 96);
  v128.store(s, v128.xor(u7, v5), 112);
  mixV(s, ZERO_RK, false);
}

function encryptV(ctx: usize, src: usize, dst: usize, n: usize): void {
  const nr = <usize>load<u32>(ctx);
  const rk = ctx + 8;
  memory.copy(IOV, src, n << 4);
  if (n < 8) memory.fill(IOV + (n << 4), 0, 128 - (n << 4));
  transposeV(IOV, SLV);
  arkV(SLV, rk, false, false);
  for (let r: usize = 1; r < nr; r++) {
    sboxV(SLV);
    mixV(SLV, rk + (r << 7), true);
  }
  sboxV(SLV);
  arkV(SLV, rk + (nr << 7), true, false);
  transposeV(SLV, IOV);
  memory.copy(dst, IOV, n << 4);
  memory.fill(IOV, 0, 128);
}

function decryptV(ctx: usize, src: usize, dst: usize, n: usize): void {
  const nr = <usize>load<u32>(ctx);
  const rk = ctx + 8;
  memory.copy(IOV, src, n << 4);
  if (n < 8) memory.fill(IOV + (n << 4), 0, 128 - (n << 4));
  transposeV(IOV, SLV);
  arkV(SLV, rk + (nr << 7), false, false);
  for (let r = nr - 1; r > 0; r--) {
    invAffineV(SLV);
    sboxV(SLV);
    invAffineV(SLV);
    arkV(SLV, rk + (r << 7), false, true);
    invMixV(SLV);
  }
  invAffineV(SLV);
  sboxV(SLV);
  invAffineV(SLV);
  arkV(SLV, rk, false, true);
  transposeV(SLV, IOV);
  memory.copy(dst, IOV, n << 4);
  memory.fill(IOV, 0, 128);
}

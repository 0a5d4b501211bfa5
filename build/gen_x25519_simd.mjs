// Generates assembly/crypto/x25519_simd.ts, the X25519 ladder of the SIMD module: straight-line
// field arithmetic that is too long and too regular to write by hand. `npm run build` runs it (the
// file is written only when its text changes); `npm run lint` runs it with --check, which writes
// nothing and fails when the checked-in file is stale.
//   node build/gen_x25519_simd.mjs [--check]
//
// The design, the representation and the limb bounds are in the generated file's header below.
import { formatted, writeOrCheck } from "./generated_files.mjs";

const OUT = "assembly/crypto/x25519_simd.ts";

/** Limb i's width in bits: 26, 25, 26, ... (radix 2^25.5). */
const width = (i) => (i & 1 ? 25 : 26);
/** Limb i of 2p, added before every subtraction so that limbs stay nonnegative. */
const twoP = (i) => (i === 0 ? 2n ** 27n - 38n : i & 1 ? 2n ** 26n - 2n : 2n ** 27n - 2n);
/** The ten limbs' carry order: two interleaved chains, then limb 9 around to 0 and 0 into 1. */
const CARRY_ORDER = [0, 4, 1, 5, 2, 6, 3, 7, 4, 8, 9, 0];

// ---- constants, loaded from a table (a v128 constant costs several instructions in V8) ----------

const consts = [];
const constIndex = new Map();
/** A v128 of two i64 lanes, from the constant table. */
function k64(lo, hi = lo) {
  const key = `${lo},${hi}`;
  if (!constIndex.has(key)) {
    constIndex.set(key, consts.length);
    consts.push(BigInt.asIntN(64, BigInt(lo)), BigInt.asIntN(64, BigInt(hi)));
  }
  return `v128.load(KT, ${constIndex.get(key) * 8})`;
}

// ---- the vector multiplication: two products at once --------------------------------------------

/**
 * Statements for h = f * g in both lanes of i64x2 pairs: `f(i)` and `g(i)` are expressions of limb
 * i (a v128 [lane 0 | lane 1]); `store(i, v)` a statement storing limb i of the result. Names start
 * with `p`.
 *
 * Operands are packed two limbs to a v128 as i32 lanes [a_i, a_j | b_i, b_j] (limb j shifted into
 * the upper half of each i64 lane: one shift and one or), so i64x2.extmul_low_i32x4_u gives lane 0's
 * two products a_i a'_k, a_j a'_l and extmul_high lane 1's. F_m = [f_2m, f_2m+1] (D_m with the odd limb
 * doubled) times G_t = [g_t, g_t-1] both fall on limb 2m + t: one G_t serves every m of a column.
 */
function vecMul(p, f, g, store) {
  const s = [];
  for (let i = 0; i < 10; i++) s.push(`const ${p}f${i} = ${f(i)};`);
  for (let i = 0; i < 10; i++) s.push(`const ${p}g${i} = ${g(i)};`);
  for (let m = 0; m < 5; m++) {
    s.push(`const ${p}F${m} = v128.or(${p}f${2 * m}, i64x2.shl(${p}f${2 * m + 1}, 32));`);
    s.push(`const ${p}D${m} = v128.or(${p}f${2 * m}, i64x2.shl(${p}f${2 * m + 1}, 33));`);
  }
  for (let t = 1; t < 10; t++) s.push(`const ${p}G${t} = v128.or(${p}g${t}, i64x2.shl(${p}g${t - 1}, 32));`);
  // N_t = 19 G_t stands for G_(t - 10): the products that wrap around 2^255 = 19
  for (let t = 2; t < 10; t++) s.push(`const ${p}N${t} = i32x4.mul(${p}G${t}, ${k64(19n | (19n << 32n))});`);
  s.push(`const ${p}G0 = v128.or(${p}g0, i64x2.shl(i32x4.mul(${p}g9, ${k64(19n | (19n << 32n))}), 32));`);
  const G = (t) => (t >= 0 ? `${p}G${t}` : `${p}N${t + 10}`);
  s.push(`let ${p}a: v128, ${p}b: v128, ${p}c: v128;`);
  // even columns first, then odd ones: each half needs only its own G_t, fewer live vectors
  for (const k of [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]) {
    const F = (m) => `${p}${k % 2 === 0 ? "D" : "F"}${m}`;
    let lo = `i64x2.extmul_low_i32x4_u(${F(0)}, ${G(k)})`;
    let hi = `i64x2.extmul_high_i32x4_u(${F(0)}, ${G(k)})`;
    for (let m = 1; m < 5; m++) {
      lo = `i64x2.add(${lo}, i64x2.extmul_low_i32x4_u(${F(m)}, ${G(k - 2 * m)}))`;
      hi = `i64x2.add(${hi}, i64x2.extmul_high_i32x4_u(${F(m)}, ${G(k - 2 * m)}))`;
    }
    s.push(`${p}a = ${lo};`, `${p}b = ${hi};`);
    s.push(
      `let ${p}h${k} = i64x2.add(i64x2.shuffle(${p}a, ${p}b, 0, 2), i64x2.shuffle(${p}a, ${p}b, 1, 3));`,
      `v128.store(PIN, ${p}h${k}, ${16 * k});`,
    );
  }
  for (const i of CARRY_ORDER) {
    const n = (i + 1) % 10;
    s.push(`${p}c = i64x2.shr_u(${p}h${i}, ${width(i)});`);
    s.push(`${p}h${i} = v128.and(${p}h${i}, ${k64((1n << BigInt(width(i))) - 1n)});`);
    s.push(
      n === 0
        ? `${p}h0 = i64x2.add(${p}h0, i64x2.add(i64x2.add(${p}c, i64x2.shl(${p}c, 1)), i64x2.shl(${p}c, 4)));`
        : `${p}h${n} = i64x2.add(${p}h${n}, ${p}c);`,
    );
  }
  for (let i = 0; i < 10; i++) s.push(store(i, `${p}h${i}`));
  return s;
}

// ---- the scalar multiplication and squaring: one product, on the integer units -----------------

/** The carry pass on locals `${p}r0..9`, leaving each limb in range. */
function scalarCarry(p) {
  const s = [];
  for (const i of CARRY_ORDER) {
    const n = (i + 1) % 10;
    s.push(`${p}q = ${p}r${i} >> ${width(i)};`);
    s.push(`${p}r${i} &= ${(1 << width(i)) - 1};`);
    s.push(n === 0 ? `${p}r0 += ${p}q * 19;` : `${p}r${n} += ${p}q;`);
  }
  return s;
}

/**
 * Statements for the locals `${p}r0..9` = f * g (f(i), g(i), g19(i) = 19 g_i: i64 expressions),
 * carried.
 */
function scalarMul(p, f, g, g19) {
  const s = [];
  for (let i = 0; i < 10; i++) s.push(`const ${p}x${i} = ${f(i)};`);
  for (let i = 0; i < 10; i++) s.push(`const ${p}y${i} = ${g(i)};`);
  for (let i = 1; i < 10; i++) s.push(`const ${p}y${i}_19 = ${g19(i)};`);
  for (let i = 1; i < 10; i += 2) s.push(`const ${p}x${i}_2 = ${p}x${i} << 1;`);
  for (let k = 0; k < 10; k++) {
    const t = [];
    for (let i = 0; i < 10; i++) {
      const j = (k - i + 10) % 10;
      t.push(`${p}x${i}${i & 1 && j & 1 ? "_2" : ""} * ${p}y${j}${i + j >= 10 ? "_19" : ""}`);
    }
    s.push(`let ${p}r${k} = ${t.join(" + ")};`, `store<i64>(PIN, ${p}r${k}, ${160 + 8 * k});`);
  }
  s.push(`let ${p}q: i64;`);
  return s.concat(scalarCarry(p));
}

/**
 * Statements for the locals `${p}r0..9` = f^2, carried: each product of two limbs once, with its
 * factor split over two of a few multiples (fewer live values than one multiple per product).
 */
function scalarSq(p, f) {
  const s = [];
  for (let i = 0; i < 10; i++) s.push(`const ${p}x${i} = ${f(i)};`);
  // the multiples ref10's squaring uses: 2 f_i (i < 8), 19 f_6, 19 f_8, 38 f_5, 38 f_7, 38 f_9
  const avail = (i, c) =>
    c === 1 || (c === 2 && i < 8) || (c === 19 && (i === 6 || i === 8)) || (c === 38 && i & 1 && i > 4);
  const name = (i, c) => (c === 1 ? `${p}x${i}` : `${p}x${i}_${c}`);
  const used = new Map();
  const cols = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < 10; i++)
    for (let j = i; j < 10; j++) {
      let c = i === j ? 1 : 2;
      if (i & 1 && j & 1) c *= 2;
      if (i + j >= 10) c *= 19;
      let term = null;
      for (const ca of [1, 2, 19, 38]) {
        if (c % ca || !avail(i, ca) || !avail(j, c / ca)) continue;
        term = [
          [i, ca],
          [j, c / ca],
        ];
        break;
      }
      if (!term) throw new Error(`no split for ${i} ${j} ${c}`);
      for (const [a, ca] of term) if (ca !== 1) used.set(name(a, ca), `${p}x${a} * ${ca}`);
      cols[(i + j) % 10].push(`${name(...term[0])} * ${name(...term[1])}`);
    }
  for (const [n, e] of used) s.push(`const ${n} = ${e};`);
  for (let k = 0; k < 10; k++)
    s.push(`let ${p}r${k} = ${cols[k].join(" + ")};`, `store<i64>(PIN, ${p}r${k}, ${160 + 8 * k});`);
  s.push(`let ${p}q: i64;`);
  return s.concat(scalarCarry(p));
}

// ---- interleaving -------------------------------------------------------------------------------

/** A rough instruction count of a statement, to interleave two streams evenly. */
const weight = (st) => Math.max(1, (st.match(/[(*+&|^]|>>|<</g) ?? []).length);

/** Merges the vector statements with the scalar ones so both kinds of unit work at once. */
function interleave(a, b) {
  const total = (xs) => xs.reduce((n, x) => n + weight(x), 0);
  const ta = total(a),
    tb = total(b);
  const out = [];
  let i = 0,
    j = 0,
    wa = 0,
    wb = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && wa / ta <= wb / tb)) {
      wa += weight(a[i]);
      out.push(a[i++]);
    } else {
      wb += weight(b[j]);
      out.push(b[j++]);
    }
  }
  return out;
}

// ---- the ladder step ----------------------------------------------------------------------------

const lane = (ptr, laneNo) => (i) => `load<i64>(${ptr}, ${16 * i + 8 * laneNo})`;
const storeLane = (ptr, laneNo, p) => (i) => `store<i64>(${ptr}, ${p}r${i}, ${16 * i + 8 * laneNo});`;
const range = (n) => Array.from({ length: n }, (_, i) => i);

/**
 * Step, first half: the conditional swap and [A|B], [D|C] (vector); then [DA|CB] = [D|C] [A|B]
 * (vector) beside AA = A^2, BB = B^2, E = AA - BB and T = AA + a24 E (scalar). Writes DACB, and
 * AAE = [AA|E], BBT = [BB|T].
 */
function stepA() {
  const s = [];
  for (let i = 0; i < 10; i++) {
    s.push(`p = v128.load(PP, ${16 * i});`, `r = v128.load(RR, ${16 * i});`);
    s.push(`x = i64x2.shuffle(p, r, 0, 2);`, `z = i64x2.shuffle(p, r, 1, 3);`);
    s.push(`x = v128.bitselect(i64x2.shuffle(x, x, 1, 0), x, m);`);
    s.push(`z = v128.bitselect(i64x2.shuffle(z, z, 1, 0), z, m);`);
    s.push(`u = i64x2.add(x, z);`, `d = i64x2.sub(i64x2.add(x, ${k64(twoP(i))}), z);`);
    s.push(`const ab${i} = i64x2.shuffle(u, d, 0, 2);`, `const dc${i} = i64x2.shuffle(d, u, 1, 3);`);
    s.push(`v128.store(AB, ab${i}, ${16 * i});`);
  }
  const vec = vecMul(
    "v",
    (i) => `dc${i}`,
    (i) => `ab${i}`,
    (i, v) => `v128.store(DACB, ${v}, ${16 * i});`,
  );
  const sc = [
    ...scalarSq("a", lane("AB", 0)),
    ...range(10).map(storeLane("AAE", 0, "a")),
    ...scalarSq("b", lane("AB", 1)),
    ...range(10).map(storeLane("BBT", 0, "b")),
  ];
  // E = AA + 2p - BB, T = AA + 121665 E (carried)
  for (let i = 0; i < 10; i++) {
    sc.push(`const e${i} = ar${i} + ${twoP(i)} - br${i};`);
    sc.push(`store<i64>(AAE, e${i}, ${16 * i + 8});`);
  }
  for (let i = 0; i < 10; i++) sc.push(`let er${i} = ar${i} + e${i} * 121665;`);
  sc.push(`let eq: i64;`, ...scalarCarry("e"), ...range(10).map(storeLane("BBT", 1, "e")));
  return ["let p: v128, r: v128, x: v128, z: v128, u: v128, d: v128;", ...s, ...interleave(vec, sc)];
}

/**
 * Step, second half: [x_2|z_2] = [AA|E] [BB|T] (vector) beside x_3 = (DA + CB)^2 and
 * z_3 = x_1 (DA - CB)^2 (scalar). Writes PP and RR.
 */
function stepB() {
  const vec = vecMul(
    "v",
    (i) => `v128.load(AAE, ${16 * i})`,
    (i) => `v128.load(BBT, ${16 * i})`,
    (i, v) => `v128.store(PP, ${v}, ${16 * i});`,
  );
  const da = lane("DACB", 0),
    cb = lane("DACB", 1);
  const sc = [
    ...scalarSq("a", (i) => `${da(i)} + ${cb(i)}`),
    ...range(10).map(storeLane("RR", 0, "a")),
    ...scalarSq("b", (i) => `${da(i)} + ${twoP(i)} - ${cb(i)}`),
    ...scalarMul(
      "c",
      (i) => `br${i}`,
      (i) => `load<i64>(X1, ${8 * i})`,
      (i) => `load<i64>(X1, ${80 + 8 * i})`,
    ),
    ...range(10).map(storeLane("RR", 1, "c")),
  ];
  return interleave(vec, sc);
}

// ---- the file -----------------------------------------------------------------------------------

function fileText() {
  const a = stepA(),
    b = stepB();
  const body = (xs) => xs.map((x) => `  ${x}`).join("\n");
  return `// Generated by build/gen_x25519_simd.mjs: do not edit.
//
// The X25519 Montgomery ladder of the SIMD module (RFC 7748 §5), in constant time like the scalar
// ladder in x25519.ts, which decodes u, and does the final inversion and encoding.
//
// Field elements of GF(2^255 - 19) are ten limbs in radix 2^25.5 (26, 25, 26, ... bits), as in
// x25519.ts. A pair holds limb i of two elements as the two i64 lanes of one v128 (160 bytes in
// all), so that the scalar code reads either element with a stride of 16 bytes. Each ladder step
// runs the vector units and the integer units side by side, on independent work interleaved in
// one function:
//   first half:  [DA|CB] = [D|C] [A|B] in i64x2 lanes (extmul, two 32 x 32 -> 64 products per
//                instruction) beside AA = A^2, BB = B^2, E = AA - BB, T = AA + a24 E in i64
//   second half: [x_2|z_2] = [AA|E] [BB|T] in i64x2 lanes beside x_3 = (DA + CB)^2,
//                z_3 = x_1 (DA - CB)^2 in i64
// V8 schedules pure arithmetic where it likes, and left alone it runs one stream after the other;
// so each column sum of either stream is also stored to a scratch area (PIN, never read), which
// keeps the two in the order written, interleaved. Measured against the earlier ladder (two f64x2
// lanes of twelve limbs, every operation a pair): X25519 went from 50 us to 36 us interleaved as
// written, and to 31 us with the pinning stores (node:crypto 25 us; node 20, x64).
//
// Exactness. All limbs are nonnegative. A carried limb (after a carry pass) is below 2^26 (even i)
// or 2^25 + 2^18 (odd i: limbs 1 and 5 take a last carry below 2^18). A subtraction adds 2p first
// (limbs 2^27 - 38, 2^26 - 2, 2^27 - 2, ...: each above any carried limb), so every operand of a
// multiplication is a sum or a difference of two carried elements: below 3 2^26 (even) or
// 3 2^25 + 2^19 (odd). Vector operands: 2 f_odd and 19 g are below 2^32, so the i32 lanes hold
// them exactly; each product, with its factor 2 (odd times odd limb) and 19 (wrapped past 2^255),
// is below 9 2^52 19 < 2^59.5, a column of ten below 2^62.9 < 2^64 (unsigned lanes). Scalar
// operands are the same and the i64 columns below 2^63. a24 E is below 2^44.6. The carry pass
// shifts each limb down into the next (limb 9 into limb 0 times 19), so every value stays below
// 2^64 and no operation's time depends on a value.

// the constants (masks, 2p, 19) as v128s: a table load is one instruction
const KT: usize = memory.data<i64>([${consts.join(", ")}]);
// the ladder's pairs, one block so one fill wipes them
const LADDER_SIZE: usize = 1360;
const REGS: usize = memory.data(1360);
const PP: usize = REGS; // [x_2 | z_2]
const RR: usize = REGS + 160; // [x_3 | z_3]
const AB: usize = REGS + 320; // [A | B]
const DACB: usize = REGS + 480; // [DA | CB]
const AAE: usize = REGS + 640; // [AA | E]
const BBT: usize = REGS + 800; // [BB | T]
const X1: usize = REGS + 960; // x_1, ten limbs of 8 bytes, then 19 x_1
// every column sum is also stored here, never read: see the header
const PIN: usize = REGS + 1120;

function stepA(m: v128): void {
${body(a)}
}

function stepB(): void {
${body(b)}
}

/**
 * The ladder of §5 for the clamped scalar at \`k\` (32 bytes) and x_1 at \`x1\` (ten carried
 * limbs of 8 bytes): writes x_2 and z_2 (before the final division) to \`x2\` and \`z2\`, ten carried
 * limbs each. Wipes its registers.
 */
export function x25519LadderSimd(k: usize, x1: usize, x2: usize, z2: usize): void {
  memory.fill(REGS, 0, LADDER_SIZE);
  for (let i: usize = 0; i < 10; i++) {
    const v = load<i64>(x1 + (i << 3));
    store<i64>(X1 + (i << 3), v);
    store<i64>(X1 + 80 + (i << 3), v * 19);
    store<i64>(RR + (i << 4), v);
  }
  store<i64>(PP, 1); // x_2 = 1, z_2 = 0
  store<i64>(RR + 8, 1); // x_3 = x_1, z_3 = 1
  let swap: u32 = 0;
  for (let t = 254; t >= 0; t--) {
    const kt = ((<u32>load<u8>(k + ((<usize>t) >> 3))) >> ((<u32>t) & 7)) & 1;
    swap ^= kt;
    stepA(i64x2.splat(-(<i64>swap)));
    swap = kt;
    stepB();
  }
  const m = i64x2.splat(-(<i64>swap));
  for (let i: usize = 0; i < 10; i++) {
    const v = v128.bitselect(v128.load(RR + (i << 4)), v128.load(PP + (i << 4)), m);
    store<i64>(x2 + (i << 3), i64x2.extract_lane(v, 0));
    store<i64>(z2 + (i << 3), i64x2.extract_lane(v, 1));
  }
  memory.fill(REGS, 0, LADDER_SIZE);
}
`;
}

writeOrCheck("gen_x25519_simd", [[OUT, await formatted(OUT, fileText())]]);

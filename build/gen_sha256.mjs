// Generates assembly/crypto/sha256_rounds.ts, the SHA-256 compression function (FIPS 180-4 §6.2.2):
// 64 rounds unrolled, once for the scalar module and once for the SIMD module, too long and too
// regular to write by hand. `npm run build` runs it (the file is written only when its text
// changes); `npm run lint` runs it with --check, which writes nothing and fails when the checked-in
// file is stale.
//   node build/gen_sha256.mjs [--check]
//
// What it writes, per round t (the design and the measured figures are in the generated file's
// header below):
//   - the round constant K_t (§4.2.2), computed here from its definition: the first 32 bits of the
//     fractional part of the cube root of the t-th prime;
//   - the round body, on eight u32 locals renamed instead of shifted (§6.2.2 step 3): the local that
//     holds h in round t holds g in round t + 1, so round t writes the locals of roles h and d, and
//     the roles rotate by one local each round (back to the start every eight rounds);
//   - Maj(a, b, c) as b ^ ((a ^ b) & (b ^ c)): b ^ c is the previous round's a ^ b, kept in one of
//     two locals that take turns;
//   - the message schedule (§6.2.2 step 1): in the scalar function one word before each of rounds
//     16..63 on sixteen rolling locals, in the SIMD function four words after every fourth round,
//     twelve rounds ahead of their use, through the WK area with K added.
// The small functions the rounds call (Sigma, sigma, their v128 forms) and the WK area are written
// by hand in sha256.ts, with the API around the compression.
import { formatted, writeOrCheck } from "./generated_files.mjs";

const OUT = "assembly/crypto/sha256_rounds.ts";

// ---- the round constants, §4.2.2 -----------------------------------------------------------------

/** The first n primes. */
function primes(n) {
  const ps = [];
  for (let k = 2; ps.length < n; k++) if (ps.every((p) => k % p !== 0)) ps.push(k);
  return ps;
}

/** floor(cbrt(x)) of a nonnegative BigInt, by Newton's method from above. */
function icbrt(x) {
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / 3) + 1);
  for (;;) {
    const next = (2n * r + x / (r * r)) / 3n;
    if (next >= r) break;
    r = next;
  }
  while (r * r * r > x) r--;
  while ((r + 1n) * (r + 1n) * (r + 1n) <= x) r++;
  return r;
}

/** K_t: the first 32 fractional bits of cbrt(p_t) are floor(cbrt(p_t 2^96)) mod 2^32. */
const K = primes(64).map((p) => Number(icbrt(BigInt(p) << 96n) & 0xffffffffn));
if (K[0] !== 0x428a2f98 || K[63] !== 0xc67178f2) throw new Error("gen_sha256: K is wrong");
const hex = (k) => `0x${k.toString(16).padStart(8, "0")}`;

// ---- the round bodies ----------------------------------------------------------------------------

/** The eight working variables (h is `hh`: `h` is the state pointer). */
const VARS = ["a", "b", "c", "d", "e", "f", "g", "hh"];
/** The locals holding a..h in round t: role i is the local i - t (mod 8). */
const roles = (t) => VARS.map((_, i) => VARS[(((i - t) % 8) + 8) % 8]);

/**
 * The end of a round in both functions (`v`: the locals of a..h): T2 = Sigma0(a) + Maj(a, b, c)
 * added to h, Maj from this round's a ^ b (`cur`, the next round's `prev`) and the previous one's.
 */
function roundTail(v, cur, prev) {
  const [A, B, Hv] = [v[0], v[1], v[7]];
  return [`${cur} = ${A} ^ ${B};`, `${Hv} += bs0(${A}) + (${B} ^ (${cur} & ${prev}));`];
}

/** Round t of the scalar function, with W_t's schedule step first for t >= 16 (locals w0..w15). */
function scalarRound(t) {
  const v = roles(t);
  const [, , , D, E, F, G, Hv] = v;
  const w = (i) => `w${(t + i) % 16}`;
  const s = [];
  // W_t = sigma1(W_t-2) + W_t-7 + sigma0(W_t-15) + W_t-16, in place of W_t-16
  if (t >= 16) s.push(`${w(0)} += ${w(9)} + ss0(${w(1)}) + ss1(${w(14)});`);
  s.push(`${Hv} += ${hex(K[t])} + ${w(0)};`);
  s.push(`${Hv} += ${G} ^ (${E} & (${F} ^ ${G}));`);
  s.push(`${Hv} += bs1(${E});`);
  s.push(`${D} += ${Hv};`);
  const [cur, prev] = t % 2 === 0 ? ["y", "x"] : ["x", "y"];
  return s.concat(roundTail(v, cur, prev));
}

/**
 * Round t of the SIMD function: h + W_t + K_t from WK, added to d before Ch and Sigma1 are ready,
 * then Ch and Sigma1 added to d and to h separately.
 */
function simdRound(t) {
  const v = roles(t);
  const [, , , D, E, F, G, Hv] = v;
  const [cur, prev] = t % 2 === 0 ? ["n", "m"] : ["m", "n"];
  return [
    `${Hv} += load<u32>(WK, ${4 * t});`,
    `${D} += ${Hv};`,
    `r = ${G} ^ (${E} & (${F} ^ ${G}));`,
    `q = bs1(${E});`,
    `${D} += r;`,
    `${D} += q;`,
    `${Hv} += r;`,
    `${Hv} += q;`,
    ...roundTail(v, cur, prev),
  ];
}

// ---- the SIMD message schedule --------------------------------------------------------------------

const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);
/** Bytes 4..19 of the pair (x, y): words 1, 2, 3 of x and word 0 of y. */
const NEXT_WORDS = range(4, 20).join(", ");
/** Each word of a v128 byte-swapped (the block's words are big-endian). */
const BSWAP = range(0, 4)
  .flatMap((i) => [3, 2, 1, 0].map((j) => 4 * i + j))
  .join(", ");
/** The v128 holding W_4j..W_4j+3 (j mod 4). */
const xv = (j) => `x${j % 4}`;
/** W + K of group j (rounds 4j..4j+3) into WK. */
const storeWK = (j) =>
  `v128.store(WK, i32x4.add(${xv(j)}, i32x4(${K.slice(4 * j, 4 * j + 4)
    .map(hex)
    .join(", ")})), ${16 * j});`;

/** Group j (j >= 4) of the schedule: W_4j..W_4j+3 from the four groups before it, in place of j - 4. */
function simdSchedule(j) {
  const [x0, x1, x2, x3] = [0, 1, 2, 3].map((i) => xv(j + i));
  return [
    // sigma0(W_t-15) + W_t-16
    `s = i32x4.add(${x0}, sig0(i8x16.shuffle(${x0}, ${x1}, ${NEXT_WORDS})));`,
    // + W_t-7
    `s = i32x4.add(s, i8x16.shuffle(${x2}, ${x3}, ${NEXT_WORDS}));`,
    // + sigma1(W_t-2) for the first two words, whose W_t-2 are in the group before
    `s = i32x4.add(s, sig1Lo(${x3}));`,
    // + sigma1(W_t-2) for the last two, whose W_t-2 are the first two just made
    `${x0} = i32x4.add(s, sig1Hi(s));`,
    storeWK(j),
  ];
}

// ---- the functions --------------------------------------------------------------------------------

const loadState = [
  "let a = load<u32>(h, 0), b = load<u32>(h, 4), c = load<u32>(h, 8), d = load<u32>(h, 12);",
  "let e = load<u32>(h, 16), f = load<u32>(h, 20), g = load<u32>(h, 24), hh = load<u32>(h, 28);",
];
const saveInputs = `const ${VARS.map((v) => `${v === "hh" ? "h" : v}0 = ${v}`).join(", ")};`;
/** §6.2.2 step 4, after the blank line that ends the rounds; then the next block. */
const addInputs = ["", ...VARS.map((v) => `${v} += ${v === "hh" ? "h" : v}0;`), "p += 64;"];
const storeState = VARS.map((v, i) => `store<u32>(h, ${v}, ${4 * i});`);

function scalarBody() {
  const s = [...loadState, "while (blocks--) {"];
  for (let i = 0; i < 16; i += 4)
    s.push(
      `let ${range(i, i + 4)
        .map((k) => `w${k} = bswap<u32>(load<u32>(p, ${4 * k}))`)
        .join(", ")};`,
    );
  s.push(saveInputs, "let x = b ^ c, y: u32 = 0;");
  for (let t = 0; t < 64; t++) s.push(...scalarRound(t));
  s.push(...addInputs, "}", ...storeState);
  return s;
}

function simdBody() {
  const s = [...loadState, "const z = i32x4.splat(0);", "let x0 = z, x1 = z, x2 = z, x3 = z, s = z;"];
  s.push("while (blocks--) {", saveInputs, "let m = b ^ c, n: u32 = 0, r: u32 = 0, q: u32 = 0;");
  for (let j = 0; j < 4; j++) {
    s.push(`${xv(j)} = i8x16.shuffle(v128.load(p, ${16 * j}), z, ${BSWAP});`, storeWK(j));
  }
  for (let t = 0; t < 64; t++) {
    s.push(...simdRound(t));
    // after rounds 4j..4j+3, the group that rounds 4j+16.. use: twelve rounds ahead
    const j = (t + 1) / 4 + 3;
    if (t % 4 === 3 && j < 16) s.push(...simdSchedule(j));
  }
  s.push(...addInputs, "}", ...storeState, "memory.fill(WK, 0, 256);");
  return s;
}

// ---- the file -------------------------------------------------------------------------------------

function fileText() {
  const body = (xs) => xs.map((x) => `  ${x}`).join("\n");
  return `// Generated by build/gen_sha256.mjs: do not edit.
//
// The SHA-256 compression function, FIPS 180-4 §6.2.2 (round constants §4.2.2), for the API in
// sha256.ts. Both versions unroll the 64 rounds with the round constants inline, and rename the
// eight working variables instead of shifting them (step 3): the local that holds h in one round
// holds g in the next, so a round writes two locals and moves none. Maj(a, b, c) is written
// b ^ ((a ^ b) & (b ^ c)), where b ^ c is the previous round's a ^ b: one operation fewer per round.
// The scalar module keeps the message schedule (step 1) in sixteen rolling locals; the SIMD module
// computes it four words at a time in v128 lanes.

import { bs0, bs1, ss0, ss1, sig0, sig1Lo, sig1Hi, WK } from "./sha256";

/**
 * Compresses \`blocks\` consecutive 64-byte blocks at \`p\` into the state at \`h\`. The 64 rounds are
 * unrolled with the round constants (§4.2.2) inline and the message schedule (§6.2.2 step 1) kept
 * in sixteen rolling locals; the variables are renamed instead of shifted (step 3). Measured in
 * tests/bench/crypto.mjs: SHA-256 of 16 KiB went from 240 to 333 MB/s against the looped version
 * with W and K in memory. Maj(a, b, c) is b ^ ((a ^ b) & (b ^ c)), where b ^ c is the previous
 * round's a ^ b: one operation fewer per round. The SIMD build computes the schedule in v128
 * lanes instead (sha256BlocksSimd).
 */
export function sha256Blocks(h: usize, p: usize, blocks: usize): void {
  if (ASC_FEATURE_SIMD) {
    sha256BlocksSimd(h, p, blocks);
    return;
  }
${body(scalarBody())}
}

/**
 * sha256Blocks for the SIMD build: the schedule for four rounds at a time in one v128, with the
 * round constants added, goes through WK while the rounds run on scalar locals, so the vector
 * units take the schedule off the integer ones. Each round adds Ch and Sigma1 to d and to T1
 * separately (d + h + W + K is ready early), which shortens the dependency chain through e by
 * one addition. Measured against the scalar rounds in the same module: 16 KiB in 23.1 instead of
 * 29.4 us (7% of it from the shorter chain).
 */
function sha256BlocksSimd(h: usize, p: usize, blocks: usize): void {
${body(simdBody())}
}
`;
}

writeOrCheck("gen_sha256", [[OUT, await formatted(OUT, fileText())]]);

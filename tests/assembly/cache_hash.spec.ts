// The cache's keyed hash (assembly/cache/keyed_hash.ts) against a plain SipHash written from the
// paper, round by round in a loop with c compression and d finalization rounds. The plain one is
// first checked against the published SipHash-2-4 vectors (key 00..0f, message 00 01 02 ..);
// hashKey must then agree with it at c = 1, d = 3 for every id length 0..32 and several keys.
import { hashKey } from "../../assembly/cache/keyed_hash";

const MSG = memory.data(64);

function rotl(x: u64, b: u64): u64 {
  return (x << b) | (x >> (64 - b));
}

/** SipHash-c-d of [p, p + n) under (k0, k1), the 64-bit result. */
function plainSipHash(c: i32, d: i32, k0: u64, k1: u64, p: usize, n: u32): u64 {
  const v = new StaticArray<u64>(4);
  v[0] = k0 ^ 0x736f6d6570736575;
  v[1] = k1 ^ 0x646f72616e646f6d;
  v[2] = k0 ^ 0x6c7967656e657261;
  v[3] = k1 ^ 0x7465646279746573;
  const rounds = (r: i32, v: StaticArray<u64>): void => {
    for (let i = 0; i < r; i++) {
      v[0] += v[1];
      v[1] = rotl(v[1], 13) ^ v[0];
      v[0] = rotl(v[0], 32);
      v[2] += v[3];
      v[3] = rotl(v[3], 16) ^ v[2];
      v[0] += v[3];
      v[3] = rotl(v[3], 21) ^ v[0];
      v[2] += v[1];
      v[1] = rotl(v[1], 17) ^ v[2];
      v[2] = rotl(v[2], 32);
    }
  };
  // Every byte goes into a word, little-endian; the last word carries n mod 256 in its top byte.
  for (let w: u32 = 0; w <= n / 8; w++) {
    let m: u64 = 0;
    for (let j: u32 = 0; j < 8; j++) {
      const i = w * 8 + j;
      if (i < n) m |= (<u64>load<u8>(p + i)) << (8 * j);
    }
    if (w == n / 8) m |= (<u64>(n & 0xff)) << 56;
    v[3] ^= m;
    rounds(c, v);
    v[0] ^= m;
  }
  v[2] ^= 0xff;
  rounds(d, v);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

const K0: u64 = 0x0706050403020100;
const K1: u64 = 0x0f0e0d0c0b0a0908;

describe("keyed hash", () => {
  it("the plain SipHash gives the published SipHash-2-4 vectors", () => {
    for (let i = 0; i < 64; i++) store<u8>(MSG + i, <u8>i);
    expect<u64>(plainSipHash(2, 4, K0, K1, MSG, 0)).toBe(0x726fdb47dd0e0e31);
    expect<u64>(plainSipHash(2, 4, K0, K1, MSG, 1)).toBe(0x74f839c593dc67fd);
    expect<u64>(plainSipHash(2, 4, K0, K1, MSG, 7)).toBe(0xab0200f58b01d137);
    expect<u64>(plainSipHash(2, 4, K0, K1, MSG, 8)).toBe(0x93f5f5799a932462);
    expect<u64>(plainSipHash(2, 4, K0, K1, MSG, 15)).toBe(0xa129ca6149be45e5);
    expect<u64>(plainSipHash(2, 4, K0, K1, MSG, 63)).toBe(0x958a324ceb064572);
  });

  it("hashKey is SipHash-1-3 of (version LE) || id, folded to 32 bits, at every id length", () => {
    let seed: u32 = 0x9e3779b9;
    const next = (s: u32): u32 => s * 1664525 + 1013904223;
    for (let round = 0; round < 8; round++) {
      const k0: u64 = round == 0 ? K0 : ((<u64>(seed = next(seed))) << 32) | (seed = next(seed));
      const k1: u64 = round == 0 ? K1 : ((<u64>(seed = next(seed))) << 32) | (seed = next(seed));
      for (let i = 0; i < 64; i++) store<u8>(MSG + i, round == 0 ? <u8>i : (<u8>(seed = next(seed))) >> 24);
      const version = <i32>load<u32>(MSG);
      for (let len: u32 = 0; len <= 32; len++) {
        const want = plainSipHash(1, 3, k0, k1, MSG, len + 4);
        expect<u32>(hashKey(k0, k1, version, MSG + 4, len)).toBe(<u32>(want ^ (want >> 32)));
      }
    }
  });
});

// Unit tests of the bitsliced AES internals: the S-box circuit and its inverse against the
// definition (FIPS 197 §5.1.1: multiplicative inverse in GF(2^8), then the affine map), exhaustively,
// and the slice/unslice conversion as an exact inverse pair.
import {
  sbox,
  invSbox,
  slice,
  unslice,
  aesInit,
  aesEncryptBlocks,
  aesDecryptBlocks,
  AES_CTX_SIZE,
} from "../../assembly/crypto/aes";

function gmul(a: u32, b: u32): u32 {
  let p: u32 = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}

function refSbox(x: u32): u32 {
  let inv: u32 = 0;
  if (x != 0)
    for (let y: u32 = 1; y < 256; y++)
      if (gmul(x, y) == 1) {
        inv = y;
        break;
      }
  let s = inv;
  for (let i: u32 = 1; i <= 4; i++) s ^= ((inv << i) | (inv >> (8 - i))) & 0xff;
  return s ^ 0x63;
}

const BYTES = memory.data(64);
const OUT = memory.data(64);
const SL = memory.data(64);

describe("bitsliced S-box", () => {
  it("matches the FIPS 197 definition for all 256 inputs, and the inverse undoes it", () => {
    for (let base: u32 = 0; base < 256; base += 64) {
      for (let i: u32 = 0; i < 64; i++) store<u8>(BYTES + i, <u8>(base + i));
      slice(BYTES, SL);
      sbox(SL);
      unslice(SL, OUT);
      for (let i: u32 = 0; i < 64; i++) expect<u32>(load<u8>(OUT + i)).toBe(refSbox(base + i));
      slice(OUT, SL);
      invSbox(SL);
      unslice(SL, OUT);
      for (let i: u32 = 0; i < 64; i++) expect<u32>(load<u8>(OUT + i)).toBe(base + i);
    }
  });

  it("slice and unslice are inverse", () => {
    for (let i: u32 = 0; i < 64; i++) store<u8>(BYTES + i, <u8>(i * 37 + 11));
    slice(BYTES, SL);
    unslice(SL, OUT);
    expect<i32>(memory.compare(BYTES, OUT, 64)).toBe(0);
  });
});

const KEY = memory.data<u8>([
  0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
]);
const PT = memory.data<u8>([
  0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d, 0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34,
]);
const CT = memory.data<u8>([
  0x39, 0x25, 0x84, 0x1d, 0x02, 0xdc, 0x09, 0xfb, 0xdc, 0x11, 0x85, 0x97, 0x19, 0x6a, 0x0b, 0x32,
]);
const CTX = memory.data(<i32>AES_CTX_SIZE);

describe("AES block", () => {
  it("FIPS 197 Appendix B, in each of the four lanes", () => {
    expect<bool>(aesInit(CTX, KEY, 16)).toBe(true);
    for (let j: usize = 0; j < 4; j++) memory.copy(BYTES + (j << 4), PT, 16);
    aesEncryptBlocks(CTX, BYTES, OUT, 4);
    for (let j: usize = 0; j < 4; j++) expect<i32>(memory.compare(OUT + (j << 4), CT, 16)).toBe(0);
    aesDecryptBlocks(CTX, OUT, OUT, 3);
    for (let j: usize = 0; j < 3; j++) expect<i32>(memory.compare(OUT + (j << 4), PT, 16)).toBe(0);
  });
  it("rejects other key lengths", () => {
    expect<bool>(aesInit(CTX, KEY, 24)).toBe(false);
    expect<bool>(aesInit(CTX, KEY, 0)).toBe(false);
  });
});

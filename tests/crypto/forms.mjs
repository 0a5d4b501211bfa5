// Derived forms of an HMAC-SHA256 key, as the module holds them, for the tests that look for
// secrets in linear memory: K ^ ipad, K ^ opad and the SHA-256 states after each.
import { createHash } from "node:crypto";

const K256 = new Uint32Array(
  "428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 d807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174 e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da 983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85 a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2"
    .split(" ")
    .map((h) => Number.parseInt(h, 16)),
);

/** The SHA-256 state after one 64-byte block, as the module stores it (eight u32, little-endian). */
export function sha256StateAfter(block) {
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const dv = new DataView(block.buffer, block.byteOffset, 64);
  for (let i = 0; i < 16; i++) w[i] = dv.getUint32(i * 4);
  const r = (x, n) => (x >>> n) | (x << (32 - n));
  for (let i = 16; i < 64; i++) {
    const s0 = r(w[i - 15], 7) ^ r(w[i - 15], 18) ^ (w[i - 15] >>> 3);
    const s1 = r(w[i - 2], 17) ^ r(w[i - 2], 19) ^ (w[i - 2] >>> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  let [a, b, c, d, e, f, g, hh] = h;
  for (let i = 0; i < 64; i++) {
    const t1 = (hh + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) >>> 0;
    const t2 = ((r(a, 2) ^ r(a, 13) ^ r(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  const out = new Uint32Array(8);
  [a, b, c, d, e, f, g, hh].forEach((v, i) => {
    out[i] = (h[i] + v) >>> 0;
  });
  return new Uint8Array(out.buffer); // little-endian words on every platform Node runs on
}

/** What an HMAC-SHA256 key turns into: K ^ ipad, K ^ opad, and the two keyed states. */
export function hmacForms(key) {
  if (key.length > 64) key = new Uint8Array(createHash("sha256").update(key).digest());
  const ipad = new Uint8Array(64).fill(0x36),
    opad = new Uint8Array(64).fill(0x5c);
  for (let i = 0; i < key.length; i++) {
    ipad[i] ^= key[i];
    opad[i] ^= key[i];
  }
  return [ipad.subarray(0, 16), opad.subarray(0, 16), sha256StateAfter(ipad), sha256StateAfter(opad)];
}

/** Where `needle` next occurs in `hay` from `from`, or -1 (a byte search, as Buffer's). */
export function indexOf(hay, needle, from = 0) {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(
    Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength),
    from,
  );
}

/** How many times `needle` occurs in `hay` (overlapping occurrences count). */
export function count(hay, needle) {
  let c = 0;
  for (let i = indexOf(hay, needle); i >= 0; i = indexOf(hay, needle, i + 1)) c++;
  return c;
}

/** 16-byte pieces of `b` every 8 bytes, so a partial copy is found too; `b` itself when shorter. */
export function pieces(b) {
  if (b.length <= 16) return [b];
  const out = [];
  for (let i = 0; i + 16 <= b.length; i += 8) out.push(b.subarray(i, i + 16));
  return out;
}

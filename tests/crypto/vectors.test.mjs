// Published vectors: FIPS 180-4 (SHA-2), RFC 4231 (HMAC), RFC 5869 (HKDF), TLS 1.2 PRF,
// FIPS 197 (AES), GCM spec test cases, RFC 7748 (X25519, including the 1,000-iteration check).
import { test } from "node:test";
import assert from "node:assert/strict";
import { lib, vectors, hex, unhex } from "./lib.mjs";

test("FIPS 180-4 SHA-256/384/512 examples", () => {
  for (const c of vectors("fips180-4.json").cases) {
    const msg = c.repeat
      ? new TextEncoder().encode(c.repeat.char.repeat(c.repeat.count))
      : new TextEncoder().encode(c.message);
    assert.equal(hex(lib.hash(c.hash, msg)), c.digest, `${c.hash} ${c.message ?? "million a"}`);
    // also streamed in uneven pieces
    const h = lib.createHash(c.hash);
    for (let i = 0; i < msg.length; i += 99991) h.update(msg.subarray(i, i + 99991));
    assert.equal(hex(h.digest()), c.digest);
    h.free();
  }
});

test("RFC 4231 HMAC-SHA-256/384/512 test cases 1-7", () => {
  /** @type {Record<string, import("../../dist/index.js").HashName>} */
  const names = { "HMAC-SHA-256": "sha256", "HMAC-SHA-384": "sha384", "HMAC-SHA-512": "sha512" };
  let n = 0;
  for (const c of vectors("rfc4231.json").cases) {
    for (const [k, h] of Object.entries(names)) {
      const mac = lib.hmac(h, unhex(c.key), unhex(c.data));
      const want = c[k];
      assert.equal(hex(mac).slice(0, want.length), want, `case ${c.case} ${k}`);
      assert.equal(lib.hmacVerify(h, unhex(c.key), unhex(c.data), unhex(want)), true);
      n++;
    }
  }
  assert.equal(n, 21);
});

test("RFC 5869 HKDF test cases 1-7", () => {
  for (const c of vectors("rfc5869.json").cases) {
    const h =
      c.hash === "SHA-256" ? "sha256" : c.hash === "SHA-1" ? null : c.hash.toLowerCase().replace("-", "");
    if (!h) continue; // SHA-1 cases (4-7) are outside this module
    const prk = lib.hkdfExtract(h, c.salt === null ? undefined : unhex(c.salt), unhex(c.IKM));
    assert.equal(hex(prk), c.PRK, `case ${c.case} PRK`);
    assert.equal(hex(lib.hkdfExpand(h, prk, unhex(c.info), c.L)), c.OKM, `case ${c.case} OKM`);
  }
});

test("TLS 1.2 PRF vectors (P_SHA256, P_SHA384, master secret, EMS, key expansion)", () => {
  for (const c of vectors("tls12-prf.json").cases) {
    const h = c.digest.toLowerCase();
    const out = lib.tls12Prf(h, unhex(c.secret), c.label, unhex(c.seed), c.length);
    assert.equal(hex(out), c.output, c.name);
    if (c.label === "master secret" && c.seed.length === 128) {
      assert.equal(
        hex(lib.tls12.masterSecret(h, unhex(c.secret), unhex(c.seed.slice(0, 64)), unhex(c.seed.slice(64)))),
        c.output,
      );
    }
    if (c.label === "extended master secret") {
      assert.equal(hex(lib.tls12.extendedMasterSecret(h, unhex(c.secret), unhex(c.seed))), c.output);
    }
    if (c.label === "key expansion" && c.seed.length === 128) {
      assert.equal(
        hex(
          lib.tls12.keyBlock(
            h,
            unhex(c.secret),
            unhex(c.seed.slice(0, 64)),
            unhex(c.seed.slice(64)),
            c.length,
          ),
        ),
        c.output,
      );
    }
  }
});

test("FIPS 197 AES-128 / AES-256 block examples (via CBC with a zero IV, first block)", () => {
  for (const c of vectors("fips197.json").cases) {
    const ct = lib.aesCbcEncrypt(unhex(c.key), new Uint8Array(16), unhex(c.plaintext));
    assert.equal(hex(ct.subarray(0, 16)), c.ciphertext, c.section);
    assert.equal(hex(lib.aesCbcDecrypt(unhex(c.key), new Uint8Array(16), ct)), c.plaintext);
  }
});

test("GCM specification test cases 1-6 and 13-18", () => {
  for (const c of vectors("gcm.json").cases) {
    const sealed = lib.aesGcmSeal(unhex(c.key), unhex(c.iv), unhex(c.plaintext), unhex(c.aad));
    assert.equal(hex(sealed), c.ciphertext + c.tag, `case ${c.case}`);
    assert.equal(hex(lib.aesGcmOpen(unhex(c.key), unhex(c.iv), sealed, unhex(c.aad))), c.plaintext);
  }
});

test("RFC 7748 X25519 vectors, Diffie-Hellman example, 1 and 1,000 iterations", () => {
  const v = vectors("rfc7748.json");
  for (const c of v.scalar_mult)
    assert.equal(hex(lib.x25519(unhex(c.scalar), unhex(c.u))), c.output, c.section);
  const dh = v.diffie_hellman;
  assert.equal(hex(lib.x25519PublicKey(unhex(dh.alice_private))), dh.alice_public);
  assert.equal(hex(lib.x25519PublicKey(unhex(dh.bob_private))), dh.bob_public);
  assert.equal(hex(lib.x25519(unhex(dh.alice_private), unhex(dh.bob_public))), dh.shared_secret);
  assert.equal(hex(lib.x25519(unhex(dh.bob_private), unhex(dh.alice_public))), dh.shared_secret);
  let k = unhex(v.iterated.start),
    u = unhex(v.iterated.start);
  for (let i = 1; i <= 1000; i++) {
    [k, u] = [lib.x25519(k, u), k];
    if (i === 1) assert.equal(hex(k), v.iterated.after_1);
  }
  assert.equal(hex(k), v.iterated.after_1000);
});

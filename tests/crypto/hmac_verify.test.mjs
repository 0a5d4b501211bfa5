// hmacVerify refuses tags shorter than 16 bytes unless the caller opts in with minTagLength: a
// 1-byte tag is forged in about 128 guesses, which the last test shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { lib } from "./lib.mjs";

const key = new Uint8Array(32).fill(3),
  data = new TextEncoder().encode("hmacVerify");
const mac = (h) => new Uint8Array(createHmac(h, key).update(data).digest());
/** The library without its types: these tests pass what the declarations forbid, on purpose. */
const untyped = /** @type {any} */ (lib);

test("tags of 16 bytes up to the hash length verify without options; a wrong one is false", () => {
  /** @type {[import("../../dist/index.js").HashName, number][]} */
  const cases = [
    ["sha256", 32],
    ["sha384", 48],
    ["sha512", 64],
  ];
  for (const [h, hl] of cases) {
    const full = mac(h);
    for (const n of [16, 20, hl]) {
      assert.equal(lib.hmacVerify(h, key, data, full.subarray(0, n)), true, `${h} ${n} bytes`);
      const bad = full.slice(0, n);
      bad[n - 1] ^= 0x80;
      assert.equal(lib.hmacVerify(h, key, data, bad), false);
    }
    assert.throws(() => lib.hmacVerify(h, key, data, new Uint8Array(hl + 1)), RangeError);
  }
});

test("a tag shorter than 16 bytes is a RangeError unless minTagLength allows it", () => {
  const full = mac("sha256");
  for (const n of [0, 1, 8, 12, 15]) {
    assert.throws(
      () => lib.hmacVerify("sha256", key, data, full.subarray(0, n)),
      (e) => e instanceof RangeError && /at least 16 bytes/.test(e.message) && /minTagLength/.test(e.message),
      `${n} bytes`,
    );
  }
  assert.equal(lib.hmacVerify("sha256", key, data, full.subarray(0, 12), { minTagLength: 12 }), true);
  assert.equal(lib.hmacVerify("sha256", key, data, full.subarray(0, 1), { minTagLength: 1 }), true);
  assert.throws(
    () => lib.hmacVerify("sha256", key, data, full.subarray(0, 11), { minTagLength: 12 }),
    RangeError,
  );
  // Raising the bound is allowed too.
  assert.throws(
    () => lib.hmacVerify("sha256", key, data, full.subarray(0, 16), { minTagLength: 32 }),
    RangeError,
  );
  assert.equal(lib.hmacVerify("sha256", key, data, full, { minTagLength: 32 }), true);
  // An empty tag is never a MAC.
  assert.throws(
    () => lib.hmacVerify("sha256", key, data, new Uint8Array(0), { minTagLength: 1 }),
    RangeError,
  );
});

test("minTagLength must be an integer from 1 to the hash length", () => {
  const full = mac("sha256");
  for (const bad of [0, -1, 33, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
    assert.throws(
      () => lib.hmacVerify("sha256", key, data, full, { minTagLength: bad }),
      RangeError,
      String(bad),
    );
  for (const bad of ["16", null, 16n])
    assert.throws(
      () => untyped.hmacVerify("sha256", key, data, full, { minTagLength: bad }),
      TypeError,
      String(bad),
    );
  assert.throws(() => untyped.hmacVerify("sha256", key, data, full, 16), TypeError);
});

test("why: with a 1-byte tag allowed, a forger finds an accepted tag within 256 guesses", () => {
  let found = -1;
  for (let g = 0; g < 256 && found < 0; g++)
    if (lib.hmacVerify("sha256", key, data, new Uint8Array([g]), { minTagLength: 1 })) found = g;
  assert.equal(found, mac("sha256")[0]);
  assert.throws(() => lib.hmacVerify("sha256", key, data, new Uint8Array([found])), RangeError);
});

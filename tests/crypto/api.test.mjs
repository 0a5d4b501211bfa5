// The crypto API's contract: wrong types throw TypeError and wrong lengths RangeError, naming the
// argument; results are copies; hashers free their memory; and the raw ABI answers bad pointers and
// lengths with a status, never a trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { randomFillSync } from "node:crypto";
import { lib, hex } from "./lib.mjs";

const u8 = (n, v = 0) => new Uint8Array(n).fill(v);
const k16 = u8(16),
  k32 = u8(32),
  iv = u8(16);

function throwsNaming(fn, type, name) {
  assert.throws(
    fn,
    (/** @type {any} */ e) => e instanceof type && e.message.includes(name),
    `${type.name} naming ${name}`,
  );
}

/** The library without its types: these tests pass what the declarations forbid, on purpose. */
const untyped = /** @type {any} */ (lib);

test("wrong types are TypeErrors naming the argument", () => {
  throwsNaming(() => untyped.sha256("abc"), TypeError, "data");
  throwsNaming(() => untyped.sha384([1, 2]), TypeError, "data");
  throwsNaming(() => untyped.sha512(null), TypeError, "data");
  throwsNaming(() => untyped.hmac(1, k16, u8(1)), TypeError, "hash");
  throwsNaming(() => untyped.hmac("sha256", "key", u8(1)), TypeError, "key");
  throwsNaming(() => untyped.hkdfExtract("sha256", 5, u8(1)), TypeError, "salt");
  throwsNaming(() => untyped.hkdfExpand("sha256", u8(32), u8(1), "10"), TypeError, "length");
  throwsNaming(() => untyped.hkdfExpandLabel("sha256", u8(32), 7, u8(0), 32), TypeError, "label");
  throwsNaming(() => untyped.tls12Prf("sha256", u8(48), "x", {}, 12), TypeError, "seed");
  throwsNaming(() => untyped.x25519(u8(32), new Uint16Array(16)), TypeError, "uCoordinate");
  throwsNaming(() => untyped.aesCbcEncrypt(k16, iv, "text"), TypeError, "plaintext");
  throwsNaming(() => untyped.aesGcmSeal(k16, u8(12), u8(1), "aad"), TypeError, "aad");
  throwsNaming(() => untyped.tls13.keySchedule(null), TypeError, "input");
  throwsNaming(() => untyped.createHash("sha256").update(5), TypeError, "data");
});

test("wrong lengths and values are RangeErrors naming the argument", () => {
  throwsNaming(() => untyped.hmac("md5", k16, u8(1)), RangeError, "hash");
  throwsNaming(() => untyped.hkdfExpand("sha256", u8(32), u8(0), 255 * 32 + 1), RangeError, "length");
  throwsNaming(() => untyped.hkdfExpand("sha256", u8(32), u8(0), -1), RangeError, "length");
  throwsNaming(
    () => untyped.hkdfExpandLabel("sha256", u8(32), "x".repeat(250), u8(0), 32),
    RangeError,
    "label",
  );
  throwsNaming(() => untyped.hkdfExpandLabel("sha256", u8(32), "x", u8(256), 32), RangeError, "context");
  throwsNaming(() => untyped.x25519(u8(31), u8(32)), RangeError, "scalar");
  throwsNaming(() => untyped.x25519(u8(32), u8(33)), RangeError, "uCoordinate");
  throwsNaming(() => untyped.aesCbcEncrypt(u8(24), iv, u8(1)), RangeError, "key");
  throwsNaming(() => untyped.aesCbcEncrypt(k16, u8(12), u8(1)), RangeError, "iv");
  throwsNaming(() => untyped.aesCbcDecrypt(k32, iv, u8(17)), RangeError, "ciphertext");
  throwsNaming(() => untyped.aesGcmSeal(k16, u8(0), u8(1)), RangeError, "iv");
  throwsNaming(() => untyped.aesGcmOpen(k16, u8(12), u8(15)), RangeError, "sealed");
  throwsNaming(
    () => untyped.tls12.masterSecret("sha256", u8(48), u8(31), u8(32)),
    RangeError,
    "clientRandom",
  );
  throwsNaming(
    () => untyped.tls13.resumptionPsk("sha256", u8(48), u8(2)),
    RangeError,
    "resumptionMasterSecret",
  );
  throwsNaming(() => untyped.tls13.trafficKeys("sha384", u8(48), 0), RangeError, "keyLength");
  throwsNaming(
    () =>
      untyped.tls13.keySchedule({
        hash: "sha256",
        transcript: {
          clientHello: u8(32),
          serverHello: u8(32),
          serverFinished: u8(31),
          clientFinished: u8(32),
        },
      }),
    RangeError,
    "serverFinished",
  );
  throwsNaming(() => untyped.hmacVerify("sha256", k16, u8(1), u8(33)), RangeError, "tag");
});

test("authentication failures and malformed messages are errors, and the instance keeps working", () => {
  const sealed = lib.aesGcmSeal(k16, u8(12), u8(40, 7), u8(3));
  sealed[0] ^= 1;
  assert.throws(() => lib.aesGcmOpen(k16, u8(12), sealed, u8(3)), /authentication failed/);
  assert.throws(() => lib.aesCbcDecrypt(k16, iv, u8(32, 0)), /decryption failed/);
  assert.throws(() => lib.x25519(u8(32, 1), u8(32, 0)), /all zeros/);
  assert.throws(() => lib.tls13.parseNewSessionTicket(u8(3)));
  assert.throws(() => lib.tls13.verifyBinder("sha256", u8(32), u8(100, 1)));
  for (let i = 0; i < 300; i++) {
    const junk = new Uint8Array(i);
    randomFillSync(junk);
    if (i > 0) junk[0] = [1, 4][i & 1];
    try {
      lib.tls13.parseNewSessionTicket(junk);
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError));
    }
    try {
      lib.tls13.verifyBinder("sha256", u8(32), junk);
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError));
    }
  }
  assert.equal(
    hex(lib.sha256(new Uint8Array(0))),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

test("results are independent copies; large inputs go through host buffers", () => {
  const a = lib.sha256(u8(1)),
    b = lib.sha256(u8(2));
  assert.notEqual(hex(a), hex(b));
  assert.equal(hex(a), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const big = u8(1 << 20, 0x61);
  assert.equal(lib.sha512(big).length, 64);
  const ct = lib.aesCbcEncrypt(k32, iv, big);
  assert.equal(lib.aesCbcDecrypt(k32, iv, ct).length, big.length);
});

test("streaming hashers: digest once, clone, free, Symbol.dispose", () => {
  const h = lib.createHash("sha384");
  h.update(u8(10));
  const c = h.clone();
  assert.equal(hex(h.digest()), hex(lib.sha384(u8(10))));
  assert.throws(() => h.digest(), /finished/);
  c.update(u8(5));
  assert.equal(hex(c.digest()), hex(lib.sha384(u8(15))));
  h.free();
  h.free();
  c.free();
  assert.throws(() => h.update(u8(1)), /freed/);
  const m = lib.createHmac("sha256", u8(20, 0x0b));
  m.update(new TextEncoder().encode("Hi There"));
  assert.equal(hex(m.digest()), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  m[Symbol.dispose]();
  assert.throws(() => m.digest(), /freed/);
});

const wasmModule = () =>
  new WebAssembly.Module(readFileSync(new URL("../../dist/tls_session.wasm", import.meta.url)));
function rawInstance() {
  /** @type {any} */
  let ex;
  const inst = new WebAssembly.Instance(wasmModule(), {
    wasi_snapshot_preview1: {
      random_get(p, n) {
        randomFillSync(new Uint8Array(ex.memory.buffer, p, n));
        return 0;
      },
      clock_time_get(_i, _p, out) {
        new DataView(ex.memory.buffer).setBigUint64(out, 0n, true);
        return 0;
      },
    },
  });
  ex = inst.exports;
  ex._initialize?.();
  return ex;
}

test("raw ABI: pointers or lengths outside memory and unknown ids give statuses, never traps", () => {
  const mod = wasmModule();
  const ex = rawInstance();
  const imports = WebAssembly.Module.imports(mod)
    .map((i) => `${i.module}.${i.name}`)
    .sort();
  for (const i of imports)
    assert.ok(["wasi_snapshot_preview1.clock_time_get", "wasi_snapshot_preview1.random_get"].includes(i), i);
  const far = ex.memory.buffer.byteLength - 8,
    huge = 0x7fffffff;
  const io = ex.crypto_io();
  const calls = [
    () => ex.hash_digest(1, far, 100, io),
    () => ex.hash_digest(9, io, 0, io),
    () => ex.hash_digest(1, io, huge, io),
    () => ex.hmac_compute(2, io, 16, far, 64, io),
    () => ex.hkdf_extract(0, io, 0, io, 0, io),
    () => ex.hkdf_expand(1, io, 32, io, 0, 255 * 32 + 1),
    () => ex.tls12_prf(1, far, 64, io, 1, io, 1, 10),
    () => ex.tls13_expand_label(1, io, 32, io, 250, io, 0, 32),
    () => ex.tls13_key_schedule(1, io, 32, 0, io, 32, far),
    () => ex.tls13_nst_parse(far, 64),
    () => ex.tls13_verify_binder(1, io, 32, 0, io, 0, far, 1000, 0),
    () => ex.aes_cbc_encrypt(io, 24, io, io, 16),
    () => ex.aes_cbc_decrypt(io, 16, io, io, 15),
    () => ex.aes_gcm_open(io, 16, io, 12, io, 8, io, 0),
    () => ex.aes_gcm_seal(io, 16, far, 12, io, 0, io, 0),
    () => ex.x25519(io, far, io),
    () => ex.hash_update(12345, io, 1),
    () => ex.hash_final(0, io),
    () => ex.hash_free(999),
    () => ex.ct_equal(io, far, 64),
  ];
  for (const f of calls) assert.ok(f() < 0, f.toString());
});

test("raw ABI: live memory returns to its baseline after hashers, buffers and every result kind", () => {
  const ex = rawInstance();
  const io = ex.crypto_io();
  const round = () => {
    for (let i = 0; i < 100; i++) {
      const h = ex.hash_new(1 + (i % 3));
      assert.ok(h > 0);
      assert.equal(ex.hash_update(h, io, i), 0);
      const c = ex.hash_clone(h);
      ex.hash_final(h, io + 1024);
      assert.equal(ex.hash_free(h), 0);
      assert.equal(ex.hash_free(c), 0);
      const m = ex.hmac_new(2, io, i);
      ex.hash_free(m);
      const b = ex.buf_alloc(1000 + i);
      ex.aes_gcm_seal(io, 16, io, 12, b, 1000 + i, io, 10);
      ex.aes_cbc_encrypt(io, 32, io, b, 1000 + i);
      ex.tls13_key_schedule(2, io, 48, 0, io, 32, io);
      ex.buf_free(b);
    }
  };
  round();
  const before = ex.tls_memory_live_bytes();
  round();
  round();
  assert.equal(ex.tls_memory_live_bytes(), before);
  assert.equal(ex.tls_handles_live(), 0);
});

test("wipeCryptoCache, kept for old callers, changes no result (there is no key cache)", () => {
  const k = u8(32, 9),
    d = u8(10, 1);
  const a = lib.hmac("sha256", k, d);
  lib.wipeCryptoCache();
  assert.equal(hex(lib.hmac("sha256", k, d)), hex(a));
});

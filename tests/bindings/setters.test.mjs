// The bindings' setters refuse what the field's type cannot hold (TypeError for a value that is not
// an integer, RangeError for one out of range) and leave the field as it was, never truncating;
// and they accept everything OpenSSL's setter accepts (checked against libssl through the cache
// oracle where OpenSSL has a setter of its own). The raw exports keep OpenSSL's acceptance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Session, SessionCache, CacheMode, rawExports } from "../../dist/index.js";
import { buildOracle, OracleUnavailableError } from "../oracle/build.mjs";
import { needPrerequisite } from "../prerequisites.mjs";

/** The bindings without their types: these tests pass what the declarations forbid, on purpose. */
const untyped = /** @type {any} */ ({ Session, SessionCache });

/** Setting `obj[key] = v` throws `type` and leaves the field unchanged. */
function refused(obj, key, v, type) {
  const before = obj[key];
  assert.throws(
    () => {
      obj[key] = v;
    },
    type,
    `${key} = ${typeof v === "bigint" ? `${v}n` : (JSON.stringify(v) ?? String(v))}`,
  );
  assert.deepEqual(obj[key], before, `${key} unchanged after a refused set`);
}

function accepted(obj, key, v, readBack = v) {
  obj[key] = v;
  assert.deepEqual(obj[key], readBack, `${key} = ${v}`);
}

test("Session: cipherSuite and protocolVersion refuse values above 0xFFFF instead of truncating", () => {
  const s = /** @type {any} */ (Session.new());
  s.cipherSuite = 0x1302;
  s.protocolVersion = 0x0304;
  refused(s, "cipherSuite", 0x11301, RangeError); // was TLS_AES_128_GCM_SHA256
  refused(s, "cipherSuite", 0x1301 + 2 ** 32, RangeError);
  refused(s, "cipherSuite", -1, RangeError);
  refused(s, "cipherSuite", 0x1234, RangeError); // not a suite OpenSSL knows
  for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, "0x1301", null, 0x1301n])
    refused(s, "cipherSuite", bad, TypeError);
  refused(s, "protocolVersion", 0x10303, RangeError);
  refused(s, "protocolVersion", -1, RangeError);
  refused(s, "protocolVersion", 2n ** 64n + 0x303n, RangeError);
  refused(s, "protocolVersion", 771.5, TypeError);
  refused(s, "protocolVersion", "TLSv1.2", TypeError);
  accepted(s, "protocolVersion", 0xfefd); // DTLS 1.2
  accepted(s, "protocolVersion", 0xffff);
  accepted(s, "protocolVersion", 0);
  accepted(s, "cipherSuite", 0xc02f);
  s.free();
});

test("Session: every integer setter takes its C type's range, no more, and never wraps", () => {
  const s = /** @type {any} */ (Session.new());
  const I64_MAX = 2n ** 63n - 1n,
    I64_MIN = -(2n ** 63n);
  // time: a long, as SSL_SESSION_set_time takes; negative included.
  accepted(s, "time", -1, -1n);
  accepted(s, "time", I64_MAX);
  accepted(s, "time", I64_MIN);
  refused(s, "time", I64_MAX + 1n, RangeError);
  refused(s, "time", 1e20, RangeError); // an integer number beyond a long: was wrapped
  refused(s, "time", 1.5, TypeError);
  // timeout: a long from 0 (SSL_SESSION_set_timeout refuses a negative one).
  accepted(s, "timeout", I64_MAX);
  accepted(s, "timeout", 0, 0n);
  refused(s, "timeout", -1, RangeError);
  refused(s, "timeout", 2n ** 64n + 5n, RangeError); // would have wrapped to 5
  // uint32_t fields
  for (const key of ["flags", "ticketAgeAdd", "maxEarlyData", "kexGroup"]) {
    accepted(s, key, 0xffffffff);
    accepted(s, key, 0);
    refused(s, key, 2 ** 32, RangeError);
    refused(s, key, 2 ** 32 + 7, RangeError);
    refused(s, key, -1, RangeError);
    refused(s, key, 0.5, TypeError);
  }
  // unsigned long
  accepted(s, "ticketLifetimeHint", 2n ** 64n - 1n);
  accepted(s, "ticketLifetimeHint", 7200, 7200n);
  refused(s, "ticketLifetimeHint", 2n ** 64n, RangeError);
  refused(s, "ticketLifetimeHint", -1, RangeError);
  // uint8_t
  accepted(s, "maxFragmentLength", 4);
  refused(s, "maxFragmentLength", 256, RangeError);
  refused(s, "maxFragmentLength", -1, RangeError);
  // an X509_V_* code, what the getter reads back
  accepted(s, "verifyResult", -(2 ** 31));
  accepted(s, "verifyResult", 2 ** 31 - 1);
  refused(s, "verifyResult", 2 ** 31, RangeError);
  s.free();
});

test("Session: extendedMasterSecret keeps the other flag bits, bit 31 included", () => {
  const s = Session.new();
  s.flags = 0xffffffff;
  s.extendedMasterSecret = false;
  assert.equal(s.flags, 0xfffffffe);
  s.extendedMasterSecret = true;
  assert.equal(s.flags, 0xffffffff);
  assert.throws(() => {
    /** @type {any} */ (s).extendedMasterSecret = 1;
  }, TypeError);
  s.free();
});

test('SessionCache: mode must be CacheMode bits; "server", unknown bits and non-integers throw', () => {
  const c = /** @type {any} */ (new SessionCache());
  assert.equal(c.mode, CacheMode.SERVER);
  refused(c, "mode", "server", TypeError); // was "server" >>> 0 = 0: the cache turned off
  refused(c, "mode", null, TypeError);
  refused(c, "mode", 2.5, TypeError);
  refused(c, "mode", 0x0800, RangeError);
  refused(c, "mode", 0x0004, RangeError);
  refused(c, "mode", -1, RangeError);
  refused(c, "mode", 2 ** 32 + CacheMode.CLIENT, RangeError);
  accepted(
    c,
    "mode",
    CacheMode.BOTH | CacheMode.NO_INTERNAL | CacheMode.NO_AUTO_CLEAR | CacheMode.UPDATE_TIME,
  );
  accepted(c, "mode", CacheMode.OFF);
  assert.throws(() => new untyped.SessionCache({ mode: "server" }), TypeError);
  assert.throws(() => new untyped.SessionCache({ mode: 0x1000 }), RangeError);
  // cacheSize: a long from 0
  refused(c, "cacheSize", -1, RangeError);
  refused(c, "cacheSize", 1.5, TypeError);
  refused(c, "cacheSize", "10", TypeError);
  refused(c, "cacheSize", 2n ** 63n, RangeError);
  // other small contracts: versions and stats are checked, not wrapped
  assert.throws(() => c.get(new Uint8Array(32), 0x10303), RangeError);
  assert.throws(() => c.has(new Uint8Array(32), 0x10303), RangeError);
  assert.throws(() => c.has(new Uint8Array(32), "0x0303"), TypeError);
  assert.throws(() => c.resume(new Uint8Array(32), { version: -1 }), RangeError);
  assert.throws(() => c.count("hits"), TypeError);
  assert.throws(() => c.flush(1.5), TypeError);
  assert.throws(() => c.flush(2n ** 63n), RangeError);
  c.free();
});

test("SessionCache: timeout takes any long, negative included, as SSL_CTX_set_timeout does", () => {
  const c = new SessionCache();
  for (const t of [-5, 0, 1, 2 ** 53 - 1, -(2 ** 53) + 1]) {
    c.timeout = t;
    assert.equal(c.timeout, t);
  }
  c.timeout = 2n ** 63n - 1n;
  assert.equal(BigInt(c.timeout), 2n ** 63n); // the getter is a number: 2^63 - 1 rounds up
  assert.throws(() => {
    c.timeout = 2n ** 63n;
  }, RangeError);
  assert.throws(() => {
    c.timeout = 1e19;
  }, RangeError);
  c.free();
});

test("raw exports keep OpenSSL's acceptance: they store what the C setters store", () => {
  const ex = rawExports();
  const h = ex.SSL_CTX_new();
  // SSL_CTX_set_session_cache_mode stores any long's low bits, unknown ones included.
  ex.SSL_CTX_set_session_cache_mode(h, 0x11302);
  assert.equal(ex.SSL_CTX_get_session_cache_mode(h), 0x11302);
  ex.SSL_CTX_set_timeout(h, -5n);
  assert.equal(ex.SSL_CTX_get_timeout(h), -5n);
  ex.SSL_CTX_free(h);
});

// ---- against libssl ----------------------------------------------------------------------------

let oracle = null,
  missing = null;
try {
  oracle = buildOracle("cache_oracle");
} catch (e) {
  if (!(e instanceof OracleUnavailableError)) throw e;
  missing = e.message;
}

test("the cache setters accept exactly what libssl's accept (cache oracle)", (t) => {
  if (!needPrerequisite(t, "tests/bindings/setters", oracle ? null : missing)) return;
  const timeouts = ["-5", "-9223372036854775808", "9223372036854775807", "0", "300"];
  const sizes = ["-1", "0", "1", "9223372036854775807"];
  const script = [...timeouts.map((t) => `ctxtimeout ${t}`), ...sizes.map((n) => `size ${n}`)].join("\n");
  const r = spawnSync(oracle, ["-"], { input: `${script}\n`, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const answers = r.stdout.split("\n").filter((l) => l.startsWith("= ret="));
  assert.equal(answers.length, timeouts.length + sizes.length, r.stdout);
  const c = new SessionCache();
  timeouts.forEach((t, i) => {
    const now = /now=(-?\d+)/.exec(answers[i])[1];
    assert.equal(now, t, "libssl stores every long as the context timeout");
    c.timeout = BigInt(t);
    assert.equal(BigInt(c.timeout), BigInt(Number(BigInt(t))), `timeout ${t} accepted`);
  });
  sizes.forEach((n, i) => {
    const [, ret, now] = /ret=(-?\d+) now=(-?\d+)/.exec(answers[timeouts.length + i]);
    if (now === n) {
      c.cacheSize = BigInt(n);
      assert.equal(BigInt(c.cacheSize), BigInt(Number(BigInt(n))), `cacheSize ${n} accepted as libssl does`);
    } else {
      assert.equal(ret, "0", `libssl refuses size ${n} with 0`);
      assert.throws(
        () => {
          c.cacheSize = BigInt(n);
        },
        RangeError,
        `cacheSize ${n} refused as libssl refuses it`,
      );
    }
  });
  c.free();
});

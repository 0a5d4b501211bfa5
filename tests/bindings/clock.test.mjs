// The bindings' WASI clock (clock_time_get in bindings/load.ts) gives the module Date.now() in
// nanoseconds, which the module reads as OpenSSL's time(NULL): a new session's time is
// floor(Date.now() / 1000). Checked with the real clock and with Date.now() pinned at values
// whose millisecond count crosses 2^32 and 2^40, where the import splits it into 32-bit words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Session, SessionCache } from "../../dist/index.js";

/** A new session's time (SSL_SESSION_new stamps it from the module's clock). */
function stamped() {
  const s = Session.new();
  try {
    return Number(s.time);
  } finally {
    s.free();
  }
}

test("a new session is stamped with the real clock's seconds", () => {
  const before = Math.floor(Date.now() / 1000);
  const t = stamped();
  const after = Math.floor(Date.now() / 1000);
  assert.ok(before <= t && t <= after, `${before} <= ${t} <= ${after}`);
});

test("the clock is exact for millisecond counts across 32-bit word boundaries", (t) => {
  const real = Date.now;
  t.after(() => {
    Date.now = real;
  });
  const cases = [
    0,
    999,
    1000,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 32 + 999,
    2 ** 33 + 12345,
    1733371234567,
    2 ** 40 - 1,
    2 ** 40,
    2 ** 41 + 1001,
    2 ** 44 + 123456,
    9e12,
  ];
  for (const ms of cases) {
    Date.now = () => ms;
    assert.equal(stamped(), Math.floor(ms / 1000), `Date.now() = ${ms}`);
  }
});

test("a lookup reads the clock: a session expires when Date.now() passes time + timeout", (t) => {
  const real = Date.now;
  t.after(() => {
    Date.now = real;
  });
  const base = 1733371234;
  Date.now = () => base * 1000;
  const s = Session.new();
  s.protocolVersion = 0x0303;
  s.cipherSuite = 0xc02f;
  s.masterKey = new Uint8Array(48).fill(7);
  s.id = new Uint8Array(32).fill(9);
  s.timeout = 100;
  const cache = new SessionCache();
  cache.mode = 0x0002 | 0x0080; // SERVER | NO_AUTO_CLEAR
  cache.add(s);
  const id = s.id;
  s.free();
  // time + timeout = base + 100: still good at that second, expired one second later.
  Date.now = () => (base + 100) * 1000 + 999;
  const hit = cache.resume(id, { version: 0x0303 });
  assert.ok(hit.session, `resumed at time + timeout: ${hit.refusal}`);
  hit.session.free();
  Date.now = () => (base + 101) * 1000;
  const late = cache.resume(id, { version: 0x0303 });
  assert.equal(late.session, null);
  assert.equal(late.refusal, "expired");
  cache.free();
});

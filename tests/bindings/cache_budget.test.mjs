// The cache's byte budget (maxBytes): OpenSSL's count limit does not bound bytes, since a
// session carries the peer's certificate. With a budget, adding evicts in the count limit's
// order (the session closest to expiry first) until the sessions fit; a session larger than the
// budget is not cached; the byte total follows sessions in and out and fields changed in place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Session, SessionCache, rawExports } from "../../dist/index.js";

const T0 = 1_700_000_000;

/** A TLS 1.2 session with id `i` and expiry T0 + expiry. */
function session(i, expiry, extra = {}) {
  const s = Session.new();
  s.protocolVersion = 0x0303;
  s.cipherSuite = 0xc02f;
  s.id = new Uint8Array(32).fill(i & 0xff).map((b, k) => (k === 0 ? i >> 8 : b));
  s.masterKey = new Uint8Array(48).fill(i);
  s.time = T0;
  s.timeout = expiry;
  if (extra.peer) s.peerCertificate = extra.peer;
  if (extra.ticket) s.ticket = extra.ticket;
  return s;
}

const bytesOf = (s) => rawExports().tls_session_bytes(s.handle);

/** A DER element. */
function der(tag, body) {
  const n = body.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
/** The children of the DER SEQUENCE at the start of `b`. */
function children(b) {
  let p = 1;
  let n = b[p++];
  if (n & 0x80) {
    const k = n & 0x7f;
    n = 0;
    for (let i = 0; i < k; i++) n = n * 256 + b[p++];
  }
  const out = [];
  const end = p + n;
  while (p < end) {
    const start = p;
    p++;
    let m = b[p++];
    if (m & 0x80) {
      const k = m & 0x7f;
      m = 0;
      for (let i = 0; i < k; i++) m = m * 256 + b[p++];
    }
    p += m;
    out.push(b.subarray(start, p));
  }
  return out;
}

/** The demo certificate with a signature of `n` bytes: a well-formed Certificate of about n bytes. */
function bigCertificate(n) {
  const text = readFileSync(new URL("../../bindings/demo/credentials.ts", import.meta.url), "utf8");
  const b64 = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/
    .exec(text)[1]
    .replace(/[^A-Za-z0-9+/=]/g, "");
  const [tbs, alg] = children(Buffer.from(b64, "base64"));
  return new Uint8Array(
    der(0x30, Buffer.concat([tbs, alg, der(0x03, Buffer.concat([Buffer.from([0]), Buffer.alloc(n, 0x5a)]))])),
  );
}

test("the byte total is the sum of the cached sessions' bytes, through add, change and remove", (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  assert.equal(cache.bytes, 0);
  assert.equal(cache.maxBytes, 0, "no budget by default");
  const ss = [1, 2, 3].map((i) => session(i, 100 * i));
  for (const s of ss) assert.equal(cache.add(s), true);
  const sum = () => ss.reduce((a, s) => a + bytesOf(s), 0);
  assert.equal(cache.bytes, sum());
  ss[1].ticket = new Uint8Array(5000); // a cached session grows in place
  assert.equal(cache.bytes, sum(), "a field set on a cached session is counted");
  ss[1].masterKey = new Uint8Array(16);
  ss[1].hostname = "example.com";
  assert.equal(cache.bytes, sum());
  ss[1].ticket = null;
  assert.equal(cache.bytes, sum());
  cache.remove(ss[0]);
  assert.equal(cache.bytes, bytesOf(ss[1]) + bytesOf(ss[2]));
  cache.flush(0);
  assert.equal(cache.bytes, 0, "no drift once empty");
  for (const s of ss) s.free();
});

test("the budget evicts in the count limit's order: closest to expiry first", (t) => {
  // The same adds, with expiries in a scrambled order, into a cache limited by count (it keeps
  // size - 1 after an add, as OpenSSL) and one limited by bytes to as many same-size sessions.
  const expiries = [50, 10, 70, 30, 90, 20, 60, 80, 40, 100, 5, 95, 15, 65];
  const keep = 4;
  const one = (() => {
    const s = session(0, 1);
    const n = bytesOf(s);
    s.free();
    return n;
  })();
  const byCount = new SessionCache({ size: keep + 1 });
  const byBytes = new SessionCache({ size: 0, maxBytes: keep * one });
  t.after(() => {
    byCount.free();
    byBytes.free();
  });
  const evicted = { count: [], bytes: [] };
  byCount.on("remove", (s, why) => evicted.count.push(`${why}:${s.timeout}`));
  byBytes.on("remove", (s, why) => evicted.bytes.push(`${why}:${s.timeout}`));
  expiries.forEach((e, i) => {
    for (const c of [byCount, byBytes]) {
      const s = session(i + 1, e);
      assert.equal(bytesOf(s), one, "same-size sessions");
      assert.equal(c.add(s), true);
      s.free();
    }
    assert.ok(byBytes.bytes <= keep * one, "within the budget after every add");
  });
  assert.ok(evicted.count.length > 0);
  assert.deepEqual(evicted.bytes, evicted.count, "the same sessions evicted in the same order");
  assert.equal(byBytes.size, byCount.size);
  assert.equal(byBytes.stats().cacheFull, byCount.stats().cacheFull, "counted as cache_full");
});

test("a 96 KB peer certificate: bytes stay within the budget, a session above it is not cached", (t) => {
  const budget = 256 * 1024;
  const cache = new SessionCache({ maxBytes: budget });
  t.after(() => cache.free());
  const cert = bigCertificate(96 * 1024);
  assert.ok(cert.length > 96 * 1024);
  const small = [];
  for (let i = 0; i < 20; i++) {
    const s = session(i + 1, 1000 + i);
    assert.equal(cache.add(s), true);
    small.push(s);
  }
  const held = cache.bytes;
  const big = [1, 2, 3].map((i) => session(100 + i, 2000 + i, { peer: cert }));
  assert.ok(bytesOf(big[0]) > 96 * 1024, `a ${bytesOf(big[0])}-byte session`);
  for (const s of big) {
    assert.equal(cache.add(s), true);
    assert.ok(cache.bytes <= budget, `${cache.bytes} <= ${budget}`);
  }
  assert.ok(cache.size < 23, "older sessions were evicted to make room");
  assert.equal(cache.has(big[2].id), true, "the newest is cached");
  assert.equal(cache.has(big[0].id), false, "the big session closest to expiry went after the small ones");
  assert.ok(held < budget);
  // One session larger than the whole budget: refused, nothing evicted.
  const before = cache.size;
  const huge = session(200, 5000, { ticket: new Uint8Array(budget) });
  assert.equal(cache.add(huge), false, "larger than the budget: not cached");
  assert.equal(cache.size, before);
  assert.equal(cache.has(huge.id), false);
  for (const s of [...small, ...big, huge]) s.free();
});

test("maxBytes is validated: RangeError or TypeError from the bindings, INVALID_ARGUMENT from the ABI", (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  for (const v of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, 2 ** 32 + 1]) {
    assert.throws(() => {
      cache.maxBytes = v;
    }, RangeError);
    assert.throws(() => new SessionCache({ maxBytes: v }), RangeError);
  }
  // Not a number at all: the type is wrong (as for setMemoryLimit).
  for (const v of ["1", 1n, null]) {
    assert.throws(() => {
      cache.maxBytes = /** @type {any} */ (v);
    }, TypeError);
    assert.throws(() => new SessionCache({ maxBytes: /** @type {any} */ (v) }), TypeError);
  }
  assert.equal(cache.maxBytes, 0, "unchanged by the refused values");
  cache.maxBytes = 2 ** 32;
  assert.equal(cache.maxBytes, 2 ** 32);
  cache.maxBytes = 0;
  const ex = rawExports();
  assert.equal(ex.tls_ctx_set_byte_budget(cache.handle, -1), -3);
  assert.equal(ex.tls_ctx_set_byte_budget(cache.handle, Number.NaN), -3);
  assert.equal(ex.tls_ctx_set_byte_budget(0, 1024), -1, "BAD_HANDLE");
  const s = Session.new();
  assert.equal(ex.tls_ctx_set_byte_budget(s.handle, 1024), -2, "WRONG_KIND");
  assert.equal(ex.tls_ctx_bytes(s.handle), -2);
  assert.equal(ex.tls_ctx_get_byte_budget(0), -1);
  assert.equal(ex.tls_session_bytes(cache.handle), -2);
  s.free();
});

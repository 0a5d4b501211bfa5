// TLS 1.3 server-side ticket issuing as OpenSSL does it: a new session per ticket (fresh id, PSK from
// the 8-byte nonce counter, random age_add, time = now), lifetime = min(timeout, 7 days), the
// NewSessionTicket message, stateless and stateful (id-in-ticket) modes, and single use (anti-replay)
// for sessions that allow early data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  Session,
  SessionCache,
  setClock,
  TicketKeys,
  TicketIssuer,
  openTicket,
  takeStatefulTicket,
  tls13,
  rawExports,
} from "../../dist/index.js";

const NOW = 1_700_000_000;
// The cache's expiry checks read the module clock: pin it to the issuing time.
setClock(NOW + 1);
const hex = (b) => Buffer.from(b).toString("hex");

function serverSession({ suite = 0x1301, timeout = 7200 } = {}) {
  const s = Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = suite;
  s.id = randomBytes(32);
  s.masterKey = randomBytes(suite === 0x1302 ? 48 : 32);
  s.time = NOW - 5;
  s.timeout = timeout;
  s.sidCtx = Buffer.from("issue-tests");
  s.alpn = "h2";
  return s;
}

/** @type {[number, import("../../dist/index.js").HashName][]} */
const SUITES = [
  [0x1301, "sha256"],
  [0x1302, "sha384"],
];
for (const [suite, hashName] of SUITES) {
  test(`stateless tickets (${hashName}): nonce counter, PSK, age_add, lifetime, message bytes`, () => {
    const keys = TicketKeys.generate({ layout: 80 });
    const src = serverSession({ suite });
    const rms = randomBytes(hashName === "sha384" ? 48 : 32);
    const issuer = new TicketIssuer(keys);
    const ids = new Set();
    for (let n = 0; n < 3; n++) {
      const t = issuer.issue(src, rms, NOW);
      assert.equal(t.stateful, false);
      const m = tls13.parseNewSessionTicket(t.message);
      assert.equal(hex(m.nonce), n.toString(16).padStart(16, "0"), "8-byte big-endian counter from 0");
      assert.equal(m.lifetime, 7200);
      assert.equal(m.ageAdd, t.session.ticketAgeAdd);
      assert.equal(m.maxEarlyData, undefined, "no early_data extension");
      assert.equal(
        hex(t.message),
        hex(
          tls13.buildNewSessionTicket({
            lifetime: m.lifetime,
            ageAdd: m.ageAdd,
            nonce: m.nonce,
            ticket: m.ticket,
          }),
        ),
      );
      const psk = tls13.resumptionPsk(hashName, rms, m.nonce);
      assert.equal(hex(t.session.masterKey), hex(psk));
      assert.equal(t.session.time, BigInt(NOW));
      assert.equal(t.session.id.length, 32);
      assert.notEqual(hex(t.session.id), hex(src.id));
      ids.add(hex(t.session.id));
      // The ticket opens to exactly that session.
      const o = openTicket(m.ticket, keys);
      assert.ok(o, keys.lastRefusal);
      assert.equal(hex(o.session.toDER()), hex(t.session.toDER()));
      assert.equal(hex(o.session.sidCtx), hex(src.sidCtx));
      assert.equal(o.session.ticket, null);
      o.session.free();
      // What a client keeps from the message has the same PSK.
      const c = tls13.sessionFromTicket(hashName, rms, t.message, NOW);
      assert.equal(hex(c.psk), hex(psk));
      t.session.free();
    }
    assert.equal(ids.size, 3, "a fresh session id per ticket");
    assert.equal(hex(src.masterKey).length > 0, true, "the connection's session is untouched");
    src.free();
    keys.free();
  });
}

test("lifetime = min(timeout, 604800)", () => {
  const keys = TicketKeys.generate();
  for (const [timeout, want] of [
    [300, 300],
    [604800, 604800],
    [10 * 86400, 604800],
    [0, 0],
  ]) {
    const src = serverSession({ timeout });
    const t = new TicketIssuer(keys).issue(src, randomBytes(32), NOW);
    assert.equal(tls13.parseNewSessionTicket(t.message).lifetime, want, `timeout ${timeout}`);
    t.session.free();
    src.free();
  }
  keys.free();
});

test("stateful tickets: the ticket is the session id and the session is in the cache", () => {
  const cache = new SessionCache();
  const src = serverSession();
  const issuer = new TicketIssuer(null, { stateful: true, cache });
  const t = issuer.issue(src, randomBytes(32), NOW);
  const m = tls13.parseNewSessionTicket(t.message);
  assert.equal(t.stateful, true);
  assert.equal(t.singleUse, false);
  assert.equal(hex(m.ticket), hex(t.session.id));
  assert.equal(m.ticket.length, 32);
  assert.equal(cache.has(m.ticket, 0x0304), true);
  // Reusable: the lookup does not remove it.
  for (let i = 0; i < 2; i++) {
    const r = cache.resume(m.ticket, { version: 0x0304, sidCtx: src.sidCtx });
    assert.ok(r.session, r.refusal);
    r.session.free();
  }
  t.session.free();
  src.free();
  cache.free();
});

test("early data: stateful and single use (anti-replay); with NO_ANTI_REPLAY stateless and reusable", () => {
  const cache = new SessionCache();
  const keys = TicketKeys.generate();
  const src = serverSession();
  const t = new TicketIssuer(keys, { maxEarlyData: 16384, cache }).issue(src, randomBytes(32), NOW);
  const m = tls13.parseNewSessionTicket(t.message);
  assert.equal(m.maxEarlyData, 16384, "early_data extension");
  assert.equal(t.stateful && t.singleUse, true);
  assert.equal(t.session.maxEarlyData, 16384);
  assert.equal(m.ticket.length, 32);
  const first = takeStatefulTicket(cache, m.ticket, { sidCtx: src.sidCtx });
  assert.ok(first, "the first use resumes");
  assert.equal(hex(first.masterKey), hex(t.session.masterKey));
  assert.equal(first.resumable, true);
  first.free();
  assert.equal(
    takeStatefulTicket(cache, m.ticket, { sidCtx: src.sidCtx }),
    null,
    "a replay gets a full handshake",
  );
  assert.equal(cache.has(m.ticket, 0x0304), false);

  const u = new TicketIssuer(keys, { maxEarlyData: 16384, noAntiReplay: true }).issue(
    src,
    randomBytes(32),
    NOW,
  );
  assert.equal(u.stateful, false);
  const mu = tls13.parseNewSessionTicket(u.message);
  assert.equal(mu.maxEarlyData, 16384);
  for (let i = 0; i < 2; i++) {
    const o = openTicket(mu.ticket, keys);
    assert.ok(o);
    o.session.free();
  }
  t.session.free();
  u.session.free();
  src.free();
  keys.free();
  cache.free();
});

test("errors: stateless without a key, a secret of the wrong length, stateful without a cache", () => {
  const src = serverSession();
  const empty = new TicketKeys();
  assert.throws(() => new TicketIssuer(empty).issue(src, randomBytes(32), NOW), /current key/);
  const keys = TicketKeys.generate();
  assert.throws(() => new TicketIssuer(keys).issue(src, randomBytes(48), NOW), /hash/);
  assert.throws(() => new TicketIssuer(null, { stateful: true }).issue(src, randomBytes(32), NOW), /cache/);
  const ex = rawExports();
  assert.ok(ex.tls_handles_live() > 0);
  src.free();
  keys.free();
  empty.free();
});

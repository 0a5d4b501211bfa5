// The key ring over time, with an explicit clock: a ticket opens for exactly its advertised lifetime
// whatever the rotation period, is renewed when opened with an older key, and a retired key opens
// nothing and leaves no trace in linear memory. Derived rings (shared secret + epoch) agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Session, TicketKeys, sealTicket, openTicket, rawExports } from "../../dist/index.js";

const T0 = 1_700_000_000;
const hex = (b) => Buffer.from(b).toString("hex");

function session(time, timeout) {
  const s = Session.new();
  s.protocolVersion = 0x0303;
  s.cipherSuite = 0xc02f;
  s.masterKey = randomBytes(48);
  s.time = time;
  s.timeout = timeout;
  return s;
}

/** Where `needle` occurs in the module's linear memory (-1: nowhere). */
const inMemory = (needle) => Buffer.from(rawExports().memory.buffer).indexOf(Buffer.from(needle));

/** The secret parts of a raw key (HMAC key and AES key), without the public name. */
const secretParts = (raw) => {
  const mk = raw.length === 80 ? 32 : 16;
  return [raw.subarray(16, 16 + mk), raw.subarray(16 + mk)];
};

for (const [period, lifetime] of [
  [3600, 7200],
  [86400, 3600],
  [600, 604800],
  [1, 300],
]) {
  test(`period ${period}, lifetime ${lifetime}: each ticket opens for exactly its lifetime, renewed after a rotation`, () => {
    const keys = new TicketKeys({ period, lifetime, layout: 48 });
    // Tickets issued at several points of several periods.
    const issueTimes = [0, 1, period - 1, period, period + 1, 3 * period - 1].map((d) => T0 + d);
    for (const t of issueTimes) {
      const s = session(t, lifetime);
      const ticket = sealTicket(s, keys, { now: t }).slice();
      const current = hex(keys.names()[0]);
      assert.equal(hex(ticket.subarray(0, 16)), current, "sealed with the current key");
      // Opens at every probe up to and including t + lifetime, not one second later.
      for (const age of [0, 1, Math.floor(lifetime / 2), lifetime - 1, lifetime]) {
        const o = openTicket(ticket, keys, { now: t + age });
        assert.ok(o, `issued at +${t - T0}, refused at age ${age} (${keys.lastRefusal})`);
        const rotated = hex(keys.names()[0]) !== current;
        assert.equal(o.renew, rotated, `renew at age ${age}: key rotated = ${rotated}`);
        o.session.free();
      }
      const late = openTicket(ticket, keys, { now: t + lifetime + 1 });
      assert.equal(late, null, `opened ${lifetime + 1} s after issue`);
      assert.ok(["expired", "unknown-key"].includes(keys.lastRefusal));
      s.free();
    }
    const st = keys.stats();
    assert.ok(st.rotations >= 2 && st.renewed > 0, JSON.stringify(st));
    assert.equal(st.refused["bad-mac"] + st.refused["bad-length"], 0);
    keys.free();
  });
}

test("retired keys open nothing and their bytes are gone from linear memory", () => {
  const period = 100,
    lifetime = 300;
  const keys = new TicketKeys({ period, lifetime, layout: 80 });
  const s = session(T0, lifetime);
  const ticket = sealTicket(s, keys, { now: T0 }).slice();
  const raw = keys.export(0);
  const [macKey, aesKey] = secretParts(raw);
  assert.notEqual(inMemory(macKey), -1, "the scan finds a key that is held (so it can find one)");
  // Rotate twice; the first key is demoted at T0 + 100 and kept until T0 + 400.
  keys.tick(T0 + 100);
  keys.tick(T0 + 200);
  assert.ok(openTicket(ticket, keys, { now: T0 + 250, checkExpiry: false }).session.free() === undefined);
  assert.notEqual(inMemory(macKey), -1);
  keys.tick(T0 + 399);
  assert.equal(
    keys.names().some((n) => hex(n) === hex(raw.subarray(0, 16))),
    true,
    "kept until demotion + lifetime",
  );
  keys.tick(T0 + 400);
  assert.equal(
    keys.names().some((n) => hex(n) === hex(raw.subarray(0, 16))),
    false,
    "retired at demotion + lifetime",
  );
  assert.equal(openTicket(ticket, keys, { now: T0 + 400, checkExpiry: false }), null);
  assert.equal(keys.lastRefusal, "unknown-key");
  assert.equal(inMemory(macKey), -1, "the retired HMAC key is still in linear memory");
  assert.equal(inMemory(aesKey), -1, "the retired AES key is still in linear memory");
  // Explicit removal and freeing the ring wipe too.
  const cur = keys.export(0);
  assert.equal(keys.remove(cur.subarray(0, 16)), true);
  for (const part of secretParts(cur)) assert.equal(inMemory(part), -1, "a removed key is still in memory");
  const last = keys.export(0);
  keys.free();
  for (const part of secretParts(last)) assert.equal(inMemory(part), -1, "a freed ring left a key in memory");
  s.free();
});

test("imported keys: a current key seals, previous ones open and ask for renewal; export/import moves a ring", () => {
  const k48 = randomBytes(48),
    k80 = randomBytes(80);
  const a = TicketKeys.from(new Uint8Array(k48));
  const s = session(T0, 7200);
  const old = sealTicket(s, a).slice();
  assert.equal(a.add(new Uint8Array(k80)), true, "a new current key in the other layout");
  const fresh = sealTicket(s, a).slice();
  assert.equal(hex(fresh.subarray(0, 16)), hex(k80.subarray(0, 16)));
  assert.equal(fresh.length % 16, old.length % 16);
  const o1 = openTicket(old, a);
  assert.equal(o1.renew, true);
  o1.session.free();
  const o2 = openTicket(fresh, a);
  assert.equal(o2.renew, false);
  o2.session.free();
  // Move the ring: export every key, import into another (current first, the rest opening only).
  const b = new TicketKeys();
  b.add(a.export(0));
  for (let i = 1; i < a.size; i++) b.add(a.export(i), { current: false });
  assert.deepEqual(b.names().map(hex), a.names().map(hex));
  const o3 = openTicket(old, b);
  assert.equal(o3.renew, true);
  o3.session.free();
  const o4 = openTicket(fresh, b);
  assert.equal(o4.renew, false);
  o4.session.free();
  a.free();
  b.free();
  s.free();
});

test("derived keys: a fleet sharing a secret agrees on every epoch's key without talking", () => {
  const secret = randomBytes(32);
  const period = 3600,
    lifetime = 7200;
  const a = new TicketKeys({ secret, period, lifetime, layout: 80 });
  const b = new TicketKeys({ secret, period, lifetime, layout: 80 });
  const c = new TicketKeys({ secret: randomBytes(32), period, lifetime, layout: 80 });
  const t = T0 - (T0 % period) + 10;
  a.tick(t);
  b.tick(t + 5);
  assert.equal(hex(a.export(0)), hex(b.export(0)), "same epoch, same key");
  const s = session(t, lifetime);
  const ticket = sealTicket(s, a, { now: t }).slice();
  const ob = openTicket(ticket, b, { now: t + 5 });
  assert.ok(ob);
  assert.equal(ob.renew, false);
  ob.session.free();
  assert.equal(openTicket(ticket, c, { now: t }), null, "another secret");
  assert.equal(c.lastRefusal, "unknown-key");
  // A server whose clock is behind (previous epoch) still opens it: the next epoch's key is held.
  const behind = new TicketKeys({ secret, period, lifetime, layout: 80 });
  const ol = openTicket(ticket, behind, { now: t - 20, checkExpiry: false });
  assert.ok(ol, `clock behind: ${behind.lastRefusal}`);
  ol.session.free();
  // An hour later b has rotated: the ticket opens and asks for renewal; after its lifetime, nothing.
  const later = openTicket(ticket, b, { now: t + period });
  assert.ok(later);
  assert.equal(later.renew, true);
  later.session.free();
  assert.equal(openTicket(ticket, b, { now: t + lifetime + 1 }), null);
  assert.equal(
    openTicket(ticket, b, { now: t + period + lifetime, checkExpiry: false }),
    null,
    "its key is retired",
  );
  assert.equal(b.lastRefusal, "unknown-key");
  for (const k of [a, b, c, behind]) k.free();
  s.free();
});

test("the documented derivation reproduces a derived key with node:crypto", async () => {
  const { createHmac } = await import("node:crypto");
  const secret = randomBytes(24),
    period = 1000;
  const ring = new TicketKeys({ secret, period, layout: 48 });
  ring.tick(T0);
  const epoch = BigInt(Math.floor(T0 / period));
  const prk = createHmac("sha256", "tls-session-wasm ticket keys v1").update(secret).digest();
  const info = Buffer.concat([Buffer.from("ticket key"), Buffer.alloc(8), Buffer.from([48])]);
  info.writeBigUInt64BE(epoch, 10);
  const okm = createHmac("sha256", prk)
    .update(Buffer.concat([info, Buffer.from([1])]))
    .digest();
  const t2 = createHmac("sha256", prk)
    .update(Buffer.concat([okm, info, Buffer.from([2])]))
    .digest();
  assert.equal(hex(ring.export(0)), hex(Buffer.concat([okm, t2]).subarray(0, 48)));
  ring.free();
});

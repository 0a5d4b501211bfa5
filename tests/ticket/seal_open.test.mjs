// Ticket sealing and opening through the bindings: both key layouts against a reference built on
// node:crypto, every single-bit flip / truncation / extension refused with the instance still usable,
// the length limit checked before any crypto, the plaintext wiped, memory back to its baseline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { Session, TicketKeys, sealTicket, openTicket, rawExports } from "../../dist/index.js";

const hex = (b) => Buffer.from(b).toString("hex");

/** A TLS 1.3-looking server session of about `size` DER bytes (padded with ALPN/hostname). */
export function makeSession({ time = 1700000000, timeout = 7200, pad = 140 } = {}) {
  const s = Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1301;
  s.id = randomBytes(32);
  s.masterKey = randomBytes(32);
  s.time = time;
  s.timeout = timeout;
  s.sidCtx = Buffer.from("ticket-tests");
  s.ticketAgeAdd = 0x01020304;
  s.hostname = "x".repeat(pad);
  return s;
}

/** node:crypto's reading of the format: name | IV | AES-CBC | HMAC-SHA256(name | IV | ct). */
function referenceOpen(key, ticket) {
  const mk = key.length === 80 ? 32 : 16;
  const name = ticket.subarray(0, 16);
  if (!name.equals(key.subarray(0, 16))) return null;
  const body = ticket.subarray(0, ticket.length - 32);
  const mac = createHmac("sha256", key.subarray(16, 16 + mk))
    .update(body)
    .digest();
  if (!mac.equals(ticket.subarray(ticket.length - 32))) return null;
  const d = createDecipheriv(
    key.length === 80 ? "aes-256-cbc" : "aes-128-cbc",
    key.subarray(16 + mk),
    ticket.subarray(16, 32),
  );
  return Buffer.concat([d.update(ticket.subarray(32, ticket.length - 32)), d.final()]);
}

function referenceSeal(key, der) {
  const mk = key.length === 80 ? 32 : 16;
  const iv = randomBytes(16);
  const c = createCipheriv(key.length === 80 ? "aes-256-cbc" : "aes-128-cbc", key.subarray(16 + mk), iv);
  const ct = Buffer.concat([c.update(der), c.final()]);
  const head = Buffer.concat([key.subarray(0, 16), iv, ct]);
  return Buffer.concat([
    head,
    createHmac("sha256", key.subarray(16, 16 + mk))
      .update(head)
      .digest(),
  ]);
}

for (const layout of [48, 80]) {
  test(`layout ${layout}: our tickets open with node:crypto and node:crypto's open with ours`, () => {
    const key = randomBytes(layout);
    const keys = TicketKeys.from(new Uint8Array(key));
    for (let i = 0; i < 20; i++) {
      const s = makeSession({ pad: i * 7 });
      const der = Buffer.from(s.toDER());
      const t = Buffer.from(sealTicket(s, keys));
      assert.equal(t.length, 16 + 16 + ((der.length & ~15) + 16) + 32);
      assert.equal(hex(t.subarray(0, 16)), hex(key.subarray(0, 16)), "key name in front");
      assert.equal(hex(referenceOpen(key, t)), hex(der), "node:crypto opens ours to the session DER");
      const theirs = referenceSeal(key, der);
      const o = openTicket(new Uint8Array(theirs), keys);
      assert.ok(o, `refused: ${keys.lastRefusal}`);
      assert.equal(o.renew, false);
      assert.equal(hex(o.session.toDER()), hex(der));
      o.session.free();
      s.free();
    }
    assert.equal(keys.export().length, layout);
    assert.equal(hex(keys.export()), hex(key), "export gives the imported bytes back");
    keys.free();
  });
}

test("every single-bit flip, truncation and extension of a valid ticket is refused; the instance stays usable", () => {
  const ex = rawExports();
  const keys = TicketKeys.generate({ layout: 48 });
  const s = makeSession({ pad: 150 });
  const t = sealTicket(s, keys).slice();
  assert.ok(t.length >= 256, `ticket of ${t.length} bytes`);
  const reasons = {};
  const refuse = (bad, what) => {
    const o = openTicket(bad, keys);
    if (o) {
      o.session.free();
      assert.fail(`${what} opened`);
    }
    reasons[keys.lastRefusal] = (reasons[keys.lastRefusal] ?? 0) + 1;
  };
  for (let i = 0; i < t.length * 8; i++) {
    const b = t.slice();
    b[i >> 3] ^= 1 << (i & 7);
    refuse(b, `flip of bit ${i}`);
  }
  for (let n = 0; n < t.length; n++) refuse(t.subarray(0, n), `truncation to ${n}`);
  for (const extra of [1, 15, 16, 17, 32, 64])
    refuse(new Uint8Array([...t, ...randomBytes(extra)]), `extension by ${extra}`);
  refuse(new Uint8Array([...t, ...t]), "doubled ticket");
  // Flips in the name are unknown keys; everywhere else the MAC catches them.
  assert.equal(reasons["unknown-key"], 16 * 8);
  assert.equal(reasons["bad-mac"] >= (t.length - 16) * 8, true);
  assert.ok(!reasons["bad-padding"] && !reasons["bad-session"], "nothing got past the MAC");
  const st = keys.stats();
  assert.equal(st.refused["unknown-key"], reasons["unknown-key"]);
  // Still usable: the original opens.
  const o = openTicket(t, keys);
  assert.ok(o);
  assert.equal(hex(o.session.toDER()), hex(s.toDER()));
  o.session.free();
  s.free();
  keys.free();
  assert.equal(ex.tls_ticket_keys_count(0) < 0, true, "a zero handle is refused");
});

test("length first: an over-long ticket is refused before the key name or MAC is looked at", () => {
  const keys = TicketKeys.generate();
  const s = makeSession();
  const t = sealTicket(s, keys);
  // The largest ticket we could issue: 64 + 0xFF00 rounded up to a block + 16.
  const max = 64 + ((0xff00 & ~15) + 16);
  const long = new Uint8Array(max + 1);
  long.set(t);
  assert.equal(openTicket(long, keys), null);
  assert.equal(keys.lastRefusal, "too-long");
  const atMax = new Uint8Array(max);
  atMax.set(t.subarray(0, 16));
  assert.equal(openTicket(atMax, keys), null);
  assert.equal(keys.lastRefusal, "bad-mac", "a ticket of the maximum length does reach the MAC");
  assert.equal(openTicket(t.subarray(0, 79), keys), null);
  assert.equal(keys.lastRefusal, "bad-length");
  assert.equal(openTicket(new Uint8Array(0), keys), null);
  assert.equal(keys.lastRefusal, "bad-length");
  s.free();
  keys.free();
});

test("a MAC-valid ticket with bad padding or bad DER is refused with that reason", () => {
  const key = randomBytes(80);
  const keys = TicketKeys.from(new Uint8Array(key));
  const mk = 32;
  const mac = (head) =>
    Buffer.concat([head, createHmac("sha256", key.subarray(16, 48)).update(head).digest()]);
  const enc = (pt, pad = true) => {
    const iv = randomBytes(16);
    const c = createCipheriv("aes-256-cbc", key.subarray(16 + mk), iv);
    c.setAutoPadding(pad);
    return mac(Buffer.concat([key.subarray(0, 16), iv, c.update(pt), c.final()]));
  };
  assert.equal(openTicket(new Uint8Array(enc(Buffer.alloc(32, 0x41), false)), keys), null);
  assert.equal(keys.lastRefusal, "bad-padding");
  assert.equal(openTicket(new Uint8Array(enc(Buffer.from("not a session"))), keys), null);
  assert.equal(keys.lastRefusal, "bad-session");
  const s = makeSession();
  const der = Buffer.from(s.toDER());
  assert.equal(openTicket(new Uint8Array(enc(Buffer.concat([der, Buffer.from([0])]))), keys), null);
  assert.equal(keys.lastRefusal, "bad-session", "trailing bytes after the DER are refused");
  assert.ok(openTicket(new Uint8Array(enc(der)), keys)?.session.free() === undefined);
  s.free();
  keys.free();
});

test("openRaw gives the plaintext DER; the plaintext is wiped from memory; memory returns to baseline", () => {
  const ex = rawExports();
  const base = ex.tls_memory_live_bytes();
  const handles = ex.tls_handles_live();
  for (let round = 0; round < 3; round++) {
    const keys = TicketKeys.generate({ layout: 80 });
    const s = makeSession({ pad: 100 });
    const der = s.toDER().slice();
    const t = sealTicket(s, keys).slice();
    assert.equal(hex(keys.openRaw(t)), hex(der));
    const o = openTicket(t, keys);
    o.session.free();
    // The session's master key must not linger anywhere once everything is freed.
    const mk = Buffer.from(s.masterKey);
    s.free();
    keys.free();
    const mem = Buffer.from(ex.memory.buffer);
    assert.equal(mem.indexOf(mk), -1, "the master key (inside the plaintext) is still in linear memory");
  }
  assert.equal(ex.tls_handles_live(), handles);
  // The plaintext area grows once and is kept (module memory), so allow its size.
  assert.ok(
    ex.tls_memory_live_bytes() - base <= 65536,
    `live bytes grew by ${ex.tls_memory_live_bytes() - base}`,
  );
});

test("argument errors: TypeError / RangeError naming the argument", () => {
  assert.throws(() => TicketKeys.from(new Uint8Array(47)), RangeError);
  // @ts-expect-error: 64 is the mistake under test
  assert.throws(() => new TicketKeys({ layout: 64 }), RangeError);
  const k = TicketKeys.generate();
  // @ts-expect-error: a string is the mistake under test
  assert.throws(() => openTicket("abc", k), /ticket must be a Uint8Array/);
  // @ts-expect-error: so is a plain object
  assert.throws(() => sealTicket({}, k), TypeError);
  assert.equal(k.add(k.export()), false, "a key of the same name is not added twice");
  k.free();
  k.free();
});

test("raw ABI: pointers outside memory, wrong kinds, stale handles and random input give statuses, never traps", () => {
  const ex = rawExports();
  const size = ex.memory.buffer.byteLength;
  const h = ex.tls_ticket_keys_new();
  assert.ok(h > 0);
  assert.equal(ex.tls_ticket_keys_add(h, size - 10, 48, 0n, 1), -3, "key buffer past the end of memory");
  assert.equal(ex.tls_ticket_keys_add(h, 0, 47, 0n, 1), -3, "wrong key length");
  assert.equal(ex.tls_ticket_open(h, size - 1, 100, 0n, 0), -3);
  assert.equal(ex.tls_ticket_open_raw(h, size, 1), -3);
  assert.equal(ex.tls_ticket_keys_remove(h, size - 8), -3);
  assert.equal(ex.tls_ticket_seal(h, 0, 0n, 0), -1, "no session");
  const s = Session.new();
  assert.equal(ex.tls_ticket_seal(h, s.handle, 0n, 0), -15, "no current key: BAD_STATE");
  assert.equal(
    ex.tls_ticket_seal(s.handle, s.handle, 0n, 0),
    -2,
    "a session handle is not a key ring: WRONG_KIND",
  );
  assert.ok(ex.SSL_SESSION_free(h) < 0, "a key ring handle is not a session");
  assert.equal(ex.tls_ticket_keys_free(h), 0);
  assert.equal(ex.tls_ticket_keys_count(h), -1, "stale handle");
  assert.equal(ex.tls_ticket_keys_free(h), -1);
  assert.equal(ex.tls_ticket_keys_free(0), 0, "free(0) is a no-op");
  s.free();
  // Random tickets (some under a known key name, so they reach the MAC) never open and never trap.
  const keys = TicketKeys.generate({ layout: 48 });
  const name = keys.names()[0];
  for (let i = 0; i < 3000; i++) {
    const t = new Uint8Array(randomBytes(i % 3 === 0 ? i % 400 : 80 + 16 * (i % 20)));
    if (i & 1 && t.length >= 16) t.set(name);
    assert.equal(openTicket(t, keys), null);
    assert.equal(keys.openRaw(t), null);
  }
  const st = keys.stats();
  assert.ok(
    st.refused["bad-mac"] > 500 && st.refused["unknown-key"] > 500 && st.refused["bad-length"] > 500,
    JSON.stringify(st),
  );
  assert.equal(st.opened, 0);
  keys.free();
});

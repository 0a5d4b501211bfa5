// Session and ticket secrets: after every call that touches one, linear memory holds exactly the
// copies the live objects own (a session its master key, a key ring its keys) and none once they
// are freed; results that carry a secret (DER, PEM, the master key, an exported ticket key, an
// opened ticket) have an ArrayBuffer of their own, and no pooled result's buffer holds a secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { count, hmacForms, pieces } from "../crypto/forms.mjs";
import { Session, TicketKeys, TicketIssuer, SessionCache, rawExports } from "../../dist/index.js";

const ex = rawExports();
const mem = () => new Uint8Array(ex.memory.buffer);

/** Every piece of `secret` is in linear memory exactly `n` times. */
function inMemory(secret, n, what) {
  const m = mem();
  for (const p of pieces(secret))
    assert.equal(count(m, p), n, `${what}: ${n} cop${n === 1 ? "y" : "ies"} expected`);
}

/** `out` has an ArrayBuffer of its own. */
function own(out, what) {
  assert.equal(out.byteOffset, 0, `${what}: a view into a shared buffer`);
  assert.equal(out.buffer.byteLength, out.byteLength, `${what}: shares its ArrayBuffer`);
}

/** A pooled (public) result made now holds no piece of `secrets` in its buffer. */
function poolClean(session, secrets, what) {
  const id = session.id; // a small public result: from the shared pool
  const pool = new Uint8Array(id.buffer);
  for (const s of secrets)
    for (const p of pieces(s)) assert.equal(count(pool, p), 0, `${what}: secret in the pool`);
}

function session(key) {
  const s = Session.new();
  s.cipherSuite = 0xc02f;
  s.protocolVersion = 0x0303;
  s.id = randomBytes(32);
  s.masterKey = key;
  return s;
}

test("a session's master key: one copy per live session, none in results or pools, none after free", () => {
  const key = randomBytes(48);
  const s = session(key);
  inMemory(key, 1, "after the setter");
  const got = s.masterKey;
  assert.deepEqual(Buffer.from(got), key);
  own(got, "masterKey");
  inMemory(key, 1, "after the getter");
  const der = s.toDER();
  own(der, "toDER");
  assert.ok(count(der, key) === 1);
  inMemory(key, 1, "after toDER");
  poolClean(s, [key], "after toDER");
  const pem = s.toPEM();
  assert.ok(pem.startsWith("-----BEGIN SSL SESSION PARAMETERS-----"));
  inMemory(key, 1, "after toPEM");
  poolClean(s, [key], "after toPEM");
  const a = Session.fromDER(der);
  inMemory(key, 2, "after fromDER");
  const b = Session.fromPEM(pem);
  inMemory(key, 3, "after fromPEM");
  const c = a.dup();
  inMemory(key, 4, "after dup");
  const up = c.upRef();
  inMemory(key, 4, "after upRef (a reference, not a copy)");
  const key2 = randomBytes(48);
  c.masterKey = key2;
  inMemory(key, 3, "after replacing a master key");
  inMemory(key2, 1, "the new key");
  for (const x of [s, a, b]) x.free();
  up.free();
  inMemory(key, 0, "after the last free");
  inMemory(key2, 1, "the other session still holds its key");
  c.free();
  inMemory(key2, 0, "after the last free");
});

test("a session in a cache: one copy, none after the cache and every reference are gone", () => {
  const key = randomBytes(48);
  const s = session(key);
  const cache = new SessionCache();
  cache.add(s);
  const found = cache.get(s.id);
  assert.ok(found);
  inMemory(key, 1, "cached");
  const r = cache.resume(s.id, { version: 0x0303 });
  assert.ok(r.session);
  r.session.free();
  found.free();
  s.free();
  inMemory(key, 1, "the cache's reference keeps the session");
  cache.free();
  inMemory(key, 0, "after the cache's free");
});

test("ticket keys: the ring holds its keys while it lives; sealing, opening and export leave no copy", () => {
  const raw = randomBytes(80); // name(16) | HMAC key(32) | AES-256 key(32)
  const macKey = raw.subarray(16, 48),
    aesKey = raw.subarray(48, 80);
  const keys = TicketKeys.from(raw);
  const [ipad, opad, inner, outer] = hmacForms(macKey);
  inMemory(macKey, 1, "ring: MAC key");
  inMemory(aesKey, 1, "ring: AES key");
  inMemory(inner, 1, "ring: the MAC key's keyed inner state");
  inMemory(outer, 1, "ring: the MAC key's keyed outer state");
  inMemory(ipad, 0, "K ^ ipad is not kept");
  inMemory(opad, 0, "K ^ opad is not kept");
  const mk = randomBytes(48);
  const s = session(mk);
  const ticket = keys.seal(s);
  inMemory(mk, 1, "after seal: the session's own copy only");
  inMemory(macKey, 1, "after seal");
  inMemory(aesKey, 1, "after seal");
  const opened = keys.open(ticket);
  assert.ok(opened);
  inMemory(mk, 2, "after open: two sessions");
  opened.session.free();
  inMemory(mk, 1, "after freeing the opened session");
  const plain = keys.openRaw(ticket);
  assert.ok(plain);
  own(plain, "openRaw");
  assert.equal(count(plain, mk), 1);
  inMemory(mk, 1, "after openRaw");
  poolClean(s, [mk, macKey, aesKey], "after openRaw");
  const exported = keys.export(0);
  own(exported, "export");
  assert.deepEqual(Buffer.from(exported), raw);
  inMemory(macKey, 1, "after export");
  poolClean(s, [macKey, aesKey], "after export");
  // A TLS 1.3 ticket from the ring: the resumption master secret and the PSK stay out of memory.
  const rms = randomBytes(32);
  const s13 = Session.new();
  s13.cipherSuite = 0x1301;
  s13.protocolVersion = 0x0304;
  const issued = new TicketIssuer(keys).issue(s13, rms, 1_700_000_000);
  inMemory(rms, 0, "after issue: the resumption master secret");
  const psk = issued.session.masterKey;
  inMemory(psk, 1, "after issue: the issued session's PSK");
  issued.session.free();
  s13.free();
  inMemory(psk, 0, "after freeing the issued session");
  s.free();
  inMemory(mk, 0, "after freeing the sealed session");
  keys.rotate(1);
  inMemory(macKey, 1, "demoted key still opens");
  keys.remove(raw.subarray(0, 16));
  inMemory(macKey, 0, "a removed key is wiped at once");
  inMemory(inner, 0, "a removed key's keyed state is wiped at once");
  inMemory(outer, 0, "a removed key's keyed state is wiped at once");
  inMemory(aesKey, 0, "a removed key is wiped at once");
  const current = keys.export(0);
  keys.free();
  inMemory(current.subarray(16, 48), 0, "after free");
  inMemory(current.subarray(48, 80), 0, "after free");
});

test("a ring derived from a secret keeps neither the secret nor a key after free", () => {
  const secret = randomBytes(32);
  const keys = new TicketKeys({ secret, period: 3600 });
  keys.tick(1_700_000_000);
  const k = keys.export(0);
  inMemory(secret, 0, "the secret itself is not kept (only its HKDF PRK)");
  const s = session(randomBytes(48));
  const t = keys.seal(s, { now: 1_700_000_000 });
  const opened = keys.open(t, { now: 1_700_000_000 });
  assert.ok(opened);
  opened.session.free();
  s.free();
  keys.free();
  inMemory(k.subarray(16, 48), 0, "derived MAC key after free");
  inMemory(k.subarray(48, 80), 0, "derived AES key after free");
  for (const f of hmacForms(k.subarray(16, 48))) inMemory(f, 0, "derived MAC key's keyed state after free");
});

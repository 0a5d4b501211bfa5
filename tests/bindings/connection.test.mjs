// Connection-level session calls and the handshake's session decisions, as OpenSSL 3.0 makes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Session,
  SessionCache,
  Connection,
  CacheMode,
  SENT_SHUTDOWN,
  setClock,
  TlsSessionError,
} from "../../dist/index.js";

const TLS12 = 0x0303,
  TLS13 = 0x0304;

/** A full TLS 1.2 server handshake that ends with its session cached; returns the session id. */
/** @param {any} cache @param {{ shutdown?: boolean, sidCtx?: Uint8Array }} [_] */
function fullServerHandshake(cache, { shutdown = true, sidCtx = undefined } = {}) {
  const c = new Connection(cache, { server: true });
  if (sidCtx) c.sidCtx = sidCtx;
  c.handshakeStart(TLS12);
  c.newSession(true);
  const s = c.getSession();
  s.cipherSuite = 0xc02f;
  const id = s.id;
  s.free();
  c.handshakeDone();
  if (shutdown) c.shutdown = SENT_SHUTDOWN;
  c.free();
  return id;
}

test("a closed connection leaves its session cached; an unclean free removes it (bad-session rule)", () => {
  setClock(1000);
  const cache = new SessionCache();
  const removed = [];
  cache.on("remove", (_s, why) => removed.push(why));
  const id = fullServerHandshake(cache);
  assert.equal(id.length, 32, "server ids are 32 random bytes");
  assert.equal(cache.size, 1);
  assert.equal(cache.stats().acceptGood, 1);
  fullServerHandshake(cache, { shutdown: false });
  assert.equal(cache.size, 1, "the second session was removed by SSL_free without shutdown");
  assert.deepEqual(removed, ["removed"]);
  cache.free();
  setClock(null);
});

test("a second connection resumes by id; sid_ctx mismatch, expiry and VERIFY_PEER without sid_ctx refuse", () => {
  setClock(1000);
  const cache = new SessionCache();
  const id = fullServerHandshake(cache, { sidCtx: Uint8Array.of(7) });
  const c = new Connection(cache, { server: true });
  c.sidCtx = Uint8Array.of(7);
  c.handshakeStart(TLS12);
  assert.equal(c.serverResume(id), null);
  assert.equal(c.sessionReused, true);
  c.handshakeDone();
  c.shutdown = SENT_SHUTDOWN;
  c.free();
  assert.equal(cache.stats().hits, 1);
  assert.equal(cache.size, 1, "a resumed TLS 1.2 handshake adds nothing");

  const other = new Connection(cache, { server: true });
  other.sidCtx = Uint8Array.of(8);
  other.handshakeStart(TLS12);
  assert.equal(other.serverResume(id), "sid-ctx-mismatch");
  assert.equal(other.sessionReused, false);
  other.free();

  // VERIFY_PEER with an empty sid_ctx is fatal once a candidate with the same (empty) sid_ctx is found.
  const plainId = fullServerHandshake(cache);
  const strict = new Connection(cache, { server: true });
  strict.verifyPeer = true;
  strict.handshakeStart(TLS12);
  assert.throws(
    () => strict.serverResume(plainId),
    (e) => e instanceof TlsSessionError && e.code === "BAD_STATE",
  );
  strict.free();
  const unknown = new Connection(cache, { server: true });
  unknown.verifyPeer = true;
  unknown.handshakeStart(TLS12);
  assert.equal(unknown.serverResume(Uint8Array.of(1, 2, 3)), "miss", "no candidate, no fatal error");
  unknown.free();

  const wrongVersion = new Connection(cache, { server: true });
  wrongVersion.sidCtx = Uint8Array.of(7);
  wrongVersion.handshakeStart(TLS13);
  assert.equal(wrongVersion.serverResume(id), "miss", "the key includes the version");
  wrongVersion.free();

  setClock(1000 + 7201);
  const late = new Connection(cache, { server: true });
  late.sidCtx = Uint8Array.of(7);
  late.handshakeStart(TLS12);
  assert.equal(late.serverResume(id), "expired");
  late.free();
  assert.equal(cache.size, 1, "the expired hit was removed (the plain session remains)");
  const st = cache.stats();
  assert.equal(st.timeouts, 1);
  assert.equal(st.misses, 2);
  cache.free();
  setClock(null);
});

test("a server with VERIFY_PEER and an empty sid_ctx does not cache its sessions", () => {
  const cache = new SessionCache();
  const c = new Connection(cache, { server: true });
  c.verifyPeer = true;
  c.handshakeStart(TLS12);
  c.newSession(true);
  c.handshakeDone();
  c.shutdown = SENT_SHUTDOWN;
  c.free();
  assert.equal(cache.size, 0);
  cache.free();
});

test("setSession on an open connection removes the old session; get1 gives a reference; clear drops a bad one", () => {
  const cache = new SessionCache();
  const c = new Connection(cache, { server: true });
  c.handshakeStart(TLS12);
  c.newSession(true);
  c.handshakeDone();
  assert.equal(cache.size, 1);
  const s = c.getSession();
  assert.equal(s.references, 3, "cache, connection and ours");
  const fresh = Session.new();
  c.setSession(fresh);
  assert.equal(cache.size, 0, "the open session left the cache");
  assert.equal(s.notResumable, true);
  assert.equal(s.references, 1, "only ours is left");
  c.handshakeStart(TLS12);
  c.handshakeDone();
  c.clear();
  assert.equal(c.getSession(), null, "SSL_clear dropped the bad session");
  c.free();
  s.free();
  fresh.free();
  cache.free();
});

test("SSL_copy_session_id shares the session and copies sid_ctx", () => {
  const cache = new SessionCache();
  const a = new Connection(cache),
    b = new Connection(cache);
  a.sidCtx = Uint8Array.of(1, 2);
  const s = Session.new();
  a.setSession(s);
  b.copySessionIdFrom(a);
  const got = b.getSession();
  assert.equal(got.handle, s.handle);
  assert.equal(s.references, 4);
  got.free();
  a.free();
  b.free();
  s.free();
  cache.free();
});

test("TLS 1.3 client: a resumed ticket is used once when the CLIENT mode bit is set", () => {
  const cache = new SessionCache();
  cache.mode = CacheMode.CLIENT;
  const ticket = Session.new();
  ticket.protocolVersion = TLS13;
  ticket.cipherSuite = 0x1301;
  ticket.ticket = new Uint8Array(64).fill(1);
  ticket.id = new Uint8Array(32).fill(2);
  cache.add(ticket);
  const c = new Connection(cache);
  c.setSession(ticket);
  c.handshakeStart(TLS13);
  c.setReused(true);
  c.handshakeDone();
  assert.equal(ticket.resumable, false, "marked not resumable after its one use");
  assert.equal(cache.size, 0);
  assert.equal(cache.stats().hits, 1);
  c.shutdown = SENT_SHUTDOWN;
  c.free();
  ticket.free();
  cache.free();
});

test("auto-flush runs when the good-handshake counter's low byte reaches 0xff", () => {
  setClock(1000);
  const cache = new SessionCache();
  cache.timeout = 10;
  for (let i = 0; i < 255; i++) fullServerHandshake(cache);
  assert.equal(cache.size, 255);
  setClock(2000);
  fullServerHandshake(cache); // accept_good was 255 before this one: flush(now) first
  assert.equal(cache.size, 1, "the expired sessions were flushed, the new one added");
  cache.mode = CacheMode.SERVER | CacheMode.NO_AUTO_CLEAR;
  cache.free();
  setClock(null);
});

test("generate_session_id contract: 1..32 bytes from a zeroed buffer, no conflict with the cache", () => {
  const cache = new SessionCache();
  const c = new Connection(cache, { server: true });
  c.handshakeStart(TLS12);
  let seen;
  c.newSession(true, (buf) => {
    seen = buf;
    return Uint8Array.of(0xab, 0xcd);
  });
  assert.deepEqual(Array.from(seen), new Array(32).fill(0));
  const s = c.getSession();
  assert.deepEqual(Array.from(s.id), [0xab, 0xcd]);
  s.free();
  c.handshakeDone();
  c.shutdown = SENT_SHUTDOWN;
  const d = new Connection(cache, { server: true });
  d.handshakeStart(TLS12);
  assert.throws(
    () => d.newSession(true, () => Uint8Array.of(0xab, 0xcd)),
    (/** @type {any} */ e) => e.code === "BAD_STATE",
    "conflict",
  );
  assert.throws(
    () => d.newSession(true, () => new Uint8Array(0)),
    (/** @type {any} */ e) => e.code === "INVALID_ARGUMENT",
    "empty",
  );
  assert.throws(
    () => d.newSession(true, () => new Uint8Array(33)),
    (/** @type {any} */ e) => e.code === "INVALID_ARGUMENT",
    "too long",
  );
  c.free();
  d.free();
  cache.free();
});

test("external store (get_session_cb): cb_hits, copied in unless NO_INTERNAL_STORE, the copy rule", () => {
  const cache = new SessionCache();
  const ext = Session.new();
  ext.protocolVersion = TLS12;
  ext.cipherSuite = 0xc02f;
  ext.id = Uint8Array.of(5, 5, 5);
  const r = cache.resume(ext.id, {}, ext);
  assert.equal(r.refusal, null);
  assert.equal(cache.stats().cbHits, 1);
  assert.equal(cache.size, 1, "copied into the internal cache");
  assert.equal(ext.freed, false, "copy = 1: our reference stays ours");
  r.session.free();
  cache.mode = CacheMode.SERVER | CacheMode.NO_INTERNAL_STORE;
  const other = Session.new();
  other.protocolVersion = TLS12;
  other.cipherSuite = 0xc02f;
  other.id = Uint8Array.of(6);
  const r2 = cache.resume(other.id, { copy: false }, other);
  assert.equal(other.freed, true, "copy = 0: the reference was handed over");
  assert.equal(cache.size, 1, "NO_INTERNAL_STORE: not copied in");
  assert.equal(r2.session.references, 1);
  r2.session.free();
  ext.free();
  cache.free();
});

// A throwing SessionCache listener does not stall the event queue: every event of the operation is
// delivered to every listener first, then the first error is rethrown, synchronously, to the caller
// of that operation. Nothing is left for a later, unrelated call, and nothing leaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Session, SessionCache, Connection } from "../../dist/index.js";

function session(n = 0) {
  const s = Session.new();
  s.cipherSuite = 0xc02f;
  s.protocolVersion = 0x0303;
  s.id = randomBytes(32);
  s.time = 1000 + n;
  s.timeout = 100;
  s.masterKey = randomBytes(48);
  return s;
}

/** A cache holding `n` sessions (the script's references freed). */
function filled(n, opts = {}) {
  const cache = new SessionCache(opts);
  for (let i = 0; i < n; i++) {
    const s = session(i);
    cache.add(s);
    s.free();
  }
  return cache;
}

test("flush: every remove event reaches every listener, then the first error is rethrown", () => {
  const cache = filled(5);
  const seenA = [],
    seenB = [];
  const first = new Error("first listener error");
  cache.on("remove", (_s, reason) => {
    seenA.push(reason);
    if (seenA.length === 1) throw first;
    if (seenA.length === 2) throw new Error("second error, not rethrown");
  });
  cache.on("remove", (s) => {
    seenB.push(s.id.length);
  });
  assert.throws(
    () => cache.flush(0),
    (e) => e === first,
  );
  assert.equal(seenA.length, 5, "all five events delivered to the throwing listener");
  assert.equal(seenB.length, 5, "and to the one after it");
  assert.deepEqual(seenA, ["flushed", "flushed", "flushed", "flushed", "flushed"]);
  assert.equal(cache.size, 0);
  // Nothing is left over for an unrelated call.
  const before = seenA.length;
  const s = session(9);
  assert.equal(cache.add(s), true);
  assert.equal(seenA.length, before, "no stale event delivered inside a later add()");
  s.free();
  cache.free();
});

test("add: an eviction's listener error reaches add()'s caller after the session is cached", () => {
  const cache = filled(3, { size: 3 });
  const events = [];
  const boom = new TypeError("listener bug");
  const listener = (_s, reason) => {
    events.push(reason);
    throw boom;
  };
  cache.on("remove", listener);
  const s = session(10);
  assert.throws(
    () => cache.add(s),
    (e) => e === boom,
  );
  assert.ok(events.length >= 1 && events.every((r) => r === "evicted"), String(events));
  assert.equal(cache.has(s.id), true, "the add itself happened");
  s.free();
  cache.off("remove", listener);
  cache.free();
});

test("a listener error during resume frees the session found: no reference leaks", () => {
  const cache = filled(2, { size: 2 });
  const ext = session(5); // from the application's own store: resume copies it into the cache
  ext.time = 2n ** 40n;
  ext.timeout = 2n ** 40n;
  const refs = ext.references;
  let calls = 0;
  const listener = () => {
    calls++;
    throw new Error("remove listener");
  };
  cache.on("remove", listener);
  // The copy into the full cache evicts one session: its listener throws.
  assert.throws(() => cache.resume(ext.id, { version: 0x0303 }, ext), /remove listener/);
  assert.ok(calls >= 1);
  assert.equal(cache.has(ext.id), true, "the session was found and cached");
  assert.equal(ext.references, refs + 1, "only the cache's reference was added: the caller's was freed");
  cache.off("remove", listener);
  ext.free();
  cache.free();
});

test("a 'new' listener that throws: every listener runs, the handshake's caller gets the error", () => {
  const cache = new SessionCache();
  const calls = [];
  const boom = new RangeError("new listener");
  cache.on("new", (s) => {
    calls.push("first");
    assert.equal(s.id.length, 32);
    throw boom;
  });
  cache.on("new", () => {
    calls.push("second");
  });
  const conn = new Connection(cache, { server: true });
  conn.handshakeStart(0x0303);
  conn.newSession(true);
  assert.throws(
    () => conn.handshakeDone(),
    (e) => e === boom,
  );
  assert.deepEqual(calls, ["first", "second"]);
  assert.equal(cache.size, 1, "the session was cached before the listeners ran");
  conn.shutdown = 1;
  conn.free();
  // The next handshake delivers its own event and nothing older.
  const c2 = new Connection(cache, { server: true });
  c2.handshakeStart(0x0303);
  c2.newSession(true);
  assert.throws(
    () => c2.handshakeDone(),
    (e) => e === boom,
  );
  assert.deepEqual(calls, ["first", "second", "first", "second"]);
  c2.shutdown = 1;
  c2.free();
  cache.free();
});

test("free: a listener error during the last flush is rethrown after the cache is freed", () => {
  const cache = filled(3);
  const probe = session(7);
  cache.add(probe);
  let calls = 0;
  cache.on("remove", () => {
    calls++;
    throw new Error("during free");
  });
  assert.throws(() => cache.free(), /during free/);
  assert.equal(calls, 4);
  assert.throws(() => cache.handle, /freed/);
  assert.equal(probe.references, 1, "the cache's reference is gone: the cache was freed");
  probe.free();
});

test("off() inside a listener does not drop the other listeners' events", () => {
  const cache = filled(4);
  const seen = [];
  const once = () => {
    seen.push("once");
    throw new Error("once");
  };
  cache.once("remove", once);
  cache.on("remove", () => seen.push("always"));
  assert.throws(() => cache.flush(0), /once/);
  assert.deepEqual(seen, ["once", "always", "always", "always", "always"]);
  cache.free();
});

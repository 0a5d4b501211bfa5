// The same lifetimes through the bindings: listeners may free the cache mid-handshake.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SessionCache, Connection, rawExports } from "../../dist/index.js";

const memoryStats = () => ({
  handles: rawExports().tls_handles_live(),
  liveBytes: rawExports().tls_memory_live_bytes(),
});

new SessionCache().free(); // the handle table's first block stays allocated

test("a 'new' listener that frees the cache does not break its connection", () => {
  const base = memoryStats();
  const cache = new SessionCache();
  let heard = 0;
  cache.on("new", () => {
    heard++;
    cache.free();
  });
  const conn = new Connection(cache, { server: true });
  conn.handshakeStart(0x0303);
  conn.newSession(true);
  conn.handshakeDone();
  assert.equal(heard, 1);
  assert.throws(() => cache.handle, /freed/);
  // The cache lives on for its connection; another cache works alongside it.
  const other = new SessionCache();
  const c2 = new Connection(other, { server: true });
  c2.handshakeStart(0x0303);
  c2.newSession(true);
  c2.handshakeDone();
  assert.equal(other.stats().number, 1);
  conn.free();
  c2.shutdown = 1;
  c2.free();
  assert.equal(other.stats().number, 1);
  other.free();
  const now = memoryStats();
  assert.equal(now.handles, base.handles);
  assert.equal(now.liveBytes, base.liveBytes);
});

test("freeing the cache first, then its connections, is the natural order and works", () => {
  const base = memoryStats();
  const cache = new SessionCache();
  const conns = [0, 1, 2].map(() => new Connection(cache, { server: true }));
  for (const c of conns) {
    c.handshakeStart(0x0303);
    c.newSession(true);
    c.handshakeDone();
  }
  cache.free();
  for (const c of conns) c.free();
  const now = memoryStats();
  assert.equal(now.handles, base.handles);
  assert.equal(now.liveBytes, base.liveBytes);
});

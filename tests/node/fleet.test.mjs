// attachFleet and the fleet ticket keys in one process (no Redis): two node:tls servers over one
// MemorySessionStore, a store that fails or hangs, eviction propagation, the do-nothing store, and
// the derived ticket key's rotation with an injected clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import crypto from "node:crypto";
import {
  attachFleet,
  installFleetTicketKeys,
  fleetTicketKey,
  MemorySessionStore,
  NoSessionStore,
  SessionCache,
  TicketKeys,
} from "../../dist/index.js";
import { connect, CERT, KEY, listenLocal } from "./helpers.mjs";

/** @type {import("node:tls").ConnectionOptions} */
const TLS12 = { maxVersion: "TLSv1.2" };

async function server(t, fleetOpts, serverOpts = {}) {
  const s = tls.createServer(
    {
      cert: CERT,
      key: KEY,
      sessionIdContext: "attach-test",
      secureOptions: crypto.constants.SSL_OP_NO_TICKET,
      ...serverOpts,
    },
    (c) => c.end("hi"),
  );
  const fleet = fleetOpts ? attachFleet(s, fleetOpts) : null;
  const port = await listenLocal(s);
  t.after(
    () =>
      new Promise((r) => {
        fleet?.detach();
        s.close(r);
      }),
  );
  return { port, fleet, server: s };
}

test("two servers over one MemorySessionStore: A's session resumes on B, counted as a store hit", async (t) => {
  const store = new MemorySessionStore();
  const A = await server(t, { store });
  const B = await server(t, { store });
  const first = await connect(A.port, TLS12);
  assert.equal(store.size, 1);
  assert.equal((await connect(B.port, { ...TLS12, session: first.sessions[0] })).reused, true);
  assert.equal(B.fleet.stats().storeHits, 1);
  assert.equal(
    B.fleet.cache.stats().cbHits,
    1,
    "the store's session went through the cache's checks (a cb_hit)",
  );
  assert.equal(B.fleet.cache.size, 1, "and was copied into B's own cache");
});

test("the do-nothing store in a fleet: nothing crosses servers, nothing fails", async (t) => {
  const store = new NoSessionStore();
  const A = await server(t, { store });
  const B = await server(t, { store });
  const first = await connect(A.port, TLS12);
  assert.equal((await connect(B.port, { ...TLS12, session: first.sessions[0] })).reused, false);
  assert.equal(
    (await connect(A.port, { ...TLS12, session: first.sessions[0] })).reused,
    true,
    "A's own cache still works",
  );
  const st = B.fleet.stats();
  assert.equal(st.storeHits, 0);
  assert.equal(st.storeErrors, 0);
  assert.ok(st.storeMisses >= 1);
});

test("evictions and removals reach the store", async (t) => {
  const store = new MemorySessionStore();
  const cache = new SessionCache();
  cache.cacheSize = 2; // holds one session after an add (OpenSSL evicts before linking)
  const A = await server(t, { store, cache });
  t.after(() => cache.free());
  const one = await connect(A.port, TLS12);
  await connect(A.port, TLS12);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(A.fleet.stats().storeDeletes, 1, "the evicted session was deleted from the store");
  assert.equal(store.size, 1);
  const B = await server(t, { store });
  assert.equal((await connect(B.port, { ...TLS12, session: one.sessions[0] })).reused, false);
});

test("a failing store: handshakes complete as full ones, one log line per outage, and it recovers", async (t) => {
  const inner = new MemorySessionStore();
  let broken = true;
  const store = {
    get: (k) => (broken ? Promise.reject(new Error("connection refused")) : inner.get(k)),
    set: (k, v, ttl) => {
      if (broken) throw new Error("connection refused");
      return inner.set(k, v, ttl);
    },
    delete: (k) => inner.delete(k),
    take: (k) => inner.take(k),
  };
  const logs = [];
  const A = await server(t, { store: inner });
  const B = await server(t, { store, retryAfterMs: 0, log: (m) => logs.push(m) });
  for (let i = 0; i < 3; i++) {
    const first = await connect(A.port, TLS12);
    assert.equal((await connect(B.port, { ...TLS12, session: first.sessions[0] })).reused, false);
  }
  assert.equal(B.fleet.storeDown, true);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /unavailable \(connection refused\)/);
  assert.ok(B.fleet.stats().storeErrors >= 3);
  broken = false;
  const first = await connect(A.port, TLS12);
  assert.equal((await connect(B.port, { ...TLS12, session: first.sessions[0] })).reused, true);
  assert.equal(B.fleet.storeDown, false);
  assert.equal(logs.length, 2);
  assert.match(logs[1], /back/);
  assert.equal(B.fleet.stats().outages, 1);
});

test("a store that never answers: each handshake waits at most the bound", async (t) => {
  const hang = () => new Promise(() => {});
  const store = { get: hang, set: hang, delete: hang, take: hang };
  const B = await server(t, { store, timeoutMs: 30, retryAfterMs: 0, log: () => {} });
  const times = [];
  for (let i = 0; i < 3; i++) times.push((await connect(B.port, TLS12)).ms);
  assert.ok(Math.max(...times) < 30 * 2 + 250, `handshakes ${times.map((x) => x.toFixed(0)).join(", ")} ms`);
  assert.ok(B.fleet.stats().storeTimeouts >= 3);
});

test("fleet ticket keys: the same 48-byte key for one epoch on every server, the next at the boundary", async (t) => {
  const secret = crypto.randomBytes(32);
  const period = 3600,
    t0 = 1_800_000_000 - (1_800_000_000 % period);
  const k = fleetTicketKey(secret, t0 + 5, period);
  assert.equal(k.length, 48);
  assert.deepEqual(fleetTicketKey(secret, t0 + period - 1, period), k, "same epoch, same key");
  assert.notDeepEqual(fleetTicketKey(secret, t0 + period, period), k, "next epoch, next key");
  assert.notDeepEqual(
    fleetTicketKey(crypto.randomBytes(32), t0 + 5, period),
    k,
    "another secret, another key",
  );
  const ring = new TicketKeys({ secret, period, lifetime: period, layout: 48 });
  ring.tick(t0 + 5);
  assert.deepEqual(Buffer.from(ring.export(0)), k, "it is the ring's current key (docs/tickets.md)");
  ring.free();

  let now = t0 + 5;
  const { server: s } = await server(t, null, { secureOptions: 0 });
  const keys = installFleetTicketKeys(s, { secret, period, now: () => now });
  t.after(() => keys.stop());
  assert.deepEqual(s.getTicketKeys(), k, "installed as Node's ticketKeys");
  assert.equal(keys.refresh(), false);
  now = t0 + period;
  assert.equal(keys.refresh(), true, "rotates at the epoch boundary");
  assert.deepEqual(s.getTicketKeys(), fleetTicketKey(secret, now, period));
  assert.deepEqual(keys.name, s.getTicketKeys().subarray(0, 16));
});

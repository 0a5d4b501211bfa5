// Real resumption through node:tls (OpenSSL) with our cache behind the server (attachSessionCache)
// and our store behind the clients (ClientSessionStore): what resumes, what is counted, and what
// forces a full handshake (sid_ctx mismatch, expiry, eviction). Localhost only, a few seconds.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import crypto from "node:crypto";
import {
  SessionCache,
  Session,
  setClock,
  attachSessionCache,
  ClientSessionStore,
  NoClientSessionStore,
  rawExports,
} from "../../dist/index.js";

import { CERT, KEY, connect, listenLocal } from "./helpers.mjs";

/**
 * A TLS server on 127.0.0.1 answering "hi" and closing; `cache` attached when given.
 * @param {import("node:test").TestContext} t
 * @param {import("node:tls").TlsOptions & { cache?: SessionCache, attach?: import("../../dist/index.js").AttachOptions }} [o]
 */
async function startServer(t, { cache, attach = {}, ...opts } = {}) {
  const server = tls.createServer({ cert: CERT, key: KEY, ...opts }, (s) => s.end("hi"));
  const detach = cache ? attachSessionCache(server, cache, attach) : null;
  const port = await listenLocal(server);
  t.after(
    () =>
      new Promise((r) => {
        detach?.();
        server.close(r);
      }),
  );
  return { server, port, detach };
}

/** @type {import("node:tls").TlsOptions} */
const TLS12 = { secureOptions: crypto.constants.SSL_OP_NO_TICKET, maxVersion: "TLSv1.2" };

function withCache(t, setup) {
  const cache = new SessionCache();
  setup?.(cache);
  t.after(() => cache.free());
  return cache;
}

test("TLS 1.2: the second connection resumes from our cache, and our counters say so", async (t) => {
  const cache = withCache(t);
  const { port, detach } = await startServer(t, { cache, ...TLS12 });
  const first = await connect(port);
  assert.equal(first.reused, false);
  assert.equal(first.version, "TLSv1.2");
  assert.equal(cache.size, 1, "Node's session is in our cache");
  const der = first.sessions[0];
  const s = Session.fromDER(new Uint8Array(der));
  assert.equal(cache.has(s.id, 0x0303), true, "keyed by its own version and id");
  s.free();
  const second = await connect(port, { session: der });
  assert.equal(second.reused, true);
  const third = await connect(port, { session: der });
  assert.equal(third.reused, true, "a TLS 1.2 session id resumes again");
  const st = cache.stats();
  assert.equal(st.accept, 3);
  assert.equal(st.acceptGood, 3);
  assert.equal(st.hits, 2);
  // The first ClientHello (TLS 1.3-capable client) carries a random legacy session id: one miss.
  assert.equal(st.misses, 1);
  assert.equal(st.number, 1);
  const { stored, skipped, resumed, refused, errors } = detach.stats();
  assert.deepEqual(
    { stored, skipped, resumed, refused, errors },
    { stored: 1, skipped: 0, resumed: 2, refused: 1, errors: 0 },
  );
});

test("the session id context of Node's sessions is the server's sessionIdContext", async (t) => {
  const cache = withCache(t);
  const { server, port } = await startServer(t, { cache, ...TLS12 });
  const { sessions } = await connect(port);
  const cached = cache.get(new Uint8Array(Session.fromDER(new Uint8Array(sessions[0])).id));
  // Node keeps the context in an undocumented property of the server.
  const { sessionIdContext } = /** @type {{ sessionIdContext: string }} */ (/** @type {unknown} */ (server));
  assert.equal(Buffer.from(cached.sidCtx).toString("latin1"), sessionIdContext);
  // Node's default: the first 32 hex digits of SHA-1 over the process arguments.
  const dflt = crypto.createHash("sha1").update(process.argv.join(" ")).digest("hex").slice(0, 32);
  assert.equal(sessionIdContext, dflt);
  cached.free();
});

test("sid_ctx mismatch: a server with another context does a full handshake", async (t) => {
  const cache = withCache(t);
  const a = await startServer(t, { cache, ...TLS12, sessionIdContext: "server-a" });
  const b = await startServer(t, { cache, ...TLS12, sessionIdContext: "server-b" });
  const first = await connect(a.port);
  const atB = await connect(b.port, { session: first.sessions[0] });
  assert.equal(atB.reused, false, "B refuses A's session");
  assert.equal(b.detach.counters.refused, 1);
  const atA = await connect(a.port, { session: first.sessions[0] });
  assert.equal(atA.reused, true, "A still resumes it");
  assert.equal(cache.stats().hits, 1);
});

test("sid_ctx override: the bytes given are the ones matched", async (t) => {
  const cache = withCache(t);
  const { port, detach } = await startServer(t, { cache, ...TLS12, attach: { sidCtx: "not-the-servers" } });
  const first = await connect(port);
  const again = await connect(port, { session: first.sessions[0] });
  assert.equal(again.reused, false);
  assert.equal(detach.counters.resumed, 0);
  assert.throws(
    () => attachSessionCache(tls.createServer(), cache, { sidCtx: new Uint8Array(33) }),
    RangeError,
  );
});

test("expiry: past time + timeout the session is refused, counted and removed", async (t) => {
  const cache = withCache(t);
  const removed = [];
  cache.on("remove", (_s, why) => removed.push(why));
  const { port } = await startServer(t, { cache, ...TLS12 });
  const first = await connect(port);
  const s = Session.fromDER(new Uint8Array(first.sessions[0]));
  const expiry = Number(s.time + s.timeout);
  s.free();
  t.after(() => setClock(null));
  setClock(expiry); // not yet expired: now > time + timeout is strict
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, true);
  setClock(expiry + 1);
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, false);
  setClock(null);
  assert.equal(cache.stats().timeouts, 1);
  assert.deepEqual(removed, ["removed"]);
  assert.equal(cache.has(new Uint8Array(Session.fromDER(new Uint8Array(first.sessions[0])).id)), false);
});

test("a short server sessionTimeout expires sessions too", async (t) => {
  const cache = withCache(t);
  const { port } = await startServer(t, { cache, ...TLS12, sessionTimeout: 1 });
  const first = await connect(port);
  const s = cache.get(Session.fromDER(new Uint8Array(first.sessions[0])).id);
  assert.equal(s.timeout, 1n, "the server's session carries sessionTimeout (the client's has its own)");
  t.after(() => setClock(null));
  setClock(Number(s.time) + 2);
  s.free();
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, false);
  assert.equal(cache.stats().timeouts, 1);
});

test("eviction: cacheSize 2 keeps one session; the evicted one makes a full handshake", async (t) => {
  const cache = withCache(t, (c) => {
    c.cacheSize = 2;
  });
  const events = [];
  cache.on("remove", (s, why) => events.push([why, Buffer.from(s.id).toString("hex")]));
  const { port } = await startServer(t, { cache, ...TLS12 });
  const a = await connect(port);
  const b = await connect(port);
  assert.equal(cache.size, 1);
  const idA = Buffer.from(Session.fromDER(new Uint8Array(a.sessions[0])).id).toString("hex");
  assert.deepEqual(events, [["evicted", idA]]);
  assert.equal(cache.stats().cacheFull, 1);
  assert.equal((await connect(port, { session: a.sessions[0] })).reused, false, "A was evicted");
  assert.equal((await connect(port, { session: b.sessions[0] })).reused, false, "A's new session evicted B");
  assert.equal(events.length, 3);
  assert.ok(events.every(([why]) => why === "evicted"));
});

test("removing a session from the cache forces a full handshake; the listener sees it", async (t) => {
  const cache = withCache(t);
  const events = [];
  cache.on("remove", (_s, why) => events.push(why));
  const { port } = await startServer(t, { cache, ...TLS12 });
  const a = await connect(port);
  const s = Session.fromDER(new Uint8Array(a.sessions[0]));
  assert.equal(cache.remove(s), true);
  s.free();
  assert.deepEqual(events, ["removed"]);
  assert.equal((await connect(port, { session: a.sessions[0] })).reused, false);
});

test("tls13: false: TLS 1.3 sessions are neither stored nor resumed (Node alone cannot)", async (t) => {
  const cache = withCache(t);
  const { port, detach } = await startServer(t, {
    cache,
    attach: { tls13: false },
    secureOptions: crypto.constants.SSL_OP_NO_TICKET,
    minVersion: "TLSv1.3",
  });
  const first = await connect(port);
  assert.equal(first.version, "TLSv1.3");
  assert.equal(first.sessions.length, 2, "two stateful tickets");
  assert.equal(cache.size, 0);
  assert.equal(detach.counters.skipped, 2);
  const again = await connect(port, { session: first.sessions[0] });
  assert.equal(again.reused, false, "Node asks with the legacy session id, not the PSK identity");
  assert.equal(cache.stats().hits, 0);
});

test("every 256th accepted handshake flushes expired sessions (unless NO_AUTO_CLEAR)", async (t) => {
  for (const noAutoClear of [false, true]) {
    const cache = withCache(t, (c) => {
      if (noAutoClear) c.mode |= 0x0080;
    });
    const events = [];
    cache.on("remove", (_s, why) => events.push(why));
    const later = Math.floor(Date.now() / 1000) + 10 * 86400;
    const { port } = await startServer(t, { cache, ...TLS12 });
    await connect(port);
    while (cache.stats().acceptGood < 255) cache.count("acceptGood");
    assert.deepEqual(events, []);
    setClock(later); // the flush runs on the module's clock
    try {
      await connect(port);
    } finally {
      setClock(null);
    }
    assert.deepEqual(events, noAutoClear ? [] : ["flushed", "flushed"], `NO_AUTO_CLEAR ${noAutoClear}`);
    assert.equal(cache.stats().acceptGood, 256);
  }
});

test("detach stops the wiring", async (t) => {
  const cache = withCache(t);
  const { server, port, detach } = await startServer(t, { cache, ...TLS12 });
  detach();
  assert.equal(server.listenerCount("newSession"), 0);
  assert.equal(server.listenerCount("resumeSession"), 0);
  await connect(port);
  assert.equal(cache.stats().accept, 0);
});

// --- the client store --------------------------------------------------------------------------

test("client store, TLS 1.3: several tickets per server, each handed out once, newest first", async (t) => {
  const { port } = await startServer(t, { minVersion: "TLSv1.3", ticketKeys: crypto.randomBytes(48) });
  const store = new ClientSessionStore();
  t.after(() => store.free());
  const key = ClientSessionStore.keyFor({ host: "127.0.0.1", port, ca: CERT, servername: "localhost" });
  const first = await connect(port, {}, store);
  assert.equal(first.reused, false);
  assert.deepEqual(store.count(key), { tickets: 2, reusable: 0 });
  const newest = store.take(key);
  assert.deepEqual(newest, first.sessions[1], "the newest ticket first");
  assert.deepEqual(store.count(key), { tickets: 1, reusable: 0 });
  const older = store.take(key);
  assert.deepEqual(older, first.sessions[0]);
  assert.equal(store.take(key), undefined, "no ticket comes out twice");
  store.put(key, newest);
  store.put(key, older);
  // Through connect, in parallel: each connection takes its own ticket. (A Node server sends two
  // tickets after a full handshake and none after a resumption: its ticket callback never asks
  // OpenSSL to renew.)
  const parallel = await Promise.all([
    connect(port, {}, store),
    connect(port, {}, store),
    connect(port, {}, store),
  ]);
  assert.deepEqual(
    parallel.map((p) => p.reused),
    [true, true, false],
    "two tickets, two resumptions",
  );
  assert.deepEqual(
    parallel.map((p) => p.sessions.length),
    [0, 0, 2],
  );
  assert.deepEqual(store.count(key), { tickets: 2, reusable: 0 });
});

test("client store keeps at most ticketsPerServer tickets, dropping the oldest", async (t) => {
  const { port } = await startServer(t, { minVersion: "TLSv1.3" });
  const store = new ClientSessionStore({ ticketsPerServer: 3 });
  t.after(() => store.free());
  const key = "server";
  const received = [...(await connect(port)).sessions, ...(await connect(port)).sessions];
  assert.equal(received.length, 4);
  for (const s of received) store.put(key, s);
  assert.equal(store.count(key).tickets, 3);
  assert.deepEqual([store.take(key), store.take(key), store.take(key)], received.slice(1).reverse());
  assert.equal(store.take(key), undefined);
});

test("client store, TLS 1.2: one session per server, reusable", async (t) => {
  const cache = withCache(t);
  const { port } = await startServer(t, { cache, ...TLS12 });
  const store = new ClientSessionStore();
  t.after(() => store.free());
  const key = ClientSessionStore.keyFor({ host: "127.0.0.1", port, ca: CERT, servername: "localhost" });
  assert.equal((await connect(port, {}, store)).reused, false);
  assert.deepEqual(store.count(key), { tickets: 0, reusable: 1 });
  const a = store.take(key),
    b = store.take(key);
  assert.deepEqual(a, b, "taking does not spend a TLS 1.2 session");
  for (let i = 0; i < 3; i++) assert.equal((await connect(port, {}, store)).reused, true);
  assert.equal(cache.stats().hits, 3);
});

test("client store: the fingerprint separates configurations", async (t) => {
  const base = { host: "example.com", port: 443 };
  const k = (o) => ClientSessionStore.keyFor({ ...base, ...o });
  assert.equal(k({}), k({}));
  assert.equal(k({}), k({ servername: "example.com" }), "servername defaults to the host name");
  const variants = [
    { servername: "other.example" },
    { ALPNProtocols: ["h2"] },
    { ALPNProtocols: ["http/1.1"] },
    { ALPNProtocols: ["h2", "http/1.1"] },
    { ca: CERT },
    { cert: CERT },
    { minVersion: "TLSv1.3" },
    { maxVersion: "TLSv1.2" },
    { ciphers: "ECDHE-RSA-AES128-GCM-SHA256" },
    { rejectUnauthorized: false },
    { port: 8443 },
    { host: "example.org" },
  ];
  const keys = new Set([k({}), ...variants.map(k)]);
  assert.equal(keys.size, variants.length + 1);
  assert.ok(!k({ cert: CERT, key: KEY }).includes(KEY), "keys carry no secret");
  assert.equal(k({ cert: CERT, key: KEY }), k({ cert: CERT }), "the private key is not part of the key");

  // A session made with one ALPN list is not offered with another.
  const { port } = await startServer(t, { minVersion: "TLSv1.3", ALPNProtocols: ["h2", "http/1.1"] });
  const store = new ClientSessionStore();
  t.after(() => store.free());
  await connect(port, { ALPNProtocols: ["h2"] }, store);
  assert.equal((await connect(port, { ALPNProtocols: ["http/1.1"] }, store)).reused, false);
  assert.equal((await connect(port, { ALPNProtocols: ["h2"] }, store)).reused, true);
});

test("client store skips expired sessions: time + timeout, and the TLS 1.3 lifetime hint", () => {
  let now = 1_800_000_000;
  const store = new ClientSessionStore({ now: () => now });
  const make = (version, timeout, hint) => {
    const s = Session.new();
    s.protocolVersion = version;
    s.cipherSuite = version === 0x0304 ? 0x1301 : 0xc02f;
    s.masterKey = crypto.randomBytes(version === 0x0304 ? 32 : 48);
    s.id = crypto.randomBytes(32);
    s.time = now;
    s.timeout = timeout;
    if (version === 0x0304) {
      s.ticket = crypto.randomBytes(100);
      s.ticketLifetimeHint = hint;
    }
    return s;
  };
  const s12 = make(0x0303, 100, 0);
  store.put("k12", s12.toDER());
  now += 100;
  assert.ok(store.take("k12"), "now == time + timeout is not yet expired");
  now += 1;
  assert.equal(store.take("k12"), undefined);
  assert.equal(store.size, 0, "an empty server entry is dropped");

  const s13 = make(0x0304, 7200, 60);
  store.put("k13", s13);
  now += 61; // age 61 - 1 = 60: not above the hint
  assert.deepEqual(store.count("k13"), { tickets: 1, reusable: 0 });
  const peek = store.take("k13");
  assert.ok(peek);
  store.put("k13", s13);
  now += 1; // age 62 - 1 = 61 > 60
  assert.equal(store.take("k13"), undefined);
  // Already expired sessions are not stored at all.
  store.put("k13", s13);
  assert.equal(store.count("k13").tickets, 0);
  // A lifetime hint above 7 days is capped.
  const long = make(0x0304, 30 * 86400, 30 * 86400);
  store.put("long", long);
  now += 7 * 86400 + 2;
  assert.equal(store.take("long"), undefined);
  for (const s of [s12, s13, long]) s.free();
  store.free();
});

test("client store: non-resumable sessions are refused, servers beyond maxServers forgotten, memory freed", () => {
  const ex = rawExports();
  const handles0 = ex.tls_handles_live();
  const store = new ClientSessionStore({ maxServers: 2 });
  const empty = Session.new();
  store.put("x", empty);
  assert.equal(store.size, 0, "a session with neither id nor ticket cannot resume");
  empty.free();
  const s = Session.new();
  s.protocolVersion = 0x0303;
  s.cipherSuite = 0xc02f;
  s.masterKey = crypto.randomBytes(48);
  s.id = crypto.randomBytes(32);
  s.time = Math.floor(Date.now() / 1000);
  s.timeout = 300;
  for (const k of ["a", "b", "c"]) store.put(k, s);
  assert.equal(store.size, 2);
  assert.equal(store.count("a").reusable, 0, "the least recently used server went");
  store.take("b"); // b is now the most recently used
  store.put("d", s);
  assert.deepEqual(
    ["b", "c", "d"].map((k) => store.count(k).reusable),
    [1, 0, 1],
  );
  s.free();
  store.free();
  assert.equal(store.size, 0);
  assert.equal(ex.tls_handles_live(), handles0, "every stored session freed");
});

test("NoClientSessionStore keeps nothing", async (t) => {
  const { port } = await startServer(t, { minVersion: "TLSv1.3" });
  const none = new NoClientSessionStore();
  const key = ClientSessionStore.keyFor({ host: "127.0.0.1", port });
  const first = await connect(port);
  none.put(key, first.sessions[0]);
  assert.equal(none.take(key), undefined);
  const socket = tls.connect({ host: "127.0.0.1", port, ca: CERT, servername: "localhost" });
  none.attach(socket, key);
  assert.equal(socket.listenerCount("session"), 0);
  await new Promise((r) => {
    socket.on("data", () => {});
    socket.once("end", () => {
      socket.end();
      r();
    });
  });
  assert.equal(none.take(key), undefined);
});

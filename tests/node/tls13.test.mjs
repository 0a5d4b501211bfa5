// TLS 1.3 resumption through our cache on node:tls: the glue reads each ClientHello's
// pre_shared_key identity off the socket before node:tls does, answers Node's resumeSession with
// that session, and spends it only when the resumption completes. Real node:tls clients (OpenSSL
// inside Node) against a real node:tls server; the bytes on the wire are captured, altered and
// replayed through a TCP proxy.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import net from "node:net";
import crypto from "node:crypto";
import { SessionCache, attachSessionCache, attachFleet, MemorySessionStore } from "../../dist/index.js";
import { CERT, KEY, connect, startFirstFlightProxy, replay, serveForTest } from "./helpers.mjs";

const STATEFUL = { secureOptions: crypto.constants.SSL_OP_NO_TICKET };

/**
 * @param {import("node:test").TestContext} t
 * @param {import("node:tls").TlsOptions & {
 *   cache?: SessionCache,
 *   store?: MemorySessionStore,
 *   attach?: import("../../dist/index.js").AttachOptions,
 *   handler?: (c: import("node:tls").TLSSocket) => void,
 * }} [o]
 */
async function server(t, { cache, store, attach = {}, handler, ...opts } = {}) {
  const s = tls.createServer(
    { cert: CERT, key: KEY, sessionIdContext: "tls13-test", ...STATEFUL, ...opts },
    handler ?? ((c) => c.end("hi")),
  );
  const own = !cache && !store;
  cache ??= store ? undefined : new SessionCache();
  const h = store ? attachFleet(s, { store, cache, ...attach }) : attachSessionCache(s, cache, attach);
  const port = await serveForTest(t, s, h, own ? cache : null);
  return { server: s, port, h, cache: h.cache };
}

/** @type {(port: number, opts?: import("node:tls").ConnectionOptions) => Promise<Partial<Awaited<ReturnType<typeof connect>>> & { error?: Error }>} */
const attempt = (port, opts) => connect(port, opts).catch((error) => ({ error }));

test("a node:tls TLS 1.3 client resumes through the cache: hits counted, each ticket once", async (t) => {
  const { port, h, cache } = await server(t);
  const first = await connect(port);
  assert.equal(first.version, "TLSv1.3");
  assert.equal(first.reused, false);
  assert.equal(first.sessions.length, 2, "OpenSSL sends two tickets");
  assert.equal(cache.size, 2, "both are stored");
  const second = await connect(port, { session: first.sessions[0] });
  assert.equal(second.version, "TLSv1.3");
  assert.equal(second.reused, true, "resumed from our cache");
  assert.equal(cache.stats().hits, 1);
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, false, "single use");
  assert.equal((await connect(port, { session: first.sessions[1] })).reused, true, "the other ticket once");
  assert.equal(
    (await connect(port, { session: second.sessions[0] })).reused,
    true,
    "a resumption's ticket too",
  );
  const st = h.stats();
  assert.equal(st.tls13Spent, 3);
  assert.equal(st.tls13Restored, 0);
  assert.equal(cache.stats().hits, 3);
});

test("single use switched off: a ticket resumes again, as OpenSSL's own stateful server allows", async (t) => {
  const { port } = await server(t, { attach: { singleUse: false } });
  const first = await connect(port);
  for (let i = 0; i < 3; i++)
    assert.equal((await connect(port, { session: first.sessions[0] })).reused, true);
});

test("TLS 1.2 behaves as before on the same server", async (t) => {
  const { port, cache } = await server(t);
  const first = await connect(port, { maxVersion: "TLSv1.2" });
  assert.equal(first.version, "TLSv1.2");
  for (let i = 0; i < 2; i++)
    assert.equal((await connect(port, { maxVersion: "TLSv1.2", session: first.sessions[0] })).reused, true);
  assert.equal(cache.stats().hits, 2);
});

test("a tampered binder: OpenSSL refuses the handshake, and the client's ticket is not burnt", async (t) => {
  const { port, h } = await server(t);
  const first = await connect(port);
  const proxy = await startFirstFlightProxy(port, (b) => {
    const c = Buffer.from(b);
    c[c.length - 1] ^= 0x01; // the last byte of the last binder (pre_shared_key comes last)
    return [c];
  });
  t.after(() => proxy.close());
  const bad = await attempt(proxy.port, { session: first.sessions[0] });
  assert.ok(bad.error || bad.reused === false, "no resumption through a bad binder");
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(h.stats().tls13Restored, 1, "the claim was put back");
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, true, "the real client resumes");
});

test("a ticket for another sessionIdContext gets a full handshake and stays valid where it belongs", async (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  const A = await server(t, { cache });
  const B = await server(t, { cache, sessionIdContext: "another-app" });
  const first = await connect(A.port);
  const onB = await connect(B.port, { session: first.sessions[0] });
  assert.equal(onB.reused, false);
  assert.equal(B.h.stats().tls13Offered, 0, "the glue checked sid_ctx before handing it over");
  assert.equal((await connect(A.port, { session: first.sessions[0] })).reused, true);
});

test("replay: the captured resuming ClientHello, sent again raw, gets no pre_shared_key", async (t) => {
  const store = new MemorySessionStore();
  const A = await server(t, { store });
  const B = await server(t, { store });
  const first = await connect(A.port);
  const proxy = await startFirstFlightProxy(A.port);
  t.after(() => proxy.close());
  const resumed = await connect(proxy.port, { session: first.sessions[0] });
  assert.equal(resumed.reused, true);
  const hello = proxy.flights[0];
  for (const port of [A.port, B.port]) {
    const r = await replay(port, hello);
    assert.equal(r.serverHello, true, "the server answers the replay with a ServerHello");
    assert.equal(r.hrr, false);
    assert.equal(r.psk, false, "no pre_shared_key: the session is not selected twice");
  }
  // The control: the same replay before the session is spent would select it.
  const fresh = await connect(A.port);
  const p2 = await startFirstFlightProxy(A.port, () => []); // captures, never delivers
  void attempt(p2.port, { session: fresh.sessions[0] });
  while (p2.flights.length === 0) await new Promise((r) => setTimeout(r, 5));
  await p2.close();
  const ctrl = await replay(B.port, p2.flights[0]);
  assert.equal(ctrl.psk, true, "an unspent ticket's ClientHello does select its PSK");
});

test("ClientHellos split across TCP segments and across records resume", async (t) => {
  const { port } = await server(t);
  const segments = await startFirstFlightProxy(port, (b) => [
    b.subarray(0, 3),
    b.subarray(3, 60),
    b.subarray(60),
  ]);
  const records = await startFirstFlightProxy(port, (b) => {
    const body = b.subarray(5);
    const cut = Math.floor(body.length / 2);
    const rec = (part) => Buffer.concat([Buffer.from([22, 3, 1, part.length >> 8, part.length & 255]), part]);
    return [rec(body.subarray(0, cut)), rec(body.subarray(cut))];
  });
  t.after(() => Promise.all([segments.close(), records.close()]));
  const first = await connect(port);
  assert.equal((await connect(segments.port, { session: first.sessions[0] })).reused, true, "segments");
  const r = await connect(records.port, { session: first.sessions[1] });
  assert.equal(r.reused, true, "records");
});

test("malformed and oversized first flights are harmless: the server goes on resuming", async (t) => {
  const { port, h } = await server(t);
  const first = await connect(port);
  const send = (bytes, endIt = true) =>
    new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.write(bytes);
        if (endIt) s.end();
      });
      s.on("data", () => {});
      s.on("error", () => {});
      s.on("close", resolve);
      s.setTimeout(3000, () => s.destroy());
    });
  const hello = Buffer.from([22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0]);
  await send(Buffer.from("GET / HTTP/1.1\r\n\r\n"));
  await send(Buffer.from([22, 3, 1, 0xff, 0xff, 1])); // a record longer than TLS allows
  await send(Buffer.from([22, 3, 1, 0x40, 0x00, 1, 0xff, 0xff, 0xff])); // a 16 MiB ClientHello
  await send(hello); // a ClientHello too short to hold its fields
  await send(Buffer.from([22, 3, 1, 0x00, 0x10, 1, 0, 0])); // half a record, then the peer leaves
  await send(crypto.randomBytes(70000));
  const huge = Buffer.alloc(5 * 16389);
  for (let i = 0; i < 5; i++) huge.set([22, 3, 1, 0x40, 0x00], i * 16389);
  huge.set([1, 0x01, 0x00, 0x00], 5); // claims 64 KiB + 1 of ClientHello
  await send(huge);
  assert.ok(h.stats().peekFailed >= 5);
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, true);
});

test("HelloRetryRequest: node:tls hands the session over once, so a full handshake, and nothing spent", async (t) => {
  const { port, h } = await server(t, { ecdhCurve: "X25519" });
  const first = await connect(port);
  const hrr = await connect(port, { session: first.sessions[0], ecdhCurve: "P-256:X25519" });
  assert.equal(hrr.reused, false);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(h.stats().tls13Restored, 1);
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, true, "the ticket still works");
});

test("two servers, one store, one ticket at once: at most one completed resumption", async (t) => {
  const store = new MemorySessionStore();
  const A = await server(t, { store });
  const B = await server(t, { store });
  const C = await server(t, { store });
  const first = await connect(A.port);
  const rs = await Promise.all(
    [B.port, C.port, A.port].map((p) => connect(p, { session: first.sessions[0] })),
  );
  assert.equal(rs.filter((r) => r.reused).length, 1, "exactly one resumed");
  const all = [A, B, C].map((x) => x.h.stats());
  assert.equal(
    all.reduce((n, s) => n + s.tls13Spent, 0),
    1,
  );
});

test("a fleet: a session made on A resumes once on B, and nowhere afterwards", async (t) => {
  const store = new MemorySessionStore();
  const A = await server(t, { store });
  const B = await server(t, { store });
  const first = await connect(A.port);
  assert.equal(store.size, 2, "both tickets in the store");
  assert.equal(A.cache.size, 0, "a fleet keeps TLS 1.3 sessions in the store only");
  assert.equal((await connect(B.port, { session: first.sessions[0] })).reused, true);
  assert.equal(B.h.stats().storeHits, 1);
  assert.equal(B.cache.stats().cbHits, 1);
  assert.equal((await connect(A.port, { session: first.sessions[0] })).reused, false);
  assert.equal((await connect(B.port, { session: first.sessions[0] })).reused, false);
  assert.equal((await connect(A.port, { session: first.sessions[1] })).reused, true, "the second ticket");
});

test("a connection reset while the server had not ended it removes its session (SSL_free's rule)", async (t) => {
  const held = [];
  const { port, h, cache } = await server(t, {
    maxVersion: "TLSv1.2",
    handler: (c) => {
      c.on("error", () => {});
      held.push(c);
      c.write("hi"); // and keeps the connection open
    },
  });
  const raw = net.connect(port, "127.0.0.1");
  const session = await new Promise((resolve, reject) => {
    const s = tls.connect({ socket: raw, ca: CERT, servername: "localhost" }, () => {});
    s.on("error", () => {});
    s.once("data", () => resolve(s.getSession()));
    s.once("error", reject);
  });
  assert.equal(cache.size, 1);
  raw.resetAndDestroy();
  while (h.stats().uncleanRemoved === 0) await new Promise((r) => setTimeout(r, 10));
  assert.equal(cache.size, 0, "removed, as SSL_free does for a session still open");
  const ok = await new Promise((resolve) => {
    const s = tls.connect({ port, host: "127.0.0.1", ca: CERT, servername: "localhost", session }, () => {
      resolve(s.isSessionReused());
      s.destroy();
    });
    s.on("error", () => {});
  });
  for (const c of held) c.destroy();
  assert.equal(ok, false, "the reset session no longer resumes");
});

test("a first flight stalled past the bound goes to node:tls unread: a full handshake, nothing spent", async (t) => {
  const { port, h } = await server(t);
  const first = await connect(port);
  // The ClientHello's first 40 bytes, then nothing for 2.6 s (the glue waits 2 s, swept every 0.5 s).
  const stalled = await startFirstFlightProxy(port, (b) => [b.subarray(0, 40), b.subarray(40)], 2600);
  t.after(() => stalled.close());
  const r = await connect(stalled.port, { session: first.sessions[0] });
  assert.equal(r.reused, false, "handed over unread: no identity known, a full handshake");
  assert.equal(h.stats().peekFailed, 1);
  assert.equal(h.stats().tls13Offered, 0, "nothing was claimed");
  assert.equal(
    (await connect(port, { session: first.sessions[0] })).reused,
    true,
    "the ticket still resumes",
  );
});

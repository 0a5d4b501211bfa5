// OpenSSL's fatal alert rule on node:tls: a handshake that fails after the server took a cached
// session (here a TLS 1.2 abbreviated handshake answered by a bad record instead of the client's
// Finished) removes that session, so it is not resumed again, on this server or across a fleet.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import net from "node:net";
import crypto from "node:crypto";
import { once } from "node:events";
import { SessionCache, attachSessionCache, attachFleet, MemorySessionStore } from "../../dist/index.js";
import { CERT, KEY, connect, listenLocal, serveForTest } from "./helpers.mjs";

/** @type {import("node:tls").TlsOptions} */
const OPTS = {
  cert: CERT,
  key: KEY,
  sessionIdContext: "fatal-test",
  secureOptions: crypto.constants.SSL_OP_NO_TICKET,
  maxVersion: "TLSv1.2",
};

/**
 * @param {import("node:test").TestContext} t
 * @param {{ cache?: SessionCache, store?: MemorySessionStore }} o
 */
async function server(t, { cache, store }) {
  const s = tls.createServer(OPTS, (c) => c.end("hi"));
  const h = store ? attachFleet(s, { store, cache }) : attachSessionCache(s, cache);
  const port = await serveForTest(t, s, h);
  return { server: s, port, h };
}

/** The first record a node:tls client sends when it offers `session`: its ClientHello. */
async function captureClientHello(session) {
  let bytes = Buffer.alloc(0);
  const sink = net.createServer();
  const port = await listenLocal(sink);
  const got = new Promise((resolve) =>
    sink.once("connection", (sock) => {
      sock.on("data", (d) => {
        bytes = Buffer.concat([bytes, d]);
        if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3)) {
          resolve(bytes.subarray(0, 5 + bytes.readUInt16BE(3)));
          sock.destroy();
        }
      });
    }),
  );
  const client = tls.connect({
    port,
    host: "127.0.0.1",
    servername: "localhost",
    session,
  });
  client.on("error", () => {});
  const hello = await got;
  client.destroy();
  await new Promise((r) => sink.close(r));
  return hello;
}

/**
 * Sends `hello` raw; once the server's abbreviated-handshake flight arrives (its ServerHello
 * echoing the offered session id: the server took the cached session), sends an application
 * data record instead of the client's Finished. Resolves with the echoed session id once the
 * server has reported the failed handshake (tlsClientError).
 */
async function abortAfterServerHello(srv, port, hello) {
  const failed = once(srv, "tlsClientError");
  const sock = net.connect(port, "127.0.0.1", () => sock.write(hello));
  sock.on("error", () => {});
  let buf = Buffer.alloc(0);
  const echoed = await new Promise((resolve, reject) => {
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
      if (buf[0] !== 22 || buf[5] !== 2) return reject(new Error(`not a ServerHello: ${buf[0]}`));
      const sidLen = buf[5 + 4 + 2 + 32];
      resolve(buf.subarray(5 + 4 + 2 + 32 + 1, 5 + 4 + 2 + 32 + 1 + sidLen));
      sock.write(Buffer.from([23, 3, 3, 0, 4, 1, 2, 3, 4]));
    });
  });
  const [err] = await failed;
  sock.destroy();
  return { echoed, err };
}

const offeredId = (hello) => hello.subarray(5 + 4 + 2 + 32 + 1, 5 + 4 + 2 + 32 + 1 + hello[5 + 4 + 2 + 32]);

test("a TLS 1.2 resumption that fails after ServerHello removes its session (fatal alert)", async (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  const { server: srv, port, h } = await server(t, { cache });
  const first = await connect(port, { maxVersion: "TLSv1.2" });
  assert.equal(first.version, "TLSv1.2");
  assert.equal(cache.size, 1);
  // The session resumes while nothing failed.
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, true);
  assert.equal(h.stats().fatalRemoved, 0);

  const hello = await captureClientHello(first.sessions[0]);
  const { echoed, err } = await abortAfterServerHello(srv, port, hello);
  assert.equal(echoed.length, 32);
  assert.deepEqual(echoed, offeredId(hello), "the server had taken the cached session");
  assert.match(String(err.code ?? err.message), /UNEXPECTED|unexpected/);
  assert.equal(h.stats().fatalRemoved, 1);
  assert.equal(cache.size, 0, "removed, as OpenSSL's fatal alert does");
  assert.equal(cache.get(echoed, 0x0303), null);

  const later = await connect(port, { session: first.sessions[0] });
  assert.equal(later.reused, false, "a later client with that session gets a full handshake");
  assert.equal(cache.size, 1, "and a new session");
});

test("a fleet: the failed handshake on A removes the session from the store too", async (t) => {
  const store = new MemorySessionStore();
  const A = await server(t, { store });
  const B = await server(t, { store });
  const first = await connect(A.port, { maxVersion: "TLSv1.2" });
  assert.equal(store.size, 1);
  const hello = await captureClientHello(first.sessions[0]);
  const { echoed } = await abortAfterServerHello(A.server, A.port, hello);
  assert.deepEqual(echoed, offeredId(hello));
  assert.equal(A.h.stats().fatalRemoved, 1);
  await new Promise((r) => setImmediate(r));
  assert.equal(store.size, 0, "deleted from the store");
  assert.equal((await connect(B.port, { session: first.sessions[0] })).reused, false, "not on B");
  assert.equal((await connect(A.port, { session: first.sessions[0] })).reused, false, "nor on A");
});

// A Node whose node:tls internals differ from those the TLS 1.3 peek relies on: the glue refuses
// loudly (one log line naming what differs; `tls13: true` throws where it can tell at attach) and
// the server goes on as without the peek: every connection completes, as a full TLS 1.3 handshake,
// and TLS 1.2 still resumes from the cache. Each difference is simulated on a real node:tls server
// by taking away, for that server or for the time of the attach, the behaviour the glue needs.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import net from "node:net";
import crypto from "node:crypto";
import { SessionCache, attachSessionCache } from "../../dist/index.js";
import { CERT, KEY, connect, serveForTest } from "./helpers.mjs";

const OPTS = {
  cert: CERT,
  key: KEY,
  sessionIdContext: "internals-test",
  secureOptions: crypto.constants.SSL_OP_NO_TICKET,
};

/**
 * A stateful server; `alter(server)` runs before the attach, `during()` wraps the attach itself.
 * @param {import("node:test").TestContext} t
 * @param {{
 *   alter?: (s: import("node:tls").Server) => void,
 *   during?: <T>(f: () => T) => T,
 *   attach?: import("../../dist/index.js").AttachOptions,
 * }} [o]
 */
async function server(t, { alter, during = (f) => f(), attach = {} } = {}) {
  const s = tls.createServer(OPTS, (c) => c.end("hi"));
  alter?.(s);
  const cache = new SessionCache();
  /** @type {string[]} */
  const logs = [];
  /** @type {import("../../dist/index.js").Detach} */
  let h;
  try {
    h = during(() => attachSessionCache(s, cache, { log: (m) => logs.push(m), ...attach }));
  } catch (err) {
    cache.free();
    throw err;
  }
  const port = await serveForTest(t, s, h, cache);
  return { server: s, port, h, cache, logs };
}

/**
 * Connections that must all complete: TLS 1.3 full handshakes (no resumption), TLS 1.2 resumed.
 * @param {number} port
 * @param {import("../../dist/index.js").Detach} h
 */
async function stillServes(port, h, tls12Resumes = true) {
  const first = await connect(port);
  assert.equal(first.version, "TLSv1.3");
  for (const session of first.sessions) {
    const again = await connect(port, { session });
    assert.equal(again.version, "TLSv1.3");
    assert.equal(again.reused, false, "a full handshake: TLS 1.3 rests on Node's own means");
  }
  const t12 = await connect(port, { maxVersion: "TLSv1.2" });
  const r12 = await connect(port, { maxVersion: "TLSv1.2", session: t12.sessions[0] });
  assert.equal(r12.reused, tls12Resumes);
  assert.equal(h.stats().tls13Offered, 0);
}

/**
 * Runs `f` with `obj[key]` replaced by `value` (restored afterwards).
 * @param {any} obj
 * @param {string} key
 * @param {unknown} value
 * @returns {<T>(f: () => T) => T}
 */
const withPatched = (obj, key, value) => (f) => {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  Object.defineProperty(obj, key, { value, configurable: true, writable: true });
  try {
    return f();
  } finally {
    if (d) Object.defineProperty(obj, key, d);
    else delete obj[key];
  }
};

/**
 * The server's stock 'connection' listener replaced by an equivalent one of another name.
 * @param {import("node:tls").Server} s
 */
const renamedListener = (s) => {
  const [stock] = s.listeners("connection");
  s.removeAllListeners("connection");
  s.on("connection", function otherListener(raw) {
    stock.call(this, raw);
  });
};

test("the peek works on this Node: the control for the simulations below", async (t) => {
  const { port, h, logs } = await server(t);
  const first = await connect(port);
  assert.equal((await connect(port, { session: first.sessions[0] })).reused, true);
  assert.ok(h.stats().peeked >= 2);
  assert.deepEqual(logs, []);
});

test("no tlsConnectionListener: refused at attach, loudly; tls13: true throws", async (t) => {
  const { port, h, logs } = await server(t, { alter: renamedListener });
  assert.equal(logs.length, 1);
  assert.match(logs[0], /differs from the node:tls internals .*no tlsConnectionListener/);
  assert.match(logs[0], new RegExp(process.version.replace(/\./g, "\\.")));
  await stillServes(port, h);
  assert.equal(h.stats().peeked, 0, "no connection was read by the glue");
  assert.equal(logs.length, 1, "said once");
  await assert.rejects(
    server(t, { alter: renamedListener, attach: { tls13: true } }),
    /no tlsConnectionListener/,
  );
});

test("a raw socket without unshift(): refused at attach", async (t) => {
  const { port, h, logs } = await server(t, {
    during: withPatched(net.Socket.prototype, "unshift", undefined),
  });
  assert.equal(logs.length, 1);
  assert.match(logs[0], /net\.Socket has no unshift\(\)/);
  await stillServes(port, h);
  assert.equal(h.stats().peeked, 0);
  await assert.rejects(
    server(t, { during: withPatched(net.Socket.prototype, "unshift", undefined), attach: { tls13: true } }),
    /no unshift/,
  );
});

test("another Node major: refused by default, on with a warning under tls13: true", async (t) => {
  const other = withPatched(process.versions, "node", "99.0.0");
  const refused = await server(t, { during: other });
  assert.equal(refused.logs.length, 1);
  assert.match(refused.logs[0], /Node 99 is not a tested major \(20\); pass tls13: true/);
  await stillServes(refused.port, refused.h);
  assert.equal(refused.h.stats().peeked, 0);

  const forced = await server(t, { during: other, attach: { tls13: true } });
  assert.equal(forced.logs.length, 1);
  assert.match(forced.logs[0], /tested on Node 20, not on .*on as asked \(tls13: true\)/);
  const first = await connect(forced.port);
  assert.equal((await connect(forced.port, { session: first.sessions[0] })).reused, true, "checked, and on");
});

test("a server that asks no resumeSession: the peek stops after three ClientHellos, loudly", async (t) => {
  // As a Node would whose server no longer emits resumeSession (or under another name).
  const { port, h, logs } = await server(t, {
    alter: (s) => {
      const emit = s.emit;
      s.emit = function (name, ...args) {
        if (name === "resumeSession") return false;
        return emit.call(this, name, ...args);
      };
    },
  });
  const first = await connect(port);
  for (let i = 0; i < 3; i++) {
    const r = await connect(port, { session: first.sessions[i % 2] });
    assert.equal(r.reused, false, "every connection completes, as a full handshake");
  }
  assert.equal(logs.length, 1);
  assert.match(logs[0], /asked no resumeSession for 3 ClientHellos with a session id/);
  const peeked = h.stats().peeked;
  assert.equal(peeked, 3);
  await stillServes(port, h, false); // nothing resumes without resumeSession, TLS 1.2 neither
  assert.equal(h.stats().peeked, peeked, "the peek is off for the connections after");
  assert.equal(h.stats().tls13Restored, 0, "nothing was claimed");
});

test("a raw socket that keeps nothing unshifted: the flight is put back, the peek stops", async (t) => {
  const { server: s, port, h, logs } = await server(t);
  // Runs before the glue's own listener (prepended after the attach).
  s.prependListener("connection", (raw) => {
    raw.unshift = () => {};
  });
  const first = await connect(port);
  assert.equal(first.version, "TLSv1.3", "this connection completes too");
  assert.equal(logs.length, 1);
  assert.match(logs[0], /keeps no data unshifted/);
  await stillServes(port, h);
  assert.equal(h.stats().peeked, 1);
});

test("node:tls leaving the first flight unread: that connection is closed, the peek stops", async (t) => {
  const { server: s, port, h, logs } = await server(t);
  let broken = 1;
  s.prependListener("connection", (raw) => {
    if (broken-- <= 0) return;
    // As a Node whose TLSSocket no longer reads what is buffered on the socket it wraps.
    const read = raw.read;
    raw.read = function (n) {
      return n === undefined && this.readableLength > 0 && this.isPaused() ? null : read.call(this, n);
    };
  });
  await assert.rejects(connect(port), "that handshake cannot start");
  assert.equal(logs.length, 1);
  assert.match(logs[0], /left the first flight unread/);
  await stillServes(port, h);
  assert.equal(h.stats().peeked, 1);
});

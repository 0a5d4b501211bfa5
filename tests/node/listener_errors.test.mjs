// A SessionCache listener that throws, on a cache attached to a node:tls server with no "error"
// listener: the glue catches what the cache rethrows, logs it once per burst and counts it
// (listenerErrors); the server never emits "error", no exception or rejection escapes, and the
// cache keeps working (the sessions are stored and resume).
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import crypto from "node:crypto";
import { SessionCache, attachSessionCache } from "../../dist/index.js";
import { CERT, KEY, connect, listenLocal } from "./helpers.mjs";

test("a throwing remove listener is caught, logged once and counted; resumption goes on", async (t) => {
  const escaped = [];
  const onEscape = (e) => escaped.push(e);
  process.on("uncaughtException", onEscape);
  process.on("unhandledRejection", onEscape);
  t.after(() => {
    process.off("uncaughtException", onEscape);
    process.off("unhandledRejection", onEscape);
  });

  const cache = new SessionCache({ size: 2 }); // every new session past the second evicts one
  let removes = 0;
  const listener = () => {
    removes++;
    throw new Error("listener bug");
  };
  cache.on("remove", listener);
  const logs = [];
  const server = tls.createServer(
    { cert: CERT, key: KEY, secureOptions: crypto.constants.SSL_OP_NO_TICKET, maxVersion: "TLSv1.2" },
    (s) => s.end("hi"),
  );
  const emitted = [];
  const emit = server.emit;
  server.emit = function (name, ...args) {
    if (name === "error") emitted.push(args[0]);
    return emit.call(this, name, ...args);
  };
  const detach = attachSessionCache(server, cache, { log: (m) => logs.push(m) });
  const port = await listenLocal(server);
  t.after(
    () =>
      new Promise((r) => {
        detach();
        cache.off("remove", listener);
        cache.free();
        server.close(r);
      }),
  );

  const sessions = [];
  for (let i = 0; i < 5; i++) sessions.push((await connect(port)).sessions[0]);
  assert.ok(removes >= 3, `evictions reached the listener (${removes})`);
  const st = detach.stats();
  assert.equal(st.listenerErrors, removes, "every listener error counted");
  assert.equal(st.stored, 5, "each add took effect although its listener threw");
  assert.equal(cache.size, 1, "OpenSSL's eviction: at most size - 1 after an add");
  const listenerLogs = logs.filter((m) => m.includes("listener threw"));
  assert.equal(listenerLogs.length, 1, `logged once per burst: ${logs.join(" | ")}`);
  assert.match(listenerLogs[0], /listener bug/);
  // The newest session is cached and resumes.
  const again = await connect(port, { session: sessions[4] });
  assert.equal(again.reused, true);
  assert.deepEqual(emitted, [], "the server emitted no error");
  assert.deepEqual(escaped, [], "nothing escaped to the process");
});

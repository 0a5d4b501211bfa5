// Misuse and bad data never make the glue silently useless or fatal to its server: a ticket-issuing
// TLS 1.3 server gets one warning (and a count), wrong arguments throw a clear TypeError, and store
// values that are not sessions (through a real redis-server) are counted refusals and full
// handshakes, never the server's "error" event.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import net from "node:net";
import crypto from "node:crypto";
import { Redis } from "ioredis";
import {
  SessionCache,
  Session,
  attachSessionCache,
  attachFleet,
  RedisSessionStore,
  MemorySessionStore,
  sessionKey,
} from "../../dist/index.js";
import { CERT, KEY, connect, listenLocal } from "./helpers.mjs";
import { redisSkip, startRedis } from "../stores/redis.mjs";

/** A server that records every "error" it would emit (and has no listener, as the README's). */
async function listen(t, opts, attachFn) {
  const server = tls.createServer({ cert: CERT, key: KEY, sessionIdContext: "misuse-test", ...opts }, (c) =>
    c.end("hi"),
  );
  const emitted = [];
  const emit = server.emit;
  server.emit = function (name, ...args) {
    if (name === "error") emitted.push(args[0]);
    return emit.call(this, name, ...args);
  };
  const handle = attachFn?.(server);
  const port = await listenLocal(server);
  t.after(
    () =>
      new Promise((r) => {
        handle?.detach();
        server.close(r);
      }),
  );
  return { server, port, handle, emitted };
}

test("a ticket-issuing TLS 1.3 server: one warning saying what to change, every skipped session counted", async (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  const logs = [];
  const { port, handle } = await listen(t, { minVersion: "TLSv1.3" }, (s) =>
    attachSessionCache(s, cache, { log: (m) => logs.push(m) }),
  );
  const first = await connect(port);
  await connect(port, { session: first.sessions[0] });
  await connect(port);
  assert.equal(cache.size, 0, "nothing stored");
  assert.ok(handle.counters.ticketSkipped >= 4, "the tickets' sessions are counted");
  assert.equal(handle.counters.ticketSkipped, handle.counters.skipped, "every one skipped for this reason");
  assert.equal(logs.length, 1, "warned once");
  assert.match(logs[0], /SSL_OP_NO_TICKET/);
});

test("attaching twice, to something that is not a tls.Server, or with a freed cache: a clear TypeError", async (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  const { server } = await listen(t, { secureOptions: crypto.constants.SSL_OP_NO_TICKET }, (s) =>
    attachSessionCache(s, cache),
  );
  assert.throws(() => attachSessionCache(server, cache), {
    name: "TypeError",
    message: /already has a session cache/,
  });
  assert.throws(() => attachFleet(server, { store: new MemorySessionStore() }), {
    name: "TypeError",
    message: /already has a session cache/,
  });
  // Wrong types on purpose: what a JavaScript caller can pass.
  const plain = /** @type {any} */ (net.createServer());
  assert.throws(() => attachSessionCache(plain, cache), {
    name: "TypeError",
    message: /must be a tls\.Server.*Server/,
  });
  assert.throws(() => attachSessionCache(/** @type {any} */ ({}), cache), {
    name: "TypeError",
    message: /tls\.Server/,
  });
  assert.throws(() => attachFleet(plain, { store: new MemorySessionStore() }), { name: "TypeError" });
  const freed = new SessionCache();
  freed.free();
  const other = tls.createServer({ cert: CERT, key: KEY });
  assert.throws(() => attachSessionCache(other, freed), { name: "TypeError", message: /freed/ });
  assert.throws(() => attachSessionCache(other, /** @type {any} */ ({})), {
    name: "TypeError",
    message: /SessionCache/,
  });
  assert.throws(() => attachFleet(other, { store: /** @type {any} */ ({}) }), {
    name: "TypeError",
    message: /SessionStore/,
  });
  // Nothing half-attached: a good attach still works, and after detach it may attach again.
  const h = attachSessionCache(other, cache);
  h();
  attachSessionCache(other, cache).detach();
});

test("default onError: logged once per burst and counted; never the server's error event", async (t) => {
  const cache = new SessionCache();
  t.after(() => cache.free());
  const logs = [];
  const { server, handle, emitted } = await listen(
    t,
    { secureOptions: crypto.constants.SSL_OP_NO_TICKET },
    (s) => attachSessionCache(s, cache, { log: (m) => logs.push(m) }),
  );
  // Node handing over blobs that do not decode (as a broken Node or a fuzzer would).
  for (let i = 0; i < 5; i++)
    server.emit("newSession", Buffer.alloc(32), Buffer.from("3003020107", "hex"), () => {});
  assert.equal(handle.counters.errors, 5);
  assert.equal(logs.length, 1, "one line for the burst");
  assert.deepEqual(emitted, []);
});

describe(
  "bad store values through a real redis-server: counted refusals, full handshakes",
  { skip: redisSkip() },
  () => {
    let redis, client;
    before(async () => {
      redis = await startRedis();
      client = new Redis({ host: "127.0.0.1", port: redis.port, lazyConnect: true });
      await client.connect();
    });
    after(async () => {
      client?.disconnect();
      await redis?.stop();
    });

    for (const sealed of [false, true]) {
      test(sealed ? "sealed store" : "plain store", async (t) => {
        const sealKey = sealed ? crypto.randomBytes(32) : undefined;
        const prefix = `bad${sealed ? "s" : "p"}:`;
        const store = new RedisSessionStore(client, { prefix, sealKey });
        const logs = [];
        const mk = (s) => attachFleet(s, { store, timeoutMs: 2000, log: (m) => logs.push(m) });
        const TLS = { secureOptions: crypto.constants.SSL_OP_NO_TICKET, maxVersion: "TLSv1.2" };
        const A = await listen(t, TLS, mk);
        const first = await connect(A.port);
        const session = first.sessions[0];
        const s = Session.fromDER(new Uint8Array(session));
        const rk = prefix + sessionKey(new TextEncoder().encode("misuse-test"), s.id);
        s.free();
        const good = await client.get(rk);
        assert.ok(good, "A wrote the session");
        const raw = Buffer.from(good, "base64");
        const other = new RedisSessionStore(client, { prefix, sealKey: crypto.randomBytes(32) });
        await other.set(rk.slice(prefix.length), new Uint8Array(session), 60);
        const foreign = await client.get(rk);
        const plain = (bytes) => Buffer.concat([Buffer.from([0]), bytes]).toString("base64");
        const der = Buffer.from(session);
        const bad = {
          "30 03 02 01 07, unsealed": plain(Buffer.from("3003020107", "hex")),
          truncated: plain(der.subarray(0, der.length - 7)),
          "damaged (outer length)": plain(Buffer.concat([Buffer.from([0x30, 0x7f]), der.subarray(2)])),
          "damaged stored bytes": Buffer.from(raw.map((b, i) => (i === raw.length - 3 ? b ^ 1 : b))).toString(
            "base64",
          ),
          "truncated stored bytes": raw.subarray(0, raw.length - 5).toString("base64"),
          "foreign: not base64": '{"user":1}',
          "foreign: random": crypto.randomBytes(80).toString("base64"),
          "foreign: sealed under another key": foreign,
          empty: "",
        };
        for (const [name, value] of Object.entries(bad)) {
          await client.set(rk, value, "EX", 60);
          const B = await listen(t, TLS, mk); // a fresh local cache: the lookup goes to Redis
          const before = { ...B.handle.counters };
          const r = await connect(B.port, { session });
          assert.equal(r.reused, false, `${name}: a full handshake`);
          const c = B.handle.counters;
          const refusedHere = c.storeBadValues - before.storeBadValues + (c.storeMisses - before.storeMisses);
          assert.equal(
            refusedHere,
            1,
            `${name}: counted (bad value, or a miss the store counted as refused)`,
          );
          assert.equal(c.refused, 1, `${name}: a refusal`);
          assert.deepEqual(B.emitted, [], `${name}: no error event`);
        }
        assert.ok(store.refused >= 1, "the store counted values it could not open");
        if (!sealed) {
          assert.ok(logs.length >= 1, "undecodable values are logged");
          assert.ok(
            logs.every((l) => /not a session/.test(l)),
            "as what they are",
          );
        }
        assert.deepEqual(A.emitted, []);
        // And a good value still resumes afterwards.
        await client.set(rk, good, "EX", 60);
        const C = await listen(t, TLS, mk);
        assert.equal((await connect(C.port, { session })).reused, true);
      });
    }
  },
);

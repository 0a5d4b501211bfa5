// The SessionStore contract (bindings/stores/store.ts): the do-nothing store does nothing, the memory
// store keeps TTLs and single use, and the Redis store (a real redis-server) keeps values sealed,
// TTLs in Redis, keys namespaced, and `take` atomic (GETDEL, or the Lua script on older servers).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { redisSkip, startRedis } from "./redis.mjs";
import {
  NoSessionStore,
  MemorySessionStore,
  RedisSessionStore,
  sessionKey,
  MAX_STORE_TTL,
} from "../../dist/index.js";

const value = (n = 64, fill = 0x5a) => new Uint8Array(n).fill(fill);

test("sessionKey: hex(sid_ctx) ':' hex(id)", () => {
  assert.equal(sessionKey(new TextEncoder().encode("ab"), new Uint8Array([0, 255, 16])), "6162:00ff10");
  assert.equal(sessionKey(new Uint8Array(0), new Uint8Array(0)), ":");
});

test("NoSessionStore does nothing: what is set is never found, taken or deleted", async () => {
  const s = new NoSessionStore();
  await s.set("k", value(), 60);
  assert.equal(await s.get("k"), null);
  assert.equal(await s.take("k"), null);
  assert.equal(await s.delete("k"), false);
  // It still checks its arguments like every store.
  await assert.rejects(s.set("k", value(), 0), RangeError);
  // Wrong types on purpose: what a JavaScript caller can pass.
  await assert.rejects(s.set("k", /** @type {any} */ ("not bytes"), 60), TypeError);
  await assert.rejects(s.get(/** @type {any} */ (42)), TypeError);
});

test("MemorySessionStore: copies in and out, TTL by the injected clock, take at most once", async () => {
  let now = 1_700_000_000; // seconds, as every clock of the TLS layer
  const s = new MemorySessionStore({ now: () => now });
  const v = value();
  await s.set("a", v, 10);
  v.fill(0);
  const got = await s.get("a");
  assert.deepEqual(got, value(), "stored a copy");
  got.fill(1);
  assert.deepEqual(await s.get("a"), value(), "returned a copy");
  now += 9;
  assert.notEqual(await s.get("a"), null, "alive until its TTL");
  now += 1;
  assert.equal(await s.get("a"), null, "gone at its TTL");
  await s.set("b", value(), 10);
  const takes = await Promise.all(Array.from({ length: 10 }, () => s.take("b")));
  assert.equal(takes.filter((x) => x !== null).length, 1, "one taker gets it");
  assert.equal(await s.get("b"), null, "take really deleted");
  await s.set("c", value(), 10);
  assert.equal(await s.delete("c"), true);
  assert.equal(await s.delete("c"), false);
  await assert.rejects(s.set("d", value(), MAX_STORE_TTL + 1), RangeError);
  await assert.rejects(s.set("d", value(), 1.5), TypeError);
});

test("MemorySessionStore: full, the entry closest to expiry goes first", async () => {
  const s = new MemorySessionStore({ maxEntries: 2, now: () => 0 });
  await s.set("long", value(), 100);
  await s.set("short", value(), 5);
  await s.set("new", value(), 50);
  assert.equal(s.size, 2);
  assert.equal(await s.get("short"), null);
  assert.notEqual(await s.get("long"), null);
  assert.notEqual(await s.get("new"), null);
});

describe("RedisSessionStore against a real redis-server", { skip: redisSkip() }, () => {
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

  test("get / set / delete, TTL in Redis, keys under the prefix, untrusted key bytes inert", async () => {
    const s = new RedisSessionStore(client, { prefix: "t1:" });
    const key = "odd\r\n*1\r\n$4\r\nPING\u0000\u00ff";
    await s.set(key, value(100), 30);
    assert.deepEqual(await s.get(key), value(100));
    const ttl = await client.ttl("t1:" + key);
    assert.ok(ttl > 25 && ttl <= 30, `TTL ${ttl}`);
    assert.equal(await s.get("other"), null);
    assert.equal(await s.delete(key), true);
    assert.equal(await s.delete(key), false);
    assert.equal(await s.get(key), null);
  });

  test("sealed at rest: Redis holds no plaintext; a wrong key or a moved value is a miss", async () => {
    const secretish = value(48, 0xab);
    const sealKey = new Uint8Array(32).fill(7);
    const s = new RedisSessionStore(client, { prefix: "t2:", sealKey });
    assert.equal(s.sealed, true);
    await s.set("k", secretish, 30);
    const raw = Buffer.from(await client.get("t2:k"), "base64");
    assert.equal(raw.includes(Buffer.from(secretish.subarray(0, 16))), false, "no plaintext at rest");
    assert.deepEqual(await s.get("k"), secretish);
    const wrong = new RedisSessionStore(client, { prefix: "t2:", sealKey: new Uint8Array(32).fill(8) });
    assert.equal(await wrong.get("k"), null);
    assert.equal(wrong.refused, 1);
    const plain = new RedisSessionStore(client, { prefix: "t2:" });
    assert.equal(await plain.get("k"), null, "a store without the key does not read sealed values");
    await client.set("t2:moved", await client.get("t2:k"));
    assert.equal(await s.get("moved"), null, "the value is bound to its key");
    // Rotation: the new key seals, the old one still opens.
    const rotated = new RedisSessionStore(client, {
      prefix: "t2:",
      sealKey: [new Uint8Array(16).fill(9), sealKey],
    });
    assert.deepEqual(await rotated.get("k"), secretish);
  });

  test("take is atomic: of 20 concurrent takers exactly one gets the value (GETDEL)", async () => {
    const s = new RedisSessionStore(client, { prefix: "t3:" });
    await s.set("once", value(), 30);
    const got = await Promise.all(Array.from({ length: 20 }, () => s.take("once")));
    assert.equal(got.filter((x) => x !== null).length, 1);
    assert.equal(await client.exists("t3:once"), 0, "take really deleted");
  });

  test("take without GETDEL (older Redis): the Lua script, still exactly once; a command-function client", async () => {
    const sent = [];
    const cmd = (args) => {
      sent.push(args[0]);
      if (args[0] === "GETDEL") return Promise.reject(new Error("ERR unknown command 'GETDEL'"));
      return client.call(args[0], ...args.slice(1));
    };
    const s = new RedisSessionStore(cmd, { prefix: "t4:" });
    await s.set("once", value(), 30);
    const got = await Promise.all(Array.from({ length: 20 }, () => s.take("once")));
    assert.equal(got.filter((x) => x !== null).length, 1);
    assert.ok(sent.includes("EVAL"));
    assert.equal(sent.filter((c) => c === "GETDEL").length <= 20, true);
    await s.set("again", value(), 30);
    sent.length = 0;
    assert.deepEqual(await s.take("again"), value());
    assert.deepEqual(sent, ["EVAL"], "GETDEL is not tried again");
  });

  test("a real node-redis v4 client: set, get, take (the same entries as through ioredis)", async () => {
    const nr = createClient({ url: `redis://127.0.0.1:${redis.port}` });
    nr.on("error", () => {});
    await nr.connect();
    try {
      const sealKey = new Uint8Array(16).fill(3);
      const viaNodeRedis = new RedisSessionStore(nr, { prefix: "t6:", sealKey });
      const viaIoredis = new RedisSessionStore(client, { prefix: "t6:", sealKey });
      await viaNodeRedis.set("k", value(80, 1), 30);
      assert.deepEqual(await viaIoredis.get("k"), value(80, 1));
      const got = await Promise.all([viaNodeRedis.take("k"), viaIoredis.take("k"), viaNodeRedis.take("k")]);
      assert.equal(got.filter((x) => x !== null).length, 1);
    } finally {
      await nr.quit();
    }
  });

  test("a node-redis-shaped client (sendCommand) works too; a client of neither shape is a TypeError", async () => {
    const nodeRedisLike = { sendCommand: (args) => client.call(args[0], ...args.slice(1)) };
    const s = new RedisSessionStore(nodeRedisLike, { prefix: "t5:" });
    await s.set("k", value(), 30);
    assert.deepEqual(await s.get("k"), value());
    assert.throws(() => new RedisSessionStore(/** @type {any} */ ({})), TypeError);
    assert.throws(() => new RedisSessionStore(client, { sealKey: new Uint8Array(20) }), RangeError);
  });
});

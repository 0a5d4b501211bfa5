// Bench of issue 7: a fleet of two node:tls server processes (tests/node/fleet_server.mjs) on one
// redis-server. Each client makes a full TLS 1.2 handshake on server A, then tries to resume on
// server B (session ids, tickets off): with the store B resumes, without it (useStore false, each
// server alone) it cannot. Prints the resumption rate on B and the handshake latency (median, p95)
// of B's handshakes in both fleets; then the store's added latency per lookup: RedisSessionStore
// `get` (plain and sealed) against a plain ioredis GET of the same bytes, on one connection.
//
// The same for TLS 1.3 stateful tickets (read off the ClientHello by the glue, claimed with
// GETDEL), and the cost of that ClientHello peek per full handshake: one in-process server with
// the cache attached, tls13 on and off, alternating, full handshakes only.
//
// `node tests/bench/fleet.mjs` runs it alone; tests/bench/run.mjs calls run(). Needs redis-server.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { startRedis } from "../stores/redis.mjs";
import { startFleetServer, connect } from "../node/fleet_procs.mjs";
import tls from "node:tls";
import crypto from "node:crypto";
import { RedisSessionStore, SessionCache, attachSessionCache } from "../../dist/index.js";
import { CERT, KEY, listenLocal } from "../node/helpers.mjs";

const BUDGET_MS = Number(process.env.BENCH_MS ?? 300);
const CLIENTS = 200;
const TLS12 = { maxVersion: "TLSv1.2" };
const TLS13 = { minVersion: "TLSv1.3" };

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function fleetFigures(redisPort, useStore, version) {
  const config = { redisPort, secret: randomBytes(32).toString("hex"), useStore, timeoutMs: 50 };
  const [A, B] = await Promise.all([startFleetServer(config), startFleetServer(config)]);
  try {
    let resumed = 0;
    const times = [];
    for (let i = 0; i < CLIENTS; i++) {
      const first = await connect(A.ports.ids, version);
      const atB = await connect(B.ports.ids, { ...version, session: first.sessions[0] });
      if (atB.reused) resumed++;
      times.push(atB.ms);
    }
    return {
      rate: resumed / CLIENTS,
      p50: quantile(times, 0.5),
      p95: quantile(times, 0.95),
      stats: (await B.ask("stats")).stats,
    };
  } finally {
    await Promise.all([A.ask("exit").catch(() => {}), B.ask("exit").catch(() => {})]);
    await Promise.all([A.stop(), B.stop()]);
  }
}

async function perLookup(fn) {
  for (let i = 0; i < 200; i++) await fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < BUDGET_MS) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return ((performance.now() - t0) * 1000) / n; // µs
}

export async function run() {
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    console.log("fleet: SKIPPED (redis-server not installed: apt-get install -y redis-server)");
    return;
  }
  const redis = await startRedis();
  try {
    for (const [name, version] of [
      ["TLS 1.2", TLS12],
      ["TLS 1.3", TLS13],
    ])
      for (const useStore of [true, false]) {
        const f = await fleetFigures(redis.port, useStore, version);
        console.log(
          `fleet ${name} ${useStore ? "with the store   " : "without the store"}: resumed on B ${(f.rate * 100).toFixed(1)}% of ${CLIENTS}, ` +
            `B handshake median ${f.p50.toFixed(2)} ms, p95 ${f.p95.toFixed(2)} ms` +
            (f.stats
              ? ` (store hits ${f.stats.storeHits}, misses ${f.stats.storeMisses}, errors ${f.stats.storeErrors})`
              : ""),
        );
      }
    await peekCost();
    const client = new Redis({ host: "127.0.0.1", port: redis.port });
    try {
      const der = randomBytes(180); // a TLS 1.2 server session's DER is ~150-200 bytes
      const plain = new RedisSessionStore(client, { prefix: "bench:p:" });
      const sealed = new RedisSessionStore(client, { prefix: "bench:s:", sealKey: randomBytes(32) });
      await plain.set("k", der, 300);
      await sealed.set("k", der, 300);
      await client.set("bench:raw", der);
      const raw = await perLookup(() => client.getBuffer("bench:raw"));
      const p = await perLookup(() => plain.get("k"));
      const s = await perLookup(() => sealed.get("k"));
      console.log(
        `lookup: ioredis GET ${raw.toFixed(1)} µs; RedisSessionStore.get ${p.toFixed(1)} µs (+${(p - raw).toFixed(1)}), ` +
          `sealed ${s.toFixed(1)} µs (+${(s - raw).toFixed(1)})`,
      );
    } finally {
      client.disconnect();
    }
  } finally {
    await redis.stop();
  }
}

/** Full handshakes on one in-process server, the ClientHello peek on and off, alternating. */
async function peekCost() {
  const cache = new SessionCache();
  const servers = [];
  try {
    for (const tls13 of [true, false]) {
      const server = tls.createServer(
        { cert: CERT, key: KEY, secureOptions: crypto.constants.SSL_OP_NO_TICKET },
        (c) => c.end("hi"),
      );
      const h = attachSessionCache(server, tls13 ? cache : new SessionCache(), { tls13 });
      servers.push({ server, h, port: await listenLocal(server), times: [] });
    }
    for (let i = 0; i < CLIENTS * 2; i++)
      for (const s of servers) {
        const r = await connect(s.port);
        if (i >= 20) s.times.push(r.ms);
      }
    const [on, off] = servers.map((s) => quantile(s.times, 0.5));
    console.log(
      `peek: full TLS 1.3 handshake median ${on.toFixed(3)} ms with the ClientHello peek, ` +
        `${off.toFixed(3)} ms without (${((on - off) * 1000).toFixed(0)} µs, ratio ${(on / off).toFixed(3)})`,
    );
  } finally {
    for (const s of servers) {
      const c = s.h.cache;
      s.h.detach();
      if (c !== cache) c.free();
      s.server.close();
    }
    cache.free();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

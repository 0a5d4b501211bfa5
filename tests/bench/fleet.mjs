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
import { spawnSync, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { startRedis } from "../stores/redis.mjs";
import { startFleetServer, connect } from "../node/fleet_procs.mjs";
import tls from "node:tls";
import crypto from "node:crypto";
import { RedisSessionStore, SessionCache, attachSessionCache } from "../../dist/index.js";
import { CERT, KEY, listenLocal } from "../node/helpers.mjs";
import { record } from "./targets.mjs";

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
    const peek = await peekCost();
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
    return { peek };
  } finally {
    await redis.stop();
  }
}

/**
 * The ClientHello peek's cost per full TLS 1.3 handshake. Three server processes (this file,
 * forked with PEEK_SERVER): one attached with the peek on, two with it off (`tls13: false`); the
 * client here makes full handshakes with each in turn, in a rotating order, so that load from
 * elsewhere falls on all three alike. The peek's latency is the median of the paired differences
 * (on − off, one round each); the same statistic between the two identical servers (off′ − off)
 * is the noise floor it is judged against. Each server also reports its CPU time per handshake.
 */
async function peekCost() {
  const servers = await Promise.all([true, false, false].map(startPeekServer));
  try {
    for (let i = 0; i < 50; i++) for (const s of servers) await connect(s.port);
    await Promise.all(servers.map((s) => s.ask("reset")));
    const times = servers.map(() => []);
    for (let i = 0; i < CLIENTS * 3; i++)
      for (let j = 0; j < servers.length; j++) {
        const k = (i + j) % servers.length;
        times[k][i] = (await connect(servers[k].port)).ms;
      }
    const cpu = await Promise.all(servers.map((s) => s.ask("cpu")));
    const [on, off, off2] = times.map((t) => quantile(t, 0.5));
    const paired = (a, b) =>
      quantile(
        a.map((x, i) => x - b[i]),
        0.5,
      ) * 1000; // µs
    const cost = paired(times[0], times[1]);
    const noise = paired(times[2], times[1]);
    const [cOn, cOff, cOff2] = cpu.map((c) => (c.userUs + c.systemUs) / c.handshakes);
    const latency = record("fleet", "peek latency per full TLS 1.3 handshake", {
      unit: "ms",
      ours: off + cost / 1000,
      peer: off,
      peerName: "no peek",
      pairedUs: cost,
      noiseUs: noise,
    });
    const work = record("fleet", "peek server CPU per full TLS 1.3 handshake", {
      unit: "µs",
      ours: cOn,
      peer: cOff,
      peerName: "no peek",
      noiseUs: cOff2 - cOff,
    });
    console.log(
      `peek: full TLS 1.3 handshake, median ${on.toFixed(3)} ms with the ClientHello peek, ${off.toFixed(3)} and ` +
        `${off2.toFixed(3)} ms on two servers without\n` +
        `peek: its cost per full handshake (median paired difference) ${cost.toFixed(0)} µs, ratio ` +
        `${(1 + cost / 1000 / off).toFixed(3)}  ${latency}; noise floor (the two servers without) ${noise.toFixed(0)} µs\n` +
        `peek: server CPU per full handshake ${cOn.toFixed(0)} µs with, ${cOff.toFixed(0)} and ${cOff2.toFixed(0)} µs ` +
        `without: +${(cOn - cOff).toFixed(0)} µs, ratio ${(cOn / cOff).toFixed(3)}  ${work}`,
    );
    return {
      latencyMs: { on, off, off2 },
      costUs: cost,
      noiseUs: noise,
      cpuUs: { on: cOn, off: cOff, off2: cOff2 },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function startPeekServer(tls13) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, PEEK_SERVER: tls13 ? "on" : "off" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const { port } = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`peek server exited with ${code}`)));
    child.once("message", resolve);
  });
  const ask = (cmd) =>
    new Promise((resolve) => {
      child.once("message", resolve);
      child.send(cmd);
    });
  return {
    port,
    ask,
    async stop() {
      child.kill();
      await exited;
    },
  };
}

/** The forked server of peekCost. */
async function peekServer(tls13) {
  const server = tls.createServer(
    { cert: CERT, key: KEY, secureOptions: crypto.constants.SSL_OP_NO_TICKET },
    (c) => c.end("hi"),
  );
  const cache = new SessionCache();
  attachSessionCache(server, cache, { tls13 });
  let handshakes = 0,
    cpu = process.cpuUsage();
  server.on("secureConnection", () => handshakes++);
  process.on("message", (cmd) => {
    if (cmd === "reset") {
      handshakes = 0;
      cpu = process.cpuUsage();
      process.send({ ok: true });
    } else if (cmd === "cpu") {
      const c = process.cpuUsage(cpu);
      process.send({ userUs: c.user, systemUs: c.system, handshakes });
    }
  });
  process.send({ port: await listenLocal(server) });
}

if (process.env.PEEK_SERVER) await peekServer(process.env.PEEK_SERVER === "on");
else if (import.meta.url === `file://${process.argv[1]}`)
  await (process.argv[2] === "peek" ? peekCost() : run());

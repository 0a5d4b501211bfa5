// A real Redis Cluster (three masters, three replicas, started here on free 127.0.0.1 ports) under
// RedisSessionStore and a two-server fleet: keys spread over slots, the GETDEL-less Lua path runs
// on any node because it names only KEYS[1], and a master killed mid-run is replaced by its replica
// while the fleet counts errors, falls back to full handshakes and then stores and resumes again.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import crypto from "node:crypto";
import tls from "node:tls";
import { Redis } from "ioredis";
import { freePort } from "./redis.mjs";
import { requirePrerequisite } from "../prerequisites.mjs";
import { RedisSessionStore, attachFleet } from "../../dist/index.js";
import { CERT, KEY, connect, listenLocal } from "../node/helpers.mjs";

const has = (cmd) => spawnSync(cmd, ["--version"], { encoding: "utf8" }).status === 0;
const skip = requirePrerequisite(
  "cluster",
  has("redis-server") && has("redis-cli")
    ? false
    : "redis-server or redis-cli not found (apt-get install -y redis-server): the cluster test needs both",
);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = (port, ...args) =>
  spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], {
    encoding: "utf8",
    timeout: 5000,
  });

/** Polls `check` every 100 ms until it returns true, for at most `ms`. */
async function until(what, check, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** CLUSTER NODES as seen by `port`: [{ id, port, flags, master, slots: [[lo, hi]] }]. */
function clusterNodes(port) {
  const r = cli(port, "cluster", "nodes");
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const f = line.split(" ");
      return {
        id: f[0],
        port: Number(f[1].split(":")[1].split("@")[0]),
        flags: f[2].split(","),
        master: f[3],
        slots: f
          .slice(8)
          .filter((s) => /^\d/.test(s))
          .map((s) => s.split("-").map(Number))
          .map(([lo, hi]) => [lo, hi ?? lo]),
      };
    });
}

const OPTS = {
  cert: CERT,
  key: KEY,
  sessionIdContext: "cluster-test",
  secureOptions: crypto.constants.SSL_OP_NO_TICKET,
};

describe("a Redis Cluster of three masters and three replicas", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tls-session-cluster-"));
  const procs = new Map(); // port -> { child, exited }
  const ports = [];
  let cluster;
  const servers = [];

  const startNode = (port) => {
    const child = spawn(
      "redis-server",
      [
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--dir",
        dir,
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        join(dir, `nodes-${port}.conf`),
        "--cluster-node-timeout",
        "2000",
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    procs.set(port, { child, exited: new Promise((r) => child.once("exit", r)) });
  };
  const kill = async (port) => {
    const p = procs.get(port);
    if (p.child.exitCode === null && p.child.signalCode === null) process.kill(p.child.pid, "SIGKILL");
    await p.exited;
  };
  const slotOf = async (key) => Number(await cluster.call("CLUSTER", "KEYSLOT", key));
  /** Every key on the masters that answer (a killed one does not). */
  const allKeys = async () =>
    (await Promise.allSettled(cluster.nodes("master").map((n) => n.keys("*"))))
      .filter((r) => r.status === "fulfilled")
      .flatMap((r) => r.value);
  const ownerOf = (nodes, slot) =>
    nodes.find((n) => n.flags.includes("master") && n.slots.some(([lo, hi]) => slot >= lo && slot <= hi));

  async function fleetServer() {
    const s = tls.createServer(OPTS, (c) => c.end("hi"));
    const store = new RedisSessionStore(cluster);
    const h = attachFleet(s, { store, timeoutMs: 300, retryAfterMs: 200 });
    const port = await listenLocal(s);
    servers.push({ s, h });
    return { port, h, store };
  }

  before(async () => {
    for (let i = 0; i < 6; i++) ports.push(await freePort());
    for (const p of ports) startNode(p);
    for (const p of ports)
      await until(`redis-server on ${p}`, () => cli(p, "ping").stdout.trim() === "PONG", 10000);
    const r = spawnSync(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...ports.map((p) => `127.0.0.1:${p}`),
        "--cluster-replicas",
        "1",
        "--cluster-yes",
      ],
      { encoding: "utf8", timeout: 30000 },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    await until("cluster_state:ok on every node", () =>
      ports.every((p) => /cluster_state:ok/.test(cli(p, "cluster", "info").stdout)),
    );
    await until("three masters, each with a connected replica", () => {
      const nodes = clusterNodes(ports[0]);
      const masters = nodes.filter((n) => n.flags.includes("master"));
      return (
        masters.length === 3 &&
        masters.every((m) =>
          nodes.some(
            (n) =>
              n.master === m.id && /master_link_status:up/.test(cli(n.port, "info", "replication").stdout),
          ),
        )
      );
    });
    cluster = new Redis.Cluster([{ host: "127.0.0.1", port: ports[0] }], {
      clusterRetryStrategy: () => 100,
      retryDelayOnFailover: 100,
      redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 500 },
    });
    cluster.on("error", () => {}); // a killed node: counted by the fleet, not fatal
    await cluster.ping();
  });

  after(async () => {
    for (const { s, h } of servers) {
      h.detach();
      await new Promise((r) => s.close(r));
    }
    cluster?.disconnect();
    for (const p of procs.keys()) await kill(p);
    rmSync(dir, { recursive: true, force: true });
  });

  test("RedisSessionStore stores, gets and takes sessions whose keys spread over the masters", async () => {
    const store = new RedisSessionStore(cluster, { prefix: "t1:" });
    const value = crypto.randomBytes(100);
    const owners = new Set();
    const nodes = clusterNodes(ports[0]);
    for (let i = 0; i < 24; i++) {
      const key = crypto.randomBytes(16).toString("hex");
      await store.set(key, value, 60);
      owners.add(ownerOf(nodes, await slotOf(`t1:${key}`)).port);
      assert.deepEqual(Buffer.from(await store.get(key)), value);
      assert.deepEqual(Buffer.from(await store.take(key)), value);
      assert.equal(await store.take(key), null, "taken once");
      assert.equal(await store.get(key), null);
    }
    assert.equal(owners.size, 3, "the keys lived on all three masters");
  });

  test("the Lua take (servers without GETDEL) works on every master: it touches only KEYS[1]", async () => {
    const seen = [];
    const command = (args) => {
      seen.push(args[0]);
      if (args[0] === "GETDEL") return Promise.reject(new Error("ERR unknown command 'GETDEL'"));
      return cluster.call(args[0], ...args.slice(1));
    };
    const store = new RedisSessionStore(command, { prefix: "t2:" });
    const nodes = clusterNodes(ports[0]);
    const owners = new Set();
    for (let i = 0; i < 24; i++) {
      const key = crypto.randomBytes(16).toString("hex");
      const value = crypto.randomBytes(64);
      await store.set(key, value, 60);
      owners.add(ownerOf(nodes, await slotOf(`t2:${key}`)).port);
      assert.deepEqual(Buffer.from(await store.take(key)), value);
      assert.equal(await store.take(key), null);
    }
    assert.equal(owners.size, 3);
    assert.ok(seen.filter((c) => c === "EVAL").length >= 48, "the script ran");
    assert.equal(seen.filter((c) => c === "GETDEL").length, 1, "GETDEL tried once");
  });

  test("a fleet over the cluster: resumption across servers, then a master killed and replaced", async () => {
    const A = await fleetServer();
    const B = await fleetServer();
    // TLS 1.3: made on A, resumed once on B through the cluster.
    const first = await connect(A.port);
    assert.equal(first.version, "TLSv1.3");
    const atB = await connect(B.port, { session: first.sessions[0] });
    assert.equal(atB.reused, true, "B resumes A's TLS 1.3 session through the cluster");
    assert.equal((await connect(A.port, { session: first.sessions[0] })).reused, false, "single use");
    // TLS 1.2 too.
    const first12 = await connect(A.port, { maxVersion: "TLSv1.2" });
    assert.equal(
      (await connect(B.port, { maxVersion: "TLSv1.2", session: first12.sessions[0] })).reused,
      true,
    );

    // A session whose slot's master we kill: the keys a new handshake on A adds.
    const before = new Set(await allKeys());
    const victimSession = await connect(A.port);
    const added = (await allKeys()).filter((k) => !before.has(k));
    assert.equal(added.length, 2, "the two tickets' keys");
    const nodes = clusterNodes(ports[0]);
    const victim = ownerOf(nodes, await slotOf(added[0]));
    const replica = nodes.find((n) => n.master === victim.id);
    assert.ok(replica, "the victim has a replica");
    const survivor = ports.find((p) => p !== victim.port && p !== replica.port);
    await kill(victim.port);

    // During the failover: the store fails (counted), handshakes go on as full ones, nothing crashes.
    const failedBefore = B.h.stats().storeErrors;
    // One ticket's key is on the killed master (the other may be elsewhere, or skipped while the
    // fleet's outage window is open).
    const during = [];
    for (const session of victimSession.sessions) during.push((await connect(B.port, { session })).reused);
    assert.ok(during.includes(false), "a full handshake while the master is down");
    assert.ok(B.h.stats().storeErrors > failedBefore, "the failed lookup is counted");

    await until("the replica promoted and cluster_state:ok", () => {
      const r = clusterNodes(survivor).find((n) => n.id === replica.id);
      return (
        r?.flags.includes("master") &&
        r.slots.length > 0 &&
        /cluster_state:ok/.test(cli(survivor, "cluster", "info").stdout)
      );
    });
    const promoted = clusterNodes(survivor).find((n) => n.id === replica.id);

    // After: new sessions are stored and resumed on B, among them ones on the promoted replica.
    let resumed = 0,
      onPromoted = 0;
    const end = Date.now() + 15000;
    while ((resumed < 2 || onPromoted < 1) && Date.now() < end) {
      const known = new Set(await allKeys());
      const made = await connect(A.port);
      const keys = (await allKeys()).filter((k) => !known.has(k));
      const rs = [];
      for (const session of made.sessions) rs.push((await connect(B.port, { session })).reused);
      if (rs.every(Boolean) && keys.length === 2) {
        resumed++;
        for (const k of keys) if (ownerOf([promoted], await slotOf(k))) onPromoted++;
      } else await sleep(200); // the fleet's outage window (retryAfterMs), ioredis refreshing slots
    }
    assert.ok(resumed >= 2, `the fleet stores and resumes again after the failover (${resumed})`);
    assert.ok(onPromoted >= 1, "including sessions in the promoted replica's slots");
  });
});

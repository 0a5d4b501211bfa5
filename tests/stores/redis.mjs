// Test helpers for the fleet suite: a real redis-server on a free 127.0.0.1 port (no persistence),
// started and stopped by PID; a TCP proxy that can delay Redis's replies; free ports.
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import { requirePrerequisite } from "../prerequisites.mjs";

/**
 * Whether redis-server is installed: false, or a skip message. Under CI=true its absence is a
 * failure (throws); locally the suite is skipped loudly.
 */
export function redisSkip() {
  if (spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0) return false;
  return requirePrerequisite(
    "fleet",
    "redis-server not found (apt-get install -y redis-server): the fleet tests need it",
  );
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** One RESP PING over a fresh socket: resolves true when Redis answers +PONG. */
function ping(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    const done = (v) => {
      c.destroy();
      resolve(v);
    };
    c.setTimeout(300, () => done(false));
    c.once("error", () => done(false));
    c.once("connect", () => c.write("PING\r\n"));
    c.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

/** Starts redis-server on `port` (a free one by default); `stop()` ends it by PID and waits. */
export async function startRedis(port) {
  port ??= await freePort();
  const child = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise((r) => child.once("exit", r));
  for (let i = 0; i < 100; i++) {
    if (await ping(port)) break;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
      await exited;
    },
  };
}

/**
 * A TCP proxy in front of Redis: requests pass at once, replies wait `delayMs` (settable). When
 * Redis goes away, the client side is closed too, as a dead server would.
 */
export async function startProxy(target) {
  const sockets = new Set();
  const proxy = {
    delayMs: 0,
    port: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    sockets.add(client);
    sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("data", (d) => upstream.write(d));
    // Replies keep their order: each is released no earlier than the one before it.
    let last = 0;
    upstream.on("data", (d) => {
      const at = Math.max(Date.now() + proxy.delayMs, last);
      last = at;
      if (at <= Date.now()) client.write(d);
      else
        setTimeout(() => {
          if (!client.destroyed) client.write(d);
        }, at - Date.now());
    });
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  proxy.port = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
  return proxy;
}

// One server of the test fleet, run as a child process (fork, IPC): a session-id server (tickets off)
// with attachFleet over a RedisSessionStore, and a ticket server with the fleet's derived ticket keys.
// Config comes in FLEET_CONFIG (JSON); the parent asks for stats / removals over IPC.
import tls from "node:tls";
import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { attachFleet, installFleetTicketKeys, RedisSessionStore } from "../../dist/index.js";
import { listenLocal } from "./helpers.mjs";

const cfg = JSON.parse(process.env.FLEET_CONFIG);
const credentials = readFileSync(
  fileURLToPath(new URL("../../bindings/demo/credentials.ts", import.meta.url)),
  "utf8",
);
const pem = (label) => new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`).exec(credentials)[0];
const base = { cert: pem("CERTIFICATE"), key: pem("PRIVATE KEY"), sessionIdContext: "fleet-test" };

// Fail fast while Redis is away (no offline queue), reconnect every 100 ms.
const redis = new Redis({
  host: "127.0.0.1",
  port: cfg.redisPort,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => 100,
  connectTimeout: 500,
});
redis.on("error", () => {
  /* counted by the fleet; ioredis reconnects by itself */
});
await new Promise((r) => redis.once("ready", r));

const logs = [];
const store =
  cfg.useStore === false
    ? null
    : new RedisSessionStore(redis, {
        sealKey: cfg.sealKey ? Buffer.from(cfg.sealKey, "hex") : undefined,
      });
const handler = (s) => {
  s.end("hi");
};
const ids = tls.createServer({ ...base, secureOptions: crypto.constants.SSL_OP_NO_TICKET }, handler);
const fleet = store
  ? attachFleet(ids, {
      store,
      timeoutMs: cfg.timeoutMs ?? 50,
      retryAfterMs: cfg.retryAfterMs ?? 200,
      revalidateAfterMs: cfg.revalidateAfterMs,
      log: (m) => logs.push(m),
    })
  : null;
const tickets = tls.createServer(base, handler);
const keys = installFleetTicketKeys(tickets, { secret: Buffer.from(cfg.secret, "hex"), period: 3600 });

const [idsPort, ticketsPort] = await Promise.all([ids, tickets].map(listenLocal));

process.on("message", async (/** @type {any} */ m) => {
  try {
    if (m.cmd === "stats") {
      process.send({
        re: m.re,
        stats: fleet?.stats() ?? null,
        cache: fleet?.cache.stats() ?? null,
        logs,
        keyName: keys.name.toString("hex"),
      });
    } else if (m.cmd === "remove") {
      await fleet.remove(Buffer.from(m.id, "hex"));
      process.send({ re: m.re, ok: true });
    } else if (m.cmd === "exit") {
      keys.stop();
      fleet?.detach();
      ids.close();
      tickets.close();
      redis.disconnect();
      process.send({ re: m.re, ok: true });
      setTimeout(() => process.exit(0), 10).unref();
    }
  } catch (err) {
    process.send({ re: m.re, error: String(err?.stack ?? err) });
  }
});
process.send({ ready: true, ports: { ids: idsPort, tickets: ticketsPort } });

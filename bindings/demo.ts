// `npm start`: a TLS server on 127.0.0.1 (node:tls, i.e. OpenSSL) whose session cache is ours,
// and a few hundred client connections whose sessions wait in our client store. Prints full versus
// resumed handshakes, the hit rate, the mean handshake time of each kind and the cache's counters,
// then a few connections that must not resume (another session id context, an expired session,
// an evicted one), and one cached session decoded.

import tls from "node:tls";
import { constants } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  SessionCache,
  Session,
  ClientSessionStore,
  NoClientSessionStore,
  attachSessionCache,
  setClock,
  sessionToJSON,
  type ClientSessionStoreLike,
} from "tls-session-wasm/node"; // this package, as an installed user imports it
import { DEMO_CERT, DEMO_KEY } from "./demo/credentials.js";

/** Simulated client programs, each with its own session store; some keep no sessions at all. */
const CLIENTS = 40;
const FORGETFUL_CLIENTS = 8;
const CONNECTIONS_PER_CLIENT = 8;
/** Connections in flight at once. */
const PARALLEL = 4;
/** Room for every client's session (a hit does not refresh a session: the oldest go first). */
const CACHE_SIZE = 128;

interface Result {
  reused: boolean;
  ms: number;
}

async function listen(
  cache: SessionCache,
  sessionIdContext: string,
): Promise<{ server: tls.Server; port: number; detach: () => void }> {
  // Session ids need a server without tickets: with tickets, OpenSSL gives TLS 1.2 sessions no id.
  const server = tls.createServer(
    {
      cert: DEMO_CERT,
      key: DEMO_KEY,
      maxVersion: "TLSv1.2",
      secureOptions: constants.SSL_OP_NO_TICKET,
      sessionIdContext,
    },
    (socket) => socket.end("hello\n"),
  );
  const detach = attachSessionCache(server, cache);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, detach };
}

function connectOnce(
  port: number,
  store: ClientSessionStoreLike | ClientSessionStore,
  session?: Buffer,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const options = { host: "127.0.0.1", port, servername: "localhost", ca: DEMO_CERT };
    const t0 = performance.now();
    let socket: tls.TLSSocket;
    if (store instanceof ClientSessionStore && session === undefined) socket = store.connect(options);
    else {
      socket = tls.connect({ ...options, session });
      store.attach(socket, ClientSessionStore.keyFor(options));
    }
    socket.once("secureConnect", () => {
      const r = { reused: socket.isSessionReused(), ms: performance.now() - t0 };
      socket.on("data", () => {});
      socket.once("end", () => {
        socket.end();
        resolve(r);
      });
    });
    socket.once("error", reject);
  });
}

async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

function table(rows: string[][], rightFrom = 1): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(
      "  " + r.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("   "),
    );
}

async function main(): Promise<void> {
  const cache = new SessionCache();
  cache.cacheSize = CACHE_SIZE;
  const removals = { removed: 0, evicted: 0, flushed: 0 };
  cache.on("remove", (_s, why) => {
    removals[why]++;
  });
  const a = await listen(cache, "demo-server-a");
  console.log(
    `TLS server (node:tls, OpenSSL ${process.versions.openssl}) on 127.0.0.1:${a.port}: TLS 1.2, session ids, ` +
      `cache size ${CACHE_SIZE} (tls-session-wasm)`,
  );

  const stores: ClientSessionStoreLike[] = Array.from({ length: CLIENTS }, (_, i) =>
    i < FORGETFUL_CLIENTS ? new NoClientSessionStore() : new ClientSessionStore(),
  );
  // Round-robin over the clients, so each returns after the others have had a turn.
  const jobs: (() => Promise<Result>)[] = [];
  for (let round = 0; round < CONNECTIONS_PER_CLIENT; round++) {
    for (const store of stores) jobs.push(() => connectOnce(a.port, store));
  }
  const t0 = performance.now();
  const results = await pool(jobs, PARALLEL);
  const wall = performance.now() - t0;

  const full = results.filter((r) => !r.reused),
    resumed = results.filter((r) => r.reused);
  const mean = (rs: Result[]) =>
    rs.length ? `${(rs.reduce((s, r) => s + r.ms, 0) / rs.length).toFixed(2)} ms` : "-";
  console.log(
    `\n${results.length} connections from ${CLIENTS} clients (${FORGETFUL_CLIENTS} keep no sessions), ` +
      `${PARALLEL} at a time, ${(wall / 1000).toFixed(1)} s`,
  );
  table([
    ["handshakes", "count", "mean time"],
    ["full", String(full.length), mean(full)],
    ["resumed", String(resumed.length), mean(resumed)],
    ["hit rate", `${((100 * resumed.length) / results.length).toFixed(1)} %`, ""],
  ]);

  const st = cache.stats();
  console.log("\nThe cache's counters (SSL_CTX_sess_*), and sessions leaving it:");
  table(
    [
      [
        "number",
        "accept",
        "accept_good",
        "hits",
        "misses",
        "timeouts",
        "cache_full",
        "removed",
        "evicted",
        "flushed",
      ],
      [
        st.number,
        st.accept,
        st.acceptGood,
        st.hits,
        st.misses,
        st.timeouts,
        st.cacheFull,
        removals.removed,
        removals.evicted,
        removals.flushed,
      ].map(String),
    ],
    0,
  );

  // Connections that must make a full handshake.
  console.log("\nSessions that must not resume:");
  const probe = new ClientSessionStore();
  const key = ClientSessionStore.keyFor({
    host: "127.0.0.1",
    port: a.port,
    servername: "localhost",
    ca: DEMO_CERT,
  });
  await connectOnce(a.port, probe);
  const session = probe.take(key)!;
  const b = await listen(cache, "demo-server-b");
  const rows = [["case", "resumed", "refusal counted"]];
  const before = cache.stats();
  const otherCtx = await connectOnce(b.port, new NoClientSessionStore(), session);
  rows.push([
    "same cache, server with another sessionIdContext",
    otherCtx.reused ? "yes" : "no",
    "sid_ctx mismatch (silent)",
  ]);
  const sameCtx = await connectOnce(a.port, new NoClientSessionStore(), session);
  rows.push(["the same session back at its own server", sameCtx.reused ? "yes" : "no", "-"]);
  setClock(Math.floor(Date.now() / 1000) + 7201);
  const expired = await connectOnce(a.port, new NoClientSessionStore(), session);
  setClock(null);
  rows.push([
    "two hours later (timeout 7200 s)",
    expired.reused ? "yes" : "no",
    `timeouts ${before.timeouts} -> ${cache.stats().timeouts}`,
  ]);
  await connectOnce(a.port, probe);
  const victim = probe.take(key)!;
  await pool(
    Array.from({ length: CACHE_SIZE }, () => () => connectOnce(a.port, new NoClientSessionStore())),
    PARALLEL,
  );
  const evicted = await connectOnce(a.port, new NoClientSessionStore(), victim);
  rows.push([
    `after ${CACHE_SIZE} newer sessions (evicted)`,
    evicted.reused ? "yes" : "no",
    `evictions so far ${removals.evicted}`,
  ]);
  table(rows, 9);

  // One session as the server's cache holds it (the client's copy has the same id).
  await connectOnce(a.port, probe);
  const mine = Session.fromDER(new Uint8Array(probe.take(key)!));
  const held = cache.get(mine.id);
  mine.free();
  if (held) {
    console.log("\nA session in the server's cache, decoded by tls-session-wasm:");
    for (const [k, v] of Object.entries(sessionToJSON(held))) {
      if (v !== null && !/master/i.test(k)) console.log(`  ${k.padEnd(22)} ${v}`);
    }
    held.free();
  }

  for (const s of stores) s.clear();
  probe.free();
  a.detach();
  b.detach();
  await Promise.all([a, b].map(({ server }) => new Promise((r) => server.close(r))));
  cache.free();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

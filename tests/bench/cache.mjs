// Bench of issue 3: the session cache at 1k, 20k and 200k realistic TLS 1.3 sessions (ticket 200 B,
// hostname, ALPN), through our bindings with the id copied in, side by side in one run with native
// OpenSSL's SSL_CTX cache (tests/oracle/bench_cache.c, the public API) and with npm `lru-cache` keyed
// by the hex id. Operations: add (cache growing from empty, size unlimited), lookup of a cached id
// (random order; ours: `has`, i.e. SSL_has_matching_session_id, plus `resume` and `get`, which also
// hand back a session reference), remove (random order), flush of the earliest-expiring half (and a
// flush that removes nothing), an add that evicts (cache full at size n/2), and the worst case of
// the sorted insertion (an expiry tied with the tail's, added and removed again). Also the memory one
// cached session costs (hash table included): ours from tls_memory_live_bytes, native from glibc's
// mallinfo2.
//
// Prints ns/op and ours/native (lower is better) beside the targets of targets.mjs; flush cost
// should be proportional to the sessions removed.
//
// `node tests/bench/cache.mjs [1000 20000]` runs it alone; tests/bench/run.mjs calls run().
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { LRUCache } from "lru-cache";
import { buildOracle } from "../oracle/build.mjs";
import { Session, SessionCache, rawExports, setClock } from "../../dist/index.js";
import { record } from "./targets.mjs";

import { BUDGET_MS } from "./measure.mjs";
const SIZES = [1000, 20000, 200000];
const TLS1_3 = 0x0304;
const ID_LEN = 32;

/** A client's TLS 1.3 session as OpenSSL stores it: 200-byte ticket, hostname, ALPN "h2". */
function templateDER(now) {
  const s = Session.new();
  try {
    s.protocolVersion = TLS1_3;
    s.cipherSuite = 0x1301;
    s.masterKey = randomBytes(32);
    s.id = randomBytes(ID_LEN);
    s.hostname = "www.example.com";
    s.alpn = "h2";
    s.ticket = randomBytes(200);
    s.ticketLifetimeHint = 7200;
    s.ticketAgeAdd = 0x12345678;
    s.time = now;
    s.timeout = 7200;
    return s.toDER();
  } finally {
    s.free();
  }
}

/**
 * Runs `round()` (n operations; returns the ns it spent timing) until the timed part has used the
 * budget, after a warm-up round; untimed set-up counts toward a cap of four budgets of wall time.
 */
function perOp(n, round) {
  round();
  const stop = performance.now() + 4 * BUDGET_MS;
  let ns = 0,
    rounds = 0;
  while (rounds < 3 || (ns < BUDGET_MS * 1e6 && performance.now() < stop)) {
    ns += round();
    rounds++;
  }
  return ns / (rounds * n);
}

const clock = () => process.hrtime.bigint();
const since = (t0) => Number(process.hrtime.bigint() - t0);

function shuffled(n) {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function native(n, der) {
  const bin = buildOracle("bench_cache");
  const out = execFileSync(bin, ["--n", String(n), "--ms", String(BUDGET_MS)], {
    input: Buffer.from(der).toString("hex") + "\n",
    encoding: "utf8",
    maxBuffer: 1 << 20,
  }).trim();
  const f = {};
  const parts = out.split(" ");
  if (parts[0] === "ERR") throw new Error(`bench_cache: ${out}`);
  for (let i = 0; i < parts.length; i += 2) f[parts[i]] = Number(parts[i + 1]);
  return f;
}

function ours(n, der, now) {
  const ids = Array.from({ length: n }, () => new Uint8Array(randomBytes(ID_LEN)));
  const sessions = ids.map((id) => {
    const s = Session.fromDER(der);
    s.id = id;
    s.time = now;
    return s;
  });
  const cache = new SessionCache();
  cache.cacheSize = 0;
  cache.mode = 0x0002 | 0x0080; // SERVER | NO_AUTO_CLEAR, as the native harness
  const sidCtx = sessions[0].sidCtx;
  const r = {};
  let perm = shuffled(n);

  // add / lookups / remove, the cache growing to n and back to 0
  const fill = () => {
    for (let i = 0; i < n; i++) cache.add(sessions[i]);
  };
  const empty = () => {
    for (let i = 0; i < n; i++) cache.remove(sessions[i]);
  };
  // Lookups first: a removed session is marked not resumable, and resume would refuse it.
  fill();
  r.lookup = perOp(n, () => {
    perm = shuffled(n);
    const t0 = clock();
    for (let i = 0; i < n; i++) if (!cache.has(ids[perm[i]], TLS1_3)) throw new Error("lookup missed");
    return since(t0);
  });
  const resumeRound = () => {
    const t0 = clock();
    for (let i = 0; i < n; i++) {
      const res = cache.resume(ids[perm[i]], { version: TLS1_3, sidCtx });
      if (!res.session) throw new Error(`resume refused: ${res.refusal}`);
      res.session.free();
    }
    return since(t0);
  };
  r.resume = perOp(n, resumeRound);
  // The same with the module's clock pinned (setClock): the difference is the clock read that
  // every lookup makes, as OpenSSL's time(NULL) (through WASI clock_time_get, Date.now() here).
  setClock(now);
  try {
    r.resumePinned = perOp(n, resumeRound);
  } finally {
    setClock(null);
  }
  r.get = perOp(n, () => {
    const t0 = clock();
    for (let i = 0; i < n; i++) cache.get(ids[perm[i]], TLS1_3).free();
    return since(t0);
  });
  empty();
  r.add = perOp(n, () => {
    const t0 = clock();
    fill();
    const ns = since(t0);
    empty();
    return ns;
  });
  r.remove = perOp(n, () => {
    fill();
    perm = shuffled(n);
    const t0 = clock();
    for (let i = 0; i < n; i++) cache.remove(sessions[perm[i]]);
    return since(t0);
  });

  // flush: session i expires at now + i + timeout
  sessions.forEach((s, i) => {
    s.time = now + i;
  });
  const timeout = Number(sessions[0].timeout);
  let removed = 0;
  r.flushNone = perOp(1, () => {
    fill();
    const t0 = clock();
    cache.flush(now + timeout + 1);
    const ns = since(t0);
    cache.flush(0);
    return ns;
  });
  r.flush = perOp(1, () => {
    fill();
    const t0 = clock();
    cache.flush(now + Math.floor(n / 2) + timeout);
    const ns = since(t0);
    removed = n - cache.size;
    cache.flush(0);
    return ns;
  });
  r.flushRemoved = removed;

  // worst-case insertion: n - 1 cached with distinct expiries; the new one ties with the tail,
  // which OpenSSL's walk from the head reaches last
  for (let i = 1; i < n; i++) cache.add(sessions[i]);
  sessions[0].time = now + 1;
  r.worst = perOp(16, () => {
    const t0 = clock();
    for (let k = 0; k < 16; k++) {
      cache.add(sessions[0]);
      cache.remove(sessions[0]);
    }
    return since(t0);
  });
  cache.flush(0);

  // eviction: size n/2, full; each timed add evicts the tail
  sessions.forEach((s) => {
    s.time = now;
  });
  const half = Math.floor(n / 2);
  r.evict = perOp(n - half, () => {
    const c = new SessionCache();
    c.cacheSize = half;
    c.mode = 0x0002 | 0x0080;
    for (let i = 0; i < half; i++) c.add(sessions[i]);
    const t0 = clock();
    for (let i = half; i < n; i++) c.add(sessions[i]);
    const ns = since(t0);
    if (c.size !== half - 1) throw new Error(`eviction kept ${c.size}`);
    c.free();
    return ns;
  });
  for (const s of sessions) s.free();

  // bytes per cached session, the cache holding the only reference; the cache is made after the
  // baseline, so its hash table counts too (as the native figure counts lhash's nodes)
  cache.free();
  const ex = rawExports();
  const live0 = ex.tls_memory_live_bytes();
  const sized = new SessionCache();
  sized.cacheSize = 0;
  for (let i = 0; i < n; i++) {
    const s = Session.fromDER(der);
    s.id = ids[i];
    sized.add(s);
    s.free();
  }
  r.bytes = (ex.tls_memory_live_bytes() - live0) / n;
  sized.free();
  return r;
}

function lru(n, der) {
  const ids = Array.from({ length: n }, () => new Uint8Array(randomBytes(ID_LEN)));
  const hex = (id) => Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString("hex");
  const values = ids.map(() => der); // the value is not what is measured
  const r = {};
  let c = new LRUCache({ max: n + 1 });
  let perm;
  r.add = perOp(n, () => {
    c = new LRUCache({ max: n + 1 });
    const t0 = clock();
    for (let i = 0; i < n; i++) c.set(hex(ids[i]), values[i]);
    return since(t0);
  });
  r.lookup = perOp(n, () => {
    perm = shuffled(n);
    const t0 = clock();
    for (let i = 0; i < n; i++) if (c.get(hex(ids[perm[i]])) === undefined) throw new Error("lru miss");
    return since(t0);
  });
  r.remove = perOp(n, () => {
    for (let i = 0; i < n; i++) c.set(hex(ids[i]), values[i]);
    perm = shuffled(n);
    const t0 = clock();
    for (let i = 0; i < n; i++) c.delete(hex(ids[perm[i]]));
    return since(t0);
  });
  const half = Math.floor(n / 2);
  r.evict = perOp(n - half, () => {
    const e = new LRUCache({ max: half });
    for (let i = 0; i < half; i++) e.set(hex(ids[i]), values[i]);
    const t0 = clock();
    for (let i = half; i < n; i++) e.set(hex(ids[i]), values[i]);
    return since(t0);
  });
  return r;
}

const fmt = (ns) =>
  ns === undefined
    ? "-"
    : ns >= 1e6
      ? `${(ns / 1e6).toFixed(2)} ms`
      : ns >= 10000
        ? `${(ns / 1000).toFixed(1)} µs`
        : `${ns.toFixed(0)} ns`;
const ratio = (a, b) =>
  a === undefined || b === undefined ? "-" : a / b < 0.01 ? (a / b).toPrecision(2) : (a / b).toFixed(2);

/** Runs the bench, prints a table per size and returns the figures. */
export async function run(sizes = SIZES) {
  const now = Math.floor(Date.now() / 1000);
  const der = templateDER(now);
  console.log(
    `Session cache bench: TLS 1.3 session of ${der.length} B DER (ticket 200 B, hostname, ALPN); ` +
      `ns/op, ratio = ours/native (lower is better); ${BUDGET_MS} ms per figure`,
  );
  const results = [];
  for (const n of sizes) {
    const nat = native(n, der);
    const our = ours(n, der, now);
    const lr = lru(n, der);
    results.push({ n, ours: our, native: nat, lru: lr });
    console.log(`\n  ${n.toLocaleString("en")} sessions`);
    const rows = [["operation", "ours", "native", "lru-cache", "ours/native", "lru/native", "target"]];
    const row = (label, o, nt, l, key = label) => {
      const v = record("cache", `${key} ${n}`, { ours: o, peer: nt, peerName: "native", lru: l });
      rows.push([label, fmt(o), fmt(nt), fmt(l), ratio(o, nt), ratio(l, nt), v]);
    };
    row("add", our.add, nat.add, lr.add);
    row("lookup (has)", our.lookup, nat.lookup, lr.lookup, "has");
    const resumeVerdict = record("cache", `resume ${n}`, {
      ours: our.resume,
      peer: our.lookup,
      peerName: "ours has",
    });
    rows.push([
      "lookup (resume, +ref)",
      fmt(our.resume),
      "-",
      "-",
      "-",
      "-",
      `${ratio(our.resume, our.lookup)}x our has${resumeVerdict ? ", " + resumeVerdict : ""}`,
    ]);
    row("lookup (get, +ref)", our.get, undefined, undefined, "get");
    record("cache", `resume, clock pinned ${n}`, {
      ours: our.resumePinned,
      peer: our.lookup,
      peerName: "ours has",
    });
    rows.push([
      "lookup (resume), clock pinned",
      fmt(our.resumePinned),
      "-",
      "-",
      "-",
      "-",
      `${ratio(our.resumePinned, our.lookup)}x our has (the clock read: ${fmt(our.resume - our.resumePinned)})`,
    ]);
    row("remove", our.remove, nat.remove, lr.remove);
    row(
      `flush half (${our.flushRemoved.toLocaleString("en")})`,
      our.flush,
      nat.flush,
      undefined,
      "flush half",
    );
    row(
      "  per session removed",
      our.flush / our.flushRemoved,
      nat.flush / nat.flush_removed,
      undefined,
      "flush per session removed",
    );
    row("flush, none expired", our.flushNone, nat.flush_none, undefined);
    row("add with eviction", our.evict, nat.evict, lr.evict);
    row("add + remove, expiry tied with the tail", our.worst, nat.worst, undefined, "worst-case insertion");
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows)
      console.log(
        "    " +
          r
            .map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
            .join("  ")
            .trimEnd(),
      );
    const bytesVerdict = record("cache", `bytes per session ${n}`, {
      ours: our.bytes,
      peer: nat.bytes,
      peerName: "native",
      unit: "bytes",
      ratio: our.bytes,
    });
    console.log(
      `    bytes per cached session: ours ${our.bytes.toFixed(0)}, native ${nat.bytes.toFixed(0)} ` +
        `(ours/native ${(our.bytes / nat.bytes).toFixed(2)})${bytesVerdict ? "; " + bytesVerdict : ""}`,
    );
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 1);
  await run(sizes.length ? sizes : SIZES);
}

// The budgets every bench suite checks its figures against, and the record of every figure that
// BENCH_JSON=FILE writes out (tests/bench/run.mjs). A budget is a bound on a ratio measured in the
// same run: `max` (lower is better, e.g. ours/native time) or `min` (higher is better, e.g. how
// many times faster we are). The bench prints each target beside its ratio and marks a miss;
// nothing here fails a test run (npm test has no timing assertions).

/**
 * Budgets by figure id ("suite/figure"). `ratio` says what the number is, as printed.
 * @type {Record<string, { max?: number, min?: number, ratio: string }>}
 */
export const TARGETS = {
  // der: ours/native time, tests/oracle/bench_der.c
  "der/d2i TLS 1.3, no peer certificate": { max: 0.5, ratio: "ours/native" },
  "der/i2d TLS 1.3, no peer certificate": { max: 0.3, ratio: "ours/native" },
  "der/d2i TLS 1.3, EC P-256 peer certificate": { max: 0.05, ratio: "ours/native" },
  // cache: ours/native time, tests/oracle/bench_cache.c; sizes 20k and 200k
  "cache/has 20000": { max: 1.0, ratio: "ours/native" },
  "cache/has 200000": { max: 1.0, ratio: "ours/native" },
  "cache/remove 20000": { max: 1.0, ratio: "ours/native" },
  "cache/remove 200000": { max: 1.0, ratio: "ours/native" },
  "cache/add 20000": { max: 1.0, ratio: "ours/native" },
  "cache/add 200000": { max: 1.0, ratio: "ours/native" },
  "cache/resume 20000": { max: 2.0, ratio: "ours resume/ours has" },
  "cache/bytes per session 20000": { max: 400, ratio: "bytes" },
  // crypto and ticket: ours/node:crypto time unless said otherwise
  "crypto/HMAC-SHA256 64 B, hmac()": { max: 0.6, ratio: "ours/node:crypto" },
  "crypto/HMAC-SHA256 64 B, keyed object": { max: 0.4, ratio: "ours/node:crypto" },
  "crypto/TLS 1.3 resumption key schedule": { max: 0.3, ratio: "ours/node:crypto" },
  "crypto/SHA-256 16 KiB vs hash-wasm": { min: 1.15, ratio: "hash-wasm/ours (times faster)" },
  "crypto/AES-128-GCM 1 KiB": { min: 0.45, ratio: "node:crypto/ours (our speed)" },
  "crypto/X25519": { max: 1.5, ratio: "ours/node:crypto" },
  "ticket/open 256 B, 48-byte keys, TicketKeys": { max: 0.6, ratio: "ours/node:crypto" },
  "ticket/seal 256 B, 48-byte keys, TicketKeys": { max: 0.8, ratio: "ours/node:crypto" },
  // fleet: the ClientHello peek per full TLS 1.3 handshake, with it / without it (tests/bench/fleet.mjs)
  "fleet/peek latency per full TLS 1.3 handshake": { max: 1.02, ratio: "with/without peek" },
  "fleet/peek server CPU per full TLS 1.3 handshake": { max: 1.05, ratio: "with/without peek" },
};

/** Every figure recorded in this process, in order. */
export const figures = [];

/**
 * Records one figure and returns its verdict for printing ("target <= 0.5 ok" / "... MISS"), or
 * "" when the figure has no budget.
 * @param {string} suite
 * @param {string} name the figure's name; `${suite}/${name}` looks up TARGETS
 * @param {{ ours?: number, peer?: number, peerName?: string, ratio?: number, unit?: string,
 *   [more: string]: unknown }} f any further fields are recorded as given
 */
export function record(suite, name, f) {
  const id = `${suite}/${name}`;
  const t = TARGETS[id];
  const ratio = f.ratio ?? (f.ours !== undefined && f.peer ? f.ours / f.peer : undefined);
  /** @type {Record<string, any>} */
  const entry = { id, suite, name, unit: f.unit ?? "ns/op", ...f, ratio };
  if (t && ratio !== undefined) {
    entry.target = t.max !== undefined ? { max: t.max } : { min: t.min };
    entry.targetRatio = t.ratio;
    entry.met = t.max !== undefined ? ratio <= t.max : ratio >= t.min;
  }
  figures.push(entry);
  return verdict(entry);
}

/**
 * "target <= 0.5 ok", "target >= 1.15 MISS", or "".
 * @param {Record<string, any>} entry a recorded figure
 */
export function verdict(entry) {
  if (!entry.target) return "";
  const bound = entry.target.max !== undefined ? `<= ${entry.target.max}` : `>= ${entry.target.min}`;
  return `target ${bound} ${entry.met ? "ok" : "MISS"}`;
}

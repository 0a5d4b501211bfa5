// Bench of issue 2 item 7: d2i and i2d of a realistic TLS 1.3 client session (ticket 200 B, hostname,
// ALPN), without and with a peer certificate (EC P-256, self-signed, made by `openssl req`), through
// our bindings and through native OpenSSL (tests/oracle/bench_der.c), side by side in one run,
// timed by the loop all suites share (measure.mjs). Prints ns/op and the ratio ours/native (lower
// is better) beside its target (targets.mjs).
//
// `node tests/bench/der.mjs` runs it alone; tests/bench/run.mjs calls run().
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildOracle } from "../oracle/build.mjs";
import { makeCert, synthesizeSeeds, toHex } from "../fuzz/corpus.mjs";
import { BUDGET_MS, measure } from "./measure.mjs";
import { record } from "./targets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function native(blobs) {
  const bin = buildOracle("bench_der");
  const out = execFileSync(bin, ["--ms", String(BUDGET_MS)], {
    input: blobs.map((b) => toHex(b)).join("\n") + "\n",
    encoding: "utf8",
  });
  return out
    .trim()
    .split("\n")
    .map((l) => {
      const m = /^d2i ([\d.]+) i2d ([\d.]+)/.exec(l);
      if (!m) throw new Error(`bench_der: ${l}`);
      return { d2i: Number(m[1]), i2d: Number(m[2]) };
    });
}

function sessions() {
  const c = makeCert();
  try {
    const seeds = synthesizeSeeds(c.der);
    const pick = (n) => seeds.find((s) => s.name === n).der;
    return [
      { label: "TLS 1.3, no peer certificate", der: pick("typical-tls13") },
      { label: "TLS 1.3, EC P-256 peer certificate", der: pick("typical-tls13-cert") },
    ];
  } finally {
    rmSync(c.dir, { recursive: true, force: true });
  }
}

const fmt = (ns) => (ns >= 10000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);

/** Runs the bench, prints a table and returns the figures. */
export async function run() {
  const api = await import(pathToFileURL(join(root, "dist", "index.js")).href);
  const { Session } = api;
  const cases = sessions();
  const nat = native(cases.map((c) => c.der));
  const results = [];
  console.log(`DER bench (ns/op; ratio = ours/native, lower is better; ${BUDGET_MS} ms per figure)`);
  cases.forEach((c, i) => {
    const probe = Session.fromDER(c.der);
    const reencoded = toHex(probe.toDER());
    if (reencoded !== toHex(c.der)) throw new Error(`${c.label}: our re-encoding differs from the input`);
    const d2i = measure(() => Session.fromDER(c.der).free());
    const i2d = measure(() => probe.toDER());
    // i2d as the native figure is taken: into a buffer allocated once (bench_der.c), so without
    // the fresh ArrayBuffer that toDER() gives the master key.
    const out = new Uint8Array(c.der.length);
    const i2dInto = measure(() => probe.toDER(out));
    probe.free();
    const r = {
      label: c.label,
      bytes: c.der.length,
      d2i: { ours: d2i, native: nat[i].d2i, ratio: d2i / nat[i].d2i },
      i2d: { ours: i2d, native: nat[i].i2d, ratio: i2d / nat[i].i2d },
      "i2d into a buffer": { ours: i2dInto, native: nat[i].i2d, ratio: i2dInto / nat[i].i2d },
    };
    results.push(r);
    console.log(`  ${c.label} (${c.der.length} B)`);
    for (const op of ["d2i", "i2d", "i2d into a buffer"]) {
      const v = record("der", `${op} ${c.label}`, {
        ours: r[op].ours,
        peer: r[op].native,
        peerName: "native",
        bytes: c.der.length,
      });
      console.log(
        `    ${op.padEnd(17)}  ours ${fmt(r[op].ours).padStart(9)}   native ${fmt(r[op].native).padStart(9)}   ` +
          `ours/native ${r[op].ratio.toFixed(3)}   ${v}`,
      );
    }
  });
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();

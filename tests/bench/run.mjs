// `npm run bench`: every benchmark, ours side by side with its peers in the same run.
// BENCH_MS sets the time spent per figure (default 300 ms). Pass names to run some: der crypto.
// BENCH_JSON=FILE also writes every figure, peer, ratio and target as JSON:
//   { "budgetMs", "figures": [{ id, suite, name, unit, ours, peer, peerName, ratio, target,
//     targetRatio, met }], "suites": { name: what the suite's run() returned } }
import { writeFileSync } from "node:fs";
import { figures, verdict } from "./targets.mjs";
import { BUDGET_MS } from "./measure.mjs";

const suites = ["der", "crypto", "ticket", "cache", "fleet"];
const only = process.argv.slice(2);
const returned = {};
for (const name of suites) {
  if (only.length && !only.includes(name)) continue;
  const mod = await import(new URL(`./${name}.mjs`, import.meta.url).href);
  console.log(`\n=== ${name} ===`);
  returned[name] = (await mod.run()) ?? null;
}

const budgeted = figures.filter((f) => f.target);
if (budgeted.length) {
  console.log("\n=== targets ===");
  const w = Math.max(...budgeted.map((f) => f.id.length));
  for (const f of budgeted)
    console.log(`  ${f.id.padEnd(w)}  ${f.ratio.toFixed(f.ratio >= 10 ? 0 : 3).padStart(7)}  ${verdict(f)}`);
  const missed = budgeted.filter((f) => !f.met).length;
  console.log(`  ${budgeted.length - missed} of ${budgeted.length} targets met, ${missed} missed`);
}

if (process.env.BENCH_JSON) {
  const json = JSON.stringify(
    { budgetMs: BUDGET_MS, figures, suites: returned },
    (_, v) => (typeof v === "bigint" ? Number(v) : v),
    2,
  );
  writeFileSync(process.env.BENCH_JSON, json + "\n");
  console.log(`\nbench: wrote ${figures.length} figures to ${process.env.BENCH_JSON}`);
}

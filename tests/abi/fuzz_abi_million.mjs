// `npm run test:fuzz-abi`: 10^6 random calls of the raw ABI on one instance (tests/abi/fuzz_abi.mjs),
// then the figures. Exits 1 on any trap or violation. FUZZ_CALLS and FUZZ_SEED override the defaults.
import { fuzzAbi } from "./fuzz_abi.mjs";

const calls = Number(process.env.FUZZ_CALLS ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? 20261205);
const started = Date.now();
const r = fuzzAbi({ calls, seed, checkEvery: 10_000 });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `fuzz-abi: ${r.calls} calls of ${Object.keys(r.byExport).length}/${r.exports} exports, seed ${seed}, ${seconds} s`,
);
console.log(
  `fuzz-abi: traps ${r.traps}, faults ${r.faults}, successes ${r.ok}, calls with a bad handle ${r.badHandleChecks}`,
);
console.log(`fuzz-abi: handles live ${r.baseline.handles} before, ${r.after?.handles} after the teardown`);
console.log(`fuzz-abi: live bytes ${r.baseline.liveBytes} before, ${r.after?.liveBytes} after the teardown`);
console.log(`fuzz-abi: violations ${r.violations.length}${r.trapped ? `, trapped: ${r.trapped}` : ""}`);
for (const v of r.violations) console.log(`  ${v}`);
process.exit(r.traps === 0 && !r.trapped && r.violations.length === 0 && r.calls === calls ? 0 : 1);

// `npm test`: the AssemblyScript unit tests (as-pect), then every `*.test.mjs` under tests/ with
// Node's test runner. Prints one summary line per layer and a final "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let passed = 0,
  failed = 0,
  skipped = 0;

function collect(dir, pred, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "node_modules") collect(p, pred, out);
    } else if (pred(name)) out.push(p);
  }
  return out.sort();
}

// 1. as-pect
{
  const r = spawnSync(join(root, "node_modules/.bin/asp"), ["--summary"], { cwd: root, encoding: "utf8" });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  process.stdout.write(out);
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ""));
  if (!m) {
    console.log("as-pect: no summary found");
    failed++;
  } else {
    const p = +m[1],
      t = +m[2];
    passed += p;
    failed += t - p;
    if (r.status !== 0 && t === p) failed++;
    console.log(`as-pect: ${p} passed, ${t - p} failed`);
  }
}

// 2. node --test
{
  const only = process.argv.slice(2);
  const files = only.length ? only : collect(join(root, "tests"), (n) => n.endsWith(".test.mjs"));
  const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...files], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.stdout.write(r.stdout);
  const p = +(/^# pass (\d+)/m.exec(r.stdout)?.[1] ?? 0);
  const f = +(/^# fail (\d+)/m.exec(r.stdout)?.[1] ?? (r.status === 0 ? 0 : 1));
  const s = +(/^# skipped (\d+)/m.exec(r.stdout)?.[1] ?? 0) + +(/^# todo (\d+)/m.exec(r.stdout)?.[1] ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  if (r.status !== 0 && f === 0) failed++;
  console.log(`node --test: ${p} passed, ${f} failed, ${s} skipped`);
}

// The closing line, which CI reads: skips are never hidden.
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

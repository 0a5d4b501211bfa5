// `npm test`: the AssemblyScript unit tests (as-pect), then every `*.test.mjs` under tests/ with
// Node's test runner. Prints one summary line per layer and a final "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { stripVTControlCharacters } from "node:util";
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

// 1. as-pect, compiled twice: scalar, then with wasm SIMD (the two shipped builds)
for (const asConfig of ["./as-pect.asconfig.json", "./as-pect.simd.asconfig.json"]) {
  const r = spawnSync(join(root, "node_modules/.bin/asp"), ["--summary", "--as-config", asConfig], {
    cwd: root,
    encoding: "utf8",
  });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  process.stdout.write(out);
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(stripVTControlCharacters(out));
  if (!m) {
    console.log("as-pect: no summary found");
    failed++;
  } else {
    const p = +m[1],
      t = +m[2];
    passed += p;
    failed += t - p;
    if (r.status !== 0 && t === p) failed++;
    console.log(`as-pect (${asConfig}): ${p} passed, ${t - p} failed`);
  }
}

// 2. node --test
{
  const only = process.argv.slice(2);
  const files = only.length ? only : collect(join(root, "tests"), (n) => n.endsWith(".test.mjs"));
  // Everything runs on the module the bindings pick (the SIMD build on Node); the crypto and
  // ticket tests run a second time on the scalar build.
  const scalarFiles = files.filter((f) => /(^|[\\/])tests[\\/](crypto|ticket)[\\/]/.test(f));
  /** @type {[string, string[], Record<string, string>][]} */
  const runs = [
    ["node --test", files, {}],
    ["node --test (scalar module)", scalarFiles, { TLS_SESSION_WASM: "scalar" }],
  ];
  for (const [label, list, env] of runs) {
    if (list.length === 0) continue;
    const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...list], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 28,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...env },
    });
    process.stdout.write(r.stdout);
    const p = +(/^# pass (\d+)/m.exec(r.stdout)?.[1] ?? 0);
    const f = +(/^# fail (\d+)/m.exec(r.stdout)?.[1] ?? (r.status === 0 ? 0 : 1));
    const s = +(/^# skipped (\d+)/m.exec(r.stdout)?.[1] ?? 0) + +(/^# todo (\d+)/m.exec(r.stdout)?.[1] ?? 0);
    passed += p;
    failed += f;
    skipped += s;
    if (r.status !== 0 && f === 0) failed++;
    console.log(`${label}: ${p} passed, ${f} failed, ${s} skipped`);
  }
}

// The closing line, which CI reads: skips are never hidden.
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

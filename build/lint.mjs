// `npm run lint`: every static check, each reported on one line, exit 1 if any fails.
//   format      prettier, through build/format.mjs --check
//   biome       biome's recommended lint rules on the TypeScript and JavaScript (biome.json)
//   types       tsc on the AssemblyScript (assembly/tsconfig.json), the bindings (tsconfig.json)
//               and the tests and build scripts (tests/tsconfig.json, checkJs); unused locals and
//               parameters are errors in all three
//   exports     build/unused_exports.mjs: no exported name that nothing imports
//   layers      build/layers.mjs: AssemblyScript imports follow ARCHITECTURE.md's dependency rule
//   generated   build/gen_header.mjs --check: the files generated from assembly/abi/abi.json are
//               up to date (the AssemblyScript values, bindings/abi.ts, the C header, the Python
//               constants), and build/gen_x25519_simd.mjs --check: assembly/crypto/x25519_simd.ts
//               is what its generator writes, and build/gen_sha256.mjs --check: likewise
//               assembly/crypto/sha256_rounds.ts
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** @type {[string, string, string[]][]} */
const checks = [
  ["format", process.execPath, ["build/format.mjs", "--check"]],
  ["biome", bin("biome"), ["lint", "--max-diagnostics=200"]],
  ["types: assembly", bin("tsc"), ["-p", "assembly/tsconfig.json"]],
  [
    "types: bindings",
    bin("tsc"),
    ["-p", "tsconfig.json", "--noEmit", "--noUnusedLocals", "--noUnusedParameters"],
  ],
  ["types: tests and build", bin("tsc"), ["-p", "tests/tsconfig.json"]],
  ["exports", process.execPath, ["build/unused_exports.mjs"]],
  ["layers", process.execPath, ["build/layers.mjs"]],
  ["generated", process.execPath, ["build/gen_header.mjs", "--check"]],
  ["generated: x25519_simd", process.execPath, ["build/gen_x25519_simd.mjs", "--check"]],
  ["generated: sha256_rounds", process.execPath, ["build/gen_sha256.mjs", "--check"]],
];

let failed = 0;
for (const [name, cmd, args] of checks) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  const ok = r.status === 0;
  if (!ok) {
    failed++;
    process.stdout.write(r.stdout ?? "");
    process.stdout.write(r.stderr ?? "");
  }
  console.log(`lint: ${name}: ${ok ? "ok" : "FAILED"}`);
}
console.log(`lint: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

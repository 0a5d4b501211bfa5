// Builds everything `npm start`, `npm test` and `npm run bench` need:
//   1. asc: assembly/ -> build/out/tls_session.wasm
//   2. wasm-opt (from the npm `binaryen` package) -> dist/tls_session.wasm, kept only if smaller
//   3. esbuild: bindings/ -> dist/*.js (library entry, CLI, demo)
// and prints the size of each artifact (raw and gzip).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, statSync, chmodSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

mkdirSync(join(root, "build/out"), { recursive: true });
mkdirSync(join(root, "dist"), { recursive: true });

run(bin("asc"), ["assembly/index.ts", "--config", "asconfig.json", "--target", "release"]);

const raw = join(root, "build/out/tls_session.wasm");
const opt = join(root, "build/out/tls_session.opt.wasm");
run(bin("wasm-opt"), [raw, "-O3", "--enable-bulk-memory", "--enable-sign-ext",
  "--enable-nontrapping-float-to-int", "--enable-mutable-globals", "-o", opt]);
const best = statSync(opt).size < statSync(raw).size ? opt : raw;
copyFileSync(best, join(root, "dist/tls_session.wasm"));

const esbuild = (entry, out, extra = []) => run(bin("esbuild"), [entry, "--bundle", "--format=esm",
  "--platform=node", "--target=node20", `--outfile=${out}`, "--external:./tls_session.wasm",
  "--log-level=warning", ...extra]);
esbuild("bindings/index.ts", "dist/index.js");
esbuild("bindings/cli/main.ts", "dist/cli.js", ["--banner:js=#!/usr/bin/env node"]);
chmodSync(join(root, "dist/cli.js"), 0o755);
if (existsSync(join(root, "bindings/demo.ts"))) esbuild("bindings/demo.ts", "dist/demo.js");

const sizes = ["dist/tls_session.wasm", "dist/index.js", "dist/cli.js"].map((f) => {
  const bytes = readFileSync(join(root, f));
  return `${f} ${bytes.length} B raw, ${gzipSync(bytes, { level: 9 }).length} B gzip`;
});
console.log(`build: wasm-opt ${best === opt ? "kept" : "did not pay; asc output kept"}`);
for (const s of sizes) console.log(`build: ${s}`);
writeFileSync(join(root, "build/out/sizes.txt"), sizes.join("\n") + "\n");

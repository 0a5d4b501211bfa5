// Builds everything `npm start`, `npm test` and `npm run bench` need:
//   0. build/gen_header.mjs: the ABI's constants, exports interface, C header and Python constants;
//      build/gen_x25519_simd.mjs: assembly/crypto/x25519_simd.ts;
//      build/gen_sha256.mjs: assembly/crypto/sha256_rounds.ts
//   1. asc: assembly/ -> build/out/tls_session.wasm
//   2. wasm-opt (from the npm `binaryen` package) -> dist/tls_session.wasm, kept only if smaller
//   3. esbuild: bindings/ -> dist/*.js (library entry, CLI), and one bundle per platform:
//      dist/index.cjs (Node require), dist/browser.js, dist/deno.js, dist/worker.js; the demo goes
//      to build/out/demo.js, outside the package
//   4. tsc: declarations -> dist/types (*.d.ts for import, *.d.cts for require)
// On a fresh clone it first runs `npm ci` when the dev dependencies are missing, so `npm start` and
// `npm test` work with nothing run before them.
// prints the size of each artifact (raw and gzip), and fails when the module is over its budget.
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  readFileSync,
  writeFileSync,
  copyFileSync,
  statSync,
  chmodSync,
  existsSync,
  rmSync,
  readdirSync,
} from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

// The `prepare` run inside the `npm ci` below: this build goes on right after it, so skip it.
if (process.env.npm_lifecycle_event === "prepare" && process.env.TLS_SESSION_WASM_INSTALLING === "1")
  process.exit(0);
if (!existsSync(bin("asc")) || !existsSync(bin("esbuild")) || !existsSync(bin("tsc"))) {
  console.log("build: the dev dependencies are not installed; running `npm ci` first");
  const npm = process.env.npm_execpath;
  const args = ["ci", "--no-audit", "--no-fund"];
  const env = { ...process.env, TLS_SESSION_WASM_INSTALLING: "1" };
  if (npm?.endsWith(".js"))
    execFileSync(process.execPath, [npm, ...args], { cwd: root, stdio: "inherit", env });
  else
    execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", args, {
      cwd: root,
      stdio: "inherit",
      env,
    });
}

mkdirSync(join(root, "build/out"), { recursive: true });
// dist/ is what the package ships: start it empty, so nothing stale (an old demo, old types) is packed.
rmSync(join(root, "dist"), { recursive: true, force: true });
mkdirSync(join(root, "dist"), { recursive: true });

// The files generated from the ABI's description (assembly/abi/abi.json), rewritten only when stale.
run(process.execPath, [join(root, "build/gen_header.mjs")]);
// The SIMD module's X25519 ladder, generated straight-line code, rewritten only when stale.
run(process.execPath, [join(root, "build/gen_x25519_simd.mjs")]);
// The SHA-256 compression function, unrolled, rewritten only when stale.
run(process.execPath, [join(root, "build/gen_sha256.mjs")]);
run(bin("asc"), ["assembly/index.ts", "--config", "asconfig.json", "--target", "release"]);
// The test build: the same module plus test-only hooks (assembly/abi/test_hooks.ts), for tests.
run(bin("asc"), [
  "assembly/index_test.ts",
  "--config",
  "asconfig.json",
  "--target",
  "release",
  "--outFile",
  join(root, "build/out/tls_session_test.wasm"),
  "--textFile",
  join(root, "build/out/tls_session_test.wat"),
]);

const raw = join(root, "build/out/tls_session.wasm");
const opt = join(root, "build/out/tls_session.opt.wasm");
run(bin("wasm-opt"), [
  raw,
  "-O3",
  "--enable-bulk-memory",
  "--enable-sign-ext",
  "--enable-nontrapping-float-to-int",
  "--enable-mutable-globals",
  "-o",
  opt,
]);
const best = statSync(opt).size < statSync(raw).size ? opt : raw;
copyFileSync(best, join(root, "dist/tls_session.wasm"));

// The SIMD module: the same sources with wasm SIMD enabled (ASC_FEATURE_SIMD selects the vector
// code paths in assembly/crypto). Shipped beside the scalar one; the bindings pick one at load
// time by feature detection (bindings/load.ts). dist/tls_session.wasm stays the scalar module.
const rawSimd = join(root, "build/out/tls_session_simd.wasm");
const optSimd = join(root, "build/out/tls_session_simd.opt.wasm");
run(bin("asc"), [
  "assembly/index.ts",
  "--config",
  "asconfig.json",
  "--target",
  "release",
  "--enable",
  "simd",
  "--outFile",
  rawSimd,
  "--textFile",
  join(root, "build/out/tls_session_simd.wat"),
]);
run(bin("wasm-opt"), [
  rawSimd,
  "-O3",
  "--enable-bulk-memory",
  "--enable-sign-ext",
  "--enable-nontrapping-float-to-int",
  "--enable-mutable-globals",
  "--enable-simd",
  "-o",
  optSimd,
]);
const bestSimd = statSync(optSimd).size < statSync(rawSimd).size ? optSimd : rawSimd;
copyFileSync(bestSimd, join(root, "dist/tls_session_simd.wasm"));

const esbuild = (entry, out, extra = []) =>
  run(bin("esbuild"), [
    entry,
    "--bundle",
    "--format=esm",
    "--platform=node",
    "--target=node20",
    `--outfile=${out}`,
    "--external:./tls_session.wasm",
    "--external:./tls_session_simd.wasm",
    "--log-level=warning",
    ...extra,
  ]);
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
esbuild("bindings/cli/main.ts", "dist/cli.js", [
  "--banner:js=#!/usr/bin/env node",
  `--define:__VERSION__=${JSON.stringify(version)}`,
]);
chmodSync(join(root, "dist/cli.js"), 0o755);
// The demo and its throwaway key stay out of dist/ (the package ships dist/ only).
esbuild("bindings/demo.ts", "build/out/demo.js", ["--external:tls-session-wasm"]);

// Platform bundles. Node CJS reads the .wasm beside it synchronously; browsers, Deno and Workers
// get platform-neutral ESM (no node: imports, checked below) that loads the .wasm as each allows.
run(bin("esbuild"), [
  "bindings/entries/node_cjs.ts",
  "--bundle",
  "--format=cjs",
  "--platform=node",
  "--target=node20",
  "--outfile=dist/index.cjs",
  "--log-level=warning",
]);
// The Node ESM entry is a thin wrapper over the CJS bundle, so that `import` and `require` in one
// process share one module instance: a Session made through one is a Session of the other.
{
  const { createRequire } = await import("node:module");
  const cjs = createRequire(import.meta.url)(join(root, "dist/index.cjs"));
  const names = Object.keys(cjs)
    .filter((n) => n !== "default" && n !== "__esModule")
    .sort();
  writeFileSync(
    join(root, "dist/index.js"),
    "// Node ESM entry: the CommonJS bundle (one module instance per process), re-exported.\n" +
      'import { createRequire } from "node:module";\n' +
      'const m = createRequire(import.meta.url)("./index.cjs");\n' +
      `export const { ${names.join(", ")} } = m;\n`,
  );
}
const neutral = (entry, out, extra = []) =>
  run(bin("esbuild"), [
    entry,
    "--bundle",
    "--format=esm",
    "--platform=neutral",
    "--target=es2022",
    "--minify",
    `--outfile=${out}`,
    "--log-level=warning",
    ...extra,
  ]);
neutral("bindings/entries/browser.ts", "dist/browser.js");
neutral("bindings/entries/deno.ts", "dist/deno.js");
neutral("bindings/entries/worker.ts", "dist/worker.js", [
  "--external:./tls_session.wasm",
  "--external:./tls_session_simd.wasm",
]);
for (const f of ["dist/browser.js", "dist/deno.js", "dist/worker.js"]) {
  if (/\bnode:[a-z]/.test(readFileSync(join(root, f), "utf8")))
    throw new Error(`build: ${f} refers to a node: module`);
}

// Declarations for every entry (typescript 5.9: `tsc -p tsconfig.json` -> dist/types).
// Unused locals and parameters are the lint's business (npm run lint), not a reason to fail a build.
run(bin("tsc"), ["-p", "tsconfig.json", "--noUnusedLocals", "false", "--noUnusedParameters", "false"]);
// The CLI is a program, not an API: no declarations for it in the package.
rmSync(join(root, "dist/types/cli"), { recursive: true, force: true });
// The same declarations as CommonJS (*.d.cts beside each *.d.ts), for `require`: under node16 /
// nodenext resolution a .d.ts in a "type": "module" package is ESM, and CJS code cannot import it.
function cjsTypes(dir) {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) cjsTypes(p);
    else if (name.name.endsWith(".d.ts")) {
      const text = readFileSync(p, "utf8").replace(
        /((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*?)\.js\2/g,
        (_, lead, q, spec) => `${lead}${q}${spec}.cjs${q}`,
      );
      writeFileSync(p.slice(0, -".d.ts".length) + ".d.cts", text);
    }
  }
}
cjsTypes(join(root, "dist/types"));
// Beside the ESM entry, so that `import "…/dist/index.js"` finds its types (the tests type-check that way).
writeFileSync(join(root, "dist/index.d.ts"), 'export * from "./types/index.js";\n');

const artifacts = [
  "dist/tls_session.wasm",
  "dist/tls_session_simd.wasm",
  "dist/index.js",
  "dist/index.cjs",
  "dist/browser.js",
  "dist/deno.js",
  "dist/worker.js",
  "dist/cli.js",
];
const measured = artifacts.map((f) => {
  const bytes = readFileSync(join(root, f));
  return { f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const sizes = measured.map(({ f, raw, gzip }) => `${f} ${raw} B raw, ${gzip} B gzip`);
console.log(`build: wasm-opt ${best === opt ? "kept" : "did not pay; asc output kept"}`);
console.log(`build: wasm-opt (SIMD) ${bestSimd === optSimd ? "kept" : "did not pay; asc output kept"}`);
for (const s of sizes) console.log(`build: ${s}`);
writeFileSync(join(root, "build/out/sizes.txt"), sizes.join("\n") + "\n");

// The size budget: each full module (scalar and SIMD) at most 64 KiB gzipped.
const BUDGET_GZIP = 64 * 1024;
for (const m of measured.slice(0, 2)) {
  if (m.gzip > BUDGET_GZIP) {
    console.error(`build: FAIL ${m.f} is ${m.gzip} B gzip, over the ${BUDGET_GZIP} B budget`);
    process.exit(1);
  }
  console.log(`build: size budget ok: ${m.f} ${m.gzip} B gzip <= ${BUDGET_GZIP} B`);
}
// The browser bundle's budget (the JS a page loads besides the module): at most 20 KiB gzipped:
// 16 KiB for our own code and about 3 KiB for @assemblyscript/loader, which instantiates the module.
const BROWSER_BUDGET_GZIP = 20 * 1024;
const browserGzip = measured.find((m) => m.f === "dist/browser.js").gzip;
if (browserGzip > BROWSER_BUDGET_GZIP) {
  console.error(
    `build: FAIL dist/browser.js is ${browserGzip} B gzip, over the ${BROWSER_BUDGET_GZIP} B budget`,
  );
  process.exit(1);
}
console.log(`build: size budget ok: browser.js ${browserGzip} B gzip <= ${BROWSER_BUDGET_GZIP} B`);

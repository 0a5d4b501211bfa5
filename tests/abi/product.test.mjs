// The product ships only the product: test hooks live in a test build, and cache-sim stays a
// user command whose help says what it is for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const exportsOf = (rel) =>
  WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL(rel, import.meta.url)))).map(
    (e) => e.name,
  );

test("the shipped modules have no test hook; the test build has it", () => {
  for (const rel of ["../../dist/tls_session.wasm", "../../dist/tls_session_simd.wasm"])
    assert.ok(!exportsOf(rel).includes("tls_ctx_list_position"), rel);
  assert.ok(exportsOf("../../build/out/tls_session_test.wasm").includes("tls_ctx_list_position"));
});

test("tls-session cache-sim --help says it replays what OpenSSL's cache would do", () => {
  const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
  const r = spawnSync(process.execPath, [cli, "cache-sim", "--help"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Replays what OpenSSL 3\.0's session cache would do/);
  assert.match(r.stdout, /RELEASE/);
});

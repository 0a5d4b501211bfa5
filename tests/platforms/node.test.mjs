// Node: the ESM entry (import) and the CJS entry (require), both resolved through the package's
// exports map, pass the shared smoke test with identical results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { smoke } from "./smoke.mjs";
import { root, reference } from "./util.mjs";

const require = createRequire(import.meta.url);

test("node ESM entry (exports: node.import) passes the smoke test", async () => {
  const lib = await import("tls-session-wasm");
  const r = smoke(lib);
  assert.deepEqual(r.checks, {
    reencodeIdentical: true,
    pemRoundTrip: true,
    clockInjected: true,
    cache: true,
    keySchedule: true,
    ticket: true,
    sealedTicket: true,
  });
  assert.equal(r.ok, true);
  assert.equal(require.resolve("tls-session-wasm").endsWith("index.cjs"), true);
});

test("node CJS entry (exports: node.require) passes the smoke test with the same result", async () => {
  const lib = require("tls-session-wasm");
  assert.equal(typeof lib.attachSessionCache, "function", "the CJS entry carries the node:tls glue too");
  assert.deepEqual(JSON.parse(JSON.stringify(smoke(lib))), await reference());
});

test("node CJS entry loads in a plain CommonJS process (no ESM loader involved)", async () => {
  const script =
    `const lib = require("tls-session-wasm"); import(${JSON.stringify(new URL("./smoke.mjs", import.meta.url).href)})` +
    `.then((m) => process.stdout.write(JSON.stringify(m.smoke(lib))));`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), await reference());
});

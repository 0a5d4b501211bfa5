// Deno (npm `deno`): the Deno bundle (dist/deno.js, which fetches the .wasm beside it at import)
// runs the shared smoke test under `deno run` with read access to the repository only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root, dist, smokePath, reference, findProgram, missing } from "./util.mjs";

const deno = join(root, "node_modules/.bin/deno");

test(
  "deno run: the Deno entry passes the smoke test with Node's exact result",
  { timeout: 60000 },
  async (t) => {
    const why = findProgram(deno);
    if (why) return missing(t, "deno (npm devDependency)", why);
    const dir = mkdtempSync(join(tmpdir(), "tls-session-deno-"));
    try {
      const script = join(dir, "main.mjs");
      writeFileSync(
        script,
        [
          `import * as lib from ${JSON.stringify(pathToFileURL(join(dist, "deno.js")).href)};`,
          `import { smoke } from ${JSON.stringify(pathToFileURL(smokePath).href)};`,
          `console.log(JSON.stringify({ runtime: "deno " + Deno.version.deno, result: smoke(lib) }));`,
        ].join("\n"),
      );
      const r = spawnSync(
        deno,
        ["run", "--no-config", "--no-lock", "--no-remote", `--allow-read=${root}`, script],
        {
          cwd: dir,
          encoding: "utf8",
          timeout: 50000,
          env: { ...process.env, DENO_DIR: join(dir, "deno-dir"), NO_COLOR: "1" },
        },
      );
      assert.equal(r.status, 0, `deno failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split("\n").pop());
      assert.match(out.runtime, /^deno \d/);
      assert.equal(out.result.ok, true, JSON.stringify(out.result.checks));
      assert.deepEqual(out.result, await reference());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

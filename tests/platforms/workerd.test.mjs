// Cloudflare Workers: the real `workerd` binary (npm `workerd`) serves a Worker on 127.0.0.1 whose
// modules are the Workers bundle (dist/worker.js), the .wasm as a `wasm` module (Workers refuse to
// compile from bytes) and the shared smoke test; the result is read over HTTP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, dist, smokePath, reference, findProgram, missing, freePort } from "./util.mjs";

const workerd = join(root, "node_modules/.bin/workerd");

const MAIN = `import * as lib from "./worker.js";
import { smoke } from "./smoke.mjs";
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/smoke") {
      return Response.json({ runtime: navigator.userAgent, memoryLimit: lib.getMemoryLimit(), result: smoke(lib) });
    }
    return new Response("not found", { status: 404 });
  },
};
`;

const config = (port) => `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .smokeWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const smokeWorker :Workerd.Worker = (
  modules = [
    (name = "main.js", esModule = embed "main.js"),
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "smoke.mjs", esModule = embed "smoke.mjs"),
    (name = "tls_session.wasm", wasm = embed "tls_session.wasm"),
  ],
  compatibilityDate = "2025-06-01",
);
`;

test(
  "workerd: a Worker with the wasm imported as a module answers the smoke test over HTTP",
  { timeout: 60000 },
  async (t) => {
    const why = findProgram(workerd);
    if (why) return missing(t, "workerd (npm devDependency)", why);
    const dir = mkdtempSync(join(tmpdir(), "tls-session-workerd-"));
    const port = await freePort();
    writeFileSync(join(dir, "main.js"), MAIN);
    copyFileSync(join(dist, "worker.js"), join(dir, "worker.js"));
    copyFileSync(join(dist, "tls_session.wasm"), join(dir, "tls_session.wasm"));
    copyFileSync(smokePath, join(dir, "smoke.mjs"));
    writeFileSync(join(dir, "config.capnp"), config(port));
    const child = spawn(workerd, ["serve", join(dir, "config.capnp")], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => {
      log += d;
    });
    child.stderr.on("data", (d) => {
      log += d;
    });
    const exited = new Promise((resolve) =>
      child.once("exit", (code, sig) => resolve(`exited ${code ?? sig}`)),
    );
    try {
      let body = null;
      const deadline = Date.now() + 30000;
      while (body === null) {
        const state = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 100))]);
        if (state) assert.fail(`workerd ${state}: ${log}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/smoke`);
          const text = await res.text();
          assert.equal(res.status, 200, `HTTP ${res.status}: ${text}\n${log}`);
          body = JSON.parse(text);
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          if (Date.now() > deadline)
            assert.fail(`workerd did not answer on 127.0.0.1:${port}: ${e.message}\n${log}`);
        }
      }
      assert.match(body.runtime, /Cloudflare-Workers/);
      // A Worker has 128 MB for everything: the Workers entry's default limit applies.
      assert.equal(body.memoryLimit, 32 * 1024 * 1024);
      assert.equal(body.result.ok, true, JSON.stringify(body.result.checks));
      assert.deepEqual(body.result, await reference());
    } finally {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

// Shared by the platform tests: paths, the reference result (the smoke test under Node ESM),
// free ports, and the "missing program" rule (a loud skip locally, a failure under CI=true).
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { needPrerequisite } from "../prerequisites.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const dist = join(root, "dist");
export const smokePath = join(root, "tests/platforms/smoke.mjs");

/** The smoke test's result under the Node ESM entry: what every other runtime must return. */
export async function reference() {
  const lib = await import(new URL("../../dist/index.js", import.meta.url).href);
  const { smoke } = await import("./smoke.mjs");
  return JSON.parse(JSON.stringify(smoke(lib)));
}

/**
 * Returns null when `path` exists (and `probe` runs), else the reason it is unusable. Callers pass
 * that reason to `missing()`.
 */
export function findProgram(path, probeArgs = ["--version"]) {
  if (!existsSync(path)) return `${path} not found`;
  const r = spawnSync(path, probeArgs, { encoding: "utf8", timeout: 30000 });
  if (r.status !== 0)
    return `${path} ${probeArgs.join(" ")} failed: ${(r.stderr || r.error?.message || "").slice(0, 300)}`;
  return null;
}

/** Test options for a missing program: skip loudly locally, fail under CI (see .ci/run). */
export function missing(t, what, reason) {
  needPrerequisite(t, "platforms", `${what} unavailable (${reason}); .ci/run installs it`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

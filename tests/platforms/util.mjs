// Shared by the platform tests: paths, the reference result (the smoke test under Node ESM),
// free ports, and the "missing program" rule (a loud skip locally, a failure under CI=true).
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, dirname, normalize, extname, sep } from "node:path";
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

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
};

/**
 * A static server on 127.0.0.1 for the browser tests: files of the tree under the `served`
 * prefixes (e.g. "dist/"), with their content types; anything else is a 404.
 * @param {string[]} served
 * @returns {Promise<import("node:http").Server>}
 */
export function serveFiles(served) {
  const server = createHttpServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname).slice(1);
    const file = normalize(join(root, path));
    const rel = file
      .slice(root.length + 1)
      .split(sep)
      .join("/");
    const type = CONTENT_TYPES[extname(file)];
    if (!file.startsWith(root + sep) || !served.some((p) => rel.startsWith(p)) || !type) {
      res.writeHead(404).end("not found");
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

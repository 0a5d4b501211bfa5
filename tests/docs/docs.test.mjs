// Every JavaScript and TypeScript block in README.md and docs/*.md runs, so no snippet can rot;
// shell blocks run too (with `tls-session` on PATH and a session.pem at hand). A block preceded by
// `<!-- doc-test: skip REASON -->` is an exception, visibly so in the file; one preceded by
// `<!-- doc-test: expect "text" ... -->` must print each text. What blocks use without defining
// it (cert, key, STORE_KEY, a Redis) comes from tests/docs/harness.mjs; a Redis block gets a real
// redis-server on a free port.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, mkdtempSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { startRedis } from "../stores/redis.mjs";
import { needPrerequisite } from "../prerequisites.mjs";
import { Session } from "tls-session-wasm";

const root = fileURLToPath(new URL("../..", import.meta.url));
const work = join(root, "build", "out", "doctest"); // inside the package, so "tls-session-wasm" resolves
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const JS = new Set(["js", "javascript", "mjs", "ts", "typescript"]);
const SHELL = new Set(["sh", "bash", "shell"]);

/** The fenced blocks of a Markdown file with their language, line and doc-test directives. */
export function blocks(file) {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!m) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(m[1].length));
    let directive = null;
    for (let j = start - 1; j >= 0 && /^\s*<!--.*-->\s*$/.test(lines[j]); j--) {
      const d = /<!--\s*doc-test:\s*(.*?)\s*-->/.exec(lines[j]);
      if (d) directive = d[1];
    }
    out.push({ file, line: start + 1, lang: m[2].toLowerCase(), code: body.join("\n"), directive });
  }
  return out;
}

const files = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const all = files.flatMap(blocks);
const runnable = all.filter((b) => JS.has(b.lang) || SHELL.has(b.lang));
const skipOf = (b) => (b.directive?.startsWith("skip") ? b.directive.slice(4).trim() || "(no reason)" : null);
const expectOf = (b) =>
  b.directive?.startsWith("expect")
    ? [...b.directive.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`))
    : [];

let redis = null;
after(async () => {
  await redis?.stop();
});

test("the documentation has code blocks, and every skipped one says why", () => {
  assert.ok(runnable.filter((b) => JS.has(b.lang)).length >= 8, "README and docs/ have JS/TS blocks");
  for (const b of runnable)
    if (b.directive?.startsWith("skip")) assert.notEqual(skipOf(b), "(no reason)", `${b.file}:${b.line}`);
  for (const b of all)
    if (b.directive && !/^(skip|expect)\b/.test(b.directive))
      assert.fail(`${b.file}:${b.line}: unknown directive ${b.directive}`);
  // The quick start is CI's business (.ci/run runs its lines), and it is the README's first shell block.
  const quick = all.find((b) => b.file === "README.md" && b.code.includes("npm start"));
  assert.ok(quick && /^(sh|bash)$/.test(quick.lang));
});

let n = 0;
for (const b of runnable) {
  const name = `${b.file}:${b.line} (${b.lang})`;
  const skip = skipOf(b);
  if (skip) {
    test(name, { skip: `marked in the file: ${skip}` }, () => {});
    continue;
  }
  const k = n++;
  test(name, { timeout: 60000 }, async (t) => {
    const env = { ...process.env };
    if (/\bREDIS_URL\b|ioredis|RedisSessionStore/.test(b.code)) {
      const missing =
        spawnSync("redis-server", ["--version"]).status === 0 ? null : "redis-server not found (apt)";
      if (!needPrerequisite(t, "docs", missing)) return;
      redis ??= await startRedis();
      env.DOC_REDIS_URL = `redis://127.0.0.1:${redis.port}`;
    }
    let r;
    if (JS.has(b.lang)) {
      const { code } = await transform(b.code, {
        loader: "ts",
        format: "esm",
        target: "node20",
        sourcefile: name,
      });
      const file = join(work, `block_${k}.mjs`);
      writeFileSync(file, `// ${name}\n${code}`);
      r = spawnSync(process.execPath, [join(root, "tests/docs/harness.mjs"), file], {
        cwd: root,
        env,
        encoding: "utf8",
        timeout: 45000,
      });
    } else {
      r = runShell(b.code, env);
    }
    assert.equal(r.status, 0, `${name} failed:\n${b.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    for (const want of expectOf(b))
      assert.ok(r.stdout.includes(want), `${name}: output lacks ${JSON.stringify(want)}:\n${r.stdout}`);
  });
}

/** A shell block in a scratch directory holding session.pem, with `tls-session` on PATH. */
function runShell(code, env) {
  const dir = mkdtempSync(join(tmpdir(), "tls-session-doc-"));
  try {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const shim = join(bin, "tls-session");
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(root, "dist/cli.js")}" "$@"\n`);
    chmodSync(shim, 0o755);
    const s = Session.new();
    s.protocolVersion = 0x0304;
    s.cipherSuite = 0x1301;
    s.id = new Uint8Array(32).fill(5);
    s.masterKey = new Uint8Array(32).fill(6);
    s.hostname = "example.com";
    s.time = 1700000000;
    s.timeout = 7200;
    writeFileSync(join(dir, "session.pem"), s.toPEM());
    s.free();
    return spawnSync("bash", ["-euo", "pipefail", "-c", code], {
      cwd: dir,
      env: { ...env, PATH: `${bin}:${env.PATH}` },
      encoding: "utf8",
      timeout: 30000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

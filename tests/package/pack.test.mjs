// The package as a user gets it: `npm pack`, the tarball installed offline into an empty project,
// then used through ESM import, CJS require, the CLI through npx, and TypeScript (`tsc --strict`)
// under nodenext, node16 and bundler resolution, without the DOM lib.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(root, "node_modules", ".bin", "tsc");
const typeRoots = join(root, "node_modules", "@types");
let dir, project, tarball, files;

// A user's own npm, not the npm 6 that a dev dependency (as-pect, through npm-install-peers) puts
// into node_modules/.bin, which `npm test` places first on PATH.
const userPath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((d) => !d.split(sep).includes("node_modules"))
  .join(delimiter);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    cwd: project,
    env: { ...process.env, PATH: userPath },
    ...opts,
  });
  if (r.error) throw r.error;
  return r;
}
const ok = (r, what) => assert.equal(r.status, 0, `${what}:\n${r.stdout}\n${r.stderr}`);

before(() => {
  dir = mkdtempSync(join(tmpdir(), "tls-session-pack-"));
  project = join(dir, "project");
  mkdirSync(project);
  // --ignore-scripts: the tree is already built (npm test builds first); `prepare` would rebuild dist/
  // under the other tests' feet.
  // (No --pack-destination: the npm that `npm test` finds first may predate it.)
  const pack = sh("npm", ["pack", "--json", "--ignore-scripts", root], { cwd: dir });
  ok(pack, "npm pack");
  const info = JSON.parse(pack.stdout)[0];
  tarball = join(dir, info.filename);
  files = info.files.map((f) => f.path).sort();
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "empty-project", private: true }));
  const install = sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball]);
  ok(install, "npm install --offline <tarball>");
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the tarball: LICENSE, dist, both kinds of types; no demo, no key, no CLI types", () => {
  for (const f of ["LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.cjs", "dist/cli.js"])
    assert.ok(files.includes(f), `${f} is in the package`);
  for (const f of ["dist/tls_session.wasm", "dist/browser.js", "dist/deno.js", "dist/worker.js"])
    assert.ok(files.includes(f), f);
  assert.ok(files.includes("dist/types/index.d.ts") && files.includes("dist/types/index.d.cts"));
  assert.ok(files.includes("dist/types/entries/node_cjs.d.cts"));
  for (const f of files) {
    assert.doesNotMatch(f, /demo|credential|\.test\.|^tests\/|^bindings\/|^build\//, `${f} should not ship`);
    assert.doesNotMatch(f, /^dist\/types\/cli\//, `${f}: the CLI has no API`);
  }
  assert.match(readFileSync(join(root, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
  // No private key anywhere in what ships.
  const unpacked = join(project, "node_modules", "tls-session-wasm");
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const f of walk(unpacked)) assert.doesNotMatch(readFileSync(f, "latin1"), /PRIVATE KEY-----/, f);
});

test("declarations: no @internal member, no import without an extension", () => {
  const types = join(project, "node_modules", "tls-session-wasm", "dist", "types");
  const session = readFileSync(join(types, "session.d.ts"), "utf8");
  for (const name of ["adopt", "borrow", "forget"])
    assert.doesNotMatch(session, new RegExp(`\\b${name}\\(`), name);
  assert.doesNotMatch(readFileSync(join(types, "cache.d.ts"), "utf8"), /drainEvents/);
  assert.doesNotMatch(readFileSync(join(types, "stores", "store.d.ts"), "utf8"), /checkTtl/);
  const cts = readFileSync(join(types, "api.d.cts"), "utf8");
  assert.doesNotMatch(cts, /from "\.[^"]*\.js"/, ".d.cts files import .cjs declarations");
});

const SAMPLE = `
const s = Session.new();
s.protocolVersion = 0x0304;
s.cipherSuite = 0x1301;
s.id = new Uint8Array(32).fill(7);
s.masterKey = new Uint8Array(32).fill(9);
s.hostname = "example.com";
const back = Session.fromDER(s.toDER());
const out = [back.protocol, back.cipherName, back.hostname, typeof attachSessionCache, typeof ClientSessionStore];
back.free();
s.free();
console.log(JSON.stringify(out));
`;
const EXPECTED = JSON.stringify(["TLSv1.3", "TLS_AES_128_GCM_SHA256", "example.com", "function", "function"]);

test("ESM import and CJS require, of the package and of its ./node subpath", () => {
  writeFileSync(
    join(project, "esm.mjs"),
    `import { Session, attachSessionCache, ClientSessionStore } from "tls-session-wasm";\n${SAMPLE}`,
  );
  writeFileSync(
    join(project, "cjs.cjs"),
    `const { Session, attachSessionCache, ClientSessionStore } = require("tls-session-wasm");\n${SAMPLE}`,
  );
  writeFileSync(
    join(project, "esm_node.mjs"),
    `import { Session, attachSessionCache, ClientSessionStore } from "tls-session-wasm/node";\n${SAMPLE}`,
  );
  writeFileSync(
    join(project, "cjs_node.cjs"),
    `const { Session, attachSessionCache, ClientSessionStore } = require("tls-session-wasm/node");\n${SAMPLE}`,
  );
  for (const f of ["esm.mjs", "cjs.cjs", "esm_node.mjs", "cjs_node.cjs"]) {
    const r = sh(process.execPath, [f]);
    ok(r, f);
    assert.equal(r.stdout.trim(), EXPECTED, f);
  }
});

test("the CLI through npx", () => {
  const v = sh("npx", ["--offline", "--no-install", "tls-session", "--version"]);
  ok(v, "npx tls-session --version");
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(v.stdout, `tls-session ${version}\n`);
  const make = sh(process.execPath, [
    "--input-type=module",
    "-e",
    `import { Session } from "tls-session-wasm"; const s = Session.new(); s.protocolVersion = 0x0303; s.cipherSuite = 0xc02f; s.id = new Uint8Array(32).fill(1); s.masterKey = new Uint8Array(48).fill(2); process.stdout.write(s.toPEM());`,
  ]);
  ok(make, "make a session");
  writeFileSync(join(project, "s.pem"), make.stdout);
  const r = sh("npx", ["--offline", "--no-install", "tls-session", "inspect", "s.pem"]);
  ok(r, "npx tls-session inspect");
  assert.match(
    r.stdout,
    /^SSL-Session:\n {4}Protocol {2}: TLSv1\.2\n {4}Cipher {4}: ECDHE-RSA-AES128-GCM-SHA256\n/,
  );
  assert.match(r.stdout, /Master-Key: \(hidden\)/);
});

const TS_NODE = `
import { Session, SessionCache, attachSessionCache, ClientSessionStore, type SessionJSON } from "tls-session-wasm";
import { attachSessionCache as viaSubpath } from "tls-session-wasm/node";
const s: Session = Session.new();
const j: SessionJSON = s.toJSON() as SessionJSON;
const cache = new SessionCache({ size: 10, timeout: 300 });
const n: number = cache.size;
const t: bigint = s.time;
const f: typeof attachSessionCache = viaSubpath;
console.log(j.alpnText, n, t, f, ClientSessionStore);
`;
const TS_CJS = `
import lib = require("tls-session-wasm");
import node = require("tls-session-wasm/node");
const s: lib.Session = lib.Session.new();
const cache = new lib.SessionCache({ mode: lib.CacheMode.SERVER });
const a: typeof node.attachSessionCache = lib.attachSessionCache;
console.log(s.protocol, cache.mode, a);
`;
const TS_BUNDLER = `
import { init, Session, SessionCache } from "tls-session-wasm"; // the browser types
import { attachSessionCache, ClientSessionStore } from "tls-session-wasm/node"; // Node helpers
await init();
const s = Session.new();
console.log(s.protocol, new SessionCache().size, attachSessionCache, ClientSessionStore);
`;

for (const [resolution, module, sources] of [
  ["nodenext", "nodenext", { "main.mts": TS_NODE, "main.cts": TS_CJS }],
  ["node16", "node16", { "main.mts": TS_NODE, "main.cts": TS_CJS }],
  ["bundler", "esnext", { "main.ts": TS_BUNDLER }],
]) {
  test(`tsc --strict, moduleResolution ${resolution}, no DOM lib`, () => {
    const sub = join(project, `ts-${resolution}`);
    mkdirSync(sub, { recursive: true });
    for (const [name, text] of Object.entries(sources)) writeFileSync(join(sub, name), text);
    writeFileSync(
      join(sub, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module,
          moduleResolution: resolution,
          lib: ["es2022", "esnext.disposable"],
          types: ["node"],
          typeRoots: [typeRoots],
          skipLibCheck: false,
        },
        include: Object.keys(sources),
      }),
    );
    const r = sh(tsc, ["-p", sub]);
    ok(r, `tsc (${resolution})`);
  });
}

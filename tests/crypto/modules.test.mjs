// The two shipped builds, dist/tls_session.wasm (scalar) and dist/tls_session_simd.wasm (wasm
// SIMD): both import WASI preview1 only, export the same ABI, fit the size budget, and compute the
// same bytes. The module the bindings load is chosen by feature detection, or by TLS_SESSION_WASM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";

const file = (name) => readFileSync(new URL(`../../dist/${name}`, import.meta.url));
const names = ["tls_session.wasm", "tls_session_simd.wasm"];

test("both modules import WASI preview1 only, export the same ABI and fit 64 KiB gzip", () => {
  const mods = names.map((n) => new WebAssembly.Module(file(n)));
  for (const [i, m] of mods.entries()) {
    const imports = WebAssembly.Module.imports(m);
    assert.ok(imports.length > 0);
    for (const imp of imports) assert.equal(imp.module, "wasi_snapshot_preview1", `${names[i]}: ${imp.name}`);
    assert.ok(gzipSync(file(names[i]), { level: 9 }).length <= 64 * 1024, `${names[i]} gzip size`);
  }
  const exp = mods.map((m) =>
    WebAssembly.Module.exports(m)
      .map((e) => `${e.kind}:${e.name}`)
      .sort()
      .join(),
  );
  assert.equal(exp[0], exp[1]);
});

test("the scalar module validates without SIMD, the SIMD module needs it", () => {
  // binaryen's validator checks every instruction against the features allowed.
  const F = binaryen.Features;
  const noSimd =
    F.MVP | F.BulkMemory | (F.BulkMemoryOpt ?? 0) | F.SignExt | F.NontrappingFPToInt | F.MutableGlobals;
  const valid = names.map((n) => {
    const m = binaryen.readBinary(file(n));
    m.setFeatures(noSimd);
    const quiet = console.error;
    console.error = () => {};
    try {
      return Boolean(m.validate());
    } finally {
      console.error = quiet;
      m.dispose();
    }
  });
  assert.deepEqual(valid, [true, false]);
});

// A batch of outputs of every primitive whose speed path differs between the builds.
const script = `
import * as lib from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
const inp = JSON.parse(process.argv[1]);
const b = (h) => new Uint8Array(Buffer.from(h, "hex"));
const hex = (u) => Buffer.from(u).toString("hex");
const out = [];
for (const m of inp.msgs) {
  const d = b(m);
  out.push(hex(lib.sha256(d)), hex(lib.hmac("sha256", b(inp.key32), d)));
  out.push(hex(lib.aesGcmSeal(b(inp.key16), b(inp.iv12), d)), hex(lib.aesGcmSeal(b(inp.key32), b(inp.iv12), d)));
  out.push(hex(lib.aesCbcEncrypt(b(inp.key16), b(inp.iv16), d)), hex(lib.aesCbcEncrypt(b(inp.key32), b(inp.iv16), d)));
}
out.push(hex(lib.x25519(b(inp.key32), lib.x25519PublicKey(b(inp.iv16 + inp.iv16)))));
process.stdout.write(JSON.stringify(out));
`;

test("the scalar and the SIMD module compute the same bytes", () => {
  const lens = [0, 1, 15, 16, 17, 55, 56, 63, 64, 65, 127, 128, 129, 200, 255, 256, 1000, 1024, 4099, 16384];
  const inp = {
    msgs: lens.map((n) => randomBytes(n).toString("hex")),
    key16: randomBytes(16).toString("hex"),
    key32: randomBytes(32).toString("hex"),
    iv12: randomBytes(12).toString("hex"),
    iv16: randomBytes(16).toString("hex"),
  };
  const results = ["scalar", "simd"].map((flavour) => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(inp)], {
      encoding: "utf8",
      env: { ...process.env, TLS_SESSION_WASM: flavour },
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      maxBuffer: 1 << 26,
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  });
  assert.equal(results[0].length, lens.length * 6 + 1);
  assert.deepEqual(results[0], results[1]);
});

// The bindings load the module through @assemblyscript/loader on every platform
// (bindings/load.ts): each entry's bundle carries the loader, and the module still exports no
// runtime and imports nothing but the two WASI functions, so the loader's extra `env` imports
// are never used. The platform tests in this directory run each entry end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { instantiateSync } from "@assemblyscript/loader";

const dist = new URL("../../dist/", import.meta.url);
// A string constant of the loader's own source, which minifiers keep.
const LOADER_MARK = "Operation requires compiling with --exportRuntime";
const WASI = ["wasi_snapshot_preview1.clock_time_get", "wasi_snapshot_preview1.random_get"];

test("every entry bundle (Node ESM/CJS, browsers, Deno, Workers) instantiates through the loader", () => {
  for (const f of ["index.cjs", "browser.js", "deno.js", "worker.js"]) {
    const src = readFileSync(new URL(f, dist), "utf8");
    assert.ok(src.includes(LOADER_MARK), `${f} does not bundle @assemblyscript/loader`);
  }
  // The Node ESM entry re-exports the CJS bundle (one instance per process), so it loads through it.
  const esm = readFileSync(new URL("index.js", dist), "utf8");
  assert.match(esm, /createRequire\(import\.meta\.url\)\("\.\/index\.cjs"\)/);
});

for (const file of ["tls_session.wasm", "tls_session_simd.wasm"]) {
  test(`${file}: no runtime exports, WASI-only imports, and the loader instantiates it with just those`, () => {
    const bytes = readFileSync(new URL(file, dist));
    const mod = new WebAssembly.Module(bytes);
    const imports = WebAssembly.Module.imports(mod)
      .map((i) => `${i.module}.${i.name}`)
      .sort();
    assert.deepEqual(imports, WASI);
    const exportNames = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const rt of ["__new", "__pin", "__unpin", "__collect", "__rtti_base", "__setArgumentsLength"])
      assert.ok(!exportNames.includes(rt), `${file} exports ${rt}`);
    let memory = null;
    const { instance, exports } = instantiateSync(mod, {
      wasi_snapshot_preview1: {
        random_get(ptr, len) {
          crypto.getRandomValues(new Uint8Array(memory.buffer, ptr, len));
          return 0;
        },
        clock_time_get(_id, _precision, out) {
          new DataView(memory.buffer).setBigUint64(out, 1700000000n * 1000000000n, true);
          return 0;
        },
      },
    });
    /** @type {any} The raw exports, called by name. */
    const raw = instance.exports;
    memory = raw.memory;
    raw._initialize();
    assert.equal(Object.keys(raw).length, exportNames.length);
    const h = raw.SSL_SESSION_new();
    assert.ok(h > 0);
    assert.equal(raw.SSL_SESSION_get_time(h), 1700000000n);
    assert.equal(raw.SSL_SESSION_free(h), 0);
    // The loader's runtime helpers exist but throw only when called.
    assert.throws(() => exports.__new(8, 0), /exportRuntime/);
  });
}

// The ABI's one description (assembly/abi/abi.json) and what is generated from it agree with the
// module actually built: every export's parameter and result types as the wasm binary declares
// them, the typed exports interface of the bindings, the C header and the Python constants.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { description, abiExports, group, root } from "../../build/abi_model.mjs";
import { instantiate } from "./host.mjs";
import { needPrerequisite } from "../prerequisites.mjs";

/** Function exports of a wasm binary: name -> { params, results } as "i32" | "i64" | "f32" | "f64". */
function wasmSignatures(bytes) {
  const VAL = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };
  let pos = 8;
  const u32 = () => {
    let r = 0,
      shift = 0,
      b;
    do {
      b = bytes[pos++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return r >>> 0;
  };
  const name = () => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(pos, pos + n));
    pos += n;
    return s;
  };
  const types = [];
  const funcTypes = []; // imported functions first, then the module's own
  const exports = new Map();
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        assert.equal(bytes[pos++], 0x60);
        const params = Array.from({ length: u32() }, () => VAL[bytes[pos++]]);
        const results = Array.from({ length: u32() }, () => VAL[bytes[pos++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[pos++];
        if (kind === 0) funcTypes.push(u32());
        else break; // the module imports functions only (tests/abi/abi.test.mjs)
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const nm = name();
        const kind = bytes[pos++];
        const index = u32();
        if (kind === 0) exports.set(nm, types[funcTypes[index]]);
      }
    }
    pos = end;
  }
  return exports;
}

const WASM = {
  i32: "i32",
  u32: "i32",
  usize: "i32",
  u8: "i32",
  u16: "i32",
  bool: "i32",
  i64: "i64",
  u64: "i64",
  f64: "f64",
};
const declared = abiExports();

for (const file of ["tls_session.wasm", "tls_session_simd.wasm"]) {
  test(`every export of dist/${file} has the parameter and result types the description gives it`, () => {
    const actual = wasmSignatures(readFileSync(join(root, "dist", file)));
    const problems = [];
    for (const e of declared) {
      const sig = actual.get(e.name);
      if (!sig) {
        problems.push(`${e.name}: described but not exported`);
        continue;
      }
      const params = e.params.map((p) => WASM[p.type]);
      const results = e.result === "void" ? [] : [WASM[e.result]];
      if (JSON.stringify(params) !== JSON.stringify(sig.params))
        problems.push(`${e.name}: params ${params} described, ${sig.params} built`);
      if (JSON.stringify(results) !== JSON.stringify(sig.results))
        problems.push(`${e.name}: result ${results} described, ${sig.results} built`);
    }
    const names = new Set(declared.map((e) => e.name));
    for (const n of actual.keys()) if (!names.has(n)) problems.push(`${n}: exported but not described`);
    assert.deepEqual(problems, []);
    assert.ok(declared.length >= 170, `${declared.length} exports described`);
  });
}

test("the bindings' exports interface lists every export with its TypeScript types", () => {
  const ts = readFileSync(join(root, "bindings/abi.ts"), "utf8");
  const body = ts
    .slice(ts.indexOf("export interface WasmFunctions {"))
    .replace(/\s+/g, "")
    .replace(/,\)/g, ")");
  assert.doesNotMatch(ts, /Record<string, any>|:\s*any\b/);
  const T = { i64: "bigint", u64: "bigint", void: "void" };
  for (const e of declared) {
    const params = e.params.map((p) => `${p.name}: ${T[p.type] ?? "number"}`).join(", ");
    const line = `${e.name}(${params}): ${T[e.result] ?? "number"};`;
    assert.ok(body.includes(line.replace(/\s+/g, "").replace(/,\)/, ")")), `missing or different: ${line}`);
  }
  const load = readFileSync(join(root, "bindings/load.ts"), "utf8");
  assert.match(load, /export type WasmExports = WasmFunctions &/);
  assert.doesNotMatch(load, /Record<string, any>/);
});

test("the module reports the described ABI version, and its statuses are the described ones", () => {
  const ex = instantiate();
  assert.equal(ex.tls_abi_version(), description().abiVersion);
  const S = group("Status");
  assert.equal(ex.SSL_SESSION_free(0x7fffffff), S.BAD_HANDLE);
  const c = ex.SSL_CTX_new();
  assert.equal(ex.SSL_SESSION_up_ref(c), S.WRONG_KIND);
  assert.equal(ex.tls_ctx_stat(c, 99), -(2n ** 63n));
  assert.equal(ex.tls_last_error_code(), S.INVALID_ARGUMENT);
  const s = ex.SSL_SESSION_new();
  assert.equal(ex.SSL_SESSION_get0_hostname(s), S.ABSENT);
  const B = group("SessionBytes");
  const I = group("SessionInt");
  assert.equal(ex.tls_session_get_int(s, I.REFERENCES), 1n);
  assert.equal(ex.tls_session_set_int(s, I.TIMEOUT, 77n), 1);
  assert.equal(ex.SSL_SESSION_get_timeout(s), 77n);
  assert.equal(ex.tls_session_get_bytes(s, B.MASTER_KEY), 0);
  const M = group("CacheMode");
  assert.equal(ex.SSL_CTX_get_session_cache_mode(c), M.SERVER, "OpenSSL's default mode");
  const K = group("Kind");
  assert.equal(Object.keys(K).length, new Set(Object.values(K)).size, "kinds are distinct");
});

test("the C header's generated enums compile and carry the described values", (t) => {
  const cc = spawnSync("gcc", ["--version"]);
  if (!needPrerequisite(t, "tests/abi/description", cc.status === 0 ? null : "gcc not found")) return;
  const dir = mkdtempSync(join(tmpdir(), "tls-h-"));
  try {
    const checks = description()
      .groups.flatMap((g) =>
        g.values.map((v) => `_Static_assert(${v.c ?? g.c + v.name} == ${v.value}, "${g.name}.${v.name}");`),
      )
      .join("\n");
    writeFileSync(
      join(dir, "t.c"),
      `#include "${join(root, "docs/tls_session.h")}"\n${checks}\nint main(void) { return TLS_ABI_VERSION == ${description().abiVersion} ? 0 : 1; }\n`,
    );
    const r = spawnSync("gcc", ["-std=c11", "-Wall", "-Werror", "-fsyntax-only", join(dir, "t.c")], {
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the Python example's constants are the described ones", () => {
  const py = readFileSync(join(root, "examples/python/tls_session_abi.py"), "utf8");
  for (const g of description().groups) {
    const cls = py.slice(py.indexOf(`class ${g.name}:`));
    for (const v of g.values) assert.match(cls, new RegExp(`^    ${v.name} = ${v.value}\\b`, "m"));
  }
  const host = readFileSync(join(root, "examples/python/host.py"), "utf8");
  assert.match(host, /from tls_session_abi import/);
  assert.doesNotMatch(host, /-17|STATUS = \{/, "no hand copy of the statuses");
});

test("every export checks its arguments through the one module, abi/args.ts", async () => {
  const { readdirSync } = await import("node:fs");
  const dir = join(root, "assembly/abi");
  const problems = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith("_exports.ts"))) {
    const src = readFileSync(join(dir, f), "utf8");
    // A handle goes through argObject, a memory range through argMem, nothing around them.
    if (/\bhandleGet\(/.test(src)) problems.push(`${f}: handleGet instead of argObject`);
    if (/memory\.size\(\)/.test(src)) problems.push(`${f}: its own memory range check instead of argMem`);
    if (/\bfrom "\.\/handles"/.test(src) && /\bhandleGet\b/.test(src))
      problems.push(`${f}: imports handleGet`);
  }
  assert.deepEqual(problems, []);
});

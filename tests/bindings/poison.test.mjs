// Any exception that escapes the module poisons the instance, not only traps: a stack overflow
// (RangeError in V8) or any other engine error can leave wasm state mid-operation. The bindings'
// own argument errors do not. bindings/load.ts is bundled on its own here so that each test gets a
// fresh instance to poison.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSync } from "esbuild";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tls-session-poison-"));
const wasmBytes = readFileSync(join(root, "dist", "tls_session.wasm"));
let n = 0;

/**
 * A fresh copy of bindings/load.ts (its own module state), initialised with the real module.
 * @param {Uint8Array} [bytes] another module's bytes
 */
async function freshLoad(bytes = wasmBytes) {
  const out = join(dir, `load${n++}.mjs`);
  buildSync({
    entryPoints: [join(root, "bindings", "load.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    logLevel: "silent",
  });
  const load = await import(pathToFileURL(out).href);
  load.initSync(bytes);
  return load;
}

function overflow() {
  return overflow() + 1;
}

/**
 * Runs `fn` as an export's guard (bindings/load.ts `guarded`) and the hot paths run an export:
 * what escapes goes to poisonOn, which decides whether it poisons the instance.
 */
function escaping(load, fn) {
  try {
    return fn();
  } catch (e) {
    load.poisonOn(e);
    throw e;
  }
}

const poisonedCode = (load) => {
  try {
    load.wasm();
    return null;
  } catch (e) {
    return e.code;
  }
};

test("a stack overflow escaping a call poisons the instance", async () => {
  const load = await freshLoad();
  assert.equal(poisonedCode(load), null);
  assert.throws(() => escaping(load, () => overflow()), RangeError);
  assert.equal(poisonedCode(load), "POISONED");
  assert.throws(() => load.wasm().tls_abi_version(), /POISONED|trapped earlier/);
});

test("a stack overflow caught by a hot path's poisonOn, or in withInput, poisons too", async () => {
  const a = await freshLoad();
  // The hot paths (SessionCache.has, add, remove, resume) call their export unguarded and hand
  // what escapes it to poisonOn.
  assert.throws(() => escaping(a, () => overflow()), RangeError);
  assert.equal(poisonedCode(a), "POISONED");
  const b = await freshLoad();
  assert.throws(() => b.withInput(new Uint8Array(4), () => overflow()), RangeError);
  assert.equal(poisonedCode(b), "POISONED");
});

test("a trap poisons; the bindings' own argument errors do not", async () => {
  const load = await freshLoad();
  for (const e of [
    new TypeError("x must be an integer"),
    new RangeError("sidCtx must be at most 32 bytes"),
    (() => {
      try {
        load.check(-1);
      } catch (e) {
        return e; // a TlsSessionError, as the bindings throw for a negative status
      }
      assert.fail("check(-1) must throw");
    })(),
    new Error("hasher was freed"),
  ]) {
    assert.throws(() =>
      escaping(load, () => {
        throw e;
      }),
    );
    assert.equal(poisonedCode(load), null, `${e.name}: ${e.message}`);
  }
  assert.throws(() =>
    escaping(load, () => {
      throw new WebAssembly.RuntimeError("unreachable");
    }),
  );
  assert.equal(poisonedCode(load), "POISONED");
});

test("engine errors of other runtimes poison too; a failed memory.grow from JS does not", async () => {
  const internal = new Error("too much recursion");
  internal.name = "InternalError"; // SpiderMonkey
  const cases = [
    [internal, true],
    [new RangeError("Maximum call stack size exceeded."), true], // JavaScriptCore
    [new WebAssembly.RuntimeError("memory access out of bounds"), true],
    [new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"), false],
  ];
  for (const [err, poisons] of cases) {
    const e = /** @type {Error} */ (err);
    const load = await freshLoad();
    assert.throws(() =>
      escaping(load, () => {
        throw e;
      }),
    );
    assert.equal(poisonedCode(load), poisons ? "POISONED" : null, `${e.name}: ${e.message}`);
  }
});

test("a trap in an export called directly, outside withInput(), poisons too", async () => {
  // A stand-in module whose `boom` traps: every export the bindings hand out is guarded, so a
  // reference to the exports taken before the trap refuses afterwards as well.
  const { default: binaryen } = await import("binaryen");
  const m = binaryen.parseText(`(module
    (memory (export "memory") 1)
    (func (export "_initialize"))
    (func (export "boom") (param i32) (result i32) unreachable)
    (func (export "ok") (result i32) i32.const 1)
    (func (export "seven") (param i32 i32 i32 i32 i32 i32 i32) (result i32) local.get 6))`);
  const bytes = m.emitBinary();
  m.dispose();
  const load = await freshLoad(bytes);
  const ex = load.wasm();
  assert.equal(ex.ok(), 1);
  assert.equal(ex.seven(1, 2, 3, 4, 5, 6, 7), 7, "arguments pass through the guard");
  assert.ok(ex.memory instanceof WebAssembly.Memory);
  assert.throws(() => ex.boom(1), WebAssembly.RuntimeError);
  assert.equal(poisonedCode(load), "POISONED");
  assert.throws(() => ex.ok(), /trapped earlier/, "a reference held from before refuses");
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

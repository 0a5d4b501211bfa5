// A bare host for the raw ABI tests: the module instantiated with nothing but the two WASI
// imports it declares, as a non-JS host would do it.
import { readFileSync } from "node:fs";
import { randomFillSync } from "node:crypto";

export const bytes = readFileSync(new URL("../../dist/tls_session.wasm", import.meta.url));
export const module = new WebAssembly.Module(bytes);

/**
 * A fresh instance of the module (or of the build at `path`). The exports are untyped: the ABI
 * tests call them with every kind of argument on purpose.
 * @param {{ now?: bigint, path?: string | null }} [_]
 * @returns {any}
 */
export function instantiate({ now = 1700000000n, path = null } = {}) {
  let memory;
  const mod = path ? new WebAssembly.Module(readFileSync(path)) : module;
  const inst = new WebAssembly.Instance(mod, {
    wasi_snapshot_preview1: {
      random_get(p, n) {
        randomFillSync(new Uint8Array(memory.buffer, p, n));
        return 0;
      },
      clock_time_get(_id, _precision, out) {
        new DataView(memory.buffer).setBigUint64(out, now * 1000000000n, true);
        return 0;
      },
    },
  });
  const ex = /** @type {any} */ (inst.exports);
  memory = ex.memory;
  ex._initialize();
  return ex;
}

/** Copies `data` into a fresh buf_alloc buffer; returns its address. */
export function put(ex, data) {
  const p = ex.buf_alloc(data.length);
  new Uint8Array(ex.memory.buffer).set(data, p);
  return p;
}

export const result = (ex, n) => new Uint8Array(ex.memory.buffer).slice(ex.result_ptr(), ex.result_ptr() + n);
export const message = (ex) => new TextDecoder().decode(result(ex, ex.tls_last_error_message()));

// Browser entry (also the neutral default): no Node APIs. Call `await init()` once; with no
// argument it fetches tls_session_simd.wasm (or tls_session.wasm without wasm SIMD) beside this bundle, or pass bytes, a URL, a Response or a
// compiled WebAssembly.Module.

import {
  init as initFrom,
  wasmFileName,
  usePlatformMemoryLimit,
  MEMORY_LIMITS,
  type WasmSource,
} from "../load.js";

usePlatformMemoryLimit(MEMORY_LIMITS.browser); // a page shares its tab's memory

export * from "../api.js";

/** The URL of the .wasm file shipped next to this bundle (the SIMD build where SIMD validates). */
export function defaultWasmUrl(): URL {
  return new URL(`./${wasmFileName()}`, import.meta.url);
}

/** Loads the module from `source`, by default the .wasm file beside this bundle. */
export function init(source: WasmSource = defaultWasmUrl()): Promise<void> {
  return initFrom(source);
}

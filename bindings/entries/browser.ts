// Browser entry (also the neutral default): no Node APIs. Call `await init()` once; with no
// argument it fetches tls_session.wasm beside this bundle, or pass bytes, a URL, a Response or a
// compiled WebAssembly.Module.

import { init as initFrom, type WasmSource } from "../load.js";

export * from "../api.js";

/** The URL of the .wasm file shipped next to this bundle. */
export function defaultWasmUrl(): URL {
  return new URL("./tls_session.wasm", import.meta.url);
}

/** Loads the module from `source`, by default the .wasm file beside this bundle. */
export function init(source: WasmSource = defaultWasmUrl()): Promise<void> {
  return initFrom(source);
}

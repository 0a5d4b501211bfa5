// Node entry point: the module is loaded at import time from the .wasm file shipped beside
// this bundle, so the API is ready to use on import. `init(source)` is still accepted.

import { readFileSync } from "node:fs";
import { initSync, wasmFileName, usePlatformMemoryLimit, MEMORY_LIMITS } from "./load.js";

usePlatformMemoryLimit(MEMORY_LIMITS.server);
initSync(readFileSync(new URL(`./${wasmFileName()}`, import.meta.url)));

export * from "./api.js";
export * from "./node/index.js";

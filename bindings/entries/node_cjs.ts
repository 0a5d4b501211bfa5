// Node CommonJS entry (dist/index.cjs): the module is loaded synchronously from the .wasm file
// beside this bundle when it is required, so the API is ready at once. Same API as the ESM entry.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync, wasmFileName, usePlatformMemoryLimit, MEMORY_LIMITS } from "../load.js";

declare const __dirname: string;
usePlatformMemoryLimit(MEMORY_LIMITS.server);
initSync(readFileSync(join(__dirname, wasmFileName())));

export * from "../api.js";
export * from "../node/index.js";

// Deno entry: the module is fetched from the .wasm file beside this bundle at import time (top-level
// await), so the API is ready on import. Needs read permission for that file (`--allow-read`).

import { init as initFrom, wasmFileName, usePlatformMemoryLimit, MEMORY_LIMITS } from "../load.js";

usePlatformMemoryLimit(MEMORY_LIMITS.server);

await initFrom(new URL(`./${wasmFileName()}`, import.meta.url));

export * from "../api.js";

// Cloudflare Workers (workerd) entry: Workers refuse to compile wasm from bytes, so the .wasm is
// imported as a module (the bundler or the capnp config supplies it as a WebAssembly.Module) and
// instantiated at import time. The API is ready on import.

import wasmModule from "./tls_session.wasm";
import { initSync, usePlatformMemoryLimit, MEMORY_LIMITS } from "../load.js";

usePlatformMemoryLimit(MEMORY_LIMITS.worker); // 128 MB per isolate, JavaScript included
initSync(wasmModule);

export * from "../api.js";

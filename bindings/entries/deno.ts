// Deno entry: the module is fetched from the .wasm file beside this bundle at import time (top-level
// await), so the API is ready on import. Needs read permission for that file (`--allow-read`).

import { init as initFrom } from "../load.js";

await initFrom(new URL("./tls_session.wasm", import.meta.url));

export * from "../api.js";

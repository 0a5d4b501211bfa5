// Shared by the crypto tests: the package entry (initialised from dist/tls_session.wasm if the
// entry needs an explicit init), the vector files, and hex helpers.
import { readFileSync } from "node:fs";

export const lib = await import("../../dist/index.js");
if (typeof lib.isInitialized === "function" && !lib.isInitialized() && typeof lib.initSync === "function") {
  lib.initSync(readFileSync(new URL("../../dist/tls_session.wasm", import.meta.url)));
}

if (typeof lib.sha256 !== "function")
  throw new Error(
    'dist/index.js does not export the crypto API: bindings/index.ts needs `export * from "./crypto"`',
  );

export const vectors = (name) =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8"));
export const hex = (b) => Buffer.from(b).toString("hex");
/** @type {(s: string) => Uint8Array} */
export const unhex = (s) => new Uint8Array(Buffer.from(s, "hex"));
/** @type {import("../../dist/index.js").HashName[]} */
export const HASHES = ["sha256", "sha384", "sha512"];
/** The hashes TLS cipher suites use. @type {import("../../dist/index.js").HashName[]} */
export const TLS_HASHES = ["sha256", "sha384"];

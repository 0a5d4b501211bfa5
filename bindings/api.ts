// The package's public API, platform-neutral. Entry points (Node, browsers, Deno, Workers)
// re-export this and decide how the wasm is loaded.

export {
  init,
  initSync,
  isInitialized,
  setRandomSource,
  setMemoryLimit,
  getMemoryLimit,
  memoryUsage,
  MAX_INPUT_BYTES,
  type MemoryUsage,
  type WasmSource,
  type WasmModule,
  type WasmMemory,
  type WasmBytes,
  type FetchResponse,
  type RandomSource,
} from "./load.js";
export { TlsSessionError, type TlsSessionErrorCode } from "./errors.js";
export { Session, setClock, cipherName, PROTOCOL_NAMES, type DecodeOptions } from "./session.js";
export {
  sessionToJSON,
  sessionToText,
  alpnText,
  type SessionJSON,
  type DescribeOptions,
} from "./describe.js";
export {
  SessionCache,
  CacheMode,
  type SessionCacheOptions,
  type CacheStats,
  type RemoveReason,
  type RemoveListener,
  type NewListener,
  type Refusal,
  type ResumeOptions,
  type ResumeResult,
} from "./cache.js";
export { Connection, SENT_SHUTDOWN, RECEIVED_SHUTDOWN } from "./connection.js";
export * from "./crypto.js";

import { wasm, type WasmExports } from "./load.js";
/** The raw ABI exports of the loaded instance (docs/ABI.md), for hosts and tests that need them. */
export function rawExports(): WasmExports {
  return wasm();
}
export {
  TicketKeys,
  TicketIssuer,
  sealTicket,
  openTicket,
  takeStatefulTicket,
  type TicketRefusal,
  type TicketStats,
  type TicketKeysOptions,
  type OpenedTicket,
  type OpenOptions,
  type IssuedTicket,
  type IssuerOptions,
  type TimeOption,
} from "./ticket_keys.js";

// The module's ABI: exported functions only, no logic. See docs/ABI.md.
//
// Conventions: every call returns an i32 status (>= 0 success, often a handle or a length;
// < 0 a Status code whose message tls_last_error_message() puts in the result buffer).
// Inputs are host buffers (buf_alloc / buf_free); byte outputs land in the result buffer
// (result_ptr / result_len), valid until the next call.

export { lastErrorCode as tls_last_error_code, lastErrorOffset as tls_last_error_offset } from "./abi/status";
export {
  resultAddress as result_ptr,
  resultLength as result_len,
  resultWipe as result_wipe,
} from "./abi/memory";
export { hostBufferAlloc as buf_alloc, hostBufferFree as buf_free } from "./abi/memory";
export { scratchReserve as buf_scratch, scratchWipe as buf_scratch_wipe } from "./abi/memory";
export * from "./abi/runtime_exports";
export * from "./abi/session_exports";
export * from "./abi/crypto_exports";
export * from "./abi/cache_exports";
export * from "./abi/budget_exports";
export * from "./abi/ssl_exports";
export * from "./abi/ticket_exports";

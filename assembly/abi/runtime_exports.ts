// ABI calls about the module itself: version, clock, memory accounting, error text.

import { setClock } from "../env";
import { getLiveBytes, getLiveBlocks, getTableBytes, setLimit, getLimit, MAX_LIMIT } from "../util/alloc";
import { argByteCount, argStatus } from "./args";
import { handleLiveCount } from "./handles";
import { lastErrorMessage } from "./status";
import { resultReserve, memoryTrim } from "./memory";
import { discardIvPool } from "../ticket/seal";
import { ABI_VERSION } from "../util/abi_values";

/** Forgets randomness the module buffered, after the host changed its random source. */
export function tls_random_reset(): void {
  discardIvPool();
}

/**
 * The ABI's version; bumped on any incompatible change. 2: one failure convention (WRONG_KIND
 * everywhere, i64 faults as -2^63 with the last error), counted cache references, 2^24 handle
 * quarantine.
 */
export function tls_abi_version(): i32 {
  return ABI_VERSION;
}

/** Pins the module clock to `seconds` (fixed != 0) or returns it to the host's WASI clock. */
export function tls_set_clock(seconds: i64, fixed: i32): void {
  setClock(seconds, fixed != 0);
}

export function tls_memory_live_bytes(): f64 {
  return <f64>getLiveBytes();
}
export function tls_memory_live_blocks(): f64 {
  return <f64>getLiveBlocks();
}
/** Bytes of the module's own tables (the handle table): under the ceiling, never shrinking. */
export function tls_memory_table_bytes(): f64 {
  return <f64>getTableBytes();
}
/**
 * Caps live allocations (and the handle table) at `bytes`, a whole number from 0 to 2^32;
 * beyond it calls fail with NO_MEMORY instead of growing. A ceiling below current use refuses
 * every allocation until memory is freed. 0, or INVALID_ARGUMENT (the ceiling is unchanged).
 */
export function tls_set_memory_limit(bytes: f64): i32 {
  if (!argByteCount(bytes, <f64>MAX_LIMIT, "memory limit must be a whole number of bytes, 0 to 2^32"))
    return argStatus();
  setLimit(<u64>bytes);
  return 0;
}
/** The ceiling tls_set_memory_limit set (512 MiB until then). */
export function tls_get_memory_limit(): f64 {
  return <f64>getLimit();
}
/** Gives back the input area and the result buffer when large (see abi/memory.ts); bytes freed. */
export function tls_memory_trim(): f64 {
  return memoryTrim();
}
export function tls_handles_live(): i32 {
  return <i32>handleLiveCount();
}

/** The last error's message, ASCII, into the result buffer; returns its length. */
export function tls_last_error_message(): i32 {
  const m = lastErrorMessage();
  const dst = resultReserve(<usize>m.length);
  if (!dst) return 0;
  for (let i = 0; i < m.length; i++) store<u8>(dst + <usize>i, <u8>m.charCodeAt(i));
  return m.length;
}

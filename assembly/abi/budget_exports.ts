// The ABI of the cache's byte budget (cache/budget.ts): not an OpenSSL function, so statuses
// are ours: 0 for success, a negative status for a fault. Byte counts are doubles holding whole
// numbers (as the memory exports), and a fault is the negative status itself.

import { Kind } from "./handles";
import { argObject, argStatus, argByteCount } from "./args";
import { Cache } from "../cache/context";
import { Session } from "../session/session";
import { sessionBytes } from "../cache/budget";
import { MAX_LIMIT } from "../util/alloc";

/**
 * Sets the byte budget of cache `h`: a whole number of bytes from 0 (no budget, the default) to
 * 2^32. Enforced at the next add, as the count limit is. 0, or BAD_HANDLE, WRONG_KIND,
 * INVALID_ARGUMENT.
 */
export function tls_ctx_set_byte_budget(h: u32, bytes: f64): i32 {
  const p = argObject(h, Kind.CACHE);
  if (!p) return argStatus();
  if (!argByteCount(bytes, <f64>MAX_LIMIT, "byte budget must be a whole number of bytes, 0 to 2^32"))
    return argStatus();
  changetype<Cache>(p).byteBudget = <u64>bytes;
  return 0;
}

/** The byte budget of cache `h` (0: none), or a negative status. */
export function tls_ctx_get_byte_budget(h: u32): f64 {
  const p = argObject(h, Kind.CACHE);
  if (!p) return <f64>argStatus();
  return <f64>changetype<Cache>(p).byteBudget;
}

/** The bytes the sessions in cache `h` hold (what the budget bounds), or a negative status. */
export function tls_ctx_bytes(h: u32): f64 {
  const p = argObject(h, Kind.CACHE);
  if (!p) return <f64>argStatus();
  return <f64>changetype<Cache>(p).bytes;
}

/** The bytes session `h` holds in linear memory (what a cache's budget counts for it), or a negative status. */
export function tls_session_bytes(h: u32): f64 {
  const p = argObject(h, Kind.SESSION);
  if (!p) return <f64>argStatus();
  return <f64>sessionBytes(changetype<Session>(p));
}

// The argument checks every export uses, so that every export fails the same way:
//   argObject  a live handle of one kind: BAD_HANDLE (freed, forged, zero) or WRONG_KIND
//   argMem     a (pointer, length) range inside linear memory: INVALID_ARGUMENT
//   argRange   an integer inside [lo, hi]: INVALID_ARGUMENT
// A failed check records the error (abi/status.ts) and returns a falsy value; the export then
// returns `argStatus()` (an i32 status) or, when its result is an i64 value that may itself be
// negative, I64_FAULT with the status in tls_last_error_code().

import { handleGet } from "./handles";
import { Status, fail, lastErrorCode } from "./status";

/** What an i64-valued export returns on a fault: -2^63. tls_last_error_code() says which. */
export { I64_FAULT } from "../util/abi_values";

/** The object of `kind` behind `h`, or 0 with BAD_HANDLE or WRONG_KIND recorded. */
// @ts-ignore: decorator
@inline export function argObject(h: u32, kind: u8): usize {
  return handleGet(h, kind);
}

/** The status the last failed check recorded. */
export function argStatus(): i32 {
  return lastErrorCode();
}

/** True when [p, p + len) lies inside linear memory; otherwise INVALID_ARGUMENT is recorded. */
export function argMem(p: usize, len: usize): bool {
  if (<u64>p + <u64>len <= (<u64>memory.size()) << 16) return true; // 4 GiB does not fit a usize
  fail(Status.INVALID_ARGUMENT, "buffer outside linear memory");
  return false;
}

/** True when lo <= v <= hi; otherwise INVALID_ARGUMENT is recorded with `what`. */
export function argRange(v: i64, lo: i64, hi: i64, what: string): bool {
  if (v >= lo && v <= hi) return true;
  fail(Status.INVALID_ARGUMENT, what);
  return false;
}

/**
 * True when `v` is a whole number of bytes in [0, max] (so not NaN, negative, infinite or
 * fractional); otherwise INVALID_ARGUMENT is recorded with `what`.
 */
export function argByteCount(v: f64, max: f64, what: string): bool {
  if (v >= 0 && v <= max && Math.floor(v) == v) return true;
  fail(Status.INVALID_ARGUMENT, what);
  return false;
}

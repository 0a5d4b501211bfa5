// Byte buffers across the boundary. The host allocates an input buffer (buf_alloc), writes into
// it, passes (ptr, len) to a call and frees it. Calls that produce bytes write them into the
// module-owned result buffer and return the length; the host copies them out before its next call.
//
// Sizes: an input buffer, the input area and the result buffer hold at most MAX_AREA bytes; a
// larger request is refused with NO_MEMORY before anything is allocated. The input area and the
// result buffer grow to fit, but they do not stay large: past TRIM_ABOVE they are sized to the
// request, and the next request that fits in TRIM_ABOVE (or tls_memory_trim) gives the large
// block back, so one large input does not hold memory against the ceiling for good.

import { alloc, release } from "../util/alloc";
import { wipe } from "../util/bytes";
import { Status, fail } from "./status";
import { argMem } from "./args";

/** The largest input buffer, input area or result: 512 MiB. */
const MAX_AREA: usize = 512 << 20;
/** Areas up to this size are kept between calls (rounded up to a power of two); larger ones are not. */
const TRIM_ABOVE: usize = 64 << 10;

/** The capacity to reserve for `len` bytes (len <= MAX_AREA): a power of two up to TRIM_ABOVE, else len. */
function areaCap(len: usize, least: usize): usize {
  if (len > TRIM_ABOVE) return (len + 15) & ~15;
  let cap = least;
  while (cap < len) cap <<= 1; // len <= TRIM_ABOVE: no overflow
  return cap;
}

/** Whether an area of `cap` bytes must be replaced to hold `len`: too small, or large and twice too big. */
// @ts-ignore: decorator
@inline function mustResize(cap: usize, len: usize): bool {
  return len > cap || (cap > TRIM_ABOVE && (len <= TRIM_ABOVE || len < cap >> 1));
}

// The smallest result buffer and input area are static, so that an error message can be read
// and a small input passed even when the ceiling refuses every allocation.
const RESULT_MIN: usize = 256; // the size of RESULT_STATIC
const SCRATCH_MIN: usize = 1024; // the size of SCRATCH_STATIC
const RESULT_STATIC: usize = memory.data(256, 16);
const SCRATCH_STATIC: usize = memory.data(1024, 16);

let resultPtr: usize = RESULT_STATIC;
let resultCap: usize = RESULT_MIN;
let resultLen: usize = 0;

/** Replaces an area of `cap` bytes at `ptr` (wiped) by one for `len`; returns the new address or 0. */
function resize(ptr: usize, cap: usize, len: usize, least: usize, fixed: usize): usize {
  // The old content is not kept: free it first, so the peak is the new size only.
  wipe(ptr, cap);
  if (ptr != fixed) release(ptr, cap);
  const want = areaCap(len, least);
  return want == least ? fixed : alloc(want);
}

/**
 * Makes room for `len` bytes in the result buffer; returns its address, or 0 when `len` is above
 * MAX_AREA or memory is exhausted. The caller records NO_MEMORY with what it was making.
 */
export function resultReserve(len: usize): usize {
  if (len > MAX_AREA) return 0;
  if (mustResize(resultCap, len)) {
    resultPtr = resize(resultPtr, resultCap, len, RESULT_MIN, RESULT_STATIC);
    resultCap = resultPtr ? areaCap(len, RESULT_MIN) : 0;
    if (!resultPtr) {
      // Out of memory: fall back to the static area so result_ptr() stays valid.
      resultPtr = RESULT_STATIC;
      resultCap = RESULT_MIN;
      resultLen = 0;
      return 0;
    }
  }
  resultLen = len;
  return resultPtr;
}

/** Copies `len` bytes from `src` into the result buffer; returns the length or -1 on OOM. */
export function resultSet(src: usize, len: usize): i32 {
  const p = resultReserve(len);
  if (!p && len) return -1;
  if (len) memory.copy(p, src, len);
  return <i32>len;
}

export function resultAddress(): usize {
  return resultPtr;
}
export function resultLength(): usize {
  return resultLen;
}

/** Clears what the last call put in the result buffer (it may be a master key or a decrypted ticket). */
export function resultWipe(): void {
  wipe(resultPtr, resultLen);
  resultLen = 0;
}

// A reusable input area, so hot calls need no allocation: valid until the next scratch call.
let scratchPtr: usize = SCRATCH_STATIC;
let scratchCap: usize = SCRATCH_MIN;

/** The module-owned input area, at least `len` bytes; 0 when out of memory. Wipe it after use. */
export function scratchReserve(len: usize): usize {
  if (len > MAX_AREA) {
    fail(Status.NO_MEMORY, "input area above 512 MiB");
    return 0;
  }
  if (mustResize(scratchCap, len)) {
    scratchPtr = resize(scratchPtr, scratchCap, len, SCRATCH_MIN, SCRATCH_STATIC);
    scratchCap = areaCap(len, SCRATCH_MIN);
    if (!scratchPtr) {
      scratchPtr = SCRATCH_STATIC;
      scratchCap = SCRATCH_MIN;
      fail(Status.NO_MEMORY, "out of memory for the input area");
      return 0;
    }
  }
  return scratchPtr;
}

/** Zeroes the first `len` bytes of the input area. */
export function scratchWipe(len: usize): void {
  wipe(scratchPtr, len < scratchCap ? len : scratchCap);
}

/**
 * Gives back the input area and the result buffer, wiped, down to their static minimum (256 B
 * and 1 KiB). Both move: the host asks for them again. Returns the bytes freed.
 */
export function memoryTrim(): f64 {
  let freed: usize = 0;
  if (resultPtr != RESULT_STATIC) {
    freed += resultCap;
    resize(resultPtr, resultCap, 0, RESULT_MIN, RESULT_STATIC);
    resultPtr = RESULT_STATIC;
    resultCap = RESULT_MIN;
    resultLen = 0;
  }
  if (scratchPtr != SCRATCH_STATIC) {
    freed += scratchCap;
    resize(scratchPtr, scratchCap, 0, SCRATCH_MIN, SCRATCH_STATIC);
    scratchPtr = SCRATCH_STATIC;
    scratchCap = SCRATCH_MIN;
  }
  return <f64>freed;
}

// Host-side input buffers carry a 16-byte header: their size and a check word, so buf_free needs
// only the pointer and refuses one it did not hand out (forged, already freed, misaligned).
const BUF_HEADER: usize = 16;
const BUF_MAGIC: u32 = 0x6275f3a5;

// @ts-ignore: decorator
@inline function bufCheck(ptr: usize, len: usize): u32 {
  return (<u32>ptr * 0x9e3779b1) ^ (<u32>len * 0x85ebca6b) ^ BUF_MAGIC;
}

export function hostBufferAlloc(len: usize): usize {
  if (len > MAX_AREA) {
    fail(Status.NO_MEMORY, "buffer above 512 MiB");
    return 0;
  }
  const p = alloc(len + BUF_HEADER);
  if (!p) {
    fail(Status.NO_MEMORY, "out of memory");
    return 0;
  }
  store<u32>(p, <u32>len);
  store<u32>(p, bufCheck(p + BUF_HEADER, len), 4);
  return p + BUF_HEADER;
}

/** Wipes and frees a host buffer: 0, or INVALID_ARGUMENT for a pointer buf_alloc did not give. */
export function hostBufferFree(ptr: usize): i32 {
  if (!ptr) return 0;
  if (ptr & 15 || ptr < BUF_HEADER || !argMem(ptr - BUF_HEADER, BUF_HEADER))
    return fail(Status.INVALID_ARGUMENT, "not a buffer from buf_alloc");
  const base = ptr - BUF_HEADER;
  const len = <usize>load<u32>(base);
  if (load<u32>(base, 4) != bufCheck(ptr, len) || !argMem(ptr, len))
    return fail(Status.INVALID_ARGUMENT, "not a live buffer from buf_alloc");
  store<u32>(base, 0, 4);
  wipe(ptr, len);
  release(base, len + BUF_HEADER);
  return 0;
}

// Byte buffers across the boundary. The host allocates an input buffer (buf_alloc), writes into
// it, passes (ptr, len) to a call and frees it. Calls that produce bytes write them into the
// module-owned result buffer and return the length; the host copies them out before its next call.

import { alloc, release } from "../util/alloc";
import { wipe } from "../util/bytes";

let resultPtr: usize = 0;
let resultCap: usize = 0;
let resultLen: usize = 0;

/** Makes room for `len` bytes in the result buffer; returns its address or 0 when out of memory. */
export function resultReserve(len: usize): usize {
  if (len > resultCap) {
    let cap = resultCap < 256 ? <usize>256 : resultCap;
    while (cap < len) cap <<= 1;
    const p = alloc(cap);
    if (!p) return 0;
    if (resultPtr) {
      wipe(resultPtr, resultCap);
      release(resultPtr, resultCap);
    }
    resultPtr = p;
    resultCap = cap;
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
  if (resultPtr) wipe(resultPtr, resultLen);
  resultLen = 0;
}

// A reusable input area, so hot calls need no allocation: valid until the next scratch call.
let scratchPtr: usize = 0;
let scratchCap: usize = 0;

/** The module-owned input area, at least `len` bytes; 0 when out of memory. Wipe it after use. */
export function scratchReserve(len: usize): usize {
  if (len > scratchCap) {
    let cap = scratchCap < 1024 ? <usize>1024 : scratchCap;
    while (cap < len) cap <<= 1;
    const p = alloc(cap);
    if (!p) return 0;
    if (scratchPtr) {
      wipe(scratchPtr, scratchCap);
      release(scratchPtr, scratchCap);
    }
    scratchPtr = p;
    scratchCap = cap;
  }
  return scratchPtr;
}

/** Zeroes the first `len` bytes of the input area. */
export function scratchWipe(len: usize): void {
  if (scratchPtr) wipe(scratchPtr, len < scratchCap ? len : scratchCap);
}

/** Host-side input buffers carry their size in a 16-byte header so buf_free needs only the pointer. */
export function hostBufferAlloc(len: usize): usize {
  const p = alloc(len + 16);
  if (!p) return 0;
  store<usize>(p, len);
  return p + 16;
}

export function hostBufferFree(ptr: usize): void {
  if (!ptr) return;
  const base = ptr - 16;
  const len = load<usize>(base);
  wipe(ptr, len);
  release(base, len + 16);
}

// Byte buffers across the boundary. The host allocates an input buffer (buf_alloc), writes into
// it, passes (ptr, len) to a call and frees it. Calls that produce bytes write them into the
// module-owned result buffer and return the length; the host copies them out before its next call.

import { alloc, release } from "../util/alloc";
import { wipe } from "../util/bytes";
import { Status, fail } from "./status";

/** The largest input or result area and the largest host buffer: 1 GiB. */
const MAX_AREA: usize = 1 << 30;

let resultPtr: usize = 0;
let resultCap: usize = 0;
let resultLen: usize = 0;

/** Makes room for `len` bytes in the result buffer; returns its address or 0 when out of memory. */
export function resultReserve(len: usize): usize {
  if (len > MAX_AREA) return 0;
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
  if (len > MAX_AREA) {
    fail(Status.NO_MEMORY, "input area above 1 GiB");
    return 0;
  }
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
    fail(Status.NO_MEMORY, "buffer above 1 GiB");
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
  const size = (<usize>memory.size()) << 16;
  if (ptr & 15 || ptr < BUF_HEADER || ptr > size)
    return fail(Status.INVALID_ARGUMENT, "not a buffer from buf_alloc");
  const base = ptr - BUF_HEADER;
  const len = <usize>load<u32>(base);
  if (load<u32>(base, 4) != bufCheck(ptr, len) || len > size - ptr)
    return fail(Status.INVALID_ARGUMENT, "not a live buffer from buf_alloc");
  store<u32>(base, 0, 4);
  wipe(ptr, len);
  release(base, len + BUF_HEADER);
  return 0;
}

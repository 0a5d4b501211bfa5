// A Blob is a byte string the DER reader stages (a constructed string, a checked certificate)
// before a session copies it into its block (fields.ts): one allocation holding a u32 length and
// the bytes. Pointer 0 is "absent"; a blob of length 0 is present but empty.

import { alloc, release } from "../util/alloc";
import { wipe } from "../util/bytes";

const HEADER: usize = 4;

// @ts-ignore: decorator
@inline export function blobLength(b: usize): u32 {
  return load<u32>(b);
}
// @ts-ignore: decorator
@inline export function blobData(b: usize): usize {
  return b + HEADER;
}

/** A new blob holding a copy of `len` bytes at `src`, or 0 when out of memory. */
export function blobNew(src: usize, len: u32): usize {
  const b = alloc(HEADER + <usize>len);
  if (!b) return 0;
  store<u32>(b, len);
  if (len) memory.copy(b + HEADER, src, len);
  return b;
}

/** Frees a blob, wiping it first (blobs may hold tickets, identities, PSK hints). */
export function blobFree(b: usize): void {
  if (!b) return;
  const size = HEADER + <usize>load<u32>(b);
  wipe(b, size);
  release(b, size);
}

/** Length of the C string a strndup would keep: bytes up to the first NUL. */
export function cstrLength(src: usize, len: u32): u32 {
  for (let i: u32 = 0; i < len; i++) if (load<u8>(src + i) == 0) return i;
  return len;
}

// Raw heap allocation with an accounting of live bytes, so tests can prove memory returns to its
// baseline, and a ceiling so exhaustion becomes a status instead of a trap inside memory.grow.
//
// Every allocation of the module goes through `alloc`, which returns 0 (never traps) when
//   - the block is larger than the allocator can make (MAX_BLOCK),
//   - the ceiling would be crossed (live bytes + table bytes + size > limit), or
//   - linear memory could not grow far enough for it: wasm32 memory ends at 2^16 pages (4 GiB),
//     and the allocator (TLSF) traps when memory.grow fails, so the room it may ask for is
//     checked first, against that end.

import { wipe } from "./bytes";

let liveBytes: usize = 0;
let liveBlocks: usize = 0;
// Bookkeeping that only grows (the handle table): under the ceiling, but not in the live counts,
// so hosts and tests can compare the live counts with a baseline.
let tableBytes: usize = 0;

/** The default ceiling: 512 MiB. The bindings' entries set one that suits their platform. */
const DEFAULT_LIMIT: u64 = (<u64>512) << 20;
/** The highest ceiling: all that wasm32 can address (2^32 bytes). */
export const MAX_LIMIT: u64 = (<u64>1) << 32;
/**
 * The largest single block: the allocator's own maximum is just under 1 GiB (TLSF's
 * BLOCK_MAXSIZE, beyond which it traps); 64 KiB below it leaves room for its rounding.
 */
const MAX_BLOCK: usize = (1 << 30) - (64 << 10);
/** Pages of wasm32 linear memory at most (4 GiB). */
const MAX_PAGES: usize = 1 << 16;

let limitBytes: u64 = DEFAULT_LIMIT;

/**
 * Whether the allocator (AssemblyScript's TLSF, rt/tlsf.ts) holds a free block for `size`
 * bytes, so that it will not grow memory: its own size mapping and bitmap search, read only.
 * The constants are TLSF's for wasm32 (16-byte alignment, 4-bit second level, 4-byte header);
 * the ABI tests that fill memory to 4 GiB fail if they ever stop matching.
 */
function hasFreeBlock(size: usize): bool {
  // TLSF's root sits at the aligned heap base; before its first allocation that memory is zero
  // (no free block), which is the truth.
  const root = (__heap_base + 15) & ~15;
  const payload: usize = size <= 12 ? 12 : ((size + 19) & ~15) - 4; // computeSize
  let fl: usize, sl: u32;
  if (payload < 256) {
    fl = 0;
    sl = <u32>(payload >> 4);
  } else {
    const req = payload < 1 << 29 ? payload + ((<usize>1) << (27 - clz<usize>(payload))) - 1 : payload; // roundSize
    fl = 31 - clz<usize>(req);
    sl = <u32>((req >> (fl - 4)) ^ 16);
    fl -= 7;
  }
  if (load<u32>(root + (fl << 2), 4) & (~0 << sl)) return true; // this first level's second-level map
  return (load<u32>(root) & (~0 << (<u32>fl + 1))) != 0; // any larger first level
}

/**
 * Whether memory.grow could still supply what the allocator may ask for `size` bytes: the size
 * rounded up to its size class (at most 1/16 more), two block headers and alignment, whole pages.
 */
// @ts-ignore: decorator
@inline function growthRoom(size: usize): bool {
  const pages = (size + (size >> 4) + 256 + 0xffff) >> 16;
  return <usize>memory.size() + pages <= MAX_PAGES;
}

/** Allocates `size` bytes (uninitialised), or returns 0 when it cannot (see above). */
export function alloc(size: usize): usize {
  if (size > MAX_BLOCK) return 0;
  if (<u64>liveBytes + <u64>tableBytes + <u64>size > limitBytes) return 0;
  if (!growthRoom(size) && !hasFreeBlock(size)) return 0;
  const p = heap.alloc(size);
  liveBytes += size;
  liveBlocks++;
  return p;
}

/** Allocates a block of the module's own tables (counted by the ceiling, not by the live counts). */
export function allocTable(size: usize): usize {
  const p = alloc(size);
  if (p) {
    liveBytes -= size;
    liveBlocks--;
    tableBytes += size;
  }
  return p;
}

/** Frees a block from allocTable. */
export function releaseTable(ptr: usize, size: usize): void {
  if (!ptr) return;
  heap.free(ptr);
  tableBytes -= size;
}

export function getTableBytes(): usize {
  return tableBytes;
}

/** Allocates `size` zeroed bytes, or 0. */
export function allocZeroed(size: usize): usize {
  const p = alloc(size);
  if (p) memory.fill(p, 0, size);
  return p;
}

/** Frees a block of `size` bytes obtained from `alloc`. Null is a no-op. */
export function release(ptr: usize, size: usize): void {
  if (!ptr) return;
  heap.free(ptr);
  liveBytes -= size;
  liveBlocks--;
}

/**
 * Shrinks a block of `size` bytes from `alloc` to `newSize` (0 < newSize <= size) where it is:
 * TLSF's realloc to a size that fits the block never moves it (it splits off the rest), so this
 * neither fails nor leaves a copy behind. The caller wipes what it gives up first.
 */
export function shrink(ptr: usize, size: usize, newSize: usize): void {
  heap.realloc(ptr, newSize);
  liveBytes -= size - newSize;
}

/** Wipes then frees: for anything that held a secret. */
export function releaseSecret(ptr: usize, size: usize): void {
  if (!ptr) return;
  wipe(ptr, size);
  release(ptr, size);
}

export function getLiveBytes(): usize {
  return liveBytes;
}
export function getLiveBlocks(): usize {
  return liveBlocks;
}

/** Sets the ceiling (0 ..= MAX_LIMIT; the caller checks). Below current use, every allocation fails. */
export function setLimit(bytes: u64): void {
  limitBytes = bytes;
}
export function getLimit(): u64 {
  return limitBytes;
}

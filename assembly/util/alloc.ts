// Raw heap allocation with an accounting of live bytes, so tests can prove memory returns to its
// baseline, and a soft ceiling so exhaustion becomes a status instead of a trap inside memory.grow.

import { wipe } from "./bytes";

let liveBytes: usize = 0;
let liveBlocks: usize = 0;
// Bookkeeping that only grows (the handle table): under the ceiling, but not in the live counts,
// so hosts and tests can compare the live counts with a baseline.
let tableBytes: usize = 0;
// Default ceiling on live allocations: far below the 4 GiB address space, so the allocator's own
// memory.grow never fails first on the hosts we target.
let limitBytes: usize = 512 << 20;

/** Allocates `size` bytes (uninitialised), or returns 0 when the ceiling would be crossed. */
export function alloc(size: usize): usize {
  const used = liveBytes + tableBytes;
  if (used > limitBytes || size > limitBytes - used) return 0;
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
export function setLimit(bytes: usize): void {
  limitBytes = bytes;
}

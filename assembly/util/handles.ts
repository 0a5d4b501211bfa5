// Handles: what the host holds instead of raw pointers. A handle names a slot and carries the
// slot's generation, so a stale (freed), forged or wrong-kind handle is detected, never followed.
// The table sits below every layer: a session gets its handle where it is made (session/refs.ts)
// and loses it with its last reference, wherever that is dropped. abi/handles.ts re-exports it.
//
//   handle = generation (bits 20..30; bit 31 clear) | slot index + 1 (low 20 bits)
//
// A freed handle must not name another object until at least 2^24 further allocations have
// happened, whatever the pattern of frees. Two rules give that bound:
//   * freed slots are reused first in, first out, and only once QUARANTINE allocations have
//     happened since the slot was freed (until then a fresh slot is taken);
//   * a slot's generation advances on each reuse and wraps only after 2^11 reuses.
// So the same handle value comes back after at least 2^11 * 2^13 = 2^24 allocations.

import { allocTable, releaseTable } from "../util/alloc";
import { Status, fail } from "./status";
import { Kind } from "./abi_values";

export { Kind };

const INDEX_BITS: u32 = 20;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
// 11 generation bits: every handle is a positive i32 and fits an ABI status.
const GEN_MASK: u32 = (1 << (31 - INDEX_BITS)) - 1;
/** At most 1,048,575 slots (live objects plus quarantined slots) at once. */
const MAX_SLOTS: u32 = INDEX_MASK;
/** Allocations that must happen before a freed slot is reused: 2^24 / 2^11 generations. */
const QUARANTINE: u32 = 1 << 13;

// Slot layout: ptr (u32) | generation (u16) | kind (u8) | pad (u8) | freedAt (u32) | next (u32).
// Free slots form a FIFO through `next`; freedAt is the allocation count when the slot was freed.
const SLOT_SIZE: usize = 16;

let slots: usize = 0;
let capacity: u32 = 0;
let used: u32 = 0; // slots ever handed out (high-water mark)
let freeHead: u32 = 0; // index + 1 of the oldest free slot, 0 when none
let freeTail: u32 = 0; // index + 1 of the newest free slot
let liveCount: u32 = 0;
let allocations: u32 = 0; // handles issued, modulo 2^32

function grow(): bool {
  // The first block holds one quarantine's worth, so churn alone never grows the table.
  const newCap: u32 = capacity == 0 ? QUARANTINE + 256 : capacity << 1;
  const cap = newCap > MAX_SLOTS ? MAX_SLOTS : newCap;
  if (cap <= capacity) return false;
  const p = allocTable(<usize>cap * SLOT_SIZE);
  if (!p) return false;
  if (slots) {
    memory.copy(p, slots, <usize>capacity * SLOT_SIZE);
    releaseTable(slots, <usize>capacity * SLOT_SIZE);
  }
  memory.fill(p + <usize>capacity * SLOT_SIZE, 0, <usize>(cap - capacity) * SLOT_SIZE);
  slots = p;
  capacity = cap;
  return true;
}

/** Registers `ptr` as an object of `kind`; returns its handle, or 0 when out of memory. */
export function handleNew(ptr: usize, kind: u8): u32 {
  let index: u32;
  let s: usize;
  const head = freeHead;
  const reusable =
    head != 0 && allocations - load<u32>(slots + <usize>(head - 1) * SLOT_SIZE, 8) >= QUARANTINE;
  if (!reusable && (used < capacity || grow())) {
    index = used++;
    s = slots + <usize>index * SLOT_SIZE;
  } else if (reusable) {
    index = head - 1;
    s = slots + <usize>index * SLOT_SIZE;
    freeHead = load<u32>(s, 12);
    if (!freeHead) freeTail = 0;
  } else {
    return 0;
  }
  const gen = (<u32>load<u16>(s, 4) + 1) & GEN_MASK;
  store<u32>(s, <u32>ptr);
  store<u16>(s, <u16>gen, 4);
  store<u8>(s, kind, 6);
  liveCount++;
  allocations++;
  return (gen << INDEX_BITS) | (index + 1);
}

/** The object behind `h` if it is live and of `kind`; otherwise 0 with the error recorded. */
export function handleGet(h: u32, kind: u8): usize {
  const index = (h & INDEX_MASK) - 1;
  if ((h & INDEX_MASK) == 0 || index >= used || h >>> 31) {
    fail(Status.BAD_HANDLE, "invalid handle");
    return 0;
  }
  const s = slots + <usize>index * SLOT_SIZE;
  const k = load<u8>(s, 6);
  if (k == Kind.FREE || <u32>load<u16>(s, 4) != h >>> INDEX_BITS) {
    fail(Status.BAD_HANDLE, "stale or forged handle");
    return 0;
  }
  if (k != kind) {
    fail(Status.WRONG_KIND, "handle names an object of another kind");
    return 0;
  }
  return <usize>load<u32>(s);
}

/** Retires `h`: its slot joins the back of the free queue, so `h` itself never works again. */
export function handleRetire(h: u32): void {
  const index = (h & INDEX_MASK) - 1;
  const s = slots + <usize>index * SLOT_SIZE;
  store<u8>(s, Kind.FREE, 6);
  store<u32>(s, 0);
  store<u32>(s, allocations, 8);
  store<u32>(s, 0, 12);
  if (freeTail) store<u32>(slots + <usize>(freeTail - 1) * SLOT_SIZE, index + 1, 12);
  else freeHead = index + 1;
  freeTail = index + 1;
  liveCount--;
}

export function handleLiveCount(): u32 {
  return liveCount;
}

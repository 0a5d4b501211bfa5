// Handles: what the host holds instead of raw pointers. A handle names a slot and carries the
// slot's generation, so a stale (freed), forged or wrong-kind handle is detected, never followed.
//
//   handle = generation (bits 22..30, never 0; bit 31 clear) | slot index + 1 (low 22 bits)

import { alloc, release } from "../util/alloc";
import { Status, fail } from "./status";

export namespace Kind {
  export const FREE: u8 = 0;
  export const SESSION: u8 = 1;
  export const CACHE: u8 = 2;
  export const CONNECTION: u8 = 3;
  export const TICKET_KEYS: u8 = 4;
}

const INDEX_BITS: u32 = 22;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
// 9 generation bits, so every handle is a positive i32 and fits an ABI status.
const GEN_MASK: u32 = (1 << (31 - INDEX_BITS)) - 1;
/** At most 4,194,303 live objects of all kinds at once. */
const MAX_SLOTS: u32 = INDEX_MASK;

// Slot layout: ptr (u32) | generation (u16) | kind (u8) | pad (u8); free slots chain via ptr.
const SLOT_SIZE: usize = 8;

let slots: usize = 0;
let capacity: u32 = 0;
let used: u32 = 0; // slots ever handed out (high-water mark)
let freeHead: u32 = 0; // index + 1 of the first free slot, 0 when none
let liveCount: u32 = 0;

function grow(): bool {
  const newCap: u32 = capacity == 0 ? 256 : capacity << 1;
  if (newCap > MAX_SLOTS) return false;
  const p = alloc(<usize>newCap * SLOT_SIZE);
  if (!p) return false;
  if (slots) {
    memory.copy(p, slots, <usize>capacity * SLOT_SIZE);
    release(slots, <usize>capacity * SLOT_SIZE);
  }
  memory.fill(p + <usize>capacity * SLOT_SIZE, 0, <usize>(newCap - capacity) * SLOT_SIZE);
  slots = p;
  capacity = newCap;
  return true;
}

/** Registers `ptr` as an object of `kind`; returns its handle, or 0 when out of memory. */
export function handleNew(ptr: usize, kind: u8): u32 {
  let index: u32;
  if (freeHead) {
    index = freeHead - 1;
    freeHead = load<u32>(slots + <usize>index * SLOT_SIZE);
  } else {
    if (used == capacity && !grow()) return 0;
    index = used++;
  }
  const s = slots + <usize>index * SLOT_SIZE;
  let gen = <u32>load<u16>(s, 4);
  gen = (gen + 1) & GEN_MASK;
  if (gen == 0) gen = 1;
  store<u32>(s, <u32>ptr);
  store<u16>(s, <u16>gen, 4);
  store<u8>(s, kind, 6);
  liveCount++;
  return (gen << INDEX_BITS) | (index + 1);
}

/** The object behind `h` if it is live and of `kind`; otherwise 0 with the error recorded. */
export function handleGet(h: u32, kind: u8): usize {
  const index = (h & INDEX_MASK) - 1;
  if ((h & INDEX_MASK) == 0 || index >= used) {
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

/** Retires `h`: its slot is reused later with a new generation, so `h` itself never works again. */
export function handleRetire(h: u32): void {
  const index = (h & INDEX_MASK) - 1;
  const s = slots + <usize>index * SLOT_SIZE;
  store<u8>(s, Kind.FREE, 6);
  store<u32>(s, freeHead);
  freeHead = index + 1;
  liveCount--;
}

export function handleLiveCount(): u32 {
  return liveCount;
}

// The cache's hash table: key (protocol version, session id), keyed SipHash, open addressing
// with linear probing. Each slot holds the key's 32-bit hash beside the session pointer, so a
// probe compares hashes in the slot array and reads a session only when its hash matches: a
// lookup touches one session, a removal none but its own, and no session carries a link for
// the table. Each session keeps its hash (Session.hashValue), so a removal does not rehash.
// Deletion shifts the following run back (no tombstones), so probe lengths depend on the load
// alone. The table doubles past a load of 3/4 and never shrinks below its size.

import { Cache } from "./context";
import { Session } from "../session/session";
import { hashKey } from "./keyed_hash";
import { alloc, release } from "../util/alloc";

const INITIAL_SLOTS: u32 = 64;
/** Slot layout: hash (u32) | session (u32); session 0 = empty. */
const SLOT: usize = 8;

// @ts-ignore: decorator
@inline function slotAt(c: Cache, i: u32): usize {
  return c.buckets + <usize>i * SLOT;
}

export function tableInit(c: Cache): bool {
  c.buckets = alloc(<usize>INITIAL_SLOTS * SLOT);
  if (!c.buckets) return false;
  memory.fill(c.buckets, 0, <usize>INITIAL_SLOTS * SLOT);
  c.bucketMask = INITIAL_SLOTS - 1;
  return true;
}

export function tableFree(c: Cache): void {
  release(c.buckets, (<usize>c.bucketMask + 1) * SLOT);
  c.buckets = 0;
}

/** The hash of key (version, id) in this cache. */
// @ts-ignore: decorator
@inline export function keyHash(c: Cache, version: i32, id: usize, len: u32): u32 {
  return hashKey(c.hashKey0, c.hashKey1, version, id, len);
}

// @ts-ignore: decorator
@inline function sessionHash(c: Cache, s: Session): u32 {
  return hashKey(c.hashKey0, c.hashKey1, s.sslVersion, s.sessionIdPtr, s.sessionIdLength);
}

/** The cached session with key (version, id), or null. */
export function tableFind(c: Cache, version: i32, id: usize, len: u32): Session | null {
  return tableFindHashed(c, keyHash(c, version, id, len), version, id, len);
}

/** tableFind with the key's hash already computed. */
export function tableFindHashed(c: Cache, h: u32, version: i32, id: usize, len: u32): Session | null {
  const mask = c.bucketMask;
  let i = h & mask;
  let slot = slotAt(c, i);
  let p = load<u32>(slot, 4);
  while (p) {
    if (load<u32>(slot) == h) {
      const s = changetype<Session>(<usize>p);
      if (s.sslVersion == version && s.sessionIdLength == len && memory.compare(s.sessionIdPtr, id, len) == 0)
        return s;
    }
    i = (i + 1) & mask;
    slot = slotAt(c, i);
    p = load<u32>(slot, 4);
  }
  return null;
}

/** Puts (h, p) in the first empty slot of its probe sequence. */
// @ts-ignore: decorator
@inline function place(base: usize, mask: u32, h: u32, p: u32): void {
  let i = h & mask;
  while (load<u32>(base + <usize>i * SLOT, 4)) i = (i + 1) & mask;
  const slot = base + <usize>i * SLOT;
  store<u32>(slot, h);
  store<u32>(slot, p, 4);
}

function grow(c: Cache): void {
  const oldCount = <usize>c.bucketMask + 1;
  const newCount = oldCount << 1;
  const nb = alloc(newCount * SLOT);
  if (!nb) return; // stay at the current size: probes get longer, nothing breaks while a slot is free
  memory.fill(nb, 0, newCount * SLOT);
  const newMask = <u32>newCount - 1;
  for (let i: usize = 0; i < oldCount; i++) {
    const slot = c.buckets + i * SLOT;
    const p = load<u32>(slot, 4);
    if (p) place(nb, newMask, load<u32>(slot), p);
  }
  release(c.buckets, oldCount * SLOT);
  c.buckets = nb;
  c.bucketMask = newMask;
}

/**
 * Whether the table can take one more entry: it grows past a load of 3/4, and when it cannot
 * grow (memory exhausted) it still takes entries until one slot is left, so probes end.
 */
export function tableHasRoom(c: Cache): bool {
  const slots = c.bucketMask + 1;
  if (c.count + 1 > slots - (slots >> 2)) grow(c);
  return c.count + 1 < c.bucketMask + 1;
}

/** Links `s` (whose key is not in the table) in. The caller checked tableHasRoom. */
export function tableInsert(c: Cache, s: Session): void {
  tableInsertHashed(c, s, sessionHash(c, s));
}

/** tableInsert with s's hash already computed. */
export function tableInsertHashed(c: Cache, s: Session, h: u32): void {
  s.hashValue = h;
  place(c.buckets, c.bucketMask, h, <u32>changetype<usize>(s));
  c.count++;
}

/** Unlinks `s`, which must be in the table under its current key. */
export function tableDelete(c: Cache, s: Session): void {
  const mask = c.bucketMask;
  const p = <u32>changetype<usize>(s);
  let i = s.hashValue & mask;
  while (load<u32>(slotAt(c, i), 4) != p) i = (i + 1) & mask;
  // Backward shift: move later entries of the run into the hole when their home allows it.
  let j = i;
  for (;;) {
    j = (j + 1) & mask;
    const from = slotAt(c, j);
    const q = load<u32>(from, 4);
    if (!q) break;
    const home = load<u32>(from) & mask;
    // The entry at j stays when its home lies cyclically in (i, j].
    if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
    store<u64>(slotAt(c, i), load<u64>(from));
    i = j;
  }
  store<u64>(slotAt(c, i), 0);
  c.count--;
}

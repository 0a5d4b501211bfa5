// The cache's hash table: key (protocol version, session id), keyed SipHash, chaining through
// Session.hashNext. It doubles when the load passes 1 and never shrinks below its size.

import { Cache } from "./context";
import { Session } from "../session/session";
import { hashKey } from "./keyed_hash";
import { alloc, release } from "../util/alloc";

const INITIAL_BUCKETS: u32 = 64;

export function tableInit(c: Cache): bool {
  c.buckets = alloc((<usize>INITIAL_BUCKETS) << alignof<usize>());
  if (!c.buckets) return false;
  memory.fill(c.buckets, 0, (<usize>INITIAL_BUCKETS) << alignof<usize>());
  c.bucketMask = INITIAL_BUCKETS - 1;
  return true;
}

export function tableFree(c: Cache): void {
  release(c.buckets, (<usize>c.bucketMask + 1) << alignof<usize>());
  c.buckets = 0;
}

// @ts-ignore: decorator
@inline function bucket(c: Cache, h: u32): usize {
  return c.buckets + ((<usize>(h & c.bucketMask)) << alignof<usize>());
}

// @ts-ignore: decorator
@inline function sessionHash(c: Cache, s: Session): u32 {
  return hashKey(c.hashKey0, c.hashKey1, s.sslVersion, s.sessionIdPtr, s.sessionIdLength);
}

/** The hash of key (version, id) in this cache. */
// @ts-ignore: decorator
@inline export function keyHash(c: Cache, version: i32, id: usize, len: u32): u32 {
  return hashKey(c.hashKey0, c.hashKey1, version, id, len);
}

/** The cached session with key (version, id), or null. */
export function tableFind(c: Cache, version: i32, id: usize, len: u32): Session | null {
  return tableFindHashed(c, keyHash(c, version, id, len), version, id, len);
}

/** tableFind with the key's hash already computed. */
export function tableFindHashed(c: Cache, h: u32, version: i32, id: usize, len: u32): Session | null {
  let s = load<Session | null>(bucket(c, h));
  while (s) {
    if (
      s.hashValue == h &&
      s.sslVersion == version &&
      s.sessionIdLength == len &&
      memory.compare(s.sessionIdPtr, id, len) == 0
    )
      return s;
    s = s.hashNext;
  }
  return null;
}

function grow(c: Cache): void {
  const oldCount = <usize>c.bucketMask + 1;
  const newCount = oldCount << 1;
  const nb = alloc(newCount << alignof<usize>());
  if (!nb) return; // stay at the current size: chains get longer, nothing breaks
  memory.fill(nb, 0, newCount << alignof<usize>());
  const newMask = <u32>newCount - 1;
  for (let i: usize = 0; i < oldCount; i++) {
    let s = load<Session | null>(c.buckets + (i << alignof<usize>()));
    while (s) {
      const next = s.hashNext;
      const slot = nb + ((<usize>(s.hashValue & newMask)) << alignof<usize>());
      s.hashNext = load<Session | null>(slot);
      store<Session>(slot, s);
      s = next;
    }
  }
  release(c.buckets, oldCount << alignof<usize>());
  c.buckets = nb;
  c.bucketMask = newMask;
}

/** Links `s` (whose key is not in the table) in. */
export function tableInsert(c: Cache, s: Session): void {
  tableInsertHashed(c, s, sessionHash(c, s));
}

/** tableInsert with s's hash already computed. */
export function tableInsertHashed(c: Cache, s: Session, h: u32): void {
  if (c.count > c.bucketMask) grow(c);
  s.hashValue = h;
  const slot = bucket(c, s.hashValue);
  s.hashNext = load<Session | null>(slot);
  store<Session>(slot, s);
  c.count++;
}

/** Unlinks `s`, which must be in the table. */
export function tableDelete(c: Cache, s: Session): void {
  let slot = bucket(c, s.hashValue);
  // `slot` is the address of whichever link points at the entry: a bucket or a hashNext field.
  while (load<Session>(slot) !== s)
    slot = changetype<usize>(load<Session>(slot)) + offsetof<Session>("hashNext");
  store<Session | null>(slot, s.hashNext);
  s.hashNext = null;
  c.count--;
}

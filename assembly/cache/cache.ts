// The SSL_CTX session cache (ssl/ssl_sess.c): add, remove, flush, eviction, and re-sorting
// when a cached session's time or timeout changes. Return values and counters are OpenSSL
// 3.0's; reference drops and callbacks go through the event queue (events.ts), so they happen
// after the cache is consistent, in OpenSSL's order.

import { Cache, CACHE_SIZE, Mode, Stat, statInc, DEFAULT_CACHE_SIZE, DEFAULT_CTX_TIMEOUT } from "./context";
import {
  tableInit,
  tableFree,
  tableFind,
  tableFindHashed,
  tableInsert,
  tableInsertHashed,
  tableDelete,
  tableHasRoom,
  keyHash,
} from "./table";
import { listAdd, listRemove, listUnlink, listLink } from "./list";
import {
  pushEvent,
  settleEvents,
  eventsFree,
  EVENT_REMOVE,
  EVENT_RELEASE,
  REASON_REMOVED,
  REASON_EVICTED,
  REASON_FLUSHED,
} from "./events";
import { Session } from "../session/session";
import { sessionRelease } from "../session/refs";
import { setOwnerHooks } from "../session/owner";
import { budgetHooks, budgetAdmits, budgetCharge, budgetUncharge, budgetOver } from "./budget";
import { alloc, release } from "../util/alloc";
import { randomBytes, nowSeconds } from "../env";

/** Before a cached session's time or timeout changes: out of the expiry list (not the cache). */
function unsort(s: Session): void {
  listUnlink(changetype<Cache>(s.owner), s);
}

/** After the change: back into the list at its new place. */
function resort(s: Session): void {
  listLink(changetype<Cache>(s.owner), s);
}

function unfile(s: Session): void {
  tableDelete(changetype<Cache>(s.owner), s);
}

/**
 * A cached session got a new id or version (OpenSSL leaves its hash table stale then; we file
 * it under the new key). Another entry with that key is released, as a replacing add does.
 */
function refile(s: Session): void {
  const c = changetype<Cache>(s.owner);
  const other = tableFind(c, s.sslVersion, s.sessionIdPtr, s.sessionIdLength);
  if (other) unlink(c, other);
  tableInsert(c, s);
  // Consistent again: the replaced entry can go now (no cache operation is under way).
  if (other) sessionRelease(other);
}

/** A new cache with OpenSSL's defaults (mode SERVER, size 20480, timeout 7200), or null. */
export function cacheNew(): Cache | null {
  setOwnerHooks(unsort, resort, unfile, refile);
  budgetHooks();
  const p = alloc(CACHE_SIZE);
  if (!p) return null;
  memory.fill(p, 0, CACHE_SIZE);
  const c = changetype<Cache>(p);
  if (!tableInit(c)) {
    release(p, CACHE_SIZE);
    return null;
  }
  const key = memory.data(16);
  if (!randomBytes(key, 16)) {
    tableFree(c);
    release(p, CACHE_SIZE);
    return null;
  }
  c.hashKey0 = load<u64>(key);
  c.hashKey1 = load<u64>(key, 8);
  memory.fill(key, 0, 16);
  c.mode = Mode.SERVER;
  c.cacheSize = DEFAULT_CACHE_SIZE;
  c.timeout = DEFAULT_CTX_TIMEOUT;
  return c;
}

/** Unlinks `s` from table and list and marks nothing: the caller decides. */
function unlink(c: Cache, s: Session): void {
  budgetUncharge(c, s);
  tableDelete(c, s);
  listRemove(c, s);
}

/**
 * remove_session_lock: removes the entry with c's key (if any), marks `s` not resumable, fires
 * remove_cb for `s`, then releases the removed entry. Ids of length 0 are never removed.
 */
function removeSession(c: Cache, s: Session, reason: u32): i32 {
  if (s.sessionIdLength == 0) return 0;
  // A session cached here is filed under its stored hash; any other is looked up by its key.
  const r: Session | null =
    s.owner == changetype<usize>(c) ? s : tableFind(c, s.sslVersion, s.sessionIdPtr, s.sessionIdLength);
  if (r) unlink(c, r);
  s.notResumable = 1;
  pushEvent(c, EVENT_REMOVE | i32(reason << 8), s);
  if (r) {
    pushEvent(c, EVENT_RELEASE, r);
    return 1;
  }
  return 0;
}

/**
 * Evicts the earliest-expiring session. Unlike OpenSSL, a tail with an empty id is evicted too
 * (without remove_cb, which OpenSSL never fires for empty ids), so it cannot wedge the cache
 * (CVE-2024-2511). Returns false when there is nothing to evict.
 */
function evictTail(c: Cache): bool {
  const t = c.tail;
  if (!t) return false;
  if (t.sessionIdLength == 0) {
    unlink(c, t);
    t.notResumable = 1;
    pushEvent(c, EVENT_RELEASE, t);
    return true;
  }
  return removeSession(c, t, REASON_EVICTED) == 1;
}

/**
 * SSL_CTX_add_session: 1 for a new entry, 0 when this very object was already cached (and for
 * a session cached in another context, which OpenSSL 3.0 would corrupt itself on). A different
 * object with the same key is replaced without a callback.
 */
export function cacheAdd(c: Cache, s: Session): i32 {
  if (s.owner && s.owner != changetype<usize>(c)) return 0;
  let isNew = true;
  if (s.owner == changetype<usize>(c)) {
    isNew = false; // this very object is cached (always under its current key)
  } else {
    // A session larger than the whole byte budget is not cached (it would flush everything).
    if (!budgetAdmits(c, s)) return 0;
    const h = keyHash(c, s.sslVersion, s.sessionIdPtr, s.sessionIdLength);
    const existing = tableFindHashed(c, h, s.sslVersion, s.sessionIdPtr, s.sessionIdLength);
    if (existing) {
      unlink(c, existing);
      pushEvent(c, EVENT_RELEASE, existing);
    } else if (!tableHasRoom(c)) {
      return 0; // the table is full and cannot grow (memory exhausted): not cached
    }
    tableInsertHashed(c, s, h);
    budgetCharge(c, s);
    s.refs++;
  }
  // A cached session leaves the expiry list before its expiry changes (list.ts indexes it).
  const retime = (c.mode & Mode.UPDATE_TIME) != 0;
  if (retime && !isNew) listUnlink(c, s);
  if (retime) s.time = nowSeconds();
  if (isNew && c.cacheSize > 0) {
    while (<i64>c.count >= c.cacheSize) {
      // The new session is in the table but not yet in the list, so it is never the tail.
      if (!evictTail(c)) break;
      statInc(c, Stat.CACHE_FULL);
    }
  }
  // The byte budget evicts the same way, from the tail, until the sessions fit (budget.ts).
  while (isNew && budgetOver(c)) {
    if (!evictTail(c)) break;
    statInc(c, Stat.CACHE_FULL);
  }
  if (retime && !isNew) listLink(c, s);
  else listAdd(c, s);
  return isNew ? 1 : 0;
}

/** SSL_CTX_remove_session: 1 if an entry with s's key was removed; s is marked either way. */
export function cacheRemove(c: Cache, s: Session, reason: u32 = REASON_REMOVED): i32 {
  return removeSession(c, s, reason);
}

/**
 * SSL_CTX_flush_sessions(t): from the tail, removes every session that expired before t
 * (all of them when t == 0); O(expired). Callbacks first, then the releases, as OpenSSL does.
 */
export function cacheFlush(c: Cache, t: i64): void {
  // Collect in order through the queue: REMOVE for each, then the RELEASEs.
  let first: Session | null = null;
  let s = c.tail;
  while (s) {
    if (t != 0 && (s.timeoutOverflow || !(t > s.calcTimeout))) break;
    unlink(c, s);
    s.notResumable = 1;
    pushEvent(c, EVENT_REMOVE | i32(REASON_FLUSHED << 8), s);
    // Chain the flushed sessions through `next` (unlinked, so free now) to release them afterwards.
    s.next = first;
    first = s;
    s = c.tail;
  }
  // The chain is newest-first; release oldest-first (the order they were flushed).
  let rev: Session | null = null;
  while (first) {
    const next = first.next;
    first.next = rev;
    rev = first;
    first = next;
  }
  while (rev) {
    const next = rev.next;
    rev.next = null;
    pushEvent(c, EVENT_RELEASE, rev);
    rev = next;
  }
}

/** SSL_CTX_free's part: flush everything, settle every event, free the cache. */
export function cacheFree(c: Cache): void {
  cacheFlush(c, 0);
  settleEvents(c);
  eventsFree(c);
  tableFree(c);
  release(changetype<usize>(c), CACHE_SIZE);
}

/** SSL_has_matching_session_id: len > 32 -> 0; else whether (version, id) is cached. */
export function cacheHas(c: Cache, version: i32, id: usize, len: u32): i32 {
  if (len > 32) return 0;
  return tableFind(c, version, id, len) !== null ? 1 : 0;
}

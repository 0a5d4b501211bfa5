// The SSL_CTX fields that belong to the session cache: the keyed hash table, the expiry-ordered
// list, the mode, limits, statistics and the queue of events for the host.

import { Session } from "../session/session";
import { CacheMode as Mode, CacheStat as Stat } from "../util/abi_values";

/** SSL_SESSION_CACHE_MAX_SIZE_DEFAULT. */
export const DEFAULT_CACHE_SIZE: i64 = 1024 * 20;
/** The TLS method's get_timeout(): 7200 s (the manual's 300 s is wrong for 3.0). */
export const DEFAULT_CTX_TIMEOUT: i64 = 7200;

/** Mode bits, and the statistics in the order of the SSL_CTX_sess_* functions (tls_ctx_stat ids). */
export { Mode, Stat };

@unmanaged
export class Cache {
  handle: u32;
  /**
   * SSL_CTX_up_ref / SSL_CTX_free: the host's references plus one per connection made from this
   * cache, so the cache outlives its last connection whatever order the host frees them in.
   */
  refs: u32;
  // Hash table (table.ts): 2^n slots of (hash, session), open addressing.
  buckets: usize;
  bucketMask: u32;
  count: u32;
  hashKey0: u64;
  hashKey1: u64;
  // Expiry list (list.ts): head = latest expiry, tail = earliest.
  head: Session | null;
  tail: Session | null;
  /** The root of the list's index of runs of equal expiry (list.ts). */
  root: Session | null;
  mode: u32;
  /** SSL_CTX_sess_set_cache_size; 0 = unlimited. */
  cacheSize: i64;
  /** SSL_CTX_set_timeout; 0 = the method default at session creation. */
  timeout: i64;
  // Events for the host (events.ts): a ring of (kind, session) pairs.
  events: usize;
  eventCap: u32;
  eventHead: u32;
  eventLen: u32;
  /** The session whose REMOVE event was last handed out; the queue's reference is dropped next. */
  eventHeld: usize;
  /** Whether the host wants remove callbacks (otherwise events are settled internally). */
  removeCallback: bool;
  newCallback: bool;
  /** Hand out RELEASE events too (for tracing hosts such as cache-sim). */
  reportReleases: bool;
  /** The handle of the session the last RELEASE event dropped a reference to. */
  eventReleased: u32;

  /** SSL_CTX_set_session_id_context: copied into each connection made from this context. */
  sidCtxLength: u32;
  sidCtx0: u64;
  sidCtx1: u64;
  sidCtx2: u64;
  sidCtx3: u64;
  // Counters (Stat ids 1..11; NUMBER is `count`).
  stats0: u64;
  stats1: u64;
  stats2: u64;
  stats3: u64;
  stats4: u64;
  stats5: u64;
  stats6: u64;
  stats7: u64;
  stats8: u64;
  stats9: u64;
  stats10: u64;
  stats11: u64;

  @inline get sidCtxPtr(): usize {
    return changetype<usize>(this) + offsetof<Cache>("sidCtx0");
  }
  @inline statAddr(id: i32): usize {
    return changetype<usize>(this) + offsetof<Cache>("stats0") + ((<usize>id) << 3);
  }
}

export const CACHE_SIZE: usize = offsetof<Cache>();

// @ts-ignore: decorator
@inline export function statInc(c: Cache, id: i32): void {
  const a = c.statAddr(id);
  store<u64>(a, load<u64>(a) + 1);
}

// @ts-ignore: decorator
@inline export function statGet(c: Cache, id: i32): u64 {
  return id == Stat.NUMBER ? <u64>c.count : load<u64>(c.statAddr(id));
}

/** The most references a cache takes (a host bug, not a real count, past this). */
export const CACHE_MAX_REFS: u32 = 0x7fffffff;

/** Drops one reference; true when it was the last one and the caller must free the cache. */
export function cacheUnref(c: Cache): bool {
  return --c.refs == 0;
}

// The ABI of the session cache: OpenSSL's SSL_CTX_* names over a cache handle.
//
// Callbacks: with remove callbacks off (the default) every event is settled before a call
// returns. With them on (tls_ctx_set_callbacks), the host drains SSL_CTX_next_event after each
// call: each returned event names a session (tls_ctx_event_session) that stays valid until the
// next SSL_CTX_next_event; the cache's own reference drops happen in between, in OpenSSL's order.

import { handleNew, Kind } from "./handles";
import { cacheDestroy } from "./lifetimes";
import { argStatus, argRange, I64_FAULT, argObject, argMem } from "./args";
import { Status, fail } from "./status";
import { Session } from "../session/session";
import { Cache, Stat, statGet, statInc, cacheUnref, CACHE_MAX_REFS } from "../cache/context";
import { cacheNew, cacheFree, cacheAdd, cacheRemove, cacheFlush, cacheHas } from "../cache/cache";
import { tableFind } from "../cache/table";
import { nextEvent, settleEvents } from "../cache/events";

// @ts-ignore: decorator
@inline function cache(h: u32): Cache | null {
  const p = argObject(h, Kind.CACHE);
  return p ? changetype<Cache>(p) : null;
}

// @ts-ignore: decorator
@inline function session(h: u32): Session | null {
  const p = argObject(h, Kind.SESSION);
  return p ? changetype<Session>(p) : null;
}

/** Settles pending events unless the host drains them itself. */
// @ts-ignore: decorator
@inline function done(c: Cache, r: i32): i32 {
  if (!c.removeCallback) settleEvents(c);
  return r;
}

export function SSL_CTX_new(): i32 {
  const c = cacheNew();
  if (!c) return fail(Status.NO_MEMORY, "out of memory or randomness");
  const h = handleNew(changetype<usize>(c), Kind.CACHE);
  if (!h) {
    cacheFree(c);
    return fail(Status.NO_MEMORY, "out of handles");
  }
  c.handle = h;
  c.refs = 1;
  return <i32>h;
}

/** SSL_CTX_up_ref: one more reference for the host; 1. */
export function SSL_CTX_up_ref(h: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  if (c.refs >= CACHE_MAX_REFS) return fail(Status.BAD_STATE, "cache reference count overflow");
  c.refs++;
  return 1;
}

/** The cache's reference count: the host's references plus one per live connection. */
export function tls_ctx_references(h: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  return <i32>c.refs;
}

/**
 * SSL_CTX_free: drops one reference and returns how many remain. The last one flushes every
 * session (remove events are settled, not delivered) and frees the cache; while connections
 * made from it live, it stays, as in OpenSSL.
 */
export function SSL_CTX_free(h: u32): i32 {
  if (h == 0) return 0;
  const c = cache(h);
  if (!c) return argStatus();
  if (!cacheUnref(c)) return <i32>c.refs;
  cacheDestroy(c);
  return 0;
}

export function SSL_CTX_add_session(h: u32, sh: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  const s = session(sh);
  if (!s) return argStatus();
  return done(c, cacheAdd(c, s));
}

export function SSL_CTX_remove_session(h: u32, sh: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  if (sh == 0) return 0;
  const s = session(sh);
  if (!s) return argStatus();
  return done(c, cacheRemove(c, s));
}

export function SSL_CTX_flush_sessions(h: u32, t: i64): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  cacheFlush(c, t);
  return done(c, 0);
}

/** SSL_CTX_sess_set_cache_size: the previous size; a negative size is refused with 0. */
export function SSL_CTX_sess_set_cache_size(h: u32, n: i64): i64 {
  const c = cache(h);
  if (!c) return I64_FAULT;
  if (n < 0) return 0;
  const prev = c.cacheSize;
  c.cacheSize = n;
  return prev;
}

export function SSL_CTX_sess_get_cache_size(h: u32): i64 {
  const c = cache(h);
  if (!c) return I64_FAULT;
  return c.cacheSize;
}

/** SSL_CTX_set_session_cache_mode: the previous mode. */
export function SSL_CTX_set_session_cache_mode(h: u32, mode: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  const prev = c.mode;
  c.mode = mode;
  return <i32>prev;
}

export function SSL_CTX_get_session_cache_mode(h: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  return <i32>c.mode;
}

/** SSL_CTX_set_timeout: the previous timeout; no validation, as in OpenSSL. */
export function SSL_CTX_set_timeout(h: u32, t: i64): i64 {
  const c = cache(h);
  if (!c) return I64_FAULT;
  const prev = c.timeout;
  c.timeout = t;
  return prev;
}

export function SSL_CTX_get_timeout(h: u32): i64 {
  const c = cache(h);
  if (!c) return I64_FAULT;
  return c.timeout;
}

/** The SSL_CTX_sess_* counters by id (0 number, 1 connect, ... 11 cache_full; see context.ts). */
export function tls_ctx_stat(h: u32, id: i32): i64 {
  const c = cache(h);
  if (!c) return I64_FAULT;
  if (!argRange(id, 0, Stat.COUNT - 1, "unknown statistic")) return I64_FAULT;
  return <i64>statGet(c, id);
}

export function SSL_CTX_sess_number(h: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  return <i32>c.count;
}

/** SSL_has_matching_session_id for a connection of protocol `version`. */
export function SSL_has_matching_session_id(h: u32, version: i32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const c = cache(h);
  if (!c) return argStatus();
  return cacheHas(c, version, ptr, len);
}

/**
 * The cached session with key (version, id), with one reference for the caller, or ABSENT.
 * A plain lookup: no statistics, no expiry check (the resumption layer adds those).
 */
export function tls_ctx_get_session(h: u32, version: i32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const c = cache(h);
  if (!c) return argStatus();
  if (len > 32) return Status.ABSENT;
  const p = tableFind(c, version, ptr, len);
  if (!p) return Status.ABSENT;
  const s = changetype<Session>(p);
  s.refs++;
  return <i32>s.handle;
}

/**
 * Which events the host drains: bit 0 remove, bit 1 new; bit 3 also reports reference drops.
 * (An external get callback needs no flag: the host asks its store and calls tls_resume_external.)
 */
export function tls_ctx_set_callbacks(h: u32, flags: i32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  c.removeCallback = (flags & 1) != 0;
  c.newCallback = (flags & 2) != 0;
  c.reportReleases = (flags & 8) != 0 && c.removeCallback;
  if (!c.removeCallback) settleEvents(c);
  return 1;
}

/** The next event (kind | reason << 8; 0 when none). Its session: tls_ctx_event_session. */
export function SSL_CTX_next_event(h: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  c.eventReleased = 0;
  return nextEvent(c);
}

/** The session of the last event; for a RELEASE, the (possibly now dead) handle it named. */
export function tls_ctx_event_session(h: u32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  if (!c.eventHeld) return c.eventReleased ? <i32>c.eventReleased : Status.ABSENT;
  return <i32>changetype<Session>(c.eventHeld).handle;
}

// --- resumption (assembly/ssl/resume.ts) ----------------------------------------------------

import { resumeLookup, resumeExternal, lastRefusal } from "../ssl/resume";

/**
 * The server's lookup of a ClientHello session id: returns a session handle (+1 for the caller)
 * or ABSENT, with tls_resume_refusal() saying why. flags: 1 VERIFY_PEER, 2 client offers EMS.
 * `sidctx` is the server connection's session id context.
 */
export function tls_resume_lookup(
  h: u32,
  version: i32,
  id: usize,
  idLen: u32,
  sidCtx: usize,
  sidCtxLen: u32,
  flags: i32,
): i32 {
  if (!argMem(id, <usize>idLen) || !argMem(sidCtx, <usize>sidCtxLen)) return argStatus();
  const c = cache(h);
  if (!c) return argStatus();
  if (sidCtxLen > 32) return fail(Status.INVALID_ARGUMENT, "sid_ctx longer than 32 bytes");
  const s = resumeLookup(c, version, id, idLen, sidCtx, sidCtxLen, flags);
  return done(c, s ? <i32>changetype<Session>(s).handle : Status.ABSENT);
}

/** The same checks for a session from the host's external store; the host's reference passes in. */
export function tls_resume_external(
  h: u32,
  sh: u32,
  version: i32,
  sidCtx: usize,
  sidCtxLen: u32,
  flags: i32,
): i32 {
  if (!argMem(sidCtx, <usize>sidCtxLen)) return argStatus();
  const c = cache(h);
  if (!c) return argStatus();
  const s = session(sh);
  if (!s) return argStatus();
  if (sidCtxLen > 32) return fail(Status.INVALID_ARGUMENT, "sid_ctx longer than 32 bytes");
  const r = resumeExternal(c, s, version, sidCtx, sidCtxLen, flags);
  return done(c, r ? <i32>changetype<Session>(r).handle : Status.ABSENT);
}

/** Why the last lookup refused (see ssl/resume.ts Refusal), 0 after a success. */
export function tls_resume_refusal(): i32 {
  return lastRefusal;
}

/**
 * Counts a handshake in the statistics (1 connect, 4 accept, ... by Stat id). A completed one
 * (2 connect_good, 5 accept_good) first applies OpenSSL's auto-flush rule (ssl/handshake.ts).
 */
export function tls_ctx_count(h: u32, id: i32): i32 {
  const c = cache(h);
  if (!c) return argStatus();
  if (id < 1 || id >= Stat.COUNT) return fail(Status.INVALID_ARGUMENT, "unknown statistic");
  if (id == Stat.CONNECT_GOOD || id == Stat.ACCEPT_GOOD) countGoodHandshake(c, id == Stat.ACCEPT_GOOD);
  else statInc(c, id);
  return done(c, 1);
}

import { countGoodHandshake } from "../ssl/handshake";

// The ABI of connections (SSL objects): OpenSSL's SSL_* session calls over a connection handle,
// plus the handshake hooks of ssl/handshake.ts for a TLS stack driving this module.

import { handleNew, handleRetire, Kind } from "./handles";
import { argStatus, I64_FAULT, argObject, argMem } from "./args";
import { Status, fail } from "./status";
import { Session } from "../session/session";
import { sessionRelease } from "../session/refs";
import { Cache, CACHE_MAX_REFS } from "../cache/context";
import { cacheDestroy } from "./lifetimes";
import { settleEvents } from "../cache/events";
import { cacheHas } from "../cache/cache";
import {
  Connection,
  connNew,
  connFree,
  connClear,
  setSession,
  copySessionId,
  connSetSidCtx,
  connFatalAlert,
} from "../ssl/conn";
import { handshakeStart, newSession, newSessionWithId, resumeWith, handshakeDone } from "../ssl/handshake";
import { resumeLookup, lastRefusal } from "../ssl/resume";

// @ts-ignore: decorator
@inline function conn(h: u32): Connection | null {
  const p = argObject(h, Kind.CONNECTION);
  return p ? changetype<Connection>(p) : null;
}

// @ts-ignore: decorator
@inline function session(h: u32): Session | null {
  const p = argObject(h, Kind.SESSION);
  return p ? changetype<Session>(p) : null;
}

// @ts-ignore: decorator
@inline function settle(s: Connection, r: i32): i32 {
  const c = s.ctx;
  if (!c.removeCallback) settleEvents(c);
  return r;
}

/** SSL_new on the cache `ctx`: isServer 1 for a server connection. It holds a cache reference. */
export function SSL_new(ctxHandle: u32, isServer: i32): i32 {
  const cp = argObject(ctxHandle, Kind.CACHE);
  if (!cp) return argStatus();
  const c = changetype<Cache>(cp);
  if (c.refs >= CACHE_MAX_REFS) return fail(Status.BAD_STATE, "cache reference count overflow");
  const s = connNew(c, isServer != 0);
  if (!s) return fail(Status.NO_MEMORY, "out of memory");
  const h = handleNew(changetype<usize>(s), Kind.CONNECTION);
  if (!h) {
    connFree(s);
    return fail(Status.NO_MEMORY, "out of handles");
  }
  s.handle = h;
  return <i32>h;
}

export function SSL_free(h: u32): i32 {
  if (h == 0) return 0;
  const s = conn(h);
  if (!s) return argStatus();
  const c = s.ctx;
  handleRetire(h);
  if (connFree(s)) {
    // The connection held the last reference: the host freed the cache before it.
    cacheDestroy(c);
  } else if (!c.removeCallback) settleEvents(c);
  return 0;
}

/** SSL_set_session (sh = 0 drops the current one). */
export function SSL_set_session(h: u32, sh: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  let sess: Session | null = null;
  if (sh) {
    sess = session(sh);
    if (!sess) return argStatus();
  }
  const r = setSession(s, sess);
  s.offered = sess != null;
  return settle(s, r);
}

/** SSL_get0_session: the handle without a reference, or ABSENT. */
export function SSL_get0_session(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  const sess = s.session;
  return sess ? <i32>sess.handle : Status.ABSENT;
}

/** SSL_get_session: the same as SSL_get0_session (no reference for the caller), or ABSENT. */
export function SSL_get_session(h: u32): i32 {
  return SSL_get0_session(h);
}

/**
 * A fatal alert was sent or received on the connection: its session leaves the cache and is
 * marked not resumable (if it has an id), as libssl does in ssl3_send_alert / ssl3_read_bytes.
 * Returns 1 when a cached entry was removed, 0 otherwise.
 */
export function tls_ssl_fatal_alert(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  return settle(s, connFatalAlert(s));
}

/** SSL_get1_session: the handle with a reference for the caller, or ABSENT. */
export function SSL_get1_session(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  const sess = s.session;
  if (!sess) return Status.ABSENT;
  sess.refs++;
  return <i32>sess.handle;
}

export function SSL_session_reused(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  return s.hit ? 1 : 0;
}

export function SSL_set_shutdown(h: u32, mode: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  s.shutdown = mode & 3;
  return 1;
}

export function SSL_get_shutdown(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  return <i32>s.shutdown;
}

export function SSL_clear(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  connClear(s);
  return settle(s, 1);
}

export function SSL_copy_session_id(to: u32, from: u32): i32 {
  const t = conn(to);
  if (!t) return argStatus();
  const f = conn(from);
  if (!f) return argStatus();
  return settle(t, copySessionId(t, f));
}

export function SSL_set_session_id_context(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = conn(h);
  if (!s) return argStatus();
  return connSetSidCtx(s, ptr, len);
}

export function SSL_CTX_set_session_id_context(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const cp = argObject(h, Kind.CACHE);
  if (!cp) return argStatus();
  if (len > 32) return 0;
  const c = changetype<Cache>(cp);
  memory.fill(c.sidCtxPtr, 0, 32);
  memory.copy(c.sidCtxPtr, ptr, len);
  c.sidCtxLength = len;
  return 1;
}

/** SSL_set_verify's mode bits (1 = SSL_VERIFY_PEER); only VERIFY_PEER matters to sessions. */
export function SSL_set_verify(h: u32, mode: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  s.verifyMode = mode;
  return 1;
}

export function SSL_get_verify_result(h: u32): i64 {
  const s = conn(h);
  if (!s) return I64_FAULT;
  return s.verifyResult;
}

export function SSL_version(h: u32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  return s.version;
}

/** SSL_has_matching_session_id with the connection's version and cache. */
export function SSL_has_matching_session_id_ssl(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = conn(h);
  if (!s) return argStatus();
  return cacheHas(s.ctx, s.version, ptr, len);
}

// --- handshake hooks ------------------------------------------------------------------------

/** A handshake of protocol `version` begins (counts connect or accept). */
export function tls_ssl_handshake_start(h: u32, version: i32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  handshakeStart(s, version);
  return 1;
}

/** ssl_get_new_session; withId = 1 for a TLS <= 1.2 server id (32 random bytes, unique). */
export function tls_ssl_new_session(h: u32, withId: i32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  const r = newSession(s, withId != 0);
  if (r == -1) return fail(Status.NO_MEMORY, "out of memory");
  if (r == -2) return fail(Status.NO_RANDOM, "the host's random_get failed");
  if (r == -3)
    return fail(Status.BAD_STATE, "no unique session id after 10 attempts (SSL_R_SSL_SESSION_ID_CONFLICT)");
  return settle(s, <i32>s.session!.handle);
}

/** ssl_get_new_session with an id the host's generate callback produced (1..32 bytes, unique). */
export function tls_ssl_new_session_with_id(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = conn(h);
  if (!s) return argStatus();
  const r = newSessionWithId(s, ptr, len);
  if (r == -1) return fail(Status.NO_MEMORY, "out of memory");
  if (r == -3)
    return fail(
      Status.BAD_STATE,
      "generated session id already in the cache (SSL_R_SSL_SESSION_ID_CONFLICT)",
    );
  if (r == -4)
    return fail(
      Status.INVALID_ARGUMENT,
      "generated session id has a bad length (SSL_R_SSL_SESSION_ID_HAS_BAD_LENGTH)",
    );
  return settle(s, <i32>s.session!.handle);
}

/**
 * The server looks up the ClientHello's session id (flags: 2 if the ClientHello offers EMS;
 * VERIFY_PEER comes from SSL_set_verify). 1 resumed, 0 full handshake (tls_resume_refusal says
 * why), or BAD_STATE for the fatal refusals (empty sid_ctx with VERIFY_PEER, EMS required).
 */
export function tls_ssl_server_resume(h: u32, ptr: usize, len: u32, flags: i32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = conn(h);
  if (!s) return argStatus();
  const c = s.ctx;
  const f = (flags & 2) | (s.verifyMode & 1 ? 1 : 0);
  const p = resumeLookup(c, s.version, ptr, len, s.sidCtxPtr, s.sidCtxLength, f);
  if (!p) {
    const why = lastRefusal;
    settle(s, 0);
    if (why == 4) return fail(Status.BAD_STATE, "session id context uninitialized", -1);
    if (why == 6)
      return fail(Status.BAD_STATE, "session used the extended master secret; the ClientHello lacks it", -1);
    return 0;
  }
  const sess = changetype<Session>(p);
  resumeWith(s, sess);
  sessionRelease(sess);
  return settle(s, 1);
}

/** The client learns whether the server resumed the offered session. */
export function tls_ssl_set_reused(h: u32, reused: i32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  s.hit = reused != 0;
  return 1;
}

/** The handshake finished: ssl_update_cache and what follows (see ssl/handshake.ts). */
export function tls_ssl_handshake_done(h: u32, tls13ServerStateful: i32): i32 {
  const s = conn(h);
  if (!s) return argStatus();
  handshakeDone(s, tls13ServerStateful != 0);
  return settle(s, 1);
}

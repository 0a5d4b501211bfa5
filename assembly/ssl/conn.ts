// The connection-level session calls (SSL_set_session, SSL_get0/get1_session, SSL_session_reused,
// shutdown state, SSL_clear, SSL_free, SSL_copy_session_id, sid_ctx) and the rule that a session
// still open when it is replaced, cleared or freed is bad and leaves the cache
// (ssl_clear_bad_session): "open" = handshake finished and SSL_SENT_SHUTDOWN not set.

import { Cache, CACHE_MAX_REFS, cacheUnref } from "../cache/context";
import { cacheRemove } from "../cache/cache";
import { Session } from "../session/session";
import { sessionRelease } from "../session/refs";
import { alloc, release } from "../util/alloc";
import { Shutdown, VerifyMode } from "../util/abi_values";

/** SSL_SENT_SHUTDOWN / SSL_RECEIVED_SHUTDOWN. */
const SENT_SHUTDOWN: u32 = Shutdown.SENT;
/** SSL_VERIFY_PEER. */
export const VERIFY_PEER: u32 = VerifyMode.PEER;
/** TLS_method's version before a handshake: SSL_version() of a fresh SSL reports TLS 1.3. */
const DEFAULT_VERSION: i32 = 0x0304;

@unmanaged
export class Connection {
  handle: u32;
  /** session_ctx: the cache this connection's sessions belong to (a counted reference). */
  ctx: Cache;
  /** The connection's session (one reference), or null. */
  session: Session | null;
  version: i32;
  isServer: bool;
  /** SSL_session_reused. */
  hit: bool;
  /** The handshake is in progress or has not started (SSL_in_init / SSL_in_before). */
  inInit: bool;
  shutdown: u32;
  verifyMode: u32;
  verifyResult: i64;
  /** The client offered a session (for TLS 1.3 single use and the client misses counter). */
  offered: bool;
  sidCtxLength: u32;
  sidCtx0: u64;
  sidCtx1: u64;
  sidCtx2: u64;
  sidCtx3: u64;

  @inline get sidCtxPtr(): usize {
    return changetype<usize>(this) + offsetof<Connection>("sidCtx0");
  }
}

const CONNECTION_SIZE: usize = offsetof<Connection>();

/**
 * SSL_new: a connection of `ctx`, in its initial state, with the context's sid_ctx. It holds a
 * reference on the cache (OpenSSL's SSL_CTX_up_ref in SSL_new), dropped by connFree.
 */
export function connNew(c: Cache, isServer: bool): Connection | null {
  if (c.refs >= CACHE_MAX_REFS) return null;
  const p = alloc(CONNECTION_SIZE);
  if (!p) return null;
  c.refs++;
  memory.fill(p, 0, CONNECTION_SIZE);
  const s = changetype<Connection>(p);
  s.ctx = c;
  s.isServer = isServer;
  s.version = DEFAULT_VERSION;
  s.inInit = true;
  s.sidCtxLength = c.sidCtxLength;
  memory.copy(s.sidCtxPtr, c.sidCtxPtr, 32);
  return s;
}

/** ssl_clear_bad_session: removes a still-open session from the cache. Returns 1 if it did. */
function clearBadSession(s: Connection): i32 {
  if (s.session && !(s.shutdown & SENT_SHUTDOWN) && !s.inInit) {
    cacheRemove(s.ctx, s.session!);
    return 1;
  }
  return 0;
}

/** SSL_set_session: bad-session rule on the old one, +1 on the new one, its verify result. */
export function setSession(s: Connection, sess: Session | null): i32 {
  clearBadSession(s);
  if (sess) {
    sess.refs++;
    s.verifyResult = sess.verifyResult;
  }
  const old = s.session;
  s.session = sess;
  if (old) sessionRelease(old);
  return 1;
}

/** SSL_clear: a bad session is removed and dropped; the connection returns to its initial state. */
export function connClear(s: Connection): void {
  if (clearBadSession(s)) {
    sessionRelease(s.session!);
    s.session = null;
  }
  s.shutdown = 0;
  s.hit = false;
  s.inInit = true;
  s.offered = false;
  s.version = DEFAULT_VERSION;
  s.verifyResult = 0;
}

/**
 * SSL_free: the bad-session rule, then the connection's session reference goes, then its cache
 * reference. Returns the cache when that was its last reference: the caller settles and frees it.
 */
export function connFree(s: Connection): Cache | null {
  clearBadSession(s);
  const sess = s.session;
  if (sess) sessionRelease(sess);
  const c = s.ctx;
  release(changetype<usize>(s), CONNECTION_SIZE);
  return cacheUnref(c) ? c : null;
}

/**
 * A fatal alert sent or received (ssl3_send_alert, and the alert branch of ssl3_read_bytes): the
 * current session leaves session_ctx's cache and, when it has an id, is marked not resumable
 * (SSL_CTX_remove_session); the connection is in the error state, which counts as in init, so
 * a later free or clear does not apply the bad-session rule again. Returns 1 when a cached
 * entry was removed, else 0.
 */
export function connFatalAlert(s: Connection): i32 {
  s.inInit = true;
  const sess = s.session;
  if (!sess) return 0;
  return cacheRemove(s.ctx, sess);
}

/** SSL_set_session_id_context: more than 32 bytes -> 0. */
export function connSetSidCtx(s: Connection, p: usize, n: u32): i32 {
  if (n > 32) return 0;
  memory.fill(s.sidCtxPtr, 0, 32);
  memory.copy(s.sidCtxPtr, p, n);
  s.sidCtxLength = n;
  return 1;
}

/** SSL_copy_session_id: to takes from's session (SSL_set_session rules) and sid_ctx. */
export function copySessionId(to: Connection, from: Connection): i32 {
  setSession(to, from.session);
  to.sidCtxLength = from.sidCtxLength;
  memory.copy(to.sidCtxPtr, from.sidCtxPtr, 32);
  return 1;
}

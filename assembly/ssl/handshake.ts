// What OpenSSL's handshake does with sessions, as calls a TLS stack (or a simulation) makes at
// the points OpenSSL makes them:
//   start       SSL_do_handshake begins: counts connect / accept
//   newSession  ssl_get_new_session: a fresh session (version, ctx timeout, sid_ctx, now) and,
//               for a TLS <= 1.2 server without tickets, a 32-byte random id unique in the cache
//   resume      the server found a session to resume (ssl_get_prev_session succeeded)
//   done        the handshake finished: ssl_update_cache, the client's TLS 1.3 single use,
//               counters, and the auto-flush every 256 good handshakes

import { Cache, Mode, Stat, statInc, statGet, DEFAULT_CTX_TIMEOUT } from "../cache/context";
import { cacheAdd, cacheRemove, cacheFlush } from "../cache/cache";
import { tableFind } from "../cache/table";
import { pushEvent, EVENT_NEW } from "../cache/events";
import { Session, sessionNew } from "../session/session";
import { setIdContext } from "../session/accessors";
import { sessionRelease, sessionRegister } from "../session/refs";
import { Connection, setSession, VERIFY_PEER } from "./conn";
import { randomBytes, nowSeconds } from "../env";

/** MAX_SESS_ID_ATTEMPTS: random ids tried before giving up on a collision-free one. */
const MAX_SESSION_ID_ATTEMPTS: i32 = 10;
const TLS13: i32 = 0x0304;

export function handshakeStart(s: Connection, version: i32): void {
  s.inInit = true;
  s.version = version;
  s.hit = false;
  statInc(s.ctx, s.isServer ? Stat.ACCEPT : Stat.CONNECT);
}

/**
 * ssl_get_new_session for this connection. withId: generate a server session id (TLS <= 1.2
 * without a ticket). Returns 1, -1 out of memory, -2 no randomness, -3 no unique id after 10
 * tries (SSL_R_SSL_SESSION_ID_CONFLICT).
 */
export function newSession(s: Connection, withId: bool): i32 {
  const c = s.ctx;
  const sess = sessionNew();
  if (!sess || !sessionRegister(sess)) return -1;
  sess.sslVersion = s.version;
  sess.timeout = c.timeout != 0 ? c.timeout : DEFAULT_CTX_TIMEOUT;
  sess._verifyResult = 0;
  if (setIdContext(sess, s.sidCtxPtr, s.sidCtxLength) < 0) {
    sessionRelease(sess);
    return -1;
  }
  if (withId) {
    let ok = false;
    for (let i = 0; i < MAX_SESSION_ID_ATTEMPTS; i++) {
      if (!randomBytes(sess.sessionIdPtr, 32)) {
        sessionRelease(sess);
        return -2;
      }
      sess.sessionIdLength = 32;
      if (!tableFind(c, sess.sslVersion, sess.sessionIdPtr, 32)) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      sessionRelease(sess);
      return -3;
    }
  }
  setSession(s, sess);
  sessionRelease(sess); // the connection holds it now
  return 1;
}

/**
 * ssl_get_new_session with an id from the application's generate_session_id callback: the
 * library zero-fills 32 bytes, the callback may shorten the length but not to 0 or past 32
 * (-4: SSL_R_SSL_SESSION_ID_HAS_BAD_LENGTH), and the id must not be cached already
 * (-3: SSL_R_SSL_SESSION_ID_CONFLICT).
 */
export function newSessionWithId(s: Connection, id: usize, len: u32): i32 {
  if (len == 0 || len > 32) return -4;
  const c = s.ctx;
  if (tableFind(c, s.version, id, len)) return -3;
  const r = newSession(s, false);
  if (r != 1) return r;
  const sess = s.session!;
  memory.copy(sess.sessionIdPtr, id, len);
  sess.sessionIdLength = len;
  return 1;
}

/** The server resumes `sess` (from resumeLookup): it becomes the connection's session. */
export function resumeWith(s: Connection, sess: Session): void {
  setSession(s, sess);
  s.hit = true;
}

/**
 * ssl_update_cache(mode) at the end of a handshake, then the counters and the auto-flush.
 * tls13ServerStateful: for a TLS 1.3 server, whether this ticket must be cached (early data
 * with anti-replay, a remove callback, or SSL_OP_NO_TICKET).
 */
export function handshakeDone(s: Connection, tls13ServerStateful: bool): void {
  const c = s.ctx;
  s.inInit = false;
  const modeBit = s.isServer ? Mode.SERVER : Mode.CLIENT;
  const sess = s.session;
  if (
    sess &&
    sess.sessionIdLength != 0 &&
    !sess.notResumable &&
    !(s.isServer && sess.sidCtxLength == 0 && s.verifyMode & VERIFY_PEER)
  ) {
    if (c.mode & modeBit && (!s.hit || s.version == TLS13)) {
      let store: bool = !(c.mode & Mode.NO_INTERNAL_STORE);
      if (store && s.isServer && s.version == TLS13) store = tls13ServerStateful || c.removeCallback;
      if (store) cacheAdd(c, sess);
      if (c.newCallback) pushEvent(c, EVENT_NEW, sess);
    }
  }
  // The TLS 1.3 client uses a resumed ticket once (SSL_SESS_CACHE_CLIENT).
  if (!s.isServer && s.version == TLS13 && s.hit && c.mode & Mode.CLIENT && sess) cacheRemove(c, sess);
  if (!s.isServer && s.offered && !s.hit) statInc(c, Stat.MISSES);
  if (s.hit && !s.isServer) statInc(c, Stat.HITS);
  countGoodHandshake(c, s.isServer);
}

/**
 * A handshake completed: the auto-flush (unless NO_AUTO_CLEAR, with the CLIENT or SERVER mode
 * bit set, when the good counter's low byte is 0xff: about every 256 handshakes), then
 * connect_good or accept_good.
 */
export function countGoodHandshake(c: Cache, isServer: bool): void {
  const modeBit = isServer ? Mode.SERVER : Mode.CLIENT;
  if (!(c.mode & Mode.NO_AUTO_CLEAR) && (c.mode & modeBit) == modeBit) {
    const good = statGet(c, isServer ? Stat.ACCEPT_GOOD : Stat.CONNECT_GOOD);
    if ((good & 0xff) == 0xff) cacheFlush(c, nowSeconds());
  }
  statInc(c, isServer ? Stat.ACCEPT_GOOD : Stat.CONNECT_GOOD);
}

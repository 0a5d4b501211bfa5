// The server's resumption decision for a session id (ssl_get_prev_session and
// lookup_sess_in_cache, TLS <= 1.2), with a reason for every refusal and OpenSSL's counters:
//   1. internal lookup (unless NO_INTERNAL_LOOKUP); a miss counts `misses`
//   2. (an external store, if the host has one: tls_resume_check with its candidate, `cb_hits`)
//   3. checks, in order: protocol version, sid_ctx, VERIFY_PEER with an empty sid_ctx (fatal),
//      expiry (`timeouts`, removed from the cache), extended master secret (RFC 7627 §5.3)
//   4. success counts `hits`.

import { Cache, Mode, Stat, statInc } from "../cache/context";
import { tableFind } from "../cache/table";
import { cacheAdd, cacheRemove } from "../cache/cache";
import { Session, FLAG_EXTMS } from "../session/session";
import { sessionRelease } from "../session/refs";
import { nowSeconds } from "../env";
import { Refusal, ResumeFlag } from "../util/abi_values";

/** Flags describing the connection asking. */
const VERIFY_PEER: i32 = ResumeFlag.VERIFY_PEER;
const CLIENT_OFFERS_EMS: i32 = ResumeFlag.CLIENT_OFFERS_EMS;
/** The caller does not know whether the ClientHello offers EMS: skip that check. */
const EMS_UNKNOWN: i32 = ResumeFlag.EMS_UNKNOWN;

export let lastRefusal: i32 = 0;

/**
 * Runs the checks of step 3 on a candidate the caller holds a reference to. On success the
 * reference passes to the result (returns the session); on refusal it is released (returns 0).
 */
function checkCandidate(
  c: Cache,
  s: Session,
  fromInternal: bool,
  version: i32,
  sidCtx: usize,
  sidCtxLen: u32,
  flags: i32,
): usize {
  // No not_resumable check: libssl 3.0's ssl_get_prev_session resumes a session from its own
  // cache even when it is marked not resumable (tests/oracle/fatal_alert_oracle.c shows it).
  let reason = Refusal.NONE;
  if (s.sslVersion != version) reason = Refusal.VERSION_MISMATCH;
  else if (s.sidCtxLength != sidCtxLen || memory.compare(s.sidCtxPtr, sidCtx, sidCtxLen) != 0)
    reason = Refusal.SID_CTX_MISMATCH;
  else if (flags & VERIFY_PEER && sidCtxLen == 0) reason = Refusal.SID_CTX_UNINITIALIZED;
  else if (!s.timeoutOverflow && nowSeconds() > s.calcTimeout) {
    reason = Refusal.EXPIRED;
    statInc(c, Stat.TIMEOUTS);
    if (fromInternal) cacheRemove(c, s);
  } else if (!(flags & EMS_UNKNOWN)) {
    if (s.flags & FLAG_EXTMS && !(flags & CLIENT_OFFERS_EMS)) reason = Refusal.EMS_REQUIRED;
    else if (!(s.flags & FLAG_EXTMS) && flags & CLIENT_OFFERS_EMS) reason = Refusal.EMS_NOT_USED;
  }
  lastRefusal = reason;
  if (reason != Refusal.NONE) {
    sessionRelease(s);
    return 0;
  }
  statInc(c, Stat.HITS);
  return changetype<usize>(s);
}

/** Steps 1, 3 and 4 for a session id from a ClientHello. Returns the session (+1) or 0. */
export function resumeLookup(
  c: Cache,
  version: i32,
  id: usize,
  idLen: u32,
  sidCtx: usize,
  sidCtxLen: u32,
  flags: i32,
): usize {
  if (idLen == 0 || idLen > 32) {
    lastRefusal = Refusal.MISS;
    return 0;
  }
  if (c.mode & Mode.NO_INTERNAL_LOOKUP) {
    lastRefusal = Refusal.MISS;
    return 0;
  }
  const p = tableFind(c, version, id, idLen);
  if (!p) {
    statInc(c, Stat.MISSES);
    lastRefusal = Refusal.MISS;
    return 0;
  }
  const s = changetype<Session>(p);
  s.refs++;
  return checkCandidate(c, s, true, version, sidCtx, sidCtxLen, flags);
}

/**
 * Step 2 then 3 and 4 for a session the host's external store returned (get_session_cb):
 * `cb_hits`, copied into the internal cache unless NO_INTERNAL_STORE, then checked. The
 * caller's reference passes in (OpenSSL's copy = 0 rule; the bindings up_ref for copy = 1).
 */
export function resumeExternal(
  c: Cache,
  s: Session,
  version: i32,
  sidCtx: usize,
  sidCtxLen: u32,
  flags: i32,
): usize {
  if (s.notResumable) {
    lastRefusal = Refusal.NOT_RESUMABLE;
    sessionRelease(s);
    return 0;
  }
  statInc(c, Stat.CB_HITS);
  if (!(c.mode & Mode.NO_INTERNAL_STORE)) cacheAdd(c, s);
  return checkCandidate(c, s, false, version, sidCtx, sidCtxLen, flags);
}

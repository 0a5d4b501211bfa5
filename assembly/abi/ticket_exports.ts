// The ABI of session tickets: a key ring handle (Kind.TICKET_KEYS), sealing and opening, and the
// TLS 1.3 server's NewSessionTicket. See docs/tickets.md.
//
// Opening never says why to the peer: tls_ticket_open returns a session handle, or 0 for "not
// resumable" (handles are never 0); tls_ticket_last_reason() and tls_ticket_keys_stat() keep the
// reason for the operator. Negative statuses are for the caller's mistakes only (bad handle, bad buffer).

import { handleNew, handleRetire, Kind } from "./handles";
import { argStatus, argRange, I64_FAULT, argObject, argMem } from "./args";
import { Status, fail } from "./status";
import { resultReserve, resultSet } from "./memory";
import { Session, sessionDestroy, sessionDup } from "../session/session";
import { decodeSession, decoded } from "../session/der/session_asn1";
import { sessionRegister, sessionRelease } from "../session/refs";
import { Cache } from "../cache/context";
import { cacheRemove } from "../cache/cache";
import { settleEvents } from "../cache/events";
import { resumeLookup } from "../ssl/resume";
import { KEY_NAME_LEN, Reason, layoutKnown } from "../ticket/format";
import { IssuedFlag, TicketFlag } from "../util/abi_values";
import {
  Keyring,
  MAX_TICKET_LIFETIME,
  STAT_COUNT,
  STAT_RENEWED,
  STAT_SEALED,
  keyAt,
  ringAdd,
  ringFree,
  ringNew,
  ringRemove,
  ringRotate,
  ringSetSecret,
  ringTick,
  statAdd,
  statGet,
} from "../ticket/keyring";
import { OpenedTicket, openPlain, openSession, sealSession, sealSize, wipePlain } from "../ticket/seal";
import { IssueError, TicketIssue, issueAbort, issuePrepare, issueWrite } from "../ticket/issue";

/** Flags of tls_ticket_open / tls_ticket_seal. */
const TICK: i32 = TicketFlag.TICK; // bring the ring to `now` first (rotation, retirement)
const CHECK_EXPIRY: i32 = TicketFlag.CHECK_EXPIRY; // open: refuse a session older than its lifetime

// @ts-ignore: decorator
@inline function ring(h: u32): Keyring | null {
  const p = argObject(h, Kind.TICKET_KEYS);
  return p ? changetype<Keyring>(p) : null;
}

// @ts-ignore: decorator
@inline function session(h: u32): Session | null {
  const p = argObject(h, Kind.SESSION);
  return p ? changetype<Session>(p) : null;
}

/** A new, empty key ring (layout 80, no rotation, 7-day retention). */
export function tls_ticket_keys_new(): i32 {
  const r = ringNew();
  if (!r) return fail(Status.NO_MEMORY, "out of memory");
  const h = handleNew(changetype<usize>(r), Kind.TICKET_KEYS);
  if (!h) {
    ringFree(r);
    return fail(Status.NO_MEMORY, "out of handles");
  }
  r.handle = h;
  return <i32>h;
}

/** Wipes every key and frees the ring. free(0) is a no-op. */
export function tls_ticket_keys_free(h: u32): i32 {
  if (h == 0) return 0;
  const r = ring(h);
  if (!r) return argStatus();
  handleRetire(h);
  ringFree(r);
  return 0;
}

/**
 * Rotation policy: `period` seconds between rotations (0: only on demand), `lifetime` seconds a
 * demoted key still opens (0 < lifetime <= 604800), `layout` 48 or 80 for keys the ring makes.
 */
export function tls_ticket_keys_set_policy(h: u32, period: i64, lifetime: i64, layout: u32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (period < 0) return fail(Status.INVALID_ARGUMENT, "period must not be negative");
  if (lifetime <= 0 || lifetime > MAX_TICKET_LIFETIME)
    return fail(Status.INVALID_ARGUMENT, "lifetime must be 1 to 604800 seconds");
  if (!layoutKnown(layout)) return fail(Status.INVALID_ARGUMENT, "layout must be 48 or 80");
  r.period = period;
  r.lifetime = lifetime;
  r.layout = layout;
  return 1;
}

/** Adds raw key bytes (48: Node/BoringSSL, 80: OpenSSL). 1 added, 0 a key of that name is held. */
export function tls_ticket_keys_add(h: u32, ptr: usize, len: u32, now: i64, current: i32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (!layoutKnown(len))
    return fail(Status.INVALID_ARGUMENT, "ticket keys are 48 (Node, BoringSSL) or 80 (OpenSSL) bytes");
  if (!argMem(ptr, len)) return argStatus();
  if (r.derived) return fail(Status.BAD_STATE, "the ring derives its keys from a secret");
  const a = ringAdd(r, ptr, len, now, current != 0);
  if (a < 0) return fail(Status.NO_MEMORY, "out of memory or key slots");
  return a;
}

/** Retires (wipes) the key whose 16-byte name is at `name`. 1 if one was held. */
export function tls_ticket_keys_remove(h: u32, name: usize): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (!argMem(name, KEY_NAME_LEN)) return argStatus();
  return ringRemove(r, name);
}

/** A fresh random key becomes current at `now`. */
export function tls_ticket_keys_rotate(h: u32, now: i64): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (r.derived) return fail(Status.BAD_STATE, "the ring derives its keys from a secret");
  const x = ringRotate(r, now);
  if (x == -2) return fail(Status.NO_RANDOM, "the host's random_get failed");
  if (x < 0) return fail(Status.NO_MEMORY, "out of memory");
  return 1;
}

/** Derived mode: keys from `secret` and the epoch number; needs a period. Keys held so far are retired. */
export function tls_ticket_keys_set_secret(h: u32, ptr: usize, len: u32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (!argMem(ptr, len)) return argStatus();
  if (len < 16) return fail(Status.INVALID_ARGUMENT, "the shared secret must be at least 16 bytes");
  if (r.period <= 0) return fail(Status.BAD_STATE, "set a rotation period first");
  ringSetSecret(r, ptr, len);
  return 1;
}

/** Brings the ring to `now`. Returns the number of keys held. */
export function tls_ticket_keys_tick(h: u32, now: i64): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  const n = ringTick(r, now);
  if (n < 0) return fail(Status.NO_MEMORY, "out of memory or randomness");
  return n;
}

export function tls_ticket_keys_count(h: u32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  return r.count;
}

/** Key `index` (0 = current) in its own layout into the result buffer: a secret, wipe it after. */
export function tls_ticket_keys_export(h: u32, index: i32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (index < 0 || index >= r.count) return Status.ABSENT;
  const k = keyAt(r, index);
  const n = resultSet(k.name, k.layout);
  return n < 0 ? fail(Status.NO_MEMORY, "out of memory") : n;
}

/** The 16-byte name of key `index` into the result buffer. */
export function tls_ticket_keys_name(h: u32, index: i32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (index < 0 || index >= r.count) return Status.ABSENT;
  const n = resultSet(keyAt(r, index).name, KEY_NAME_LEN);
  return n < 0 ? fail(Status.NO_MEMORY, "out of memory") : n;
}

/**
 * Counters: 0 opened, 1..8 refusals by reason (1 too long, 2 bad length, 3 unknown key, 4 bad MAC,
 * 5 bad padding, 6 bad session DER, 7 expired, 8 out of memory), 9 sealed, 10 renewals asked,
 * 11 rotations, 12 keys retired.
 */
export function tls_ticket_keys_stat(h: u32, id: i32): i64 {
  const r = ring(h);
  if (!r) return I64_FAULT;
  if (!argRange(id, 0, STAT_COUNT - 1, "unknown statistic")) return I64_FAULT;
  return <i64>statGet(r, id);
}

/** Seals session `sh` under the current key: the ticket's length in the result buffer. */
export function tls_ticket_seal(h: u32, sh: u32, now: i64, flags: i32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  const s = session(sh);
  if (!s) return argStatus();
  if (flags & TICK && ringTick(r, now) < 0) return fail(Status.NO_MEMORY, "out of memory or randomness");
  if (r.count == 0) return fail(Status.BAD_STATE, "no current ticket key");
  const size = sealSize(s);
  if (size == 0)
    return fail(
      s.cipherId == 0 ? Status.NO_CIPHER : Status.INVALID_ARGUMENT,
      s.cipherId == 0 ? "session has no cipher" : "session DER longer than 0xFF00 bytes",
    );
  const out = resultReserve(size);
  if (!out) return fail(Status.NO_MEMORY, "out of memory");
  const n = sealSession(r, s, out);
  if (!n) return fail(Status.NO_RANDOM, "the host's random_get failed");
  statAdd(r, STAT_SEALED);
  return <i32>n;
}

let lastReason: i32 = 0;
let lastRenew: i32 = 0;

/** Why the last open refused (format.ts Reason), 0 when it opened. */
export function tls_ticket_last_reason(): i32 {
  return lastReason;
}
/** 1 when the last opened ticket was sealed by an older key: issue a new one (SSL_TICKET_SUCCESS_RENEW). */
export function tls_ticket_renew(): i32 {
  return lastRenew;
}

/** The record of the ticket being opened (ticket/seal.ts). */
const OPENED: usize = memory.data(offsetof<OpenedTicket>());

function counted(r: Keyring, o: OpenedTicket, why: i32): void {
  lastReason = why;
  statAdd(r, why);
  if (why == Reason.OK) {
    lastRenew = o.key != 0 ? 1 : 0;
    if (lastRenew) statAdd(r, STAT_RENEWED);
  } else {
    lastRenew = 0;
  }
}

/**
 * Opens a ticket: a session handle (one reference), or 0 when it is not resumable (reason in
 * tls_ticket_last_reason). flags: 1 tick the ring to `now` first, 2 refuse an expired session.
 */
export function tls_ticket_open(h: u32, ptr: usize, len: u32, now: i64, flags: i32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (!argMem(ptr, len)) return argStatus();
  if (flags & TICK && ringTick(r, now) < 0) return fail(Status.NO_MEMORY, "out of memory or randomness");
  const o = changetype<OpenedTicket>(OPENED);
  const why = openSession(o, r, ptr, len, (flags & CHECK_EXPIRY) != 0, now);
  counted(r, o, why);
  if (why != Reason.OK) return 0;
  const s = o.session!;
  o.session = null;
  if (!sessionRegister(s)) return fail(Status.NO_MEMORY, "out of handles");
  return <i32>s.handle;
}

/** Opens a ticket and puts the plaintext DER itself in the result buffer (a secret): its length, or 0. */
export function tls_ticket_open_raw(h: u32, ptr: usize, len: u32): i32 {
  const r = ring(h);
  if (!r) return argStatus();
  if (!argMem(ptr, len)) return argStatus();
  // One pass: authenticate and decrypt, check the DER is exactly one session, hand out the plaintext.
  const o = changetype<OpenedTicket>(OPENED);
  let why = openPlain(o, r, ptr, len);
  if (why == Reason.OK) {
    const got = decodeSession(o.plainPtr, <i64>o.plainLen);
    if (got >= 0) sessionDestroy(decoded!);
    if (got != <i32>o.plainLen) {
      wipePlain(o);
      why = got == Status.NO_MEMORY ? Reason.NO_MEMORY : Reason.BAD_SESSION;
    }
  }
  counted(r, o, why);
  if (why != Reason.OK) return 0;
  const n = resultSet(o.plainPtr, o.plainLen);
  wipePlain(o);
  return n < 0 ? fail(Status.NO_MEMORY, "out of memory") : n;
}

let issuedHandle: u32 = 0;
let issuedFlags: i32 = 0;
/** The record of the ticket tls_ticket_issue is making (ticket/issue.ts). */
const ISSUE: usize = memory.data(offsetof<TicketIssue>());

/**
 * TLS 1.3 server: NewSessionTicket number `counter` for the connection's session `sh` and its
 * resumption master secret. Returns the message length (result buffer); tls_ticket_issued() is the
 * new session (one reference; cache it when tls_ticket_issued_flags() & 1). flags: 1 stateful
 * (SSL_OP_NO_TICKET), 2 SSL_OP_NO_ANTI_REPLAY. `h` may be 0 for stateful tickets.
 */
export function tls_ticket_issue(
  h: u32,
  sh: u32,
  rms: usize,
  rmsLen: u32,
  counter: u64,
  flags: i32,
  maxEarly: u32,
  now: i64,
): i32 {
  issuedHandle = 0;
  issuedFlags = 0;
  let r: Keyring | null = null;
  if (h != 0) {
    r = ring(h);
    if (!r) return argStatus();
  }
  const s = session(sh);
  if (!s) return argStatus();
  if (!argMem(rms, rmsLen)) return argStatus();
  const t = changetype<TicketIssue>(ISSUE);
  let n = issuePrepare(t, r, s, rms, rmsLen, counter, flags, maxEarly, now);
  if (n >= 0) {
    const out = resultReserve(<usize>n);
    if (!out) {
      issueAbort(t);
      n = IssueError.NO_MEMORY;
    } else {
      n = issueWrite(t, r, out);
    }
  }
  if (n == IssueError.BAD_ARGUMENT)
    return fail(Status.INVALID_ARGUMENT, "resumption master secret length differs from the suite's hash");
  if (n == IssueError.NO_KEY)
    return fail(Status.BAD_STATE, "stateless tickets need a ring with a current key");
  if (n == IssueError.NO_RANDOM) return fail(Status.NO_RANDOM, "the host's random_get failed");
  if (n == IssueError.TOO_BIG) return fail(Status.INVALID_ARGUMENT, "session too large for a ticket");
  if (n < 0) return fail(Status.NO_MEMORY, "out of memory");
  const made = t.session!;
  t.session = null;
  if (!sessionRegister(made)) return fail(Status.NO_MEMORY, "out of handles");
  if (r && !t.stateful) statAdd(r, STAT_SEALED);
  issuedHandle = made.handle;
  issuedFlags = (t.stateful ? IssuedFlag.STATEFUL : 0) | (t.singleUse ? IssuedFlag.SINGLE_USE : 0);
  return n;
}

/** The session made by the last tls_ticket_issue (the caller owns its reference). */
export function tls_ticket_issued(): i32 {
  return <i32>issuedHandle;
}
/** bit 0: stateful (put the session in the cache), bit 1: single use (take it with tls_ticket_take). */
export function tls_ticket_issued_flags(): i32 {
  return issuedFlags;
}

/**
 * Anti-replay resumption of a stateful early-data ticket: the lookup of tls_resume_lookup, then the
 * session must be removed from the cache by this call; if another use removed it first, ABSENT.
 * Returns the session (+1) or ABSENT.
 */
export function tls_ticket_take(
  ch: u32,
  version: i32,
  id: usize,
  idLen: u32,
  sidCtx: usize,
  sidCtxLen: u32,
  flags: i32,
): i32 {
  const p = argObject(ch, Kind.CACHE);
  if (!p) return argStatus();
  const c = changetype<Cache>(p);
  if (!argMem(id, idLen) || !argMem(sidCtx, sidCtxLen)) return argStatus();
  if (sidCtxLen > 32) return fail(Status.INVALID_ARGUMENT, "sid_ctx longer than 32 bytes");
  const sp = resumeLookup(c, version, id, idLen, sidCtx, sidCtxLen, flags);
  if (!sp) {
    if (!c.removeCallback) settleEvents(c);
    return Status.ABSENT;
  }
  const s = changetype<Session>(sp);
  const removed = cacheRemove(c, s);
  if (!c.removeCallback) settleEvents(c);
  if (removed != 1) {
    sessionRelease(s);
    return Status.ABSENT;
  }
  // The removal marked it not resumable; the handshake goes on with a duplicate, as OpenSSL's does.
  const d = sessionDup(s);
  sessionRelease(s);
  if (!d) return fail(Status.NO_MEMORY, "out of memory");
  d.notResumable = 0;
  if (!sessionRegister(d)) return fail(Status.NO_MEMORY, "out of handles");
  return <i32>d.handle;
}

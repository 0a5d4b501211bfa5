// Server-side TLS 1.3 ticket issuing as OpenSSL 3.0 does it (tls_construct_new_session_ticket,
// ssl/statem/statem_srvr.c; RFC 8446 §4.6.1):
//
//   * Every NewSessionTicket gets a new session: a copy of the connection's session with a fresh
//     32-byte session id, time = now, a random 4-byte ticket_age_add, max_early_data, and as its
//     master key the resumption PSK HKDF-Expand-Label(resumption_master_secret, "resumption",
//     nonce, Hash.length).
//   * nonce = an 8-byte big-endian per-connection counter starting at 0 (TICKET_NONCE_SIZE).
//   * lifetime = min(timeout, 604800) (RFC 8446: at most 7 days).
//   * Stateless (the default): the ticket is the sealed session (seal.ts). Stateful (SSL_OP_NO_TICKET),
//     and always for a session that allows early data unless anti-replay is off: the ticket is the
//     session id and the session goes into the server's cache. Such an early-data session is single
//     use: the server must remove it from the cache before resuming it (`takeStateful`); whoever
//     fails to remove it (a replay) gets a full handshake.
//   * The message carries the early_data extension only when max_early_data > 0.
// Client-only fields (ticket, lifetime hint) are cleared: they are never inside a ticket.

import { randomBytes } from "../env";
import { HASH_MAX_LEN, HASH_SHA256, HASH_SHA384, hashLen } from "../crypto/hash";
import { Session, sessionDestroy, sessionDup } from "../session/session";
import { setMasterKey, setBlobField, setTicketLifetimeHint, Bytes } from "../session/accessors";
import { encodeSession, encodedSize } from "../session/der/session_asn1";
import { resumptionPsk } from "../tls13/psk";
import { buildNewSessionTicket, newSessionTicketLen } from "../tls13/messages";
import { Keyring, keyAt } from "./keyring";
import { advertisedLifetime, sealInPlace } from "./seal";
import { MAX_SESSION_DER, ticketLen } from "./format";
import { wipe } from "../util/bytes";
import { IssueFlag as IssueFlags } from "../util/abi_values";

/** TICKET_NONCE_SIZE in OpenSSL: the nonce is an 8-byte counter. */
const TICKET_NONCE_SIZE: usize = 8;
/** A stateful ticket is the session id. */
const SESSION_ID_SIZE: u32 = 32;

export namespace IssueError {
  export const NO_MEMORY: i32 = -1;
  export const NO_RANDOM: i32 = -2;
  export const TOO_BIG: i32 = -3;
  export const NO_KEY: i32 = -4;
  export const BAD_ARGUMENT: i32 = -5;
}

/** The hash of a TLS 1.3 suite: SHA-384 for TLS_AES_256_GCM_SHA384, SHA-256 for the others. */
function suiteHash(cipherId: u32): i32 {
  return (cipherId & 0xffff) == 0x1302 ? HASH_SHA384 : HASH_SHA256;
}

const NONCE: usize = memory.data(8);
const PSK: usize = memory.data(<i32>HASH_MAX_LEN);
const FOUR: usize = memory.data(4);
/** Where the ticket sits in the message: header 4, lifetime 4, age_add 4, nonce 1 + 8, length 2. */
const TICKET_AT: usize = 4 + 4 + 4 + 1 + TICKET_NONCE_SIZE + 2;

/**
 * One ticket being issued, filled in two steps so that the caller places the message: issuePrepare
 * makes the session and says how long the message is (`total`), the caller finds `total` bytes,
 * issueWrite writes the message there (or issueAbort drops the session). The caller owns the record.
 */
@unmanaged
export class TicketIssue {
  /** The new session (one reference); null before issuePrepare and after a failure or issueAbort. */
  session: Session | null;
  /** The ticket is the session id, and the session must be cached. */
  stateful: bool;
  /** An early-data session under anti-replay: it resumes once, taken out of the cache. */
  singleUse: bool;
  /** The per-connection counter the nonce is made of. */
  counter: u64;
  /** ticket_lifetime: min(timeout, 7 days). */
  lifetime: u32;
  /** max_early_data; the message has the early_data extension when it is above 0. */
  maxEarly: u32;
  /** Length of the session DER a stateless ticket seals, 0 for a stateful one. */
  derLen: usize;
  /** Length of the ticket inside the message. */
  ticketLen: usize;
  /** Length of the whole NewSessionTicket message. */
  total: usize;
}

/**
 * Step one of issuing ticket number `counter` of a connection whose session is `src` and resumption
 * master secret `rms` (hashLen of the suite's hash): makes the new session into `t`. Returns the
 * NewSessionTicket length (t.total) or an IssueError, with nothing left in `t`.
 */
export function issuePrepare(
  t: TicketIssue,
  r: Keyring | null,
  src: Session,
  rms: usize,
  rmsLen: usize,
  counter: u64,
  flags: i32,
  maxEarly: u32,
  now: i64,
): i32 {
  t.session = null;
  const alg = suiteHash(src.cipherId);
  if (rmsLen != hashLen(alg)) return IssueError.BAD_ARGUMENT;
  const singleUse = maxEarly > 0 && (flags & IssueFlags.NO_ANTI_REPLAY) == 0;
  const stateful = (flags & IssueFlags.STATEFUL) != 0 || singleUse;
  if (!stateful && (!r || r.count == 0)) return IssueError.NO_KEY;

  const s = sessionDup(src);
  if (!s) return IssueError.NO_MEMORY;
  s.notResumable = 0;
  // A fresh session id for every ticket (ssl_generate_session_id).
  if (!randomBytes(s.sessionIdPtr, SESSION_ID_SIZE) || !randomBytes(FOUR, 4)) {
    sessionDestroy(s);
    return IssueError.NO_RANDOM;
  }
  s.sessionIdLength = SESSION_ID_SIZE;
  s.tickAgeAdd = load<u32>(FOUR);
  wipe(FOUR, 4);
  store<u64>(NONCE, bswap<u64>(counter));
  const hl = hashLen(alg);
  resumptionPsk(alg, rms, NONCE, TICKET_NONCE_SIZE, PSK);
  const okKey = setMasterKey(s, PSK, <u32>hl);
  wipe(PSK, HASH_MAX_LEN);
  if (okKey != 1) {
    sessionDestroy(s);
    return IssueError.NO_MEMORY;
  }
  s.time = now;
  s.maxEarlyData = maxEarly;
  setBlobField(s, Bytes.TICKET, 0, 0, false); // removing never fails
  setTicketLifetimeHint(s, 0); // nor does a hint that fits the record

  let tlen: usize = SESSION_ID_SIZE;
  let derLen: usize = 0;
  if (!stateful) {
    derLen = encodedSize(s);
    if (derLen == 0 || derLen > MAX_SESSION_DER) {
      sessionDestroy(s);
      return IssueError.TOO_BIG;
    }
    tlen = ticketLen(derLen);
  }
  const total = newSessionTicketLen(TICKET_NONCE_SIZE, tlen, maxEarly > 0);
  if (total < 0) {
    sessionDestroy(s);
    return IssueError.TOO_BIG;
  }
  t.session = s;
  t.stateful = stateful;
  t.singleUse = singleUse;
  t.counter = counter;
  t.lifetime = <u32>advertisedLifetime(s);
  t.maxEarly = maxEarly;
  t.derLen = derLen;
  t.ticketLen = tlen;
  t.total = <usize>total;
  return total;
}

/**
 * Step two: writes the NewSessionTicket of `t` at `out` (t.total bytes); a stateless ticket is
 * encoded and sealed in place there under the ring's current key (no temporary copy of the session
 * DER). Returns t.total, or IssueError.NO_RANDOM with the session dropped.
 */
export function issueWrite(t: TicketIssue, r: Keyring | null, out: usize): i32 {
  const s = t.session!;
  const ticketAt = out + TICKET_AT;
  if (t.stateful) {
    memory.copy(ticketAt, s.sessionIdPtr, SESSION_ID_SIZE);
  } else {
    encodeSession(s, ticketAt + 32, t.derLen);
    if (!sealInPlace(keyAt(r!, 0), ticketAt, t.derLen)) {
      issueAbort(t);
      return IssueError.NO_RANDOM;
    }
  }
  store<u64>(NONCE, bswap<u64>(t.counter));
  buildNewSessionTicket(
    t.lifetime,
    s.tickAgeAdd,
    NONCE,
    TICKET_NONCE_SIZE,
    ticketAt,
    t.ticketLen,
    t.maxEarly > 0,
    t.maxEarly,
    out,
  );
  return <i32>t.total;
}

/** Drops the session of a prepared ticket that will not be written. */
export function issueAbort(t: TicketIssue): void {
  const s = t.session;
  t.session = null;
  if (s) sessionDestroy(s);
}

// SSL_SESSION: the record, its reference count, duplication and wiping.
//
// Sessions live in linear memory and are owned by reference counts exactly as in OpenSSL 3.0:
// SSL_SESSION_new / d2i / dup hand the caller one reference, up_ref adds one, free drops one,
// and the last free wipes every secret (master key, early secret, ids, tickets) before the
// memory goes back to the allocator.

import { alloc, release, releaseSecret } from "../util/alloc";
import { wipe } from "../util/bytes";
import { nowSeconds } from "../env";
import { blobDup, blobFree } from "./blob";
import { Limit } from "../util/abi_values";

/** SSL_MAX_SSL_SESSION_ID_LENGTH: a session id is at most 32 bytes. */
export const MAX_SESSION_ID_LENGTH: u32 = Limit.SESSION_ID;
/** SSL_MAX_SID_CTX_LENGTH. */
export const MAX_SID_CTX_LENGTH: u32 = Limit.SID_CTX;
/** TLS13_MAX_RESUMPTION_PSK_LENGTH: the size of OpenSSL 3.0's master_key buffer (room for external PSKs). */
export const MAX_MASTER_KEY_LENGTH: u32 = Limit.MASTER_KEY;
/** EVP_MAX_MD_SIZE: the early secret buffer. */
export const EARLY_SECRET_LENGTH: u32 = 64;
/** SSL_SESSION_new's timeout (5 min + 4 s) until a handshake installs the context's. */
export const NEW_SESSION_TIMEOUT: i64 = 304;
/** TLSEXT_max_fragment_length_UNSPECIFIED. */
export const MFL_UNSPECIFIED: u8 = 255;
/** SSL_SESS_FLAG_EXTMS: the extended master secret (RFC 7627) was used. */
export const FLAG_EXTMS: u32 = 1;

@unmanaged
export class Session {
  // Packed without padding (every byte counts in a cache of 10^5 sessions): 64-bit fields,
  // then 32-bit ones, then the short lengths and flags. What a cache lookup reads comes first,
  // so that a probe touches one cache line: the key (version, id length, id).
  sslVersion: i32;
  _sessionIdLength: u8;
  _sidCtxLength: u8;
  maxFragmentLenMode: u8;
  notResumable: u8;
  sessionId0: u64;
  sessionId1: u64;
  sessionId2: u64;
  sessionId3: u64;
  refs: i32;
  handle: u32;
  time: i64;
  timeout: i64;
  /** X509 verification result (a C long). */
  verifyResult: i64;
  tickLifetimeHint: u64;
  /** SSL_SESSION_set_ex_data's slot, one opaque value for the host. */
  exData: u64;
  // Inline sid_ctx buffer, 32 bytes.
  sidCtx0: u64;
  sidCtx1: u64;
  sidCtx2: u64;
  sidCtx3: u64;
  /** 0x03000000 | suite code, 0 when no cipher is set. */
  cipherId: u32;
  kexGroup: u32;
  flags: u32;
  tickAgeAdd: u32;
  maxEarlyData: u32;
  /** The cache this session sits in (a session sits in at most one), 0 when none. */
  owner: usize;
  /** Exactly masterKeyLength bytes, 0 when empty. */
  masterKey: usize;
  /** EARLY_SECRET_LENGTH bytes when an external PSK cached one; never serialized. */
  earlySecret: usize;
  // Optional byte strings (blob.ts): 0 = NULL.
  hostname: usize;
  pskIdentityHint: usize;
  pskIdentity: usize;
  srpUsername: usize;
  ticket: usize;
  alpnSelected: usize;
  ticketAppData: usize;
  /** DER of the peer's leaf certificate. */
  peer: usize;
  /** The key's hash in the cache this session sits in (cache/table.ts), so removal need not rehash. */
  hashValue: u32;
  // The cache's expiry-list links and their index (cache/list.ts).
  prev: Session | null;
  next: Session | null;
  left: Session | null;
  right: Session | null;
  _masterKeyLength: u16;
  _compressMeth: u8;
  /** The cache's expiry index (cache/list.ts): AVL height, 0 when not a node. */
  height: u8;

  // The short fields read and write as u32, like the rest; their writers keep them in range
  // (ids and sid_ctx at most 32 bytes, a master key at most 512, compression one octet).
  @inline get sessionIdLength(): u32 {
    return this._sessionIdLength;
  }
  // @ts-ignore: decorator
  @inline set sessionIdLength(v: u32) {
    this._sessionIdLength = <u8>v;
  }
  @inline get sidCtxLength(): u32 {
    return this._sidCtxLength;
  }
  // @ts-ignore: decorator
  @inline set sidCtxLength(v: u32) {
    this._sidCtxLength = <u8>v;
  }
  @inline get masterKeyLength(): u32 {
    return this._masterKeyLength;
  }
  // @ts-ignore: decorator
  @inline set masterKeyLength(v: u32) {
    this._masterKeyLength = <u16>v;
  }
  @inline get compressMeth(): u32 {
    return this._compressMeth;
  }
  // @ts-ignore: decorator
  @inline set compressMeth(v: u32) {
    this._compressMeth = <u8>v;
  }

  /**
   * ssl_session_calculate_timeout's result, derived from time and timeout on each read rather
   * than stored (OpenSSL recomputes it after every write of either, so the two agree): whether
   * time + timeout overflows i64. OpenSSL 3.0.19 tests "timeout > INT64_MAX -
   * time" in wrapping arithmetic; for any negative time the right side wraps negative, so such
   * sessions count as overflowed: they sort after every other session and never expire.
   */
  @inline get timeoutOverflow(): u8 {
    return this.timeout > i64.MAX_VALUE - this.time ? 1 : 0;
  }
  /** time + timeout, the cache's sort key; when it overflows, how far past INT64_MAX. */
  @inline get calcTimeout(): i64 {
    const room = i64.MAX_VALUE - this.time;
    return this.timeout > room ? this.timeout - room : this.time + this.timeout;
  }

  @inline get sessionIdPtr(): usize {
    return changetype<usize>(this) + offsetof<Session>("sessionId0");
  }
  @inline get sidCtxPtr(): usize {
    return changetype<usize>(this) + offsetof<Session>("sidCtx0");
  }
}

const SESSION_SIZE: usize = offsetof<Session>();

/** SSL_SESSION_new: one reference, OpenSSL's defaults. Returns null when out of memory. */
export function sessionNew(): Session | null {
  const s = sessionAlloc();
  if (!s) return null;
  s.time = nowSeconds();
  return s;
}

/** A new session with the defaults except its time, which the caller sets (d2i). */
export function sessionAlloc(): Session | null {
  const p = alloc(SESSION_SIZE);
  if (!p) return null;
  memory.fill(p, 0, SESSION_SIZE);
  const s = changetype<Session>(p);
  s.refs = 1;
  s.verifyResult = 1; // "avoid 0 (= X509_V_OK) just in case"
  s.maxFragmentLenMode = MFL_UNSPECIFIED;
  s.timeout = NEW_SESSION_TIMEOUT;
  return s;
}

/** Frees everything a session owns, wiping secrets first. The record itself is wiped too. */
export function sessionDestroy(s: Session): void {
  releaseSecret(s.masterKey, s.masterKeyLength);
  releaseSecret(s.earlySecret, EARLY_SECRET_LENGTH);
  blobFree(s.hostname);
  blobFree(s.pskIdentityHint);
  blobFree(s.pskIdentity);
  blobFree(s.srpUsername);
  blobFree(s.ticket);
  blobFree(s.alpnSelected);
  blobFree(s.ticketAppData);
  blobFree(s.peer);
  const p = changetype<usize>(s);
  wipe(p, SESSION_SIZE);
  release(p, SESSION_SIZE);
}

/**
 * SSL_SESSION_dup: a deep copy with one reference, in no cache. not_resumable is copied as is
 * (only the handshake's internal duplicate clears it). Returns null when out of memory, having
 * freed any partial copy.
 */
export function sessionDup(src: Session): Session | null {
  const p = alloc(SESSION_SIZE);
  if (!p) return null;
  memory.copy(p, changetype<usize>(src), SESSION_SIZE);
  const d = changetype<Session>(p);
  d.refs = 1;
  d.handle = 0;
  d.prev = null;
  d.next = null;
  d.left = null;
  d.right = null;
  d.height = 0;
  d.owner = 0;
  // Null every owned pointer first so a failed copy can be destroyed safely.
  const masterKey = src.masterKey,
    earlySecret = src.earlySecret;
  d.masterKey = 0;
  d.earlySecret = 0;
  d.hostname = 0;
  d.pskIdentityHint = 0;
  d.pskIdentity = 0;
  d.srpUsername = 0;
  d.ticket = 0;
  d.alpnSelected = 0;
  d.ticketAppData = 0;
  d.peer = 0;
  let ok = true;
  if (masterKey) {
    d.masterKey = alloc(src.masterKeyLength);
    if (d.masterKey) memory.copy(d.masterKey, masterKey, src.masterKeyLength);
    else ok = false;
  }
  if (earlySecret) {
    d.earlySecret = alloc(EARLY_SECRET_LENGTH);
    if (d.earlySecret) memory.copy(d.earlySecret, earlySecret, EARLY_SECRET_LENGTH);
    else ok = false;
  }
  d.hostname = blobDup(src.hostname);
  ok = ok && (d.hostname != 0) == (src.hostname != 0);
  d.pskIdentityHint = blobDup(src.pskIdentityHint);
  ok = ok && (d.pskIdentityHint != 0) == (src.pskIdentityHint != 0);
  d.pskIdentity = blobDup(src.pskIdentity);
  ok = ok && (d.pskIdentity != 0) == (src.pskIdentity != 0);
  d.srpUsername = blobDup(src.srpUsername);
  ok = ok && (d.srpUsername != 0) == (src.srpUsername != 0);
  d.ticket = blobDup(src.ticket);
  ok = ok && (d.ticket != 0) == (src.ticket != 0);
  d.alpnSelected = blobDup(src.alpnSelected);
  ok = ok && (d.alpnSelected != 0) == (src.alpnSelected != 0);
  d.ticketAppData = blobDup(src.ticketAppData);
  ok = ok && (d.ticketAppData != 0) == (src.ticketAppData != 0);
  d.peer = blobDup(src.peer);
  ok = ok && (d.peer != 0) == (src.peer != 0);
  if (!ok) {
    if (!d.masterKey) d.masterKeyLength = 0;
    sessionDestroy(d);
    return null;
  }
  return d;
}

/** SSL_SESSION_is_resumable: not marked, and an id or a ticket to resume with. */
export function sessionIsResumable(s: Session): bool {
  return !s.notResumable && (s.sessionIdLength > 0 || (s.ticket != 0 && load<u32>(s.ticket) > 0));
}

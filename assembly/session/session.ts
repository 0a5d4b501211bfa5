// SSL_SESSION: the record, its reference count, duplication and wiping.
//
// Sessions live in linear memory and are owned by reference counts exactly as in OpenSSL 3.0:
// SSL_SESSION_new / d2i / dup hand the caller one reference, up_ref adds one, free drops one,
// and the last free wipes every secret (master key, ids, tickets) before the memory goes back to
// the allocator. OpenSSL's early_secret buffer has no counterpart: nothing here ever sets it.

import { alloc, release } from "../util/alloc";
import { wipe } from "../util/bytes";
import { nowSeconds } from "../env";
import { Field, entryOf, entryData, entryLength, blockSize } from "./fields";
import { Limit } from "../util/abi_values";

/** SSL_MAX_SSL_SESSION_ID_LENGTH: a session id is at most 32 bytes. */
export const MAX_SESSION_ID_LENGTH: u32 = Limit.SESSION_ID;
/** SSL_MAX_SID_CTX_LENGTH. */
export const MAX_SID_CTX_LENGTH: u32 = Limit.SID_CTX;
/** TLS13_MAX_RESUMPTION_PSK_LENGTH: the size of OpenSSL 3.0's master_key buffer (room for external PSKs). */
export const MAX_MASTER_KEY_LENGTH: u32 = Limit.MASTER_KEY;
/** SSL_SESSION_new's timeout (5 min + 4 s) until a handshake installs the context's. */
export const NEW_SESSION_TIMEOUT: i64 = 304;
/** TLSEXT_max_fragment_length_UNSPECIFIED. */
export const MFL_UNSPECIFIED: u8 = 255;
/** SSL_SESS_FLAG_EXTMS: the extended master secret (RFC 7627) was used. */
export const FLAG_EXTMS: u32 = 1;

@unmanaged
export class Session {
  // Packed without padding (every byte counts in a cache of 10^5 sessions): what a cache lookup
  // reads comes first, so that a probe touches one cache line: the key (version, id length, id).
  // The byte strings live in one block beside the record (fields.ts), and the rarer integers
  // keep the width their usual values need, the full width going to that block when needed.
  sslVersion: i32;
  _sessionIdLength: u8;
  maxFragmentLenMode: u8;
  /** Bit 7: not_resumable; bits 0-6: the cache's AVL height (cache/list.ts). */
  _bits: u8;
  _compressMeth: u8;
  sessionId0: u64;
  sessionId1: u64;
  sessionId2: u64;
  sessionId3: u64;
  refs: i32;
  handle: u32;
  time: i64;
  timeout: i64;
  /** The cache this session sits in (a session sits in at most one), 0 when none. */
  owner: usize;
  /** The key's hash in the cache this session sits in (cache/table.ts), so removal need not rehash. */
  hashValue: u32;
  // The cache's expiry-list links and their index (cache/list.ts).
  prev: Session | null;
  next: Session | null;
  left: Session | null;
  right: Session | null;
  /** The block of byte fields (fields.ts), 0 when none; the presence mask follows it. */
  data: usize;
  fields: u16;
  /** The cipher's suite code, 0 when no cipher is set (no suite OpenSSL knows has code 0). */
  _cipher: u16;
  // The integers OpenSSL keeps wider than their usual values need are here at that width, and in
  // the block (fields.ts) at full width when a value does not fit: read them through the getters
  // below, write them through accessors.ts.
  /** The key exchange group (32 bits): TLS group ids take 16. */
  _kexGroup: u16;
  /** The session flags (a uint32): SSL_SESS_FLAG_EXTMS is bit 0. */
  _flags: u8;
  /** X509 verification result (a C long): X509_V_* codes are below 128. */
  _verifyResult: i8;
  tickAgeAdd: u32;
  maxEarlyData: u32;
  /** The ticket lifetime hint (a C unsigned long): 32 bits in TLS 1.2, a week at most in 1.3. */
  _tickLifetimeHint: u32;

  // The short fields read and write as u32, like the rest; their writers keep them in range
  // (ids at most 32 bytes, compression one octet, the height at most 127).
  @inline get sessionIdLength(): u32 {
    return this._sessionIdLength;
  }
  // @ts-ignore: decorator
  @inline set sessionIdLength(v: u32) {
    this._sessionIdLength = <u8>v;
  }
  @inline get compressMeth(): u32 {
    return this._compressMeth;
  }
  // @ts-ignore: decorator
  @inline set compressMeth(v: u32) {
    this._compressMeth = <u8>v;
  }
  @inline get notResumable(): u8 {
    return this._bits >> 7;
  }
  // @ts-ignore: decorator
  @inline set notResumable(v: u8) {
    this._bits = (this._bits & 0x7f) | (v ? 0x80 : 0);
  }
  @inline get height(): u8 {
    return this._bits & 0x7f;
  }
  // @ts-ignore: decorator
  @inline set height(v: u8) {
    this._bits = (this._bits & 0x80) | (v & 0x7f);
  }
  /** 0x03000000 | suite code, 0 when no cipher is set. */
  @inline get cipherId(): u32 {
    const c = <u32>this._cipher;
    return c ? 0x03000000 | c : 0;
  }
  // @ts-ignore: decorator
  @inline set cipherId(v: u32) {
    this._cipher = <u16>v;
  }

  @inline get verifyResult(): i64 {
    return this.has(Field.WIDE_VERIFY_RESULT)
      ? load<i64>(entryData(this.entry(Field.WIDE_VERIFY_RESULT)))
      : <i64>this._verifyResult;
  }
  @inline get tickLifetimeHint(): u64 {
    return this.has(Field.WIDE_TICKET_LIFETIME_HINT)
      ? load<u64>(entryData(this.entry(Field.WIDE_TICKET_LIFETIME_HINT)))
      : <u64>this._tickLifetimeHint;
  }
  @inline get flags(): u32 {
    return this.has(Field.WIDE_FLAGS) ? load<u32>(entryData(this.entry(Field.WIDE_FLAGS))) : <u32>this._flags;
  }
  @inline get kexGroup(): u32 {
    return this.has(Field.WIDE_KEX_GROUP)
      ? load<u32>(entryData(this.entry(Field.WIDE_KEX_GROUP)))
      : <u32>this._kexGroup;
  }

  /** The address of the block pointer, which fields.ts works on. */
  @inline get fieldsSlot(): usize {
    return changetype<usize>(this) + offsetof<Session>("data");
  }
  /** Just past the record: where its block sits when the two share an allocation (fields.ts). */
  @inline get home(): usize {
    return changetype<usize>(this) + offsetof<Session>();
  }
  /** Whether field f of the block (fields.ts) is present. */
  @inline has(f: i32): bool {
    return (((<u32>this.fields) >> f) & 1) != 0;
  }
  /** Field f's entry in the block (fields.ts), 0 when the field is absent. */
  @inline entry(f: i32): usize {
    return entryOf(this.data, this.fields, f);
  }
  /** The master key (TLS 1.3: the resumption PSK), 0 when empty. */
  @inline get masterKey(): usize {
    return this.has(Field.MASTER_KEY) ? entryData(this.data) : 0;
  }
  @inline get masterKeyLength(): u32 {
    return this.has(Field.MASTER_KEY) ? entryLength(this.data) : 0;
  }
  @inline get sidCtxPtr(): usize {
    const e = this.entry(Field.SID_CTX);
    return e ? entryData(e) : 0;
  }
  @inline get sidCtxLength(): u32 {
    const e = this.entry(Field.SID_CTX);
    return e ? entryLength(e) : 0;
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
}

const SESSION_SIZE: usize = offsetof<Session>();
/** The bytes of the record. */
export const SESSION_RECORD_SIZE: usize = SESSION_SIZE;

/** SSL_SESSION_new: one reference, OpenSSL's defaults. Returns null when out of memory. */
export function sessionNew(): Session | null {
  const s = sessionAlloc();
  if (!s) return null;
  s.time = nowSeconds();
  return s;
}

/**
 * A new session with the defaults except its time, which the caller sets (d2i), and `extra`
 * bytes after the record for its block (fields.ts), which the caller writes.
 */
export function sessionAlloc(extra: usize = 0): Session | null {
  const p = alloc(SESSION_SIZE + extra);
  if (!p) return null;
  memory.fill(p, 0, SESSION_SIZE);
  const s = changetype<Session>(p);
  s.refs = 1;
  s._verifyResult = 1; // "avoid 0 (= X509_V_OK) just in case"
  s.maxFragmentLenMode = MFL_UNSPECIFIED;
  s.timeout = NEW_SESSION_TIMEOUT;
  return s;
}

/** Frees everything a session owns, wiping secrets first. The record itself is wiped too. */
export function sessionDestroy(s: Session): void {
  const p = changetype<usize>(s);
  const data = s.data;
  const size = blockSize(data, s.fields);
  let total = SESSION_SIZE;
  if (data == s.home) total += size;
  else if (data) {
    wipe(data, size);
    release(data, size);
  }
  wipe(p, total);
  release(p, total);
}

/**
 * SSL_SESSION_dup: a deep copy with one reference, in no cache, in one allocation with its
 * block. not_resumable is copied as is (only the handshake's internal duplicate clears it).
 * Returns null when out of memory.
 */
export function sessionDup(src: Session): Session | null {
  const size = blockSize(src.data, src.fields);
  const p = alloc(SESSION_SIZE + size);
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
  d.hashValue = 0;
  if (size) {
    memory.copy(d.home, src.data, size);
    d.data = d.home;
  }
  return d;
}

/** SSL_SESSION_is_resumable: not marked, and an id or a ticket to resume with. */
export function sessionIsResumable(s: Session): bool {
  if (s.notResumable) return false;
  if (s.sessionIdLength > 0) return true;
  const t = s.entry(Field.TICKET);
  return t != 0 && entryLength(t) > 0;
}

// The SSL_SESSION_get*/set* accessors with OpenSSL 3.0's return values and limits, plus generic
// field access by id for the host (fields OpenSSL sets only during a handshake have no public
// setter, but a host building a session from scratch needs them).

import {
  Session,
  MFL_UNSPECIFIED,
  MAX_SESSION_ID_LENGTH,
  MAX_SID_CTX_LENGTH,
  MAX_MASTER_KEY_LENGTH,
} from "./session";
import { Field, entryData, entryLength, fieldsSet } from "./fields";
import { cipherIndex } from "./ciphers";
import { SessionBytes as Bytes, SessionInt as Ints } from "../util/abi_values";
import { unsortInOwner, resortInOwner, unfileFromOwner, refileInOwner, resizedInOwner } from "./owner";

/** Byte-string fields, by id (integer fields: Ints). */
export { Bytes };

/**
 * Sets field f of the session's block (fields.ts) and tells its cache about the new size.
 * False when out of memory (nothing changed); removing or shrinking a field never fails.
 */
function setField(s: Session, f: i32, p: usize, n: u32, present: bool): bool {
  const delta = fieldsSet(s.fieldsSlot, changetype<usize>(s), s.home, f, p, n, present);
  if (delta == i64.MIN_VALUE) return false;
  resizedInOwner(s, delta);
  return true;
}

/** SSL_SESSION_set1_id: more than 32 bytes -> 0, else 1. */
export function setId(s: Session, p: usize, n: u32): i32 {
  if (n > MAX_SESSION_ID_LENGTH) return 0;
  unfileFromOwner(s);
  if (s.sessionIdLength) memory.fill(s.sessionIdPtr, 0, MAX_SESSION_ID_LENGTH);
  s.sessionIdLength = n;
  if (n) memory.copy(s.sessionIdPtr, p, n);
  refileInOwner(s);
  return 1;
}

/**
 * SSL_SESSION_set1_id_context: more than 32 bytes -> 0, else 1; -1 when out of memory (the
 * context lives in the session's block, which may have to grow).
 */
export function setIdContext(s: Session, p: usize, n: u32): i32 {
  if (n > MAX_SID_CTX_LENGTH) return 0;
  return setField(s, Field.SID_CTX, p, n, n != 0) ? 1 : -1;
}

/** SSL_SESSION_set1_master_key: more than 512 bytes -> 0; -1 when out of memory. */
export function setMasterKey(s: Session, p: usize, n: u32): i32 {
  if (n > MAX_MASTER_KEY_LENGTH) return 0;
  return setField(s, Field.MASTER_KEY, p, n, n != 0) ? 1 : -1;
}

/**
 * Stores a 64-bit value of field `wide` whose usual values fit the record's narrow field:
 * `fits` says whether v does (the caller then stores it there). The block keeps the full value
 * otherwise. False when out of memory.
 */
function setWide(s: Session, wide: i32, v: u64, fits: bool): bool {
  if (fits) return setField(s, wide, 0, 0, false);
  const e = s.entry(wide);
  if (e) {
    store<u64>(entryData(e), v);
    return true;
  }
  const b = memory.data(8);
  store<u64>(b, v);
  return setField(s, wide, b, 8, true);
}

/** The verify result (a C long). False when out of memory. */
function setVerifyResult(s: Session, v: i64): bool {
  const fits = v == <i64>(<i8>v);
  if (!setWide(s, Field.WIDE_VERIFY_RESULT, <u64>v, fits)) return false;
  if (fits) s._verifyResult = <i8>v;
  return true;
}

/** The session flags (a uint32). False when out of memory. */
function setFlags(s: Session, v: u32): bool {
  const fits = v <= 0xff;
  if (!setWide(s, Field.WIDE_FLAGS, <u64>v, fits)) return false;
  if (fits) s._flags = <u8>v;
  return true;
}

/** The key exchange group (32 bits). False when out of memory. */
function setKexGroup(s: Session, v: u32): bool {
  const fits = v <= 0xffff;
  if (!setWide(s, Field.WIDE_KEX_GROUP, <u64>v, fits)) return false;
  if (fits) s._kexGroup = <u16>v;
  return true;
}

/** The ticket lifetime hint (a C unsigned long). False when out of memory. */
export function setTicketLifetimeHint(s: Session, v: u64): bool {
  const fits = v <= <u64>u32.MAX_VALUE;
  if (!setWide(s, Field.WIDE_TICKET_LIFETIME_HINT, v, fits)) return false;
  if (fits) s._tickLifetimeHint = <u32>v;
  return true;
}

/** SSL_SESSION_get_ex_data's value, 0 when never set. */
function getExData(s: Session): u64 {
  const e = s.entry(Field.EX_DATA);
  return e ? load<u64>(entryData(e)) : 0;
}

/** SSL_SESSION_set_ex_data: false when out of memory (as CRYPTO_set_ex_data can fail). */
function setExData(s: Session, v: u64): bool {
  return setWide(s, Field.EX_DATA, v, v == 0);
}

/** SSL_SESSION_set_protocol_version: 1. A cached session is re-filed under its new key. */
export function setProtocolVersion(s: Session, v: i32): i32 {
  unfileFromOwner(s);
  s.sslVersion = v;
  refileInOwner(s);
  return 1;
}

/** SSL_SESSION_set_time: returns t (not 1, whatever the manual says); re-sorts a cached session. */
export function setTime(s: Session, t: i64): i64 {
  unsortInOwner(s);
  s.time = t;
  resortInOwner(s);
  return t;
}

/** SSL_SESSION_set_timeout: t < 0 -> 0; else re-sorts a cached session and returns 1. */
export function setTimeout(s: Session, t: i64): i32 {
  if (t < 0) return 0;
  unsortInOwner(s);
  s.timeout = t;
  resortInOwner(s);
  return 1;
}

/** SSL_SESSION_set_cipher by suite code: 1, or 0 for a suite OpenSSL does not know. */
export function setCipher(s: Session, code: u32): i32 {
  if (code > 0xffff || cipherIndex(code) < 0) return 0;
  s.cipherId = 0x03000000 | code;
  return 1;
}

/**
 * SSL_SESSION_get_max_fragment_length: the stored mode, except UNSPECIFIED (255), which libssl
 * 3.0 reports as 0 (TLSEXT_max_fragment_length_DISABLED). i2d still writes the stored 255.
 */
export function getMaxFragmentLength(s: Session): u8 {
  return s.maxFragmentLenMode == MFL_UNSPECIFIED ? 0 : s.maxFragmentLenMode;
}

/** The block's field (fields.ts) of a byte-string id, or -1 for ids that are not one. */
function blobField(field: i32): i32 {
  switch (field) {
    case Bytes.HOSTNAME:
      return Field.HOSTNAME;
    case Bytes.PSK_IDENTITY_HINT:
      return Field.PSK_IDENTITY_HINT;
    case Bytes.PSK_IDENTITY:
      return Field.PSK_IDENTITY;
    case Bytes.SRP_USERNAME:
      return Field.SRP_USERNAME;
    case Bytes.TICKET:
      return Field.TICKET;
    case Bytes.ALPN_SELECTED:
      return Field.ALPN_SELECTED;
    case Bytes.TICKET_APPDATA:
      return Field.TICKET_APPDATA;
    case Bytes.PEER:
      return Field.PEER;
  }
  return -1;
}

/** Replaces a blob field: present = false makes it NULL. 1 ok, -1 out of memory, -2 bad id. */
export function setBlobField(s: Session, field: i32, p: usize, n: u32, present: bool): i32 {
  const f = blobField(field);
  if (f < 0) return -2;
  return setField(s, f, p, n, present) ? 1 : -1;
}

/** Where a byte field lies inside a session: a view the caller owns, valid while the field is. */
@unmanaged
export class FieldView {
  ptr: usize;
  len: u32;
}

/** Points `v` at a byte field; returns false (and `v` untouched) when the field is NULL. */
export function getBytesField(s: Session, field: i32, v: FieldView): bool {
  if (field == Bytes.SESSION_ID) {
    v.ptr = s.sessionIdPtr;
    v.len = s.sessionIdLength;
    return true;
  }
  if (field == Bytes.SID_CTX) {
    v.ptr = s.sidCtxPtr;
    v.len = s.sidCtxLength;
    return true;
  }
  if (field == Bytes.MASTER_KEY) {
    v.ptr = s.masterKey;
    v.len = s.masterKeyLength;
    return true;
  }
  const f = blobField(field);
  if (f < 0) return false;
  const e = s.entry(f);
  if (!e) return false;
  v.ptr = entryData(e);
  v.len = entryLength(e);
  return true;
}

export function getIntField(s: Session, field: i32): i64 {
  switch (field) {
    case Ints.SSL_VERSION:
      return s.sslVersion;
    case Ints.CIPHER_ID:
      return s.cipherId;
    case Ints.TIME:
      return s.time;
    case Ints.TIMEOUT:
      return s.timeout;
    case Ints.VERIFY_RESULT:
      return s.verifyResult;
    case Ints.KEX_GROUP:
      return s.kexGroup;
    case Ints.FLAGS:
      return s.flags;
    case Ints.TICKET_LIFETIME_HINT:
      return <i64>s.tickLifetimeHint;
    case Ints.TICKET_AGE_ADD:
      return s.tickAgeAdd;
    case Ints.MAX_EARLY_DATA:
      return s.maxEarlyData;
    case Ints.MAX_FRAGMENT_LEN_MODE:
      return s.maxFragmentLenMode;
    case Ints.COMPRESS_ID:
      return s.compressMeth;
    case Ints.NOT_RESUMABLE:
      return s.notResumable;
    case Ints.EX_DATA:
      return <i64>getExData(s);
    case Ints.REFERENCES:
      return s.refs;
    case Ints.CALC_TIMEOUT:
      return s.calcTimeout;
    case Ints.TIMEOUT_OVERFLOW:
      return s.timeoutOverflow;
  }
  return 0;
}

/**
 * Sets an integer field with the field's C type (truncating like the C assignment). 1, 0 for a
 * bad id, -1 when out of memory (a value wider than the record keeps, or ex_data, that needs room
 * in the session's block).
 */
export function setIntField(s: Session, field: i32, v: i64): i32 {
  switch (field) {
    case Ints.SSL_VERSION:
      return setProtocolVersion(s, <i32>v);
    case Ints.CIPHER_ID:
      return setCipher(s, (<u32>v) & 0xffff);
    case Ints.TIME:
      setTime(s, v);
      return 1;
    case Ints.TIMEOUT:
      return setTimeout(s, v);
    case Ints.VERIFY_RESULT:
      return setVerifyResult(s, v) ? 1 : -1;
    case Ints.KEX_GROUP:
      return setKexGroup(s, <u32>v) ? 1 : -1;
    case Ints.FLAGS:
      return setFlags(s, <u32>v) ? 1 : -1;
    case Ints.TICKET_LIFETIME_HINT:
      return setTicketLifetimeHint(s, <u64>v) ? 1 : -1;
    case Ints.TICKET_AGE_ADD:
      s.tickAgeAdd = <u32>v;
      return 1;
    case Ints.MAX_EARLY_DATA:
      s.maxEarlyData = <u32>v;
      return 1;
    case Ints.MAX_FRAGMENT_LEN_MODE:
      s.maxFragmentLenMode = <u8>v;
      return 1;
    case Ints.COMPRESS_ID:
      s.compressMeth = (<u32>v) & 0xff;
      return 1;
    case Ints.NOT_RESUMABLE:
      s.notResumable = v != 0 ? 1 : 0;
      return 1;
    case Ints.EX_DATA:
      return setExData(s, <u64>v) ? 1 : -1;
  }
  return 0;
}

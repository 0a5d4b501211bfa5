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
import { blobNew, blobFree, blobLength, blobData, blobSize } from "./blob";
import { cipherIndex } from "./ciphers";
import { SessionBytes as Bytes, SessionInt as Ints } from "../util/abi_values";
import { alloc, releaseSecret } from "../util/alloc";
import { unsortInOwner, resortInOwner, unfileFromOwner, refileInOwner, resizedInOwner } from "./owner";

/** Byte-string fields, by id (integer fields: Ints). */
export { Bytes };

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

/** SSL_SESSION_set1_id_context: more than 32 bytes -> 0, else 1. */
export function setIdContext(s: Session, p: usize, n: u32): i32 {
  if (n > MAX_SID_CTX_LENGTH) return 0;
  memory.fill(s.sidCtxPtr, 0, MAX_SID_CTX_LENGTH);
  s.sidCtxLength = n;
  if (n) memory.copy(s.sidCtxPtr, p, n);
  return 1;
}

/** SSL_SESSION_set1_master_key: more than 512 bytes -> 0; -1 when out of memory. */
export function setMasterKey(s: Session, p: usize, n: u32): i32 {
  if (n > MAX_MASTER_KEY_LENGTH) return 0;
  let fresh: usize = 0;
  if (n) {
    fresh = alloc(n);
    if (!fresh) return -1;
    memory.copy(fresh, p, n);
  }
  const old = s.masterKeyLength;
  releaseSecret(s.masterKey, s.masterKeyLength);
  s.masterKey = fresh;
  s.masterKeyLength = n;
  resizedInOwner(s, <i64>n - <i64>old);
  return 1;
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

/** Address of a blob field's slot in the record, or 0 for ids that are not blobs. */
function blobSlot(s: Session, field: i32): usize {
  const base = changetype<usize>(s);
  switch (field) {
    case Bytes.HOSTNAME:
      return base + offsetof<Session>("hostname");
    case Bytes.PSK_IDENTITY_HINT:
      return base + offsetof<Session>("pskIdentityHint");
    case Bytes.PSK_IDENTITY:
      return base + offsetof<Session>("pskIdentity");
    case Bytes.SRP_USERNAME:
      return base + offsetof<Session>("srpUsername");
    case Bytes.TICKET:
      return base + offsetof<Session>("ticket");
    case Bytes.ALPN_SELECTED:
      return base + offsetof<Session>("alpnSelected");
    case Bytes.TICKET_APPDATA:
      return base + offsetof<Session>("ticketAppData");
    case Bytes.PEER:
      return base + offsetof<Session>("peer");
  }
  return 0;
}

/** Replaces a blob field: present = false makes it NULL. 1 ok, -1 out of memory, -2 bad id. */
export function setBlobField(s: Session, field: i32, p: usize, n: u32, present: bool): i32 {
  const slot = blobSlot(s, field);
  if (!slot) return -2;
  let fresh: usize = 0;
  if (present) {
    fresh = blobNew(p, n);
    if (!fresh) return -1;
  }
  const old = blobSize(load<usize>(slot));
  blobFree(load<usize>(slot));
  store<usize>(slot, fresh);
  resizedInOwner(s, <i64>blobSize(fresh) - <i64>old);
  return 1;
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
  const slot = blobSlot(s, field);
  if (!slot) return false;
  const b = load<usize>(slot);
  if (!b) return false;
  v.ptr = blobData(b);
  v.len = blobLength(b);
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
      return <i64>s.exData;
    case Ints.REFERENCES:
      return s.refs;
    case Ints.CALC_TIMEOUT:
      return s.calcTimeout;
    case Ints.TIMEOUT_OVERFLOW:
      return s.timeoutOverflow;
  }
  return 0;
}

/** Sets an integer field with the field's C type (truncating like the C assignment). 1, or 0 for a bad id. */
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
      s.verifyResult = v;
      return 1;
    case Ints.KEX_GROUP:
      s.kexGroup = <u32>v;
      return 1;
    case Ints.FLAGS:
      s.flags = <u32>v;
      return 1;
    case Ints.TICKET_LIFETIME_HINT:
      s.tickLifetimeHint = <u64>v;
      return 1;
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
      s.exData = <u64>v;
      return 1;
  }
  return 0;
}

// The ABI of session objects: OpenSSL's names, handles instead of pointers, statuses instead of
// NULL. Each export resolves its handle, checks its arguments and calls into assembly/session/.

import { Kind } from "./handles";
import { argStatus, argRange, I64_FAULT, argObject, argMem } from "./args";
import { Status, fail } from "./status";
import { resultReserve, resultSet } from "./memory";
import { Session, sessionNew, sessionDup, sessionIsResumable } from "../session/session";
import {
  setId,
  setIdContext,
  setProtocolVersion,
  setMasterKey,
  setTime,
  setTimeout,
  setCipher,
  setBlobField,
  getBytesField,
  FieldView,
  getIntField,
  setIntField,
  getMaxFragmentLength,
  Bytes,
} from "../session/accessors";
import { decodeSession, decoded, encodedSize, encodeSession } from "../session/der/session_asn1";
import { checkCertificate } from "../session/der/x509";
import { Cursor } from "../session/der/reader";
import {
  findPem,
  decodePemBody,
  pemBodyLen,
  pemErrorAt,
  pemError,
  pemEncodedSize,
  encodePem,
} from "../session/pem";
import { cipherIndex, cipherName } from "../session/ciphers";
import { blobFree, blobData, blobLength } from "../session/blob";
import { sessionRelease, sessionRegister } from "../session/refs";
import { alloc, release } from "../util/alloc";

// @ts-ignore: decorator
@inline function session(h: u32): Session | null {
  const p = argObject(h, Kind.SESSION);
  return p ? changetype<Session>(p) : null;
}

/** Gives a fresh session (one reference) its handle; frees it if no handle can be had. */
function publish(s: Session): i32 {
  if (!sessionRegister(s)) return fail(Status.NO_MEMORY, "out of handles");
  return <i32>s.handle;
}

export function SSL_SESSION_new(): i32 {
  const s = sessionNew();
  if (!s) return fail(Status.NO_MEMORY, "out of memory");
  return publish(s);
}

export function SSL_SESSION_up_ref(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  if (s.refs == i32.MAX_VALUE) return fail(Status.BAD_STATE, "reference count overflow");
  s.refs++;
  return 1;
}

/** SSL_SESSION_free: drops one reference. Returns the references left (0: freed). */
export function SSL_SESSION_free(h: u32): i32 {
  if (h == 0) return 0; // free(NULL) is a no-op
  const s = session(h);
  if (!s) return argStatus();
  const left = s.refs - 1;
  sessionRelease(s);
  return left;
}

export function SSL_SESSION_dup(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  const d = sessionDup(s);
  if (!d) return fail(Status.NO_MEMORY, "out of memory");
  return publish(d);
}

let lastConsumed: i32 = 0;

/** d2i_SSL_SESSION: a new session from DER. Returns its handle; tls_last_consumed() tells the bytes read. */
export function d2i_SSL_SESSION(ptr: usize, len: i32): i32 {
  if (len < 0) return fail(Status.INVALID_ARGUMENT, "negative length");
  if (!argMem(ptr, <usize>len)) return argStatus();
  const r = decodeSession(ptr, len);
  if (r < 0) return r;
  lastConsumed = r;
  return publish(decoded!);
}

export function tls_last_consumed(): i32 {
  return lastConsumed;
}

/** i2d_SSL_SESSION into the result buffer. Returns the length, 0 when the session has no cipher. */
export function i2d_SSL_SESSION(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  const n = encodedSize(s);
  if (n == 0) return 0;
  const dst = resultReserve(n);
  if (!dst) return fail(Status.NO_MEMORY, "out of memory");
  return <i32>encodeSession(s, dst, n);
}

/** PEM_read_bio_SSL_SESSION over text. Returns a handle; the DER offset of a fault is in the error. */
export function PEM_read_SSL_SESSION(ptr: usize, len: i32): i32 {
  if (len < 0) return fail(Status.INVALID_ARGUMENT, "negative length");
  if (!argMem(ptr, <usize>len)) return argStatus();
  if (findPem(ptr, len) < 0) return fail(Status.PEM, pemError, pemErrorAt);
  const cap = (pemBodyLen / 4) * 3 + 3;
  const der = alloc(cap);
  if (!der) return fail(Status.NO_MEMORY, "out of memory");
  const n = decodePemBody(der);
  let r: i32;
  if (n == i32.MIN_VALUE) r = fail(Status.NO_MEMORY, "out of memory");
  else if (n < 0) r = fail(Status.PEM, "bad base64 in the PEM body", -1);
  else {
    r = decodeSession(der, n);
    if (r >= 0) {
      lastConsumed = r;
      r = publish(decoded!);
    }
  }
  memory.fill(der, 0, cap);
  release(der, cap);
  return r;
}

export function PEM_write_SSL_SESSION(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  const n = encodedSize(s);
  if (n == 0) return fail(Status.NO_CIPHER, "session has no cipher");
  const der = alloc(n);
  if (!der) return fail(Status.NO_MEMORY, "out of memory");
  encodeSession(s, der, n);
  const dst = resultReserve(pemEncodedSize(n));
  let r: i32;
  if (!dst) r = fail(Status.NO_MEMORY, "out of memory");
  else r = <i32>encodePem(der, n, dst);
  memory.fill(der, 0, n);
  release(der, n);
  return r;
}

// --- accessors -----------------------------------------------------------------------------------

/** The view the byte getters fill (session/accessors.ts). */
const FIELD: usize = memory.data(offsetof<FieldView>());

function bytesOut(s: Session, field: i32): i32 {
  const v = changetype<FieldView>(FIELD);
  if (!getBytesField(s, field, v)) return Status.ABSENT;
  if (resultSet(v.ptr, v.len) < 0) return fail(Status.NO_MEMORY, "out of memory");
  return <i32>v.len;
}

export function SSL_SESSION_get_id(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.SESSION_ID);
}
export function SSL_SESSION_set1_id(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  return setId(s, ptr, len);
}
export function SSL_SESSION_get0_id_context(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.SID_CTX);
}
export function SSL_SESSION_set1_id_context(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  return idContextStatus(setIdContext(s, ptr, len));
}
function idContextStatus(r: i32): i32 {
  return r < 0 ? fail(Status.NO_MEMORY, "out of memory") : r;
}
/** SSL_SESSION_get_master_key: outlen 0 -> the stored length; else copies min(outlen, len). */
export function SSL_SESSION_get_master_key(h: u32, outlen: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  if (outlen == 0) return <i32>s.masterKeyLength;
  const n = outlen < s.masterKeyLength ? outlen : s.masterKeyLength;
  if (resultSet(s.masterKey, n) < 0) return fail(Status.NO_MEMORY, "out of memory");
  return <i32>n;
}
export function SSL_SESSION_set1_master_key(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  const r = setMasterKey(s, ptr, len);
  return r < 0 ? fail(Status.NO_MEMORY, "out of memory") : r;
}
export function SSL_SESSION_get_time(h: u32): i64 {
  const s = session(h);
  if (!s) return I64_FAULT;
  return s.time;
}
export function SSL_SESSION_set_time(h: u32, t: i64): i64 {
  const s = session(h);
  if (!s) return I64_FAULT;
  return setTime(s, t);
}
export function SSL_SESSION_get_timeout(h: u32): i64 {
  const s = session(h);
  if (!s) return I64_FAULT;
  return s.timeout;
}
export function SSL_SESSION_set_timeout(h: u32, t: i64): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return setTimeout(s, t);
}
export function SSL_SESSION_get_protocol_version(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return s.sslVersion;
}
export function SSL_SESSION_set_protocol_version(h: u32, v: i32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return setProtocolVersion(s, v);
}
/** The cipher's 2-byte suite code, or ABSENT when no cipher is set. */
export function SSL_SESSION_get_cipher(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return s.cipherId ? <i32>(s.cipherId & 0xffff) : Status.ABSENT;
}
export function SSL_SESSION_set_cipher(h: u32, code: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return setCipher(s, code);
}
/** OpenSSL's name of a suite code, ASCII in the result buffer; ABSENT if unknown. */
export function tls_cipher_name(code: u32): i32 {
  const i = cipherIndex(code);
  if (i < 0) return Status.ABSENT;
  const name = cipherName(i);
  const dst = resultReserve(<usize>name.length);
  if (!dst) return fail(Status.NO_MEMORY, "out of memory");
  for (let k = 0; k < name.length; k++) store<u8>(dst + <usize>k, <u8>name.charCodeAt(k));
  return name.length;
}
export function SSL_SESSION_get0_hostname(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.HOSTNAME);
}
/** SSL_SESSION_set1_hostname: present = 0 is NULL (clears). A C string: it ends at the first NUL. */
export function SSL_SESSION_set1_hostname(h: u32, ptr: usize, len: u32, present: i32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  let n: u32 = 0;
  if (present) while (n < len && load<u8>(ptr + n) != 0) n++;
  return setField(s, Bytes.HOSTNAME, ptr, n, present != 0);
}
export function SSL_SESSION_get0_alpn_selected(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.ALPN_SELECTED);
}
/** SSL_SESSION_set1_alpn_selected: length 0 clears. */
export function SSL_SESSION_set1_alpn_selected(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  return setField(s, Bytes.ALPN_SELECTED, ptr, len, len != 0);
}
export function SSL_SESSION_get0_ticket_appdata(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.TICKET_APPDATA);
}
/** SSL_SESSION_set1_ticket_appdata: length 0 clears. */
export function SSL_SESSION_set1_ticket_appdata(h: u32, ptr: usize, len: u32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  return setField(s, Bytes.TICKET_APPDATA, ptr, len, len != 0);
}
export function SSL_SESSION_get0_ticket(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.TICKET);
}
export function SSL_SESSION_has_ticket(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  const v = changetype<FieldView>(FIELD);
  return getBytesField(s, Bytes.TICKET, v) && v.len > 0 ? 1 : 0;
}
export function SSL_SESSION_get_ticket_lifetime_hint(h: u32): i64 {
  const s = session(h);
  if (!s) return I64_FAULT;
  return <i64>s.tickLifetimeHint;
}
export function SSL_SESSION_get_max_early_data(h: u32): i64 {
  const s = session(h);
  if (!s) return I64_FAULT;
  return s.maxEarlyData;
}
export function SSL_SESSION_set_max_early_data(h: u32, v: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  s.maxEarlyData = v;
  return 1;
}
export function SSL_SESSION_get_max_fragment_length(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return getMaxFragmentLength(s);
}
export function SSL_SESSION_get_compress_id(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return <i32>s.compressMeth;
}
export function SSL_SESSION_is_resumable(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return sessionIsResumable(s) ? 1 : 0;
}
/** SSL_SESSION_get0_peer: the leaf certificate's DER, or ABSENT. */
export function SSL_SESSION_get0_peer(h: u32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  return bytesOut(s, Bytes.PEER);
}

/** Any byte field by id (see accessors.ts Bytes), for hosts building or reading every field. */
export function tls_session_get_bytes(h: u32, field: i32): i32 {
  const s = session(h);
  if (!s) return argStatus();
  if (field < 0 || field > Bytes.MASTER_KEY) return fail(Status.INVALID_ARGUMENT, "unknown field id");
  return bytesOut(s, field);
}

function setField(s: Session, field: i32, ptr: usize, len: u32, present: bool): i32 {
  const r = setBlobField(s, field, ptr, len, present);
  if (r == -1) return fail(Status.NO_MEMORY, "out of memory");
  if (r == -2) return fail(Status.INVALID_ARGUMENT, "unknown field id");
  return 1;
}

/**
 * Sets a byte field by id; present = 0 makes it NULL. A peer certificate must be a well-formed
 * Certificate and is stored in the canonical form i2d writes. Ids 8-10 (id, sid_ctx, master key)
 * follow their set1 functions' limits and return 0 past them.
 */
export function tls_session_set_bytes(h: u32, field: i32, ptr: usize, len: u32, present: i32): i32 {
  if (!argMem(ptr, <usize>len)) return argStatus();
  const s = session(h);
  if (!s) return argStatus();
  if (field == Bytes.SESSION_ID) return setId(s, ptr, len);
  if (field == Bytes.SID_CTX) return idContextStatus(setIdContext(s, ptr, len));
  if (field == Bytes.MASTER_KEY) {
    const r = setMasterKey(s, ptr, len);
    return r < 0 ? fail(Status.NO_MEMORY, "out of memory") : r;
  }
  if (field == Bytes.PEER && present) {
    const c = Cursor.start();
    const end = checkCertificate(c, ptr, len);
    c.clearScratch();
    if (!end) return fail(Status.BAD_CERTIFICATE, c.error, <i32>(c.errorAt - ptr));
    if (end != ptr + len) {
      blobFree(c.made);
      return fail(Status.BAD_CERTIFICATE, "trailing bytes after the certificate", <i32>(end - ptr));
    }
    const r = setBlobField(s, field, blobData(c.made), blobLength(c.made), true);
    blobFree(c.made);
    return r == 1 ? 1 : fail(Status.NO_MEMORY, "out of memory");
  }
  return setField(s, field, ptr, len, present != 0);
}

export function tls_session_get_int(h: u32, field: i32): i64 {
  const s = session(h);
  if (!s) return I64_FAULT;
  if (!argRange(field, 0, 16, "unknown integer field")) return I64_FAULT;
  return getIntField(s, field);
}

export function tls_session_set_int(h: u32, field: i32, v: i64): i32 {
  const s = session(h);
  if (!s) return argStatus();
  const r = setIntField(s, field, v);
  return r < 0 ? fail(Status.NO_MEMORY, "out of memory") : r;
}

/** Host validity check: 1 if h names a live session, else the error status. */
export function tls_session_valid(h: u32): i32 {
  return session(h) ? 1 : argStatus();
}

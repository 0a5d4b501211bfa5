// i2d_SSL_SESSION / d2i_SSL_SESSION: OpenSSL 3.0's session encoding (ssl/ssl_asn1.c).
//
//   SSLSession ::= SEQUENCE {
//     version           INTEGER (must be 1),
//     sslVersion        INTEGER,            -- 0x0303 TLS 1.2, 0x0304 TLS 1.3, DTLS 0xFEFD/0xFEFF, 0x0100
//     cipher            OCTET STRING,       -- 2 bytes: the suite code
//     sessionID         OCTET STRING,       -- <= 32 bytes
//     masterKey         OCTET STRING,       -- <= 512 bytes (TLS 1.3: the resumption PSK)
//     keyArg        [0] IMPLICIT OCTET STRING OPTIONAL,   -- SSLv2 legacy: read and ignored
//     time          [1] EXPLICIT INTEGER OPTIONAL,        -- 0/absent -> now
//     timeout       [2] EXPLICIT INTEGER OPTIONAL,        -- 0/absent -> 3
//     peer          [3] EXPLICIT Certificate OPTIONAL,
//     sessionIDContext [4] EXPLICIT OCTET STRING OPTIONAL, -- always written, <= 32 bytes
//     verifyResult  [5] EXPLICIT INTEGER OPTIONAL,
//     hostName      [6] EXPLICIT OCTET STRING OPTIONAL,
//     pskIdentityHint [7] EXPLICIT OCTET STRING OPTIONAL,
//     pskIdentity   [8] EXPLICIT OCTET STRING OPTIONAL,
//     ticketLifetimeHint [9] EXPLICIT INTEGER OPTIONAL,
//     ticket        [10] EXPLICIT OCTET STRING OPTIONAL,
//     compressionID [11] EXPLICIT OCTET STRING OPTIONAL,  -- exactly 1 byte
//     srpUsername   [12] EXPLICIT OCTET STRING OPTIONAL,
//     flags         [13] EXPLICIT INTEGER OPTIONAL,       -- bit 0: extended master secret
//     ticketAgeAdd  [14] EXPLICIT INTEGER OPTIONAL,
//     maxEarlyData  [15] EXPLICIT INTEGER OPTIONAL,
//     alpnSelected  [16] EXPLICIT OCTET STRING OPTIONAL,
//     maxFragLenMode [17] EXPLICIT INTEGER OPTIONAL,
//     ticketAppData [18] EXPLICIT OCTET STRING OPTIONAL,
//     kexGroup      [19] EXPLICIT INTEGER OPTIONAL }      -- always written, even 0
//
// Writing: fields in tag order; zero integers and NULL strings omitted except [4] and [19].
// Reading: one SEQUENCE; the bytes after it are not looked at (d2i reports what it consumed).

import {
  checkTlen,
  isEoc,
  setError,
  readString,
  readInt,
  strData,
  strLen,
  intValue,
  errorAt,
  errorReason,
  tlvContent,
  tlvLength,
  tlvIndefinite,
  tlvConstructed,
  collectReset,
  collectOom,
  collectBuf,
  UNIVERSAL,
  CONTEXT,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
} from "./reader";
import { Builder, Tag, tlvSize, contentOf } from "./writer";
import { checkCertificate, certCanonical } from "./x509";
import {
  Session,
  sessionAlloc,
  sessionDestroy,
  calculateTimeout,
  MAX_SESSION_ID_LENGTH,
  MAX_SID_CTX_LENGTH,
  MAX_MASTER_KEY_LENGTH,
} from "../session";
import { blobNew, blobFree, blobLength, blobData, cstrLength } from "../blob";
import { cipherIndex } from "../ciphers";
import { alloc } from "../../util/alloc";
import { nowSeconds } from "../../env";
import { Status, fail } from "../../util/status";

/** SSL_SESSION_ASN1_VERSION. */
const ASN1_VERSION: u64 = 1;
/** d2i's timeout when [2] is absent or 0. */
const DEFAULT_DECODED_TIMEOUT: i64 = 3;

// Template kinds.
const K_INT32: u8 = 0,
  K_UINT32: u8 = 1,
  K_INT64: u8 = 2,
  K_UINT64: u8 = 3;
const K_OCTETS: u8 = 4,
  K_IMPLICIT_OCTETS: u8 = 5,
  K_CERT: u8 = 6;

// The 25 fields: explicit tag (-1 = untagged) and kind.
const FIELD_COUNT: i32 = 25;
const FIELD_TAG: StaticArray<i8> = [
  -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
];
const FIELD_KIND: StaticArray<u8> = [
  K_UINT32,
  K_INT32,
  K_OCTETS,
  K_OCTETS,
  K_OCTETS,
  K_IMPLICIT_OCTETS,
  K_INT64,
  K_INT64,
  K_CERT,
  K_OCTETS,
  K_INT32,
  K_OCTETS,
  K_OCTETS,
  K_OCTETS,
  K_UINT64,
  K_OCTETS,
  K_OCTETS,
  K_OCTETS,
  K_UINT64,
  K_UINT32,
  K_UINT32,
  K_OCTETS,
  K_UINT32,
  K_OCTETS,
  K_UINT32,
];
const F_VERSION = 0,
  F_SSL_VERSION = 1,
  F_CIPHER = 2,
  F_SESSION_ID = 3,
  F_MASTER_KEY = 4,
  F_KEY_ARG = 5;
const F_TIME = 6,
  F_TIMEOUT = 7,
  F_PEER = 8,
  F_SID_CTX = 9,
  F_VERIFY = 10,
  F_HOSTNAME = 11;
const F_PSK_HINT = 12,
  F_PSK_IDENTITY = 13,
  F_LIFETIME = 14,
  F_TICKET = 15,
  F_COMP_ID = 16;
const F_SRP = 17,
  F_FLAGS = 18,
  F_AGE_ADD = 19,
  F_MAX_EARLY = 20,
  F_ALPN = 21,
  F_MFL = 22;
const F_APPDATA = 23,
  F_KEX_GROUP = 24;

// Staging, per field: the decoded integer, or a string's (address, length) -- in the input for a
// primitive string, in an owned blob for a constructed one or the certificate -- and where the
// field began. `touched` says which entries need clearing.
const stagedInt = memory.data(8 * 25);
const stagedPtr = memory.data(8 * 25);
const stagedLen = memory.data(8 * 25);
const stagedOwned = memory.data(8 * 25);
const stagedAt = memory.data(8 * 25);
let touched: u32 = 0;

// @ts-ignore: decorator
@inline function slot(base: usize, f: i32): usize {
  return base + ((<usize>f) << 3);
}
// @ts-ignore: decorator
@inline function sInt(f: i32): u64 {
  return load<u64>(slot(stagedInt, f));
}
// @ts-ignore: decorator
@inline function sAt(f: i32): usize {
  return load<usize>(slot(stagedAt, f));
}
/** A staged string's length, or -1 when the field was absent. */
// @ts-ignore: decorator
@inline function sLen(f: i32): i64 {
  return (touched >> f) & 1 ? load<i64>(slot(stagedLen, f)) : -1;
}
// @ts-ignore: decorator
@inline function sPtr(f: i32): usize {
  return load<usize>(slot(stagedPtr, f));
}

function stageString(f: i32, ptr: usize, len: i64, owned: usize): void {
  store<usize>(slot(stagedPtr, f), ptr);
  store<i64>(slot(stagedLen, f), len);
  store<usize>(slot(stagedOwned, f), owned);
  touched |= 1 << f;
}

function stageInt(f: i32, v: u64): void {
  store<u64>(slot(stagedInt, f), v);
  touched |= 1 << f;
}

function clearStaging(): void {
  let t = touched;
  while (t) {
    const f = <i32>ctz(t);
    t &= t - 1;
    blobFree(load<usize>(slot(stagedOwned, f)));
    store<usize>(slot(stagedOwned, f), 0);
    store<u64>(slot(stagedInt, f), 0);
  }
  touched = 0;
  collectReset();
}

/** Reads the inner value of field f at p within len. Returns end, 0 (error) or 1 (absent). */
function readValue(f: i32, p: usize, len: i64, optional: bool): usize {
  const kind = unchecked(FIELD_KIND[f]);
  if (kind <= K_UINT64) {
    const e = readInt(p, len, <i32>kind, optional);
    if (e > 1) stageInt(f, intValue);
    return e;
  }
  if (kind == K_CERT) {
    const r = checkTlen(p, len, TAG_SEQUENCE, UNIVERSAL, optional);
    if (r == 0) return 0;
    if (r < 0) return 1;
    const e = checkCertificate(p, len);
    if (e) stageString(f, blobData(certCanonical), blobLength(certCanonical), certCanonical);
    return e;
  }
  const e =
    kind == K_IMPLICIT_OCTETS
      ? readString(p, len, 0, CONTEXT, optional)
      : readString(p, len, TAG_OCTET_STRING, UNIVERSAL, optional);
  if (e > 1) {
    if (strData != collectBuf || collectBuf == 0) {
      stageString(f, strData, strLen, 0);
    } else {
      // Constructed: the fragments sit in the shared collect buffer; keep a copy.
      const b = blobNew(strData, <u32>strLen);
      if (!b) return setError(p, "out of memory");
      stageString(f, blobData(b), strLen, b);
    }
  }
  return e;
}

/** One template field (asn1_template_ex_d2i): EXPLICIT wrapper if tagged. Same convention. */
function readField(f: i32, p: usize, len: i64, optional: bool): usize {
  store<usize>(slot(stagedAt, f), p);
  const tag = <i32>unchecked(FIELD_TAG[f]);
  if (tag <= 0) return readValue(f, p, len, optional); // untagged, or [0] IMPLICIT
  const r = checkTlen(p, len, tag, CONTEXT, optional);
  if (r == 0) return 0;
  if (r < 0) return 1;
  if (!tlvConstructed) return setError(p, "EXPLICIT tag not constructed");
  const inner = tlvContent;
  let left = tlvLength;
  const expEoc = tlvIndefinite;
  const e = readValue(f, inner, left, false);
  if (e == 0) return 0;
  left -= <i64>(e - inner);
  if (expEoc) {
    if (!isEoc(e, left)) return setError(e, "missing end-of-contents");
    return e + 2;
  }
  if (left != 0) return setError(e, "EXPLICIT length mismatch");
  return e;
}

/** The ASN.1 pass: fills the staging area. Returns the end of the SEQUENCE or 0. */
function parse(buf: usize, len: i64): usize {
  if (checkTlen(buf, len, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
  if (!tlvConstructed) return setError(buf, "SEQUENCE not constructed");
  let p = tlvContent;
  let left = tlvLength;
  let seqEoc = tlvIndefinite;
  const noLength = seqEoc;
  let f = 0;
  for (; f < FIELD_COUNT; f++) {
    if (!left) break;
    if (isEoc(p, left)) {
      if (!seqEoc) return setError(p, "unexpected end-of-contents");
      p += 2;
      left -= 2;
      seqEoc = false;
      break;
    }
    // The last field cannot be omitted while data remains.
    const optional = f >= F_KEY_ARG && f != FIELD_COUNT - 1;
    const e = readField(f, p, left, optional);
    if (e == 0) return 0;
    if (e == 1) continue;
    left -= <i64>(e - p);
    p = e;
  }
  if (seqEoc) {
    if (!isEoc(p, left)) return setError(p, "missing end-of-contents");
    p += 2;
    left -= 2;
  }
  if (!noLength && left) return setError(p, "sequence length mismatch");
  if (f < F_KEY_ARG) return setError(p, "field missing");
  return p;
}

/**
 * Stores the staged string `f` as a session-owned blob at `field` (0 when absent); `cstr` cuts
 * it at the first NUL. Returns false when out of memory (the field is then left 0).
 */
function takeBlob(field: usize, f: i32, cstr: bool): bool {
  store<usize>(field, 0);
  const n = sLen(f);
  if (n < 0) return true;
  let len = <u32>n;
  if (cstr) len = cstrLength(sPtr(f), len);
  const owned = load<usize>(slot(stagedOwned, f));
  if (owned && len == <u32>n) {
    store<usize>(slot(stagedOwned, f), 0); // hand the staged blob over
    store<usize>(field, owned);
    return true;
  }
  const b = blobNew(sPtr(f), len);
  store<usize>(field, b);
  return b != 0;
}

function reject(code: i32, message: string, f: i32, buf: usize): i32 {
  const at = sAt(f);
  clearStaging();
  return fail(code, message, at ? <i32>(at - buf) : -1);
}

/** The session made by the last successful decode. */
export let decoded: Session | null = null;

/**
 * d2i_SSL_SESSION over `len` bytes at `buf`. On success returns the bytes consumed and leaves
 * the new session (one reference) in `decoded`; on failure returns a negative Status with the
 * byte offset of the fault, and nothing has been allocated or changed.
 */
export function decodeSession(buf: usize, len: i64): i32 {
  decoded = null;
  clearStaging();
  const end = parse(buf, len);
  if (!end) {
    const oom = collectOom;
    const at = <i32>(errorAt - buf);
    const reason = errorReason;
    clearStaging();
    if (oom || reason == "out of memory") return fail(Status.NO_MEMORY, "out of memory while decoding", at);
    return fail(Status.ASN1, reason, at);
  }
  if (sInt(F_VERSION) != ASN1_VERSION)
    return reject(Status.UNKNOWN_SSL_VERSION, "unknown session format version (must be 1)", F_VERSION, buf);
  const sslVersion = <i32>sInt(F_SSL_VERSION);
  if (sslVersion >> 8 != 0x03 && sslVersion >> 8 != 0xfe && sslVersion != 0x0100) {
    return reject(Status.UNSUPPORTED_SSL_VERSION, "unsupported protocol version", F_SSL_VERSION, buf);
  }
  if (sLen(F_CIPHER) != 2)
    return reject(Status.CIPHER_CODE_WRONG_LENGTH, "cipher code is not 2 bytes", F_CIPHER, buf);
  const code = ((<u32>load<u8>(sPtr(F_CIPHER))) << 8) | load<u8>(sPtr(F_CIPHER), 1);
  if (cipherIndex(code) < 0) return reject(Status.UNKNOWN_CIPHER, "unknown cipher suite", F_CIPHER, buf);
  const idLen = sLen(F_SESSION_ID);
  if (idLen > <i64>MAX_SESSION_ID_LENGTH)
    return reject(Status.FIELD_TOO_LONG, "session id longer than 32 bytes", F_SESSION_ID, buf);
  const mkLen = sLen(F_MASTER_KEY);
  if (mkLen > <i64>MAX_MASTER_KEY_LENGTH)
    return reject(Status.FIELD_TOO_LONG, "master key longer than 512 bytes", F_MASTER_KEY, buf);
  const ctxLen = sLen(F_SID_CTX);
  if (ctxLen > <i64>MAX_SID_CTX_LENGTH)
    return reject(Status.FIELD_TOO_LONG, "session id context longer than 32 bytes", F_SID_CTX, buf);
  const compLen = sLen(F_COMP_ID);
  if (compLen >= 0 && compLen != 1)
    return reject(Status.BAD_LENGTH, "compression id is not 1 byte", F_COMP_ID, buf);

  const s = sessionAlloc();
  if (!s) {
    clearStaging();
    return fail(Status.NO_MEMORY, "out of memory");
  }
  s.sslVersion = sslVersion;
  s.kexGroup = <u32>sInt(F_KEX_GROUP);
  s.cipherId = 0x03000000 | code;
  s.sessionIdLength = <u32>idLen;
  memory.copy(s.sessionIdPtr, sPtr(F_SESSION_ID), <usize>idLen);
  let ok = true;
  if (mkLen > 0) {
    s.masterKey = alloc(<usize>mkLen);
    if (s.masterKey) {
      s.masterKeyLength = <u32>mkLen;
      memory.copy(s.masterKey, sPtr(F_MASTER_KEY), <usize>mkLen);
    } else ok = false;
  }
  const t = <i64>sInt(F_TIME);
  s.time = t != 0 ? t : nowSeconds();
  const to = <i64>sInt(F_TIMEOUT);
  s.timeout = to != 0 ? to : DEFAULT_DECODED_TIMEOUT;
  calculateTimeout(s);
  if (ctxLen > 0) {
    s.sidCtxLength = <u32>ctxLen;
    memory.copy(s.sidCtxPtr, sPtr(F_SID_CTX), <usize>ctxLen);
  }
  s.verifyResult = <i64>(<i32>sInt(F_VERIFY));
  s.tickLifetimeHint = sInt(F_LIFETIME);
  s.tickAgeAdd = <u32>sInt(F_AGE_ADD);
  s.compressMeth = compLen == 1 ? <u32>load<u8>(sPtr(F_COMP_ID)) : 0;
  s.flags = <u32>sInt(F_FLAGS);
  s.maxEarlyData = <u32>sInt(F_MAX_EARLY);
  s.maxFragmentLenMode = <u8>sInt(F_MFL);
  // Byte strings: C strings are cut at their first NUL (strndup), the others kept whole.
  const at = changetype<usize>(s);
  // Each is taken even after a failure, so that every staged blob ends up owned or freed.
  if (!takeBlob(at + offsetof<Session>("peer"), F_PEER, false)) ok = false;
  if (!takeBlob(at + offsetof<Session>("hostname"), F_HOSTNAME, true)) ok = false;
  if (!takeBlob(at + offsetof<Session>("pskIdentityHint"), F_PSK_HINT, true)) ok = false;
  if (!takeBlob(at + offsetof<Session>("pskIdentity"), F_PSK_IDENTITY, true)) ok = false;
  if (!takeBlob(at + offsetof<Session>("ticket"), F_TICKET, false)) ok = false;
  if (!takeBlob(at + offsetof<Session>("srpUsername"), F_SRP, true)) ok = false;
  if (!takeBlob(at + offsetof<Session>("alpnSelected"), F_ALPN, false)) ok = false;
  if (!takeBlob(at + offsetof<Session>("ticketAppData"), F_APPDATA, false)) ok = false;
  clearStaging();
  if (!ok) {
    sessionDestroy(s);
    return fail(Status.NO_MEMORY, "out of memory");
  }
  decoded = s;
  return <i32>(end - buf);
}

// --- i2d -----------------------------------------------------------------------------------------

/** The [n] EXPLICIT tags of the SSL_SESSION_ASN1 fields (ssl/ssl_asn1.c). */
namespace Field {
  export const TIME: i32 = 1;
  export const TIMEOUT: i32 = 2;
  export const PEER: i32 = 3;
  export const SID_CTX: i32 = 4;
  export const VERIFY_RESULT: i32 = 5;
  export const HOSTNAME: i32 = 6;
  export const PSK_IDENTITY_HINT: i32 = 7;
  export const PSK_IDENTITY: i32 = 8;
  export const TICKET_LIFETIME_HINT: i32 = 9;
  export const TICKET: i32 = 10;
  export const COMPRESS_METH: i32 = 11;
  export const SRP_USERNAME: i32 = 12;
  export const FLAGS: i32 = 13;
  export const TICKET_AGE_ADD: i32 = 14;
  export const MAX_EARLY_DATA: i32 = 15;
  export const ALPN_SELECTED: i32 = 16;
  export const MAX_FRAGMENT_LEN_MODE: i32 = 17;
  export const TICKET_APPDATA: i32 = 18;
  export const KEX_GROUP: i32 = 19;
}

/** An optional blob as [tag] EXPLICIT OCTET STRING; nothing when absent. */
// @ts-ignore: decorator
@inline function optionalBlob(b: Builder, tag: i32, blob: usize): void {
  if (blob) b.explicitString(tag, blobData(blob), blobLength(blob));
}

/** An INTEGER field OpenSSL leaves out when zero. */
// @ts-ignore: decorator
@inline function nonZeroInt(b: Builder, tag: i32, v: u64, signed: bool): void {
  if (v != 0) b.explicitInt(tag, v, signed);
}

/** The SEQUENCE content of `s`, written or counted by `b`. */
function body(b: Builder, s: Session): void {
  b.int(ASN1_VERSION, false);
  b.int(<u64>(<i64>s.sslVersion), true);
  // cipher: the low 16 bits of the id
  b.header(Tag.OCTET_STRING, 2);
  b.byte(<u8>(s.cipherId >> 8));
  b.byte(<u8>s.cipherId);
  b.string(Tag.OCTET_STRING, s.sessionIdPtr, s.sessionIdLength);
  b.string(Tag.OCTET_STRING, s.masterKey, s.masterKeyLength);
  nonZeroInt(b, Field.TIME, <u64>s.time, true);
  nonZeroInt(b, Field.TIMEOUT, <u64>s.timeout, true);
  // The peer certificate is a whole X509 inside [3], no OCTET STRING around it.
  if (s.peer) b.string(Tag.explicit(Field.PEER), blobData(s.peer), blobLength(s.peer));
  b.explicitString(Field.SID_CTX, s.sidCtxPtr, s.sidCtxLength);
  nonZeroInt(b, Field.VERIFY_RESULT, <u64>(<i64>(<i32>s.verifyResult)), true);
  optionalBlob(b, Field.HOSTNAME, s.hostname);
  optionalBlob(b, Field.PSK_IDENTITY_HINT, s.pskIdentityHint);
  optionalBlob(b, Field.PSK_IDENTITY, s.pskIdentity);
  nonZeroInt(b, Field.TICKET_LIFETIME_HINT, s.tickLifetimeHint, false);
  optionalBlob(b, Field.TICKET, s.ticket);
  if (s.compressMeth != 0) {
    b.header(Tag.explicit(Field.COMPRESS_METH), 3);
    b.header(Tag.OCTET_STRING, 1);
    b.byte(<u8>s.compressMeth);
  }
  optionalBlob(b, Field.SRP_USERNAME, s.srpUsername);
  nonZeroInt(b, Field.FLAGS, <u64>s.flags, false);
  nonZeroInt(b, Field.TICKET_AGE_ADD, <u64>s.tickAgeAdd, false);
  nonZeroInt(b, Field.MAX_EARLY_DATA, <u64>s.maxEarlyData, false);
  optionalBlob(b, Field.ALPN_SELECTED, s.alpnSelected);
  nonZeroInt(b, Field.MAX_FRAGMENT_LEN_MODE, <u64>s.maxFragmentLenMode, false);
  optionalBlob(b, Field.TICKET_APPDATA, s.ticketAppData);
  b.explicitInt(Field.KEX_GROUP, <u64>s.kexGroup, false);
}

/** The size i2d_SSL_SESSION would return, or 0 for a session with no cipher. */
export function encodedSize(s: Session): usize {
  if (s.cipherId == 0) return 0;
  const b = Builder.measure();
  body(b, s);
  return tlvSize(b.len);
}

/**
 * i2d_SSL_SESSION into dst: `size` bytes, as encodedSize(s) returned for the unchanged session
 * (the caller needs the size to reserve dst anyway, so the body is not measured twice).
 */
export function encodeSession(s: Session, dst: usize, size: usize): usize {
  const b = Builder.at(dst);
  b.header(Tag.SEQUENCE, contentOf(size));
  body(b, s);
  return b.len;
}

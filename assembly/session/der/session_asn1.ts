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
import { writeHeader, writeInt, writeBytes, lengthSize, intContentSize } from "./writer";
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
import { Status, fail } from "../../abi/status";

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

/** A staged string as a session-owned blob (0 when absent); `cstr` cuts it at the first NUL. */
function blobOf(f: i32, cstr: bool): usize {
  const n = sLen(f);
  if (n < 0) return 0;
  let len = <u32>n;
  if (cstr) len = cstrLength(sPtr(f), len);
  const owned = load<usize>(slot(stagedOwned, f));
  if (owned && len == <u32>n) {
    store<usize>(slot(stagedOwned, f), 0); // hand the staged blob over
    return owned;
  }
  const b = blobNew(sPtr(f), len);
  return b ? b : 1; // 1: out of memory, checked by the caller
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
  s.peer = blobOf(F_PEER, false);
  s.hostname = blobOf(F_HOSTNAME, true);
  s.pskIdentityHint = blobOf(F_PSK_HINT, true);
  s.pskIdentity = blobOf(F_PSK_IDENTITY, true);
  s.ticket = blobOf(F_TICKET, false);
  s.srpUsername = blobOf(F_SRP, true);
  s.alpnSelected = blobOf(F_ALPN, false);
  s.ticketAppData = blobOf(F_APPDATA, false);
  clearStaging();
  ok =
    ok &&
    s.peer != 1 &&
    s.hostname != 1 &&
    s.pskIdentityHint != 1 &&
    s.pskIdentity != 1 &&
    s.ticket != 1 &&
    s.srpUsername != 1 &&
    s.alpnSelected != 1 &&
    s.ticketAppData != 1;
  if (!ok) {
    if (s.peer == 1) s.peer = 0;
    if (s.hostname == 1) s.hostname = 0;
    if (s.pskIdentityHint == 1) s.pskIdentityHint = 0;
    if (s.pskIdentity == 1) s.pskIdentity = 0;
    if (s.ticket == 1) s.ticket = 0;
    if (s.srpUsername == 1) s.srpUsername = 0;
    if (s.alpnSelected == 1) s.alpnSelected = 0;
    if (s.ticketAppData == 1) s.ticketAppData = 0;
    sessionDestroy(s);
    return fail(Status.NO_MEMORY, "out of memory");
  }
  decoded = s;
  return <i32>(end - buf);
}

// --- i2d -----------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function explicitInt(v: u64, signed: bool): usize {
  const inner = <usize>1 + lengthSize(intContentSize(v, signed)) + intContentSize(v, signed);
  return 1 + lengthSize(inner) + inner;
}

// @ts-ignore: decorator
@inline function explicitBlob(b: usize): usize {
  const n = <usize>blobLength(b);
  const inner = <usize>1 + lengthSize(n) + n;
  return 1 + lengthSize(inner) + inner;
}

function putExplicitInt(dst: usize, tag: i32, v: u64, signed: bool): usize {
  const n = intContentSize(v, signed);
  const inner = <usize>1 + lengthSize(n) + n;
  const h = writeHeader(dst, <u8>(0xa0 | tag), inner);
  return h + writeInt(dst + h, 0x02, v, signed);
}

function putExplicitBytes(dst: usize, tag: i32, src: usize, n: usize): usize {
  const inner = <usize>1 + lengthSize(n) + n;
  const h = writeHeader(dst, <u8>(0xa0 | tag), inner);
  return h + writeBytes(dst + h, 0x04, src, n);
}

// @ts-ignore: decorator
@inline function putExplicitBlob(dst: usize, tag: i32, b: usize): usize {
  return putExplicitBytes(dst, tag, blobData(b), blobLength(b));
}

/** Writes (dst != 0) or measures (dst = 0) the SEQUENCE content of `s`. */
function body(dst: usize, s: Session): usize {
  let o: usize = 0;
  const w = dst;
  o += writeInt(w ? w + o : 0, 0x02, ASN1_VERSION, false);
  o += writeInt(w ? w + o : 0, 0x02, <u64>(<i64>s.sslVersion), true);
  // cipher: the low 16 bits of the id
  if (w) {
    const h = writeHeader(w + o, 0x04, 2);
    store<u8>(w + o + h, <u8>(s.cipherId >> 8));
    store<u8>(w + o + h + 1, <u8>s.cipherId);
  }
  o += 4;
  o += writeBytes(w ? w + o : 0, 0x04, s.sessionIdPtr, s.sessionIdLength);
  o += writeBytes(w ? w + o : 0, 0x04, s.masterKey, s.masterKeyLength);
  if (s.time != 0) o += w ? putExplicitInt(w + o, 1, <u64>s.time, true) : explicitInt(<u64>s.time, true);
  if (s.timeout != 0)
    o += w ? putExplicitInt(w + o, 2, <u64>s.timeout, true) : explicitInt(<u64>s.timeout, true);
  if (s.peer) {
    const n = <usize>blobLength(s.peer);
    if (w) {
      const h = writeHeader(w + o, 0xa3, n);
      memory.copy(w + o + h, blobData(s.peer), n);
    }
    o += <usize>1 + lengthSize(n) + n;
  }
  o += w
    ? putExplicitBytes(w + o, 4, s.sidCtxPtr, s.sidCtxLength)
    : 1 + lengthSize(2 + <usize>s.sidCtxLength) + 2 + <usize>s.sidCtxLength;
  const verify = <u64>(<i64>(<i32>s.verifyResult));
  if (verify != 0) o += w ? putExplicitInt(w + o, 5, verify, true) : explicitInt(verify, true);
  if (s.hostname) o += w ? putExplicitBlob(w + o, 6, s.hostname) : explicitBlob(s.hostname);
  if (s.pskIdentityHint)
    o += w ? putExplicitBlob(w + o, 7, s.pskIdentityHint) : explicitBlob(s.pskIdentityHint);
  if (s.pskIdentity) o += w ? putExplicitBlob(w + o, 8, s.pskIdentity) : explicitBlob(s.pskIdentity);
  if (s.tickLifetimeHint != 0)
    o += w ? putExplicitInt(w + o, 9, s.tickLifetimeHint, false) : explicitInt(s.tickLifetimeHint, false);
  if (s.ticket) o += w ? putExplicitBlob(w + o, 10, s.ticket) : explicitBlob(s.ticket);
  if (s.compressMeth != 0) {
    if (w) {
      const b = memory.data(1);
      store<u8>(b, <u8>s.compressMeth);
      putExplicitBytes(w + o, 11, b, 1);
    }
    o += 5;
  }
  if (s.srpUsername) o += w ? putExplicitBlob(w + o, 12, s.srpUsername) : explicitBlob(s.srpUsername);
  if (s.flags != 0)
    o += w ? putExplicitInt(w + o, 13, <u64>s.flags, false) : explicitInt(<u64>s.flags, false);
  if (s.tickAgeAdd != 0)
    o += w ? putExplicitInt(w + o, 14, <u64>s.tickAgeAdd, false) : explicitInt(<u64>s.tickAgeAdd, false);
  if (s.maxEarlyData != 0)
    o += w ? putExplicitInt(w + o, 15, <u64>s.maxEarlyData, false) : explicitInt(<u64>s.maxEarlyData, false);
  if (s.alpnSelected) o += w ? putExplicitBlob(w + o, 16, s.alpnSelected) : explicitBlob(s.alpnSelected);
  if (s.maxFragmentLenMode != 0)
    o += w
      ? putExplicitInt(w + o, 17, <u64>s.maxFragmentLenMode, false)
      : explicitInt(<u64>s.maxFragmentLenMode, false);
  if (s.ticketAppData) o += w ? putExplicitBlob(w + o, 18, s.ticketAppData) : explicitBlob(s.ticketAppData);
  o += w ? putExplicitInt(w + o, 19, <u64>s.kexGroup, false) : explicitInt(<u64>s.kexGroup, false);
  return o;
}

let lastBodySize: usize = 0;

/** The size i2d_SSL_SESSION would return, or 0 for a session with no cipher. */
export function encodedSize(s: Session): usize {
  if (s.cipherId == 0) return 0;
  const n = body(0, s);
  lastBodySize = n;
  return 1 + lengthSize(n) + n;
}

/** i2d_SSL_SESSION into dst; call right after encodedSize(s), whose measurement it reuses. */
export function encodeSession(s: Session, dst: usize): usize {
  const n = lastBodySize;
  const h = writeHeader(dst, 0x30, n);
  body(dst + h, s);
  return h + n;
}

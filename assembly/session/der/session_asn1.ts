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

import { Cursor, Class, Universal, IntKind, header, isEoc, readString, readInt } from "./reader";
import { Builder, Counter, Sink, Tag, tlvSize, contentOf } from "./writer";
import { checkCertificate } from "./x509";
import {
  Session,
  sessionAlloc,
  MAX_SESSION_ID_LENGTH,
  MAX_SID_CTX_LENGTH,
  MAX_MASTER_KEY_LENGTH,
} from "../session";
import { blobNew, blobFree, blobLength, blobData, cstrLength } from "../blob";
import { Field as Block, entryData, entryLength, fieldsMeasure, fieldsWrite } from "../fields";
import { cipherIndex } from "../ciphers";
import { nowSeconds } from "../../env";
import { Status, fail } from "../../util/status";

/** SSL_SESSION_ASN1_VERSION. */
const ASN1_VERSION: u64 = 1;
/** d2i's timeout when [2] is absent or 0. */
const DEFAULT_DECODED_TIMEOUT: i64 = 3;

/** The [n] EXPLICIT tags of the SSL_SESSION_ASN1 fields (ssl/ssl_asn1.c). */
namespace Field {
  export const KEY_ARG: i32 = 0; // [0] IMPLICIT
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

// --- d2i: the template ---------------------------------------------------------------------------

// Template kinds: the four integer kinds are IntKind's values.
const K_OCTETS: u8 = 4,
  K_IMPLICIT_OCTETS: u8 = 5,
  K_CERT: u8 = 6;

// The 25 fields in order, by index: five untagged ones, then [0]..[19] at index tag + 5.
const F_VERSION = 0,
  F_SSL_VERSION = 1,
  F_CIPHER = 2,
  F_SESSION_ID = 3,
  F_MASTER_KEY = 4;
// @ts-ignore: decorator
@inline function tagged(tag: i32): i32 {
  return tag + 5;
}
const FIELD_COUNT: i32 = 25;
/** Each field's explicit tag (-1 = untagged; [0] is IMPLICIT, see K_IMPLICIT_OCTETS). */
const FIELD_TAG: StaticArray<i8> = [
  -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
];
const FIELD_KIND: StaticArray<u8> = [
  <u8>IntKind.UINT32, // version
  <u8>IntKind.INT32, // sslVersion
  K_OCTETS, // cipher
  K_OCTETS, // sessionID
  K_OCTETS, // masterKey
  K_IMPLICIT_OCTETS, // [0] keyArg
  <u8>IntKind.INT64, // [1] time
  <u8>IntKind.INT64, // [2] timeout
  K_CERT, // [3] peer
  K_OCTETS, // [4] sessionIDContext
  <u8>IntKind.INT32, // [5] verifyResult
  K_OCTETS, // [6] hostName
  K_OCTETS, // [7] pskIdentityHint
  K_OCTETS, // [8] pskIdentity
  <u8>IntKind.UINT64, // [9] ticketLifetimeHint
  K_OCTETS, // [10] ticket
  K_OCTETS, // [11] compressionID
  K_OCTETS, // [12] srpUsername
  <u8>IntKind.UINT64, // [13] flags
  <u8>IntKind.UINT32, // [14] ticketAgeAdd
  <u8>IntKind.UINT32, // [15] maxEarlyData
  K_OCTETS, // [16] alpnSelected
  <u8>IntKind.UINT32, // [17] maxFragLenMode
  K_OCTETS, // [18] ticketAppData
  <u8>IntKind.UINT32, // [19] kexGroup
];

// --- d2i: staging --------------------------------------------------------------------------------

// The ASN.1 pass stages each field before anything is allocated: the decoded integer, or a
// string's (address, length) -- in the input for a primitive string, in an owned blob for a
// constructed one or the certificate -- and where the field began. `present` says which fields
// were read, `owned` which hold a blob to free.
@unmanaged
class Staging {
  present: u32;
  owned: u32;
}
const STAGING = changetype<Staging>(memory.data(offsetof<Staging>()));
const stagedInt = memory.data(8 * FIELD_COUNT);
const stagedPtr = memory.data(8 * FIELD_COUNT);
const stagedLen = memory.data(8 * FIELD_COUNT);
const stagedBlob = memory.data(8 * FIELD_COUNT);
const stagedAt = memory.data(8 * FIELD_COUNT);

// @ts-ignore: decorator
@inline function slot(base: usize, f: i32): usize {
  return base + ((<usize>f) << 3);
}
// @ts-ignore: decorator
@inline function isPresent(f: i32): bool {
  return ((STAGING.present >> f) & 1) != 0;
}
/** A staged integer, 0 when the field was absent. */
// @ts-ignore: decorator
@inline function sInt(f: i32): u64 {
  return isPresent(f) ? load<u64>(slot(stagedInt, f)) : 0;
}
/** A staged string's length, or -1 when the field was absent. */
// @ts-ignore: decorator
@inline function sLen(f: i32): i64 {
  return isPresent(f) ? load<i64>(slot(stagedLen, f)) : -1;
}
// @ts-ignore: decorator
@inline function sPtr(f: i32): usize {
  return load<usize>(slot(stagedPtr, f));
}
/** Where field f began, 0 when it was never reached. */
// @ts-ignore: decorator
@inline function sAt(f: i32): usize {
  return isPresent(f) ? load<usize>(slot(stagedAt, f)) : 0;
}

// @ts-ignore: decorator
@inline function stageString(f: i32, ptr: usize, len: i64): void {
  store<usize>(slot(stagedPtr, f), ptr);
  store<i64>(slot(stagedLen, f), len);
  STAGING.present |= 1 << f;
}

/** Stages a blob the session may take over (freed by clearStaging otherwise). */
function stageBlob(f: i32, blob: usize): void {
  stageString(f, blobData(blob), blobLength(blob));
  store<usize>(slot(stagedBlob, f), blob);
  STAGING.owned |= 1 << f;
}

function clearStaging(c: Cursor): void {
  let t = STAGING.owned;
  while (t) {
    const f = <i32>ctz(t);
    t &= t - 1;
    blobFree(load<usize>(slot(stagedBlob, f)));
  }
  STAGING.owned = 0;
  STAGING.present = 0;
  c.clearScratch();
}

// --- d2i: the ASN.1 pass -------------------------------------------------------------------------

/** Reads the inner value of field f at p within len. Returns end, 0 (error) or 1 (absent). */
function readValue(c: Cursor, f: i32, p: usize, len: i64, optional: bool): usize {
  const kind = unchecked(FIELD_KIND[f]);
  if (kind <= <u8>IntKind.UINT64) {
    const e = readInt(c, p, len, <i32>kind, optional);
    if (e > 1) {
      store<u64>(slot(stagedInt, f), c.int);
      STAGING.present |= 1 << f;
    }
    return e;
  }
  if (kind == K_CERT) {
    const r = header(c, p, len, Universal.SEQUENCE, Class.UNIVERSAL, optional);
    if (r == 0) return 0;
    if (r < 0) return 1;
    const e = checkCertificate(c, p, len);
    if (e) stageBlob(f, c.made);
    return e;
  }
  const e =
    kind == K_IMPLICIT_OCTETS
      ? readString(c, p, len, 0, Class.CONTEXT, optional)
      : readString(c, p, len, Universal.OCTET_STRING, Class.UNIVERSAL, optional);
  if (e > 1) {
    if (c.str != c.scratch || c.scratch == 0) {
      stageString(f, c.str, c.strLen);
    } else {
      // Constructed: the fragments sit in the cursor's scratch area; keep a copy.
      const b = blobNew(c.str, <u32>c.strLen);
      if (!b) return c.fail(p, "out of memory");
      stageBlob(f, b);
    }
  }
  return e;
}

/** One template field (asn1_template_ex_d2i): EXPLICIT wrapper if tagged. Same convention. */
function readField(c: Cursor, f: i32, p: usize, len: i64, optional: bool): usize {
  store<usize>(slot(stagedAt, f), p);
  const tag = <i32>unchecked(FIELD_TAG[f]);
  if (tag <= 0) return readValue(c, f, p, len, optional); // untagged, or [0] IMPLICIT
  const r = header(c, p, len, tag, Class.CONTEXT, optional);
  if (r == 0) return 0;
  if (r < 0) return 1;
  if (!c.constructed) return c.fail(p, "EXPLICIT tag not constructed");
  const inner = c.content;
  let left = c.length;
  const expEoc = c.indefinite;
  const e = readValue(c, f, inner, left, false);
  if (e == 0) return 0;
  left -= <i64>(e - inner);
  if (expEoc) {
    if (!isEoc(e, left)) return c.fail(e, "missing end-of-contents");
    return e + 2;
  }
  if (left != 0) return c.fail(e, "EXPLICIT length mismatch");
  return e;
}

/** The ASN.1 pass: fills the staging area. Returns the end of the SEQUENCE or 0. */
function parse(c: Cursor, buf: usize, len: i64): usize {
  if (header(c, buf, len, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
  if (!c.constructed) return c.fail(buf, "SEQUENCE not constructed");
  let p = c.content;
  let left = c.length;
  let seqEoc = c.indefinite;
  const noLength = seqEoc;
  let f = 0;
  for (; f < FIELD_COUNT; f++) {
    if (!left) break;
    if (isEoc(p, left)) {
      if (!seqEoc) return c.fail(p, "unexpected end-of-contents");
      p += 2;
      left -= 2;
      seqEoc = false;
      break;
    }
    if (f >= tagged(Field.KEY_ARG)) {
      // Every field from here on is [n]-tagged and optional but the last: go straight to the one
      // the next identifier octet names, since probing the fields before it would find each
      // absent without side effects. Anything else (a tag out of order, another class, a high
      // tag number) takes the field-by-field path and fails or matches there.
      const b0 = <i32>load<u8>(p);
      if ((b0 & 0xc0) == Class.CONTEXT && (b0 & 0x1f) < 0x1f) {
        const g = tagged(b0 & 0x1f);
        if (g > f && g < FIELD_COUNT) f = g;
      }
    }
    // The last field cannot be omitted while data remains.
    const optional = f >= tagged(Field.KEY_ARG) && f != FIELD_COUNT - 1;
    const e = readField(c, f, p, left, optional);
    if (e == 0) return 0;
    if (e == 1) continue;
    left -= <i64>(e - p);
    p = e;
  }
  if (seqEoc) {
    if (!isEoc(p, left)) return c.fail(p, "missing end-of-contents");
    p += 2;
    left -= 2;
  }
  if (!noLength && left) return c.fail(p, "sequence length mismatch");
  if (f < tagged(Field.KEY_ARG)) return c.fail(p, "field missing");
  return p;
}

// --- d2i: the session ----------------------------------------------------------------------------

// The block fields (fields.ts) of the session being made: each one's bytes and length, by the
// block's field number, and which are present.
const blockPtr = memory.data(8 * 16);
const blockLen = memory.data(8 * 16);
const wideHint = memory.data(8);
const wideVerify = memory.data(8);
const wideFlags = memory.data(8);
const wideKex = memory.data(8);
let blockMask: u32 = 0;

// @ts-ignore: decorator
@inline function put(b: i32, ptr: usize, len: u32): void {
  store<usize>(slot(blockPtr, b), ptr);
  store<u32>(slot(blockLen, b), len);
  blockMask |= 1 << b;
}

/** Puts the full width of an integer the record keeps narrower in block field `b`. */
function putWide(b: i32, at: usize, v: u64): void {
  store<u64>(at, v);
  put(b, at, 8);
}

/** Puts the staged string `f`, if present, in block field `b`; `cstr` cuts it at the first NUL. */
function putString(b: i32, f: i32, cstr: bool): void {
  const n = sLen(f);
  if (n < 0) return;
  let len = <u32>n;
  if (cstr) len = cstrLength(sPtr(f), len);
  put(b, sPtr(f), len);
}

function reject(c: Cursor, code: i32, message: string, f: i32, buf: usize): i32 {
  const at = sAt(f);
  clearStaging(c);
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
  const c = Cursor.start();
  STAGING.present = 0;
  STAGING.owned = 0;
  const end = parse(c, buf, len);
  if (!end) {
    const oom = c.oom;
    const at = <i32>(c.errorAt - buf);
    const reason = c.error;
    clearStaging(c);
    if (oom || reason == "out of memory") return fail(Status.NO_MEMORY, "out of memory while decoding", at);
    return fail(Status.ASN1, reason, at);
  }
  if (sInt(F_VERSION) != ASN1_VERSION)
    return reject(
      c,
      Status.UNKNOWN_SSL_VERSION,
      "unknown session format version (must be 1)",
      F_VERSION,
      buf,
    );
  const sslVersion = <i32>sInt(F_SSL_VERSION);
  if (sslVersion >> 8 != 0x03 && sslVersion >> 8 != 0xfe && sslVersion != 0x0100) {
    return reject(c, Status.UNSUPPORTED_SSL_VERSION, "unsupported protocol version", F_SSL_VERSION, buf);
  }
  if (sLen(F_CIPHER) != 2)
    return reject(c, Status.CIPHER_CODE_WRONG_LENGTH, "cipher code is not 2 bytes", F_CIPHER, buf);
  const code = ((<u32>load<u8>(sPtr(F_CIPHER))) << 8) | load<u8>(sPtr(F_CIPHER), 1);
  if (cipherIndex(code) < 0) return reject(c, Status.UNKNOWN_CIPHER, "unknown cipher suite", F_CIPHER, buf);
  const idLen = sLen(F_SESSION_ID);
  if (idLen > <i64>MAX_SESSION_ID_LENGTH)
    return reject(c, Status.FIELD_TOO_LONG, "session id longer than 32 bytes", F_SESSION_ID, buf);
  const mkLen = sLen(F_MASTER_KEY);
  if (mkLen > <i64>MAX_MASTER_KEY_LENGTH)
    return reject(c, Status.FIELD_TOO_LONG, "master key longer than 512 bytes", F_MASTER_KEY, buf);
  const F_SID_CTX = tagged(Field.SID_CTX);
  const ctxLen = sLen(F_SID_CTX);
  if (ctxLen > <i64>MAX_SID_CTX_LENGTH)
    return reject(c, Status.FIELD_TOO_LONG, "session id context longer than 32 bytes", F_SID_CTX, buf);
  const F_COMP_ID = tagged(Field.COMPRESS_METH);
  const compLen = sLen(F_COMP_ID);
  if (compLen >= 0 && compLen != 1)
    return reject(c, Status.BAD_LENGTH, "compression id is not 1 byte", F_COMP_ID, buf);

  // The block, in the record's allocation: the master key and sid_ctx when not empty, the byte
  // strings that are present (C strings cut at their first NUL, as strndup does, the others
  // kept whole), and the integers too wide for the record.
  blockMask = 0;
  if (mkLen > 0) put(Block.MASTER_KEY, sPtr(F_MASTER_KEY), <u32>mkLen);
  putString(Block.PEER, tagged(Field.PEER), false);
  if (ctxLen > 0) put(Block.SID_CTX, sPtr(F_SID_CTX), <u32>ctxLen);
  putString(Block.HOSTNAME, tagged(Field.HOSTNAME), true);
  putString(Block.PSK_IDENTITY_HINT, tagged(Field.PSK_IDENTITY_HINT), true);
  putString(Block.PSK_IDENTITY, tagged(Field.PSK_IDENTITY), true);
  putString(Block.TICKET, tagged(Field.TICKET), false);
  putString(Block.SRP_USERNAME, tagged(Field.SRP_USERNAME), true);
  putString(Block.ALPN_SELECTED, tagged(Field.ALPN_SELECTED), false);
  putString(Block.TICKET_APPDATA, tagged(Field.TICKET_APPDATA), false);
  const hint = sInt(tagged(Field.TICKET_LIFETIME_HINT));
  if (hint > <u64>u32.MAX_VALUE) putWide(Block.WIDE_TICKET_LIFETIME_HINT, wideHint, hint);
  const verify = <i64>(<i32>sInt(tagged(Field.VERIFY_RESULT)));
  if (verify != <i64>(<i8>verify)) putWide(Block.WIDE_VERIFY_RESULT, wideVerify, <u64>verify);
  const flags = <u32>sInt(tagged(Field.FLAGS));
  if (flags > 0xff) putWide(Block.WIDE_FLAGS, wideFlags, flags);
  const kex = <u32>sInt(tagged(Field.KEX_GROUP));
  if (kex > 0xffff) putWide(Block.WIDE_KEX_GROUP, wideKex, kex);
  const extra = fieldsMeasure(blockMask, blockLen);
  const s = sessionAlloc(extra);
  if (!s) {
    clearStaging(c);
    return fail(Status.NO_MEMORY, "out of memory");
  }
  s.sslVersion = sslVersion;
  s._kexGroup = <u16>kex;
  s.cipherId = 0x03000000 | code;
  s.sessionIdLength = <u32>idLen;
  memory.copy(s.sessionIdPtr, sPtr(F_SESSION_ID), <usize>idLen);
  const t = <i64>sInt(tagged(Field.TIME));
  s.time = t != 0 ? t : nowSeconds();
  const to = <i64>sInt(tagged(Field.TIMEOUT));
  s.timeout = to != 0 ? to : DEFAULT_DECODED_TIMEOUT;
  s._verifyResult = <i8>verify;
  s.tickAgeAdd = <u32>sInt(tagged(Field.TICKET_AGE_ADD));
  s.compressMeth = compLen == 1 ? <u32>load<u8>(sPtr(F_COMP_ID)) : 0;
  s._flags = <u8>flags;
  s.maxEarlyData = <u32>sInt(tagged(Field.MAX_EARLY_DATA));
  s.maxFragmentLenMode = <u8>sInt(tagged(Field.MAX_FRAGMENT_LEN_MODE));
  s._tickLifetimeHint = <u32>hint;
  fieldsWrite(s.fieldsSlot, s.home, blockMask, blockPtr, blockLen);
  clearStaging(c);
  decoded = s;
  return <i32>(end - buf);
}

// --- i2d -----------------------------------------------------------------------------------------

// i2d walks the session's block once: its entries are stored in the order i2d writes them. Each
// step takes the entry at `e` when field f (in mask m) is present and returns the next one.

/** Block field f as [tag] EXPLICIT OCTET STRING; nothing when absent. */
// @ts-ignore: decorator
@inline function optionalString<B extends Sink>(b: B, tag: i32, m: u32, f: i32, e: usize): usize {
  if (!((m >> f) & 1)) return e;
  const d = entryData(e),
    n = entryLength(e);
  b.explicitString(tag, d, n);
  return d + n;
}

/** An INTEGER field OpenSSL leaves out when zero. */
// @ts-ignore: decorator
@inline function nonZeroInt<B extends Sink>(b: B, tag: i32, v: u64, signed: bool): void {
  if (v != 0) b.explicitInt(tag, v, signed);
}

/** The SEQUENCE content of `s`, counted by a Counter or written by a Builder. */
// @ts-ignore: decorator
@inline function body<B extends Sink>(b: B, s: Session): void {
  b.int(Tag.INTEGER, ASN1_VERSION, false);
  b.int(Tag.INTEGER, <u64>(<i64>s.sslVersion), true);
  // cipher: the low 16 bits of the id
  b.header(Tag.OCTET_STRING, 2);
  b.byte(<u8>(s.cipherId >> 8));
  b.byte(<u8>s.cipherId);
  b.string(Tag.OCTET_STRING, s.sessionIdPtr, s.sessionIdLength);
  const m = <u32>s.fields;
  let e = s.data;
  if ((m >> Block.MASTER_KEY) & 1) {
    const d = entryData(e),
      n = entryLength(e);
    b.string(Tag.OCTET_STRING, d, n);
    e = d + n;
  } else b.string(Tag.OCTET_STRING, 0, 0);
  nonZeroInt<B>(b, Field.TIME, <u64>s.time, true);
  nonZeroInt<B>(b, Field.TIMEOUT, <u64>s.timeout, true);
  // The peer certificate is a whole X509 inside [3], no OCTET STRING around it.
  if ((m >> Block.PEER) & 1) {
    const d = entryData(e),
      n = entryLength(e);
    b.string(Tag.explicit(Field.PEER), d, n);
    e = d + n;
  }
  // [4] is written even when empty.
  if ((m >> Block.SID_CTX) & 1) e = optionalString<B>(b, Field.SID_CTX, m, Block.SID_CTX, e);
  else b.explicitString(Field.SID_CTX, 0, 0);
  nonZeroInt<B>(b, Field.VERIFY_RESULT, <u64>(<i64>(<i32>s.verifyResult)), true);
  e = optionalString<B>(b, Field.HOSTNAME, m, Block.HOSTNAME, e);
  e = optionalString<B>(b, Field.PSK_IDENTITY_HINT, m, Block.PSK_IDENTITY_HINT, e);
  e = optionalString<B>(b, Field.PSK_IDENTITY, m, Block.PSK_IDENTITY, e);
  nonZeroInt<B>(b, Field.TICKET_LIFETIME_HINT, s.tickLifetimeHint, false);
  e = optionalString<B>(b, Field.TICKET, m, Block.TICKET, e);
  if (s.compressMeth != 0) {
    b.header(Tag.explicit(Field.COMPRESS_METH), 3);
    b.header(Tag.OCTET_STRING, 1);
    b.byte(<u8>s.compressMeth);
  }
  e = optionalString<B>(b, Field.SRP_USERNAME, m, Block.SRP_USERNAME, e);
  nonZeroInt<B>(b, Field.FLAGS, <u64>s.flags, false);
  nonZeroInt<B>(b, Field.TICKET_AGE_ADD, <u64>s.tickAgeAdd, false);
  nonZeroInt<B>(b, Field.MAX_EARLY_DATA, <u64>s.maxEarlyData, false);
  e = optionalString<B>(b, Field.ALPN_SELECTED, m, Block.ALPN_SELECTED, e);
  nonZeroInt<B>(b, Field.MAX_FRAGMENT_LEN_MODE, <u64>s.maxFragmentLenMode, false);
  optionalString<B>(b, Field.TICKET_APPDATA, m, Block.TICKET_APPDATA, e);
  b.explicitInt(Field.KEX_GROUP, <u64>s.kexGroup, false);
}

/** The size i2d_SSL_SESSION would return, or 0 for a session with no cipher. */
export function encodedSize(s: Session): usize {
  if (s.cipherId == 0) return 0;
  const c = Counter.zero();
  body<Counter>(c, s);
  return tlvSize(c.len);
}

/**
 * i2d_SSL_SESSION into dst: `size` bytes, as encodedSize(s) returned for the unchanged session
 * (the caller needs the size to reserve dst anyway, so the body is not measured twice).
 */
export function encodeSession(s: Session, dst: usize, size: usize): usize {
  const b = Builder.at(dst);
  b.header(Tag.SEQUENCE, contentOf(size));
  body<Builder>(b, s);
  return b.len;
}

// The peer certificate of a session ([3] EXPLICIT Certificate). OpenSSL keeps it as a parsed
// X509, accepting what its ASN.1 templates accept, and re-encodes it on i2d: the TBSCertificate
// from its saved original bytes, the outer SEQUENCE, signature algorithm and signature value
// freshly in DER. We check the same template structure and keep the certificate in that
// canonical form, so our re-encoding is OpenSSL's.
//
//   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }
//   TBSCertificate ::= SEQUENCE { [0] EXPLICIT INTEGER OPTIONAL, serial INTEGER, AlgorithmIdentifier,
//       issuer Name, validity SEQUENCE { Time, Time }, subject Name,
//       SubjectPublicKeyInfo SEQUENCE { AlgorithmIdentifier, BIT STRING },
//       [1] IMPLICIT BIT STRING OPTIONAL, [2] IMPLICIT BIT STRING OPTIONAL,
//       [3] EXPLICIT SEQUENCE OF Extension OPTIONAL }
//   AlgorithmIdentifier ::= SEQUENCE { OBJECT IDENTIFIER, ANY OPTIONAL }
//   Name ::= SEQUENCE OF SET OF SEQUENCE { OBJECT IDENTIFIER, DirectoryString (ASN1_PRINTABLE) }
//   Extension ::= SEQUENCE { OBJECT IDENTIFIER, BOOLEAN OPTIONAL, OCTET STRING }

import {
  checkTlen,
  isEoc,
  setError,
  readString,
  collectString,
  collectReset,
  collectBuf,
  collectLen,
  tlvContent,
  tlvLength,
  tlvIndefinite,
  tlvConstructed,
  tlvTag,
  tlvClass,
  strData,
  strLen,
  UNIVERSAL,
  CONTEXT,
  TAG_INTEGER,
  TAG_BIT_STRING,
  TAG_OCTET_STRING,
  TAG_OBJECT,
  TAG_SEQUENCE,
  TAG_SET,
} from "./reader";
import { writeHeader, lengthSize } from "./writer";
import { alloc } from "../../util/alloc";

// ---- A constructed window: content start, bytes left, indefinite flag ----
let winP: usize = 0;
let winLen: i64 = 0;
let winInf: bool = false;

/** Opens a SEQUENCE/SET (or [n] EXPLICIT) at p. 1 ok (window in win*), -1 absent, 0 error. */
function open(p: usize, len: i64, tag: i32, cls: u8, optional: bool): i32 {
  const r = checkTlen(p, len, tag, cls, optional);
  if (r <= 0) return r;
  if (!tlvConstructed) {
    setError(p, "SEQUENCE not constructed");
    return 0;
  }
  winP = tlvContent;
  winLen = tlvLength;
  winInf = tlvIndefinite;
  return 1;
}

/** Closes a window: EOC required if indefinite, else no bytes may be left. Returns end or 0. */
function close(p: usize, left: i64, inf: bool): usize {
  if (strayEoc) return 0;
  if (inf) {
    if (!isEoc(p, left)) return setError(p, "missing end-of-contents");
    return p + 2;
  }
  if (left != 0) return setError(p, "sequence length mismatch");
  return p;
}

/** Set when atEnd met an end-of-contents marker inside a definite-length encoding. */
let strayEoc: bool = false;

/**
 * True when a window has no more fields (end of data, or EOC in an indefinite one). An EOC in a
 * definite-length window is an error (OpenSSL: "unexpected eoc"): it reports "end" with
 * strayEoc set, and the caller's next check fails.
 */
function atEnd(p: usize, left: i64, inf: bool): bool {
  if (left == 0) return true;
  if (isEoc(p, left)) {
    if (!inf) {
      strayEoc = true;
      setError(p, "unexpected end-of-contents");
    }
    return true;
  }
  return false;
}

function missing(p: usize): usize {
  return strayEoc ? 0 : setError(p, "field missing");
}

function checkObject(p: usize, n: i64): bool {
  if (n <= 0 || load<u8>(p + usize(n - 1)) & 0x80) return false;
  for (let i: i64 = 0; i < n; i++) {
    const b = load<u8>(p + <usize>i);
    if (b == 0x80 && (i == 0 || !(load<u8>(p + usize(i - 1)) & 0x80))) return false;
  }
  return true;
}

function checkInteger(p: usize, n: i64): bool {
  if (n == 0) return false;
  if (n == 1) return true;
  const b0 = load<u8>(p),
    b1 = load<u8>(p, 1);
  if (b0 == 0 && !(b1 & 0x80)) return false;
  if (b0 == 0xff) {
    let any: u32 = 0;
    for (let i: i64 = 1; i < n; i++) any |= load<u8>(p + <usize>i);
    if (any != 0 && b1 & 0x80) return false;
  }
  return true;
}

/** Reads a primitive of universal type `utype` (already matched) at p; returns end or 0. */
function primitive(p: usize, len: i64, utype: i32, cls: u8): usize {
  const r = checkTlen(p, len, utype, cls, false);
  if (r <= 0) return 0;
  let data: usize, n: i64, end: usize;
  if (tlvConstructed) {
    if (utype == 1 || utype == TAG_INTEGER || utype == TAG_OBJECT || utype == 5 || utype == 10) {
      return setError(p, "type not primitive");
    }
    collectReset();
    end = collectString(tlvContent, tlvLength, tlvIndefinite, 0);
    if (!end) return 0;
    data = collectBuf;
    n = collectLen;
  } else {
    data = tlvContent;
    n = tlvLength;
    end = tlvContent + <usize>tlvLength;
  }
  if (cls != UNIVERSAL) return end;
  if (utype == TAG_OBJECT && !checkObject(data, n)) return setError(p, "invalid object encoding");
  if ((utype == TAG_INTEGER || utype == 10) && !checkInteger(data, n)) return setError(p, "bad integer");
  if (utype == 5 && n != 0) return setError(p, "NULL is wrong length");
  if (utype == 1 && n != 1) return setError(p, "BOOLEAN is wrong length");
  if (utype == TAG_BIT_STRING && (n < 1 || load<u8>(data) > 7)) return setError(p, "invalid BIT STRING");
  if (utype == 30 && n & 1) return setError(p, "BMPString is wrong length");
  if (utype == 28 && n & 3) return setError(p, "UniversalString is wrong length");
  return end;
}

/**
 * Skips a complete TLV of any tag (raw ANY/SEQUENCE content kept as encoded). Like OpenSSL's
 * asn1_find_end it walks an indefinite-length value with a count of the end-of-contents markers
 * still expected, not by recursion: the nesting depth is the input's choice, the stack is not.
 * Definite-length elements inside are stepped over whole.
 */
function skipAny(p: usize, len: i64): usize {
  const r = checkTlen(p, len, -1, 0, false);
  if (r <= 0) return 0;
  if (!tlvIndefinite) return tlvContent + <usize>tlvLength;
  let q = tlvContent;
  let left = tlvLength;
  let expected: u32 = 1;
  while (true) {
    if (left < 2) return setError(q, "missing end-of-contents");
    if (isEoc(q, left)) {
      q += 2;
      left -= 2;
      if (--expected == 0) return q;
      continue;
    }
    if (checkTlen(q, left, -1, 0, false) <= 0) return 0;
    let e: usize;
    if (tlvIndefinite) {
      expected++;
      e = tlvContent;
    } else e = tlvContent + <usize>tlvLength;
    left -= <i64>(e - q);
    q = e;
  }
}

/** A universal SEQUENCE/SET value kept raw; OpenSSL insists it be constructed. */
function rawConstructed(p: usize, len: i64): usize {
  if (checkTlen(p, len, -1, 0, false) <= 0) return 0;
  if (tlvClass == UNIVERSAL && !tlvConstructed) return setError(p, "type not constructed");
  return skipAny(p, len);
}

/** The ANY of an AlgorithmIdentifier: any universal type with its content rules, or other class raw. */
function anyValue(p: usize, len: i64): usize {
  const r = checkTlen(p, len, -1, 0, false);
  if (r <= 0) return 0;
  const tag = tlvTag,
    cls = tlvClass;
  if (cls != UNIVERSAL || tag == TAG_SEQUENCE || tag == TAG_SET) return rawConstructed(p, len);
  return primitive(p, len, tag, UNIVERSAL);
}

function algorithmIdentifier(p: usize, len: i64): usize {
  if (open(p, len, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
  let q = winP,
    left = winLen;
  const inf = winInf;
  if (atEnd(q, left, inf)) return missing(q);
  let e = primitive(q, left, TAG_OBJECT, UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  if (!atEnd(q, left, inf)) {
    e = anyValue(q, left);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  return close(q, left, inf);
}

// tag2bit & B_ASN1_PRINTABLE: the universal tags a DirectoryString may carry.
function printableTagAllowed(tag: i32): bool {
  if (tag < 0 || tag > 30) return false;
  // 3 BIT STRING, 7-9/11/13-15/29 "unknown" (10 ENUMERATED maps to none), 12 UTF8, 16 SEQUENCE, 18 Numeric, 19 Printable,
  // 20 T61, 22 IA5, 28 Universal, 30 BMP.
  const mask: u32 =
    (1 << 3) |
    (1 << 7) |
    (1 << 8) |
    (1 << 9) |
    (1 << 11) |
    (1 << 12) |
    (1 << 13) |
    (1 << 14) |
    (1 << 15) |
    (1 << 16) |
    (1 << 18) |
    (1 << 19) |
    (1 << 20) |
    (1 << 22) |
    (1 << 28) |
    (1 << 29) |
    (1 << 30);
  return ((mask >> (<u32>tag)) & 1) != 0;
}

// @ts-ignore: decorator
@inline function unicodeValid(v: u32): bool {
  return v <= 0x10ffff && (v < 0xd800 || v > 0xdfff);
}

/** The conversion to UTF-8 that X509_NAME canonicalisation performs must succeed. */
function canonicalisable(tag: i32, p: usize, n: i64): bool {
  if (tag == 12) {
    let i: i64 = 0;
    while (i < n) {
      const b = <u32>load<u8>(p + <usize>i);
      let need: i32, v: u32, min: u32;
      if (b < 0x80) {
        i++;
        continue;
      } else if ((b & 0xe0) == 0xc0) {
        need = 1;
        v = b & 0x1f;
        min = 0x80;
      } else if ((b & 0xf0) == 0xe0) {
        need = 2;
        v = b & 0x0f;
        min = 0x800;
      } else if ((b & 0xf8) == 0xf0) {
        need = 3;
        v = b & 0x07;
        min = 0x10000;
      } else return false;
      if (i + need >= n) return false;
      for (let k = 1; k <= need; k++) {
        const c = <u32>load<u8>(p + usize(i + k));
        if ((c & 0xc0) != 0x80) return false;
        v = (v << 6) | (c & 0x3f);
      }
      if (v < min || !unicodeValid(v)) return false;
      i += need + 1;
    }
    return true;
  }
  if (tag == 30) {
    for (let i: i64 = 0; i < n; i += 2) {
      if (!unicodeValid(((<u32>load<u8>(p + <usize>i)) << 8) | load<u8>(p + <usize>i, 1))) return false;
    }
    return true;
  }
  if (tag == 28) {
    for (let i: i64 = 0; i < n; i += 4) {
      if (!unicodeValid(bswap<u32>(load<u32>(p + <usize>i)))) return false;
    }
    return true;
  }
  return true;
}

function nameEntry(p: usize, len: i64): usize {
  if (open(p, len, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
  let q = winP,
    left = winLen;
  const inf = winInf;
  if (atEnd(q, left, inf)) return missing(q);
  let e = primitive(q, left, TAG_OBJECT, UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(q, left, inf)) return missing(q);
  if (checkTlen(q, left, -1, 0, false) <= 0) return 0;
  const tag = tlvTag;
  if (tlvClass != UNIVERSAL || !printableTagAllowed(tag)) return setError(q, "bad DirectoryString tag");
  if (tag == TAG_SEQUENCE) e = rawConstructed(q, left);
  else {
    e = primitive(q, left, tag, UNIVERSAL);
    if (e && tag != TAG_BIT_STRING) {
      // Re-read the content to check its characters (primitive() left it in place or collected).
      if (checkTlen(q, left, tag, UNIVERSAL, false) <= 0) return 0;
      let data = tlvContent,
        n = tlvLength;
      if (tlvConstructed) {
        data = collectBuf;
        n = collectLen;
      }
      if (!canonicalisable(tag, data, n)) return setError(q, "name string cannot be converted to UTF-8");
    }
  }
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  return close(q, left, inf);
}

/** SEQUENCE OF / SET OF `item`: constructed, items until the end or EOC. */
function listOf(p: usize, len: i64, tag: i32, cls: u8, item: i32, optional: bool): usize {
  // OpenSSL's SET OF / SEQUENCE OF template does not insist on the constructed bit.
  const r = checkTlen(p, len, tag, cls, optional);
  if (r < 0) return 1;
  if (r == 0) return 0;
  let q = tlvContent,
    left = tlvLength;
  const inf = tlvIndefinite;
  while (left > 0) {
    if (isEoc(q, left)) {
      if (!inf) return setError(q, "unexpected end-of-contents");
      return q + 2;
    }
    let e: usize;
    if (item == 0) e = listOf(q, left, TAG_SET, UNIVERSAL, 1, false);
    else if (item == 1) e = nameEntry(q, left);
    else e = extension(q, left);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  if (inf) return setError(q, "missing end-of-contents");
  return q;
}

function extension(p: usize, len: i64): usize {
  if (open(p, len, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
  let q = winP,
    left = winLen;
  const inf = winInf;
  if (atEnd(q, left, inf)) return missing(q);
  let e = primitive(q, left, TAG_OBJECT, UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(q, left, inf)) return missing(q);
  const r = checkTlen(q, left, 1, UNIVERSAL, true);
  if (r == 0) return 0;
  if (r > 0) {
    e = primitive(q, left, 1, UNIVERSAL);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  if (atEnd(q, left, inf)) return missing(q);
  e = primitive(q, left, TAG_OCTET_STRING, UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  return close(q, left, inf);
}

function timeValue(p: usize, len: i64): usize {
  if (checkTlen(p, len, -1, 0, false) <= 0) return 0;
  if (tlvClass != UNIVERSAL || (tlvTag != 23 && tlvTag != 24)) return setError(p, "bad Time tag");
  return primitive(p, len, tlvTag, UNIVERSAL);
}

/** Steps through a fixed list of fields of the TBSCertificate. Returns end or 0. */
function tbsCertificate(p: usize, len: i64): usize {
  if (open(p, len, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
  let q = winP,
    left = winLen;
  const inf = winInf;
  let e: usize;
  // [0] EXPLICIT version OPTIONAL
  if (atEnd(q, left, inf)) return missing(q);
  let r = open(q, left, 0, CONTEXT, true);
  if (r == 0) return 0;
  if (r > 0) {
    const ip = winP,
      il = winLen,
      iinf = winInf;
    e = primitive(ip, il, TAG_INTEGER, UNIVERSAL);
    if (!e) return 0;
    e = close(e, il - i64(e - ip), iinf);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  for (let field = 0; field < 6; field++) {
    if (atEnd(q, left, inf)) return missing(q);
    if (field == 0) e = primitive(q, left, TAG_INTEGER, UNIVERSAL);
    else if (field == 1) e = algorithmIdentifier(q, left);
    else if (field == 2 || field == 4) e = listOf(q, left, TAG_SEQUENCE, UNIVERSAL, 0, false);
    else if (field == 3) {
      if (open(q, left, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
      let vq = winP,
        vl = winLen;
      const vinf = winInf;
      for (let k = 0; k < 2; k++) {
        if (atEnd(vq, vl, vinf)) return missing(vq);
        const ve = timeValue(vq, vl);
        if (!ve) return 0;
        vl -= <i64>(ve - vq);
        vq = ve;
      }
      e = close(vq, vl, vinf);
    } else {
      if (open(q, left, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
      let kq = winP,
        kl = winLen;
      const kinf = winInf;
      if (atEnd(kq, kl, kinf)) return missing(kq);
      let ke = algorithmIdentifier(kq, kl);
      if (!ke) return 0;
      kl -= <i64>(ke - kq);
      kq = ke;
      if (atEnd(kq, kl, kinf)) return missing(kq);
      ke = primitive(kq, kl, TAG_BIT_STRING, UNIVERSAL);
      if (!ke) return 0;
      kl -= <i64>(ke - kq);
      kq = ke;
      e = close(kq, kl, kinf);
    }
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  // [1], [2] IMPLICIT BIT STRING OPTIONAL
  for (let t = 1; t <= 2; t++) {
    if (atEnd(q, left, inf)) break;
    r = checkTlen(q, left, t, CONTEXT, true);
    if (r == 0) return 0;
    if (r > 0) {
      e = primitive(q, left, t, CONTEXT);
      if (!e) return 0;
      // The content rules of BIT STRING apply to the implicitly tagged value too.
      if (checkTlen(q, left, t, CONTEXT, false) <= 0) return 0;
      let d = tlvContent,
        n = tlvLength;
      if (tlvConstructed) {
        d = collectBuf;
        n = collectLen;
      }
      if (n < 1 || load<u8>(d) > 7) return setError(q, "invalid BIT STRING");
      left -= <i64>(e - q);
      q = e;
    }
  }
  // [3] EXPLICIT extensions: the last field, so not optional while data remains.
  if (!atEnd(q, left, inf)) {
    if (open(q, left, 3, CONTEXT, false) != 1) return 0;
    const xp = winP,
      xl = winLen,
      xinf = winInf;
    e = listOf(xp, xl, TAG_SEQUENCE, UNIVERSAL, 2, false);
    if (!e) return 0;
    e = close(e, xl - i64(e - xp), xinf);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  return close(q, left, inf);
}

/** The canonical encoding made by the last successful checkCertificate, as a blob (blob.ts). */
export let certCanonical: usize = 0;

/**
 * Checks a Certificate at p (within len bytes) and builds its canonical encoding (a fresh blob
 * in certCanonical, owned by the caller). Returns the end of the certificate, or 0 on error.
 */
export function checkCertificate(p: usize, len: i64): usize {
  strayEoc = false;
  if (open(p, len, TAG_SEQUENCE, UNIVERSAL, false) != 1) return 0;
  let q = winP,
    left = winLen;
  const inf = winInf;
  if (atEnd(q, left, inf)) return missing(q);
  const tbsStart = q;
  let e = tbsCertificate(q, left);
  if (!e) return 0;
  const tbsLen = e - tbsStart;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(q, left, inf)) return missing(q);
  const algStart = q;
  e = algorithmIdentifier(q, left);
  if (!e) return 0;
  const algEnd = e;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(q, left, inf)) return missing(q);
  const sigStart = q;
  e = primitive(q, left, TAG_BIT_STRING, UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  const end = close(q, left, inf);
  if (!end) return 0;
  return canonicalise(end, tbsStart, tbsLen, algStart, algEnd, sigStart);
}

// --- canonical re-encoding -----------------------------------------------------------------------

/** Writes the AlgorithmIdentifier at p canonically into dst (dst = 0 measures). */
function canonicalAlg(dst: usize, p: usize, end: usize): usize {
  checkTlen(p, <i64>(end - p), TAG_SEQUENCE, UNIVERSAL, false);
  let q = tlvContent;
  let left = tlvLength;
  const inf = tlvIndefinite;
  // OBJECT
  readString(q, left, TAG_OBJECT, UNIVERSAL, false);
  const oid = strData,
    oidLen = <usize>strLen;
  let body = <usize>1 + lengthSize(oidLen) + oidLen;
  const afterOid = primitiveEnd(q, left);
  left -= <i64>(afterOid - q);
  q = afterOid;
  let paramStart: usize = 0,
    paramEnd: usize = 0;
  if (!atEnd(q, left, inf)) {
    paramStart = q;
    paramEnd = anyEnd(q, left);
  }
  // parameters
  let paramSize: usize = 0;
  if (paramStart) paramSize = canonicalAny(0, paramStart, paramEnd);
  body += paramSize;
  if (!dst) return 1 + lengthSize(body) + body;
  let o = writeHeader(dst, 0x30, body);
  o += writeHeader(dst + o, 0x06, oidLen);
  memory.copy(dst + o, oid, oidLen);
  o += oidLen;
  if (paramStart) o += canonicalAny(dst + o, paramStart, paramEnd);
  return o;
}

function primitiveEnd(p: usize, len: i64): usize {
  checkTlen(p, len, -1, 0, false);
  if (tlvConstructed) {
    collectReset();
    return collectString(tlvContent, tlvLength, tlvIndefinite, 0);
  }
  return tlvContent + <usize>tlvLength;
}

function anyEnd(p: usize, len: i64): usize {
  checkTlen(p, len, -1, 0, false);
  if (tlvClass != UNIVERSAL || tlvTag == TAG_SEQUENCE || tlvTag == TAG_SET) return skipAny(p, len);
  return primitiveEnd(p, len);
}

/** An ANY value re-encoded: raw for SEQUENCE/SET/other classes, else tag + DER length + content. */
function canonicalAny(dst: usize, p: usize, end: usize): usize {
  checkTlen(p, <i64>(end - p), -1, 0, false);
  const tag = tlvTag;
  if (tlvClass != UNIVERSAL || tag == TAG_SEQUENCE || tag == TAG_SET || tag >= 31) {
    if (dst) memory.copy(dst, p, end - p);
    return end - p;
  }
  return canonicalString(dst, p, end, <u8>tag);
}

/** A primitive string re-encoded in DER (BIT STRING: unused bits of the last octet cleared). */
function canonicalString(dst: usize, p: usize, end: usize, tag: u8): usize {
  checkTlen(p, <i64>(end - p), -1, 0, false);
  let data = tlvContent,
    n = <usize>tlvLength;
  if (tlvConstructed) {
    collectReset();
    collectString(tlvContent, tlvLength, tlvIndefinite, 0);
    data = collectBuf;
    n = <usize>collectLen;
  }
  const size = <usize>1 + lengthSize(n) + n;
  if (!dst) return size;
  const h = writeHeader(dst, tag, n);
  if (n) memory.copy(dst + h, data, n);
  if (tag == <u8>TAG_BIT_STRING && n > 1) {
    const unused = load<u8>(dst + h);
    const last = dst + h + n - 1;
    store<u8>(last, load<u8>(last) & u8(0xff << unused));
  }
  return size;
}

function canonicalise(
  end: usize,
  tbsStart: usize,
  tbsLen: usize,
  algStart: usize,
  algEnd: usize,
  sigStart: usize,
): usize {
  const algSize = canonicalAlg(0, algStart, algEnd);
  const sigEnd = primitiveEnd(sigStart, <i64>(end - sigStart));
  const sigSize = canonicalString(0, sigStart, sigEnd, <u8>TAG_BIT_STRING);
  const body = tbsLen + algSize + sigSize;
  const total = <usize>1 + lengthSize(body) + body;
  // Allocated in blob layout (u32 length, then bytes) so the session can own it directly.
  const blob = alloc(4 + <usize>total);
  if (!blob) return setError(tbsStart, "out of memory");
  store<u32>(blob, <u32>total);
  const out = blob + 4;
  let o = writeHeader(out, 0x30, body);
  memory.copy(out + o, tbsStart, tbsLen);
  o += tbsLen;
  o += canonicalAlg(out + o, algStart, algEnd);
  o += canonicalString(out + o, sigStart, sigEnd, <u8>TAG_BIT_STRING);
  certCanonical = blob;
  return end;
}

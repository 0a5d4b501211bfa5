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

import { Cursor, Class, Universal, ANY_TAG, header, isEoc, readString, collectString } from "./reader";
import { Tag, writeHeader, lengthSize } from "./writer";
import { alloc } from "../../util/alloc";

/**
 * Opens a SEQUENCE/SET (or [n] EXPLICIT) at p. 1 ok (the window is the cursor's content, length
 * and indefinite flag: copy them before the next read), -1 absent, 0 error.
 */
function open(c: Cursor, p: usize, len: i64, tag: i32, cls: u8, optional: bool): i32 {
  const r = header(c, p, len, tag, cls, optional);
  if (r <= 0) return r;
  if (!c.constructed) {
    c.fail(p, "SEQUENCE not constructed");
    return 0;
  }
  return 1;
}

/** Closes a window: EOC required if indefinite, else no bytes may be left. Returns end or 0. */
function close(c: Cursor, p: usize, left: i64, inf: bool): usize {
  if (c.strayEoc) return 0;
  if (inf) {
    if (!isEoc(p, left)) return c.fail(p, "missing end-of-contents");
    return p + 2;
  }
  if (left != 0) return c.fail(p, "sequence length mismatch");
  return p;
}

/**
 * True when a window has no more fields (end of data, or EOC in an indefinite one). An EOC in a
 * definite-length window is an error (OpenSSL: "unexpected eoc"): it reports "end" with
 * c.strayEoc set, and the caller's next check fails.
 */
function atEnd(c: Cursor, p: usize, left: i64, inf: bool): bool {
  if (left == 0) return true;
  if (isEoc(p, left)) {
    if (!inf) {
      c.strayEoc = true;
      c.fail(p, "unexpected end-of-contents");
    }
    return true;
  }
  return false;
}

function missing(c: Cursor, p: usize): usize {
  return c.strayEoc ? 0 : c.fail(p, "field missing");
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

/**
 * Reads a primitive of universal type `utype` (already matched) at p; returns end or 0. Its
 * content is left in c.str / c.strLen (in place, or gathered in the scratch area).
 */
function primitive(c: Cursor, p: usize, len: i64, utype: i32, cls: u8): usize {
  const r = header(c, p, len, utype, cls, false);
  if (r <= 0) return 0;
  let data: usize, n: i64, end: usize;
  if (c.constructed) {
    if (
      utype == Universal.BOOLEAN ||
      utype == Universal.INTEGER ||
      utype == Universal.OBJECT ||
      utype == Universal.NULL ||
      utype == Universal.ENUMERATED
    ) {
      return c.fail(p, "type not primitive");
    }
    c.clearScratch();
    end = collectString(c, c.content, c.length, c.indefinite);
    if (!end) return 0;
    data = c.scratch;
    n = c.scratchLen;
  } else {
    data = c.content;
    n = c.length;
    end = c.content + <usize>c.length;
  }
  c.str = data;
  c.strLen = n;
  if (cls != Class.UNIVERSAL) return end;
  if (utype == Universal.OBJECT && !checkObject(data, n)) return c.fail(p, "invalid object encoding");
  if ((utype == Universal.INTEGER || utype == Universal.ENUMERATED) && !checkInteger(data, n))
    return c.fail(p, "bad integer");
  if (utype == Universal.NULL && n != 0) return c.fail(p, "NULL is wrong length");
  if (utype == Universal.BOOLEAN && n != 1) return c.fail(p, "BOOLEAN is wrong length");
  if (utype == Universal.BIT_STRING && (n < 1 || load<u8>(data) > 7)) return c.fail(p, "invalid BIT STRING");
  if (utype == Universal.BMP_STRING && n & 1) return c.fail(p, "BMPString is wrong length");
  if (utype == Universal.UNIVERSAL_STRING && n & 3) return c.fail(p, "UniversalString is wrong length");
  return end;
}

/**
 * Skips a complete TLV of any tag (raw ANY/SEQUENCE content kept as encoded). Like OpenSSL's
 * asn1_find_end it walks an indefinite-length value with a count of the end-of-contents markers
 * still expected, not by recursion: the nesting depth is the input's choice, the stack is not.
 * Definite-length elements inside are stepped over whole.
 */
function skipAny(c: Cursor, p: usize, len: i64): usize {
  const r = header(c, p, len, ANY_TAG, 0, false);
  if (r <= 0) return 0;
  if (!c.indefinite) return c.content + <usize>c.length;
  let q = c.content;
  let left = c.length;
  let expected: u32 = 1;
  while (true) {
    if (left < 2) return c.fail(q, "missing end-of-contents");
    if (isEoc(q, left)) {
      q += 2;
      left -= 2;
      if (--expected == 0) return q;
      continue;
    }
    if (header(c, q, left, ANY_TAG, 0, false) <= 0) return 0;
    let e: usize;
    if (c.indefinite) {
      expected++;
      e = c.content;
    } else e = c.content + <usize>c.length;
    left -= <i64>(e - q);
    q = e;
  }
}

/** A universal SEQUENCE/SET value kept raw; OpenSSL insists it be constructed. */
function rawConstructed(c: Cursor, p: usize, len: i64): usize {
  if (header(c, p, len, ANY_TAG, 0, false) <= 0) return 0;
  if (c.cls == Class.UNIVERSAL && !c.constructed) return c.fail(p, "type not constructed");
  return skipAny(c, p, len);
}

/** The ANY of an AlgorithmIdentifier: any universal type with its content rules, or other class raw. */
function anyValue(c: Cursor, p: usize, len: i64): usize {
  const r = header(c, p, len, ANY_TAG, 0, false);
  if (r <= 0) return 0;
  const tag = c.tag,
    cls = c.cls;
  if (cls != Class.UNIVERSAL || tag == Universal.SEQUENCE || tag == Universal.SET)
    return rawConstructed(c, p, len);
  return primitive(c, p, len, tag, Class.UNIVERSAL);
}

function algorithmIdentifier(c: Cursor, p: usize, len: i64): usize {
  if (open(c, p, len, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
  let q = c.content,
    left = c.length;
  const inf = c.indefinite;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  let e = primitive(c, q, left, Universal.OBJECT, Class.UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  if (!atEnd(c, q, left, inf)) {
    e = anyValue(c, q, left);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  return close(c, q, left, inf);
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
  if (tag == Universal.UTF8_STRING) {
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
  if (tag == Universal.BMP_STRING) {
    for (let i: i64 = 0; i < n; i += 2) {
      if (!unicodeValid(((<u32>load<u8>(p + <usize>i)) << 8) | load<u8>(p + <usize>i, 1))) return false;
    }
    return true;
  }
  if (tag == Universal.UNIVERSAL_STRING) {
    for (let i: i64 = 0; i < n; i += 4) {
      if (!unicodeValid(bswap<u32>(load<u32>(p + <usize>i)))) return false;
    }
    return true;
  }
  return true;
}

function nameEntry(c: Cursor, p: usize, len: i64): usize {
  if (open(c, p, len, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
  let q = c.content,
    left = c.length;
  const inf = c.indefinite;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  let e = primitive(c, q, left, Universal.OBJECT, Class.UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  if (header(c, q, left, ANY_TAG, 0, false) <= 0) return 0;
  const tag = c.tag;
  if (c.cls != Class.UNIVERSAL || !printableTagAllowed(tag)) return c.fail(q, "bad DirectoryString tag");
  if (tag == Universal.SEQUENCE) e = rawConstructed(c, q, left);
  else {
    e = primitive(c, q, left, tag, Class.UNIVERSAL);
    if (e && tag != Universal.BIT_STRING && !canonicalisable(tag, c.str, c.strLen))
      return c.fail(q, "name string cannot be converted to UTF-8");
  }
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  return close(c, q, left, inf);
}

/** SEQUENCE OF / SET OF `item`: constructed, items until the end or EOC. */
function listOf(c: Cursor, p: usize, len: i64, tag: i32, cls: u8, item: i32, optional: bool): usize {
  // OpenSSL's SET OF / SEQUENCE OF template does not insist on the constructed bit.
  const r = header(c, p, len, tag, cls, optional);
  if (r < 0) return 1;
  if (r == 0) return 0;
  let q = c.content,
    left = c.length;
  const inf = c.indefinite;
  while (left > 0) {
    if (isEoc(q, left)) {
      if (!inf) return c.fail(q, "unexpected end-of-contents");
      return q + 2;
    }
    let e: usize;
    if (item == 0) e = listOf(c, q, left, Universal.SET, Class.UNIVERSAL, 1, false);
    else if (item == 1) e = nameEntry(c, q, left);
    else e = extension(c, q, left);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  if (inf) return c.fail(q, "missing end-of-contents");
  return q;
}

function extension(c: Cursor, p: usize, len: i64): usize {
  if (open(c, p, len, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
  let q = c.content,
    left = c.length;
  const inf = c.indefinite;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  let e = primitive(c, q, left, Universal.OBJECT, Class.UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  const r = header(c, q, left, Universal.BOOLEAN, Class.UNIVERSAL, true);
  if (r == 0) return 0;
  if (r > 0) {
    e = primitive(c, q, left, Universal.BOOLEAN, Class.UNIVERSAL);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  if (atEnd(c, q, left, inf)) return missing(c, q);
  e = primitive(c, q, left, Universal.OCTET_STRING, Class.UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  return close(c, q, left, inf);
}

function timeValue(c: Cursor, p: usize, len: i64): usize {
  if (header(c, p, len, ANY_TAG, 0, false) <= 0) return 0;
  if (c.cls != Class.UNIVERSAL || (c.tag != Universal.UTC_TIME && c.tag != Universal.GENERALIZED_TIME))
    return c.fail(p, "bad Time tag");
  return primitive(c, p, len, c.tag, Class.UNIVERSAL);
}

/** Steps through a fixed list of fields of the TBSCertificate. Returns end or 0. */
function tbsCertificate(c: Cursor, p: usize, len: i64): usize {
  if (open(c, p, len, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
  let q = c.content,
    left = c.length;
  const inf = c.indefinite;
  let e: usize;
  // [0] EXPLICIT version OPTIONAL
  if (atEnd(c, q, left, inf)) return missing(c, q);
  let r = open(c, q, left, 0, Class.CONTEXT, true);
  if (r == 0) return 0;
  if (r > 0) {
    const ip = c.content,
      il = c.length,
      iinf = c.indefinite;
    e = primitive(c, ip, il, Universal.INTEGER, Class.UNIVERSAL);
    if (!e) return 0;
    e = close(c, e, il - i64(e - ip), iinf);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  for (let field = 0; field < 6; field++) {
    if (atEnd(c, q, left, inf)) return missing(c, q);
    if (field == 0) e = primitive(c, q, left, Universal.INTEGER, Class.UNIVERSAL);
    else if (field == 1) e = algorithmIdentifier(c, q, left);
    else if (field == 2 || field == 4) e = listOf(c, q, left, Universal.SEQUENCE, Class.UNIVERSAL, 0, false);
    else if (field == 3) {
      if (open(c, q, left, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
      let vq = c.content,
        vl = c.length;
      const vinf = c.indefinite;
      for (let k = 0; k < 2; k++) {
        if (atEnd(c, vq, vl, vinf)) return missing(c, vq);
        const ve = timeValue(c, vq, vl);
        if (!ve) return 0;
        vl -= <i64>(ve - vq);
        vq = ve;
      }
      e = close(c, vq, vl, vinf);
    } else {
      if (open(c, q, left, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
      let kq = c.content,
        kl = c.length;
      const kinf = c.indefinite;
      if (atEnd(c, kq, kl, kinf)) return missing(c, kq);
      let ke = algorithmIdentifier(c, kq, kl);
      if (!ke) return 0;
      kl -= <i64>(ke - kq);
      kq = ke;
      if (atEnd(c, kq, kl, kinf)) return missing(c, kq);
      ke = primitive(c, kq, kl, Universal.BIT_STRING, Class.UNIVERSAL);
      if (!ke) return 0;
      kl -= <i64>(ke - kq);
      kq = ke;
      e = close(c, kq, kl, kinf);
    }
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  // [1], [2] IMPLICIT BIT STRING OPTIONAL
  for (let t = 1; t <= 2; t++) {
    if (atEnd(c, q, left, inf)) break;
    r = header(c, q, left, t, Class.CONTEXT, true);
    if (r == 0) return 0;
    if (r > 0) {
      e = primitive(c, q, left, t, Class.CONTEXT);
      if (!e) return 0;
      // The content rules of BIT STRING apply to the implicitly tagged value too.
      if (header(c, q, left, t, Class.CONTEXT, false) <= 0) return 0;
      let d = c.content,
        n = c.length;
      if (c.constructed) {
        d = c.scratch;
        n = c.scratchLen;
      }
      if (n < 1 || load<u8>(d) > 7) return c.fail(q, "invalid BIT STRING");
      left -= <i64>(e - q);
      q = e;
    }
  }
  // [3] EXPLICIT extensions: the last field, so not optional while data remains.
  if (!atEnd(c, q, left, inf)) {
    if (open(c, q, left, 3, Class.CONTEXT, false) != 1) return 0;
    const xp = c.content,
      xl = c.length,
      xinf = c.indefinite;
    e = listOf(c, xp, xl, Universal.SEQUENCE, Class.UNIVERSAL, 2, false);
    if (!e) return 0;
    e = close(c, e, xl - i64(e - xp), xinf);
    if (!e) return 0;
    left -= <i64>(e - q);
    q = e;
  }
  return close(c, q, left, inf);
}

/**
 * Checks a Certificate at p (within len bytes) and builds its canonical encoding: a fresh blob
 * (blob.ts) left in the cursor's `made`, owned by the caller. Returns the end of the certificate,
 * or 0 on error.
 */
export function checkCertificate(c: Cursor, p: usize, len: i64): usize {
  c.strayEoc = false;
  if (open(c, p, len, Universal.SEQUENCE, Class.UNIVERSAL, false) != 1) return 0;
  let q = c.content,
    left = c.length;
  const inf = c.indefinite;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  const tbsStart = q;
  let e = tbsCertificate(c, q, left);
  if (!e) return 0;
  const tbsLen = e - tbsStart;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  const algStart = q;
  e = algorithmIdentifier(c, q, left);
  if (!e) return 0;
  const algEnd = e;
  left -= <i64>(e - q);
  q = e;
  if (atEnd(c, q, left, inf)) return missing(c, q);
  const sigStart = q;
  e = primitive(c, q, left, Universal.BIT_STRING, Class.UNIVERSAL);
  if (!e) return 0;
  left -= <i64>(e - q);
  q = e;
  const end = close(c, q, left, inf);
  if (!end) return 0;
  return canonicalise(c, end, tbsStart, tbsLen, algStart, algEnd, sigStart);
}

// --- canonical re-encoding -----------------------------------------------------------------------

/** Writes the AlgorithmIdentifier at p canonically into dst (dst = 0 measures). */
function canonicalAlg(c: Cursor, dst: usize, p: usize, end: usize): usize {
  header(c, p, <i64>(end - p), Universal.SEQUENCE, Class.UNIVERSAL, false);
  let q = c.content;
  let left = c.length;
  const inf = c.indefinite;
  // OBJECT
  readString(c, q, left, Universal.OBJECT, Class.UNIVERSAL, false);
  const oid = c.str,
    oidLen = <usize>c.strLen;
  let body = <usize>1 + lengthSize(oidLen) + oidLen;
  const afterOid = primitiveEnd(c, q, left);
  left -= <i64>(afterOid - q);
  q = afterOid;
  let paramStart: usize = 0,
    paramEnd: usize = 0;
  if (!atEnd(c, q, left, inf)) {
    paramStart = q;
    paramEnd = anyEnd(c, q, left);
  }
  // parameters
  let paramSize: usize = 0;
  if (paramStart) paramSize = canonicalAny(c, 0, paramStart, paramEnd);
  body += paramSize;
  if (!dst) return 1 + lengthSize(body) + body;
  let o = writeHeader(dst, Tag.SEQUENCE, body);
  o += writeHeader(dst + o, Tag.OBJECT, oidLen);
  memory.copy(dst + o, oid, oidLen);
  o += oidLen;
  if (paramStart) o += canonicalAny(c, dst + o, paramStart, paramEnd);
  return o;
}

function primitiveEnd(c: Cursor, p: usize, len: i64): usize {
  header(c, p, len, ANY_TAG, 0, false);
  if (c.constructed) {
    c.clearScratch();
    return collectString(c, c.content, c.length, c.indefinite);
  }
  return c.content + <usize>c.length;
}

function anyEnd(c: Cursor, p: usize, len: i64): usize {
  header(c, p, len, ANY_TAG, 0, false);
  if (c.cls != Class.UNIVERSAL || c.tag == Universal.SEQUENCE || c.tag == Universal.SET)
    return skipAny(c, p, len);
  return primitiveEnd(c, p, len);
}

/** An ANY value re-encoded: raw for SEQUENCE/SET/other classes, else tag + DER length + content. */
function canonicalAny(c: Cursor, dst: usize, p: usize, end: usize): usize {
  header(c, p, <i64>(end - p), ANY_TAG, 0, false);
  const tag = c.tag;
  if (c.cls != Class.UNIVERSAL || tag == Universal.SEQUENCE || tag == Universal.SET || tag >= 31) {
    if (dst) memory.copy(dst, p, end - p);
    return end - p;
  }
  return canonicalString(c, dst, p, end, <u8>tag);
}

/** A primitive string re-encoded in DER (BIT STRING: unused bits of the last octet cleared). */
function canonicalString(c: Cursor, dst: usize, p: usize, end: usize, tag: u8): usize {
  header(c, p, <i64>(end - p), ANY_TAG, 0, false);
  let data = c.content,
    n = <usize>c.length;
  if (c.constructed) {
    c.clearScratch();
    collectString(c, c.content, c.length, c.indefinite);
    data = c.scratch;
    n = <usize>c.scratchLen;
  }
  const size = <usize>1 + lengthSize(n) + n;
  if (!dst) return size;
  const h = writeHeader(dst, tag, n);
  if (n) memory.copy(dst + h, data, n);
  if (tag == <u8>Universal.BIT_STRING && n > 1) {
    const unused = load<u8>(dst + h);
    const last = dst + h + n - 1;
    store<u8>(last, load<u8>(last) & u8(0xff << unused));
  }
  return size;
}

function canonicalise(
  c: Cursor,
  end: usize,
  tbsStart: usize,
  tbsLen: usize,
  algStart: usize,
  algEnd: usize,
  sigStart: usize,
): usize {
  const algSize = canonicalAlg(c, 0, algStart, algEnd);
  const sigEnd = primitiveEnd(c, sigStart, <i64>(end - sigStart));
  const sigSize = canonicalString(c, 0, sigStart, sigEnd, <u8>Universal.BIT_STRING);
  const body = tbsLen + algSize + sigSize;
  const total = <usize>1 + lengthSize(body) + body;
  // Allocated in blob layout (u32 length, then bytes) so the session can own it directly.
  const blob = alloc(4 + <usize>total);
  if (!blob) return c.fail(tbsStart, "out of memory");
  store<u32>(blob, <u32>total);
  const out = blob + 4;
  let o = writeHeader(out, Tag.SEQUENCE, body);
  memory.copy(out + o, tbsStart, tbsLen);
  o += tbsLen;
  o += canonicalAlg(c, out + o, algStart, algEnd);
  o += canonicalString(c, out + o, sigStart, sigEnd, <u8>Universal.BIT_STRING);
  c.made = blob;
  return end;
}

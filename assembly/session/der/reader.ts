// A BER reader with exactly the tolerance of OpenSSL 3.0's template decoder (crypto/asn1/tasn_dec.c,
// asn1_lib.c, x_int64.c), which is what d2i_SSL_SESSION runs on. Where OpenSSL accepts more than
// strict DER, so do we:
//   - long-form lengths with leading zero octets (non-minimal) are accepted;
//   - indefinite lengths (0x80 ... 00 00) are accepted for constructed encodings;
//   - OCTET STRINGs may be constructed (nested fragments of any universal-or-other tag, depth <= 5);
//   - a zero-length INTEGER reads as 0 (the "long_compat" rule of the int64 types).
// And where it is stricter, so are we: an INTEGER with a redundant leading 00/FF octet is refused,
// constructed INTEGERs are refused. A long-form length may end exactly at the end of its window
// (OpenSSL 3.0.22 and later; earlier 3.0 releases wanted one more byte after the length octets).
//
// Results are left in module globals (no allocation per call): the header just read is in
// `tlv*`, a decoded integer in `intValue`.

/** Tag classes, as in the identifier octet. */
export const UNIVERSAL: u8 = 0x00;
export const CONTEXT: u8 = 0x80;

export const TAG_INTEGER: i32 = 2;
export const TAG_BIT_STRING: i32 = 3;
export const TAG_OCTET_STRING: i32 = 4;
export const TAG_OBJECT: i32 = 6;
export const TAG_SEQUENCE: i32 = 16;
export const TAG_SET: i32 = 17;

/** ASN1_MAX_STRING_NEST: how deep constructed strings may nest. */
const MAX_STRING_NEST: i32 = 5;

// The header last read by checkTlen.
export let tlvTag: i32 = 0;
export let tlvClass: u8 = 0;
export let tlvConstructed: bool = false;
export let tlvIndefinite: bool = false;
/** Content start. */
export let tlvContent: usize = 0;
/** Content length; for an indefinite encoding, everything left in the enclosing window. */
export let tlvLength: i64 = 0;

/** Where the first error happened (absolute address), for the host's byte offset. */
export let errorAt: usize = 0;
export let errorReason: string = "";

export function setError(at: usize, reason: string): i32 {
  errorAt = at;
  errorReason = reason;
  return 0;
}

// ASN1_get_object's flag bits.
const F_CONSTRUCTED: i32 = 0x20;
const F_INDEFINITE: i32 = 0x01;
const F_ERROR: i32 = 0x80;

let objTag: i32 = 0;
let objClass: u8 = 0;
let objLength: i64 = 0;
let objContent: usize = 0;

/** ASN1_get_object: parses an identifier and length within `omax` bytes at `start`. */
function getObject(start: usize, omax: i64): i32 {
  if (omax <= 0) return F_ERROR;
  let p = start;
  let max = omax;
  const b0 = <i32>load<u8>(p);
  let ret = b0 & F_CONSTRUCTED;
  objClass = <u8>(b0 & 0xc0);
  const low = b0 & 0x1f;
  if (low == 0x1f) {
    p++;
    if (--max == 0) return F_ERROR;
    let l: i64 = 0;
    while (load<u8>(p) & 0x80) {
      l = (l << 7) | i64(load<u8>(p) & 0x7f);
      p++;
      if (--max == 0) return F_ERROR;
      if (l > 0x7fffffff >> 7) return F_ERROR;
    }
    l = (l << 7) | i64(load<u8>(p) & 0x7f);
    p++;
    objTag = <i32>l;
    if (--max == 0) return F_ERROR;
  } else {
    objTag = low;
    p++;
    if (--max == 0) return F_ERROR;
  }
  // asn1_get_length
  let inf = 0;
  let length: u64 = 0;
  if (max-- < 1) return F_ERROR;
  const lb = <i32>load<u8>(p);
  if (lb == 0x80) {
    inf = 1;
    p++;
  } else {
    let n = lb & 0x7f;
    p++;
    if (lb & 0x80) {
      if (max < <i64>n) return F_ERROR;
      while (n > 0 && load<u8>(p) == 0) {
        p++;
        n--;
      }
      if (n > 8) return F_ERROR;
      while (n > 0) {
        length = (length << 8) | (<u64>load<u8>(p));
        p++;
        n--;
      }
      if (length > <u64>i64.MAX_VALUE) return F_ERROR;
    } else {
      length = <u64>n;
    }
  }
  if (inf && !(ret & F_CONSTRUCTED)) return F_ERROR;
  objLength = <i64>length;
  objContent = p;
  if (objLength > omax - i64(p - start)) ret |= F_ERROR; // ASN1_R_TOO_LONG
  return ret | inf;
}

/**
 * asn1_check_tlen: reads a header at `p` within `len` bytes and checks it against `expTag`
 * (-1: any) and `expClass`. Returns 1 (header in tlv*), -1 (optional and absent), 0 (error).
 */
export function checkTlen(p: usize, len: i64, expTag: i32, expClass: u8, optional: bool): i32 {
  const r = getObject(p, len);
  if (r & F_ERROR) return setError(p, "bad object header");
  if (expTag >= 0 && (expTag != objTag || expClass != objClass)) {
    if (optional) return -1;
    return setError(p, "wrong tag");
  }
  tlvTag = objTag;
  tlvClass = objClass;
  tlvConstructed = (r & F_CONSTRUCTED) != 0;
  tlvIndefinite = (r & F_INDEFINITE) != 0;
  tlvContent = objContent;
  tlvLength = tlvIndefinite ? len - i64(objContent - p) : objLength;
  return 1;
}

/** asn1_check_eoc: true when the next two bytes (within `len`) are an end-of-contents marker. */
// @ts-ignore: decorator
@inline export function isEoc(p: usize, len: i64): bool {
  return len >= 2 && load<u8>(p) == 0 && load<u8>(p, 1) == 0;
}

// --- Constructed strings ------------------------------------------------------------------------

/** Where collectString leaves the concatenated fragments (a growable scratch area). */
export let collectBuf: usize = 0;
export let collectLen: i64 = 0;
let collectCap: i64 = 0;
/** Set when the scratch area could not grow. */
export let collectOom: bool = false;

import { alloc, release } from "../../util/alloc";
import { wipe } from "../../util/bytes";

function collectAppend(src: usize, n: i64): bool {
  if (collectLen + n > collectCap) {
    let cap = collectCap < 256 ? <i64>256 : collectCap;
    while (cap < collectLen + n) cap <<= 1;
    const p = alloc(<usize>cap);
    if (!p) {
      collectOom = true;
      return false;
    }
    if (collectBuf) {
      memory.copy(p, collectBuf, <usize>collectLen);
      wipe(collectBuf, <usize>collectCap);
      release(collectBuf, <usize>collectCap);
    }
    collectBuf = p;
    collectCap = cap;
  }
  memory.copy(collectBuf + <usize>collectLen, src, <usize>n);
  collectLen += n;
  return true;
}

/** Wipes the scratch area: constructed strings may have carried a master key. */
export function collectReset(): void {
  if (collectBuf) wipe(collectBuf, <usize>collectLen);
  collectLen = 0;
  collectOom = false;
}

/**
 * asn1_collect: concatenates the fragments of a constructed string whose content starts at `p`
 * (`len` bytes, or an indefinite encoding ending in EOC). Fragment tags are not checked, as in
 * OpenSSL. Returns the address after the string, or 0 on error.
 */
export function collectString(p: usize, len: i64, indefinite: bool, depth: i32): usize {
  let inf = indefinite;
  while (len > 0) {
    const q = p;
    if (isEoc(p, len)) {
      if (!inf) return setError(p, "unexpected end-of-contents");
      p += 2;
      inf = false;
      break;
    }
    if (checkTlen(p, len, -1, 0, false) != 1) return 0;
    const plen = tlvLength;
    const cst = tlvConstructed;
    const ininf = tlvIndefinite;
    p = tlvContent;
    if (cst) {
      if (depth >= MAX_STRING_NEST) return setError(q, "constructed string nested too deeply");
      p = collectString(p, plen, ininf, depth + 1);
      if (!p) return 0;
    } else {
      if (plen && !collectAppend(p, plen)) return setError(p, "out of memory");
      p += <usize>plen;
    }
    len -= <i64>(p - q);
  }
  if (inf) return setError(p, "missing end-of-contents");
  return p;
}

// --- Strings and integers ---------------------------------------------------------------------

/** The content of the string just read by readString: either in place or in the collect buffer. */
export let strData: usize = 0;
export let strLen: i64 = 0;

/**
 * Reads a string-typed field (OCTET STRING and friends) with tag (expTag, expClass). Primitive
 * content stays in place; constructed content is gathered into the collect buffer. Returns the
 * address after the field, 0 on error, or 1 when optional and absent (never a valid address).
 */
export function readString(p: usize, len: i64, expTag: i32, expClass: u8, optional: bool): usize {
  const r = checkTlen(p, len, expTag, expClass, optional);
  if (r == 0) return 0;
  if (r < 0) return 1;
  if (tlvConstructed) {
    collectReset();
    const end = collectString(tlvContent, tlvLength, tlvIndefinite, 0);
    if (!end) return 0;
    strData = collectBuf;
    strLen = collectLen;
    return end;
  }
  strData = tlvContent;
  strLen = tlvLength;
  return tlvContent + <usize>tlvLength;
}

/** Integer flavours of x_int64.c. */
export const INT32: i32 = 0;
export const UINT32: i32 = 1;
export const INT64: i32 = 2;
export const UINT64: i32 = 3;

/** The value of the last integer read (two's complement bits for signed kinds). */
export let intValue: u64 = 0;

/**
 * c2i for the embedded int32/uint32/int64/uint64 types: minimal two's complement, at most 8
 * magnitude bytes, range-checked per kind. A zero-length content is 0. Returns false on error.
 */
export function decodeInt(p: usize, plen: i64, kind: i32): bool {
  if (plen == 0) {
    intValue = 0;
    return true;
  }
  const b0 = <u32>load<u8>(p);
  const neg = (b0 & 0x80) != 0;
  let mag: u64;
  if (plen == 1) {
    mag = neg ? <u64>(((b0 ^ 0xff) + 1) & 0xff) : <u64>b0;
  } else {
    let pad = 0;
    if (b0 == 0) pad = 1;
    else if (b0 == 0xff) {
      let any: u32 = 0;
      for (let i: i64 = 1; i < plen; i++) any |= load<u8>(p + <usize>i);
      pad = any != 0 ? 1 : 0;
    }
    if (pad && neg == ((load<u8>(p, 1) & 0x80) != 0)) {
      setError(p, "integer has illegal padding");
      return false;
    }
    const start = p + <usize>pad;
    const n = plen - pad;
    if (n > 8) {
      setError(p, "integer too large");
      return false;
    }
    let v: u64 = 0;
    for (let i: i64 = 0; i < n; i++) v = (v << 8) | (<u64>load<u8>(start + <usize>i));
    if (neg) {
      const mask: u64 = n == 8 ? u64.MAX_VALUE : ((<u64>1) << (<u64>n * 8)) - 1;
      mag = (~v + 1) & mask;
    } else {
      mag = v;
    }
  }
  if (kind == UINT64) {
    if (neg) {
      setError(p, "negative value for an unsigned integer");
      return false;
    }
    intValue = mag;
  } else if (kind == INT64) {
    if (!neg && mag > <u64>i64.MAX_VALUE) {
      setError(p, "integer too large");
      return false;
    }
    intValue = neg ? 0 - mag : mag;
  } else if (kind == UINT32) {
    if (neg) {
      setError(p, "negative value for an unsigned integer");
      return false;
    }
    if (mag > 0xffffffff) {
      setError(p, "integer too large");
      return false;
    }
    intValue = mag;
  } else {
    if (neg) {
      if (mag > 0x80000000) {
        setError(p, "integer too small");
        return false;
      }
      intValue = 0 - mag;
    } else {
      if (mag > 0x7fffffff) {
        setError(p, "integer too large");
        return false;
      }
      intValue = mag;
    }
  }
  return true;
}

/** Reads an INTEGER field of `kind` (tag 2 universal). Same return convention as readString. */
export function readInt(p: usize, len: i64, kind: i32, optional: bool): usize {
  const r = checkTlen(p, len, TAG_INTEGER, UNIVERSAL, optional);
  if (r == 0) return 0;
  if (r < 0) return 1;
  if (tlvConstructed) return setError(p, "INTEGER is not primitive");
  if (!decodeInt(tlvContent, tlvLength, kind)) return 0;
  return tlvContent + <usize>tlvLength;
}

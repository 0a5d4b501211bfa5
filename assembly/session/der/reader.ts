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
// A parse carries one Cursor (BoringSSL's CBS, extended with what a read leaves behind): every
// reader takes it, with the window it reads as an address and a byte count, and leaves in it the
// header just read, the string or integer just decoded, the first fault and the scratch area of
// constructed strings. Nothing of a parse lives in module globals, and nothing recurses by the
// depth of the input.

import { alloc, release } from "../../util/alloc";
import { wipe } from "../../util/bytes";

/** Tag classes, as in the identifier octet. */
export namespace Class {
  export const UNIVERSAL: u8 = 0x00;
  export const CONTEXT: u8 = 0x80;
}

/** Universal tag numbers (X.680 §8.6). */
export namespace Universal {
  export const BOOLEAN: i32 = 1;
  export const INTEGER: i32 = 2;
  export const BIT_STRING: i32 = 3;
  export const OCTET_STRING: i32 = 4;
  export const NULL: i32 = 5;
  export const OBJECT: i32 = 6;
  export const ENUMERATED: i32 = 10;
  export const UTF8_STRING: i32 = 12;
  export const SEQUENCE: i32 = 16;
  export const SET: i32 = 17;
  export const UTC_TIME: i32 = 23;
  export const GENERALIZED_TIME: i32 = 24;
  export const UNIVERSAL_STRING: i32 = 28;
  export const BMP_STRING: i32 = 30;
}

/** Integer flavours of x_int64.c. */
export namespace IntKind {
  export const INT32: i32 = 0;
  export const UINT32: i32 = 1;
  export const INT64: i32 = 2;
  export const UINT64: i32 = 3;
}

/** The expected tag of a header that may carry any tag. */
export const ANY_TAG: i32 = -1;

/** ASN1_MAX_STRING_NEST: how deep constructed strings may nest. */
const MAX_STRING_NEST: i32 = 5;

/** The state of one parse. */
@unmanaged
export class Cursor {
  // The header last read by header().
  tag: i32;
  cls: u8;
  constructed: bool;
  indefinite: bool;
  /** Set when a definite-length window met an end-of-contents marker (x509.ts's atEnd). */
  strayEoc: bool;
  /** Content start. */
  content: usize;
  /** Content length; for an indefinite encoding, everything left in the enclosing window. */
  length: i64;

  /** The string just read by readString: in place, or in the scratch area when constructed. */
  str: usize;
  strLen: i64;
  /** The integer just read (two's complement bits for the signed kinds). */
  int: u64;

  /** A block a reader allocated for its caller to own (checkCertificate's canonical blob). */
  made: usize;

  /** Where the fault happened (an absolute address) and why; reason 0 while there is none. */
  errorAt: usize;
  reason: usize;

  /** The scratch area constructed strings are gathered in, and whether it failed to grow. */
  scratch: usize;
  scratchLen: i64;
  scratchCap: i64;
  oom: bool;

  /** The cursor for a new parse: no header, no value, no fault, an empty scratch area. */
  static start(): Cursor {
    const c = changetype<Cursor>(CURSOR);
    c.reset();
    return c;
  }

  /** Forgets everything but the scratch area's allocation (which it wipes). */
  reset(): void {
    this.tag = 0;
    this.cls = 0;
    this.constructed = false;
    this.indefinite = false;
    this.strayEoc = false;
    this.content = 0;
    this.length = 0;
    this.str = 0;
    this.strLen = 0;
    this.int = 0;
    this.made = 0;
    this.errorAt = 0;
    this.reason = 0;
    this.clearScratch();
  }

  /** Records a fault at `at`; returns 0, the readers' error value. */
  fail(at: usize, reason: string): usize {
    this.errorAt = at;
    this.reason = changetype<usize>(reason);
    return 0;
  }

  /** Why the parse failed ("" when it did not). */
  get error(): string {
    return this.reason ? changetype<string>(this.reason) : "";
  }

  /** Wipes the scratch area: constructed strings may have carried a master key. */
  clearScratch(): void {
    if (this.scratch) wipe(this.scratch, <usize>this.scratchLen);
    this.scratchLen = 0;
    this.oom = false;
  }

  /** Appends `n` bytes at `src` to the scratch area; false when it cannot grow. */
  append(src: usize, n: i64): bool {
    if (this.scratchLen + n > this.scratchCap) {
      let cap = this.scratchCap < 256 ? <i64>256 : this.scratchCap;
      while (cap < this.scratchLen + n) cap <<= 1;
      const p = alloc(<usize>cap);
      if (!p) {
        this.oom = true;
        return false;
      }
      if (this.scratch) {
        memory.copy(p, this.scratch, <usize>this.scratchLen);
        wipe(this.scratch, <usize>this.scratchCap);
        release(this.scratch, <usize>this.scratchCap);
      }
      this.scratch = p;
      this.scratchCap = cap;
    }
    memory.copy(this.scratch + <usize>this.scratchLen, src, <usize>n);
    this.scratchLen += n;
    return true;
  }
}

const CURSOR = memory.data(offsetof<Cursor>());

// ASN1_get_object's flag bits.
const F_CONSTRUCTED: i32 = 0x20;

/**
 * asn1_check_tlen over ASN1_get_object: reads a header at `p` within `len` bytes and checks it
 * against `expTag` (ANY_TAG: any) and `expClass`. Returns 1 (the header is in the cursor), -1
 * (optional and absent: the cursor's header is unchanged), or 0 (error).
 */
export function header(c: Cursor, p: usize, len: i64, expTag: i32, expClass: u8, optional: bool): i32 {
  // The common case first: a low tag number and a short-form length, checked as below.
  if (len >= 2) {
    const h = <i32>load<u16>(p);
    const b0 = h & 0xff;
    const lb = h >> 8;
    if ((b0 & 0x1f) != 0x1f && lb < 0x80) {
      if (<i64>lb > len - 2) return <i32>c.fail(p, "bad object header");
      const tag = b0 & 0x1f;
      const cls = <u8>(b0 & 0xc0);
      if (expTag >= 0 && (expTag != tag || expClass != cls)) {
        if (optional) return -1;
        return <i32>c.fail(p, "wrong tag");
      }
      c.tag = tag;
      c.cls = cls;
      c.constructed = (b0 & F_CONSTRUCTED) != 0;
      c.indefinite = false;
      c.content = p + 2;
      c.length = <i64>lb;
      return 1;
    }
  }
  if (len <= 0) return <i32>c.fail(p, "bad object header");
  let q = p;
  let max = len;
  const b0 = <i32>load<u8>(q);
  const cls = <u8>(b0 & 0xc0);
  let tag = b0 & 0x1f;
  if (tag == 0x1f) {
    q++;
    if (--max == 0) return <i32>c.fail(p, "bad object header");
    let l: i64 = 0;
    while (load<u8>(q) & 0x80) {
      l = (l << 7) | i64(load<u8>(q) & 0x7f);
      q++;
      if (--max == 0) return <i32>c.fail(p, "bad object header");
      if (l > 0x7fffffff >> 7) return <i32>c.fail(p, "bad object header");
    }
    l = (l << 7) | i64(load<u8>(q) & 0x7f);
    tag = <i32>l;
  }
  q++;
  if (--max == 0) return <i32>c.fail(p, "bad object header");
  // asn1_get_length
  const constructed = (b0 & F_CONSTRUCTED) != 0;
  let indefinite = false;
  let length: u64 = 0;
  const lb = <i32>load<u8>(q);
  q++;
  max--;
  if (lb < 0x80) {
    length = <u64>lb;
  } else if (lb == 0x80) {
    if (!constructed) return <i32>c.fail(p, "bad object header");
    indefinite = true;
  } else {
    let n = lb & 0x7f;
    if (max < <i64>n) return <i32>c.fail(p, "bad object header");
    while (n > 0 && load<u8>(q) == 0) {
      q++;
      n--;
    }
    if (n > 8) return <i32>c.fail(p, "bad object header");
    while (n > 0) {
      length = (length << 8) | (<u64>load<u8>(q));
      q++;
      n--;
    }
    if (length > <u64>i64.MAX_VALUE) return <i32>c.fail(p, "bad object header");
  }
  // ASN1_R_TOO_LONG
  if (<i64>length > len - i64(q - p)) return <i32>c.fail(p, "bad object header");
  if (expTag >= 0 && (expTag != tag || expClass != cls)) {
    if (optional) return -1;
    return <i32>c.fail(p, "wrong tag");
  }
  c.tag = tag;
  c.cls = cls;
  c.constructed = constructed;
  c.indefinite = indefinite;
  c.content = q;
  c.length = indefinite ? len - i64(q - p) : <i64>length;
  return 1;
}

/** asn1_check_eoc: true when the next two bytes (within `len`) are an end-of-contents marker. */
// @ts-ignore: decorator
@inline export function isEoc(p: usize, len: i64): bool {
  return len >= 2 && load<u16>(p) == 0;
}

// --- Constructed strings ------------------------------------------------------------------------

// collectString's stack of enclosing fragments: bytes left, indefinite flag, header start.
const NEST_LEFT = memory.data(8 * MAX_STRING_NEST);
const NEST_INF = memory.data(MAX_STRING_NEST);
const NEST_AT = memory.data(8 * MAX_STRING_NEST);

/**
 * asn1_collect: concatenates the fragments of a constructed string whose content starts at `p`
 * (`len` bytes, or an indefinite encoding ending in EOC) into the cursor's scratch area. Fragment
 * tags are not checked, as in OpenSSL. Nested fragments are walked with an explicit stack of at
 * most MAX_STRING_NEST levels. Returns the address after the string, or 0 on error.
 */
export function collectString(c: Cursor, p: usize, len: i64, indefinite: bool): usize {
  let left = len;
  let inf = indefinite;
  let depth = 0;
  while (true) {
    let descended = false;
    while (left > 0) {
      const q = p;
      if (isEoc(p, left)) {
        if (!inf) return c.fail(p, "unexpected end-of-contents");
        p += 2;
        inf = false;
        break;
      }
      if (header(c, p, left, ANY_TAG, 0, false) != 1) return 0;
      p = c.content;
      if (c.constructed) {
        if (depth >= MAX_STRING_NEST) return c.fail(q, "constructed string nested too deeply");
        store<i64>(NEST_LEFT + ((<usize>depth) << 3), left);
        store<bool>(NEST_INF + <usize>depth, inf);
        store<usize>(NEST_AT + ((<usize>depth) << 3), q);
        depth++;
        left = c.length;
        inf = c.indefinite;
        descended = true;
        break;
      }
      const n = c.length;
      if (n && !c.append(p, n)) return c.fail(p, "out of memory");
      p += <usize>n;
      left -= <i64>(p - q);
    }
    if (descended) continue;
    if (inf) return c.fail(p, "missing end-of-contents");
    if (depth == 0) break;
    depth--;
    left = load<i64>(NEST_LEFT + ((<usize>depth) << 3));
    inf = load<bool>(NEST_INF + <usize>depth);
    left -= <i64>(p - load<usize>(NEST_AT + ((<usize>depth) << 3)));
  }
  return p;
}

// --- Strings and integers ---------------------------------------------------------------------

/**
 * Reads a string-typed field (OCTET STRING and friends) with tag (expTag, expClass) into the
 * cursor's `str`/`strLen`: primitive content stays in place; constructed content is gathered into
 * the scratch area. Returns the address after the field, 0 on error, or 1 when optional and absent
 * (never a valid address).
 */
export function readString(c: Cursor, p: usize, len: i64, expTag: i32, expClass: u8, optional: bool): usize {
  const r = header(c, p, len, expTag, expClass, optional);
  if (r == 0) return 0;
  if (r < 0) return 1;
  if (c.constructed) {
    c.clearScratch();
    const end = collectString(c, c.content, c.length, c.indefinite);
    if (!end) return 0;
    c.str = c.scratch;
    c.strLen = c.scratchLen;
    return end;
  }
  c.str = c.content;
  c.strLen = c.length;
  return c.content + <usize>c.length;
}

/**
 * c2i for the embedded int32/uint32/int64/uint64 types, into the cursor's `int`: minimal two's
 * complement, at most 8 magnitude bytes, range-checked per kind. A zero-length content is 0.
 * Returns false on error.
 */
export function decodeInt(c: Cursor, p: usize, plen: i64, kind: i32): bool {
  if (plen == 0) {
    c.int = 0;
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
      c.fail(p, "integer has illegal padding");
      return false;
    }
    const start = p + <usize>pad;
    const n = plen - pad;
    if (n > 8) {
      c.fail(p, "integer too large");
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
  if (kind == IntKind.UINT64) {
    if (neg) {
      c.fail(p, "negative value for an unsigned integer");
      return false;
    }
    c.int = mag;
  } else if (kind == IntKind.INT64) {
    if (!neg && mag > <u64>i64.MAX_VALUE) {
      c.fail(p, "integer too large");
      return false;
    }
    c.int = neg ? 0 - mag : mag;
  } else if (kind == IntKind.UINT32) {
    if (neg) {
      c.fail(p, "negative value for an unsigned integer");
      return false;
    }
    if (mag > 0xffffffff) {
      c.fail(p, "integer too large");
      return false;
    }
    c.int = mag;
  } else {
    if (neg) {
      if (mag > 0x80000000) {
        c.fail(p, "integer too small");
        return false;
      }
      c.int = 0 - mag;
    } else {
      if (mag > 0x7fffffff) {
        c.fail(p, "integer too large");
        return false;
      }
      c.int = mag;
    }
  }
  return true;
}

/** Reads an INTEGER field of `kind` (tag 2 universal) into the cursor's `int`. Same return convention as readString. */
export function readInt(c: Cursor, p: usize, len: i64, kind: i32, optional: bool): usize {
  const r = header(c, p, len, Universal.INTEGER, Class.UNIVERSAL, optional);
  if (r == 0) return 0;
  if (r < 0) return 1;
  if (c.constructed) return c.fail(p, "INTEGER is not primitive");
  if (!decodeInt(c, c.content, c.length, kind)) return 0;
  return c.content + <usize>c.length;
}

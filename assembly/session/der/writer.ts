// The DER writer used by i2d: definite minimal lengths, minimal two's complement integers.
//
// The encoder describes its output once, as calls on a builder, and runs that description twice:
// with a Counter to size the output, then with a Builder (BoringSSL's CBB, without growth) to
// write it. Both have the same methods, and the schema code is generic over them, so each pass is
// compiled on its own: the counting pass is arithmetic only and the writing pass stores without
// asking on every field whether it should (measured: a single builder that branched on a null
// destination made i2d about 2.5 times slower).

/** Identifier octets. */
export namespace Tag {
  export const INTEGER: u8 = 0x02;
  export const OCTET_STRING: u8 = 0x04;
  export const OBJECT: u8 = 0x06;
  export const SEQUENCE: u8 = 0x30;
  /** A context-specific constructed tag [n] (EXPLICIT), low tag numbers only. */
  // @ts-ignore: decorator
  @inline export function explicit(n: i32): u8 {
    return <u8>(0xa0 | n);
  }
}

/** Bytes needed for a DER length field. */
// @ts-ignore: decorator
@inline export function lengthSize(len: usize): usize {
  return len < 0x80 ? 1 : 2 + ((<usize>(31 - clz(<u32>len))) >> 3);
}

/** Bytes of a TLV with `len` content bytes (low tag numbers only). */
// @ts-ignore: decorator
@inline export function tlvSize(len: usize): usize {
  return 1 + lengthSize(len) + len;
}

/**
 * Content bytes of the minimal two's complement encoding of `v` (signed or unsigned): the bits
 * of the magnitude (of ~v for a negative value) plus a sign bit, rounded up to octets.
 */
// @ts-ignore: decorator
@inline export function intContentSize(v: u64, signed: bool): usize {
  const x = signed && <i64>v < 0 ? ~v : v;
  return ((<usize>(64 - clz(x))) >> 3) + 1;
}

/** The content length of a TLV of `total` bytes (the inverse of tlvSize). */
export function contentOf(total: usize): usize {
  for (let k: usize = 1; k <= 9; k++) {
    const n = total - 1 - k;
    if (lengthSize(n) == k) return n;
  }
  return 0; // not reached for a total that tlvSize produced
}

/** What the schema code calls: a Counter or a Builder (a type for the checker; AssemblyScript
 * instantiates the generic code per class). */
export interface Sink {
  header(tag: u8, len: usize): void;
  bytes(src: usize, n: usize): void;
  byte(v: u8): void;
  string(tag: u8, src: usize, n: usize): void;
  int(tag: u8, v: u64, signed: bool): void;
  explicitInt(tag: i32, v: u64, signed: bool): void;
  explicitString(tag: i32, src: usize, n: usize): void;
}

/** Counts the bytes a Builder given the same calls would write. */
@unmanaged
export class Counter {
  /** Bytes counted so far. */
  len: usize;

  static zero(): Counter {
    const c = changetype<Counter>(memory.data(offsetof<Counter>()));
    c.len = 0;
    return c;
  }

  // @ts-ignore: decorator
  @inline header(_tag: u8, len: usize): void {
    this.len += 1 + lengthSize(len);
  }
  // @ts-ignore: decorator
  @inline bytes(_src: usize, n: usize): void {
    this.len += n;
  }
  // @ts-ignore: decorator
  @inline byte(_v: u8): void {
    this.len++;
  }
  // @ts-ignore: decorator
  @inline string(_tag: u8, _src: usize, n: usize): void {
    this.len += tlvSize(n);
  }
  // @ts-ignore: decorator
  @inline int(_tag: u8, v: u64, signed: bool): void {
    this.len += 2 + intContentSize(v, signed);
  }
  // @ts-ignore: decorator
  @inline explicitInt(_tag: i32, v: u64, signed: bool): void {
    this.len += 4 + intContentSize(v, signed);
  }
  // @ts-ignore: decorator
  @inline explicitString(_tag: i32, _src: usize, n: usize): void {
    this.len += tlvSize(tlvSize(n));
  }
}

/** Writes DER at a destination the caller sized (with a Counter) beforehand. */
@unmanaged
export class Builder {
  /** Where the next byte goes. */
  at: usize;
  /** Where the builder started. */
  start: usize;

  /** A builder writing at `dst`. */
  static at(dst: usize): Builder {
    const b = changetype<Builder>(memory.data(offsetof<Builder>()));
    b.at = dst;
    b.start = dst;
    return b;
  }

  /** Bytes written so far. */
  get len(): usize {
    return this.at - this.start;
  }

  /** An identifier octet and a definite length. */
  header(tag: u8, len: usize): void {
    const dst = this.at;
    if (len < 0x80) {
      store<u16>(dst, (<u16>tag) | ((<u16>len) << 8));
      this.at = dst + 2;
      return;
    }
    const n = lengthSize(len) - 1;
    store<u8>(dst, tag);
    store<u8>(dst, <u8>(0x80 | n), 1);
    for (let i: usize = 0; i < n; i++) store<u8>(dst + 2 + i, <u8>(len >> ((n - 1 - i) << 3)));
    this.at = dst + 2 + n;
  }

  /** Raw content bytes. */
  // @ts-ignore: decorator
  @inline bytes(src: usize, n: usize): void {
    memory.copy(this.at, src, n);
    this.at += n;
  }

  /** One content byte. */
  // @ts-ignore: decorator
  @inline byte(v: u8): void {
    store<u8>(this.at, v);
    this.at++;
  }

  /** A primitive string TLV. */
  string(tag: u8, src: usize, n: usize): void {
    this.header(tag, n);
    memory.copy(this.at, src, n);
    this.at += n;
  }

  /** An INTEGER TLV with identifier `tag` (Tag.INTEGER, or an IMPLICIT one). */
  int(tag: u8, v: u64, signed: bool): void {
    const n = intContentSize(v, signed);
    const dst = this.at;
    store<u16>(dst, (<u16>tag) | ((<u16>n) << 8));
    // Big-endian content: a 9th octet (n = 9) is the 00 that keeps a large unsigned value positive.
    let o: usize = 2;
    if (n == 9) {
      store<u8>(dst, 0, 2);
      o = 3;
    }
    for (let shift = (<i32>(n - (o - 2)) - 1) << 3; shift >= 0; shift -= 8) {
      store<u8>(dst + o, <u8>(v >> (<u64>shift)));
      o++;
    }
    this.at = dst + o;
  }

  /** [tag] EXPLICIT INTEGER. */
  explicitInt(tag: i32, v: u64, signed: bool): void {
    const n = intContentSize(v, signed);
    store<u16>(this.at, (<u16>Tag.explicit(tag)) | ((<u16>(n + 2)) << 8));
    this.at += 2;
    this.int(Tag.INTEGER, v, signed);
  }

  /** [tag] EXPLICIT OCTET STRING. */
  explicitString(tag: i32, src: usize, n: usize): void {
    this.header(Tag.explicit(tag), tlvSize(n));
    this.string(Tag.OCTET_STRING, src, n);
  }
}

/** Writes identifier octet `tag` and the length at `dst`; returns the bytes written. */
export function writeHeader(dst: usize, tag: u8, len: usize): usize {
  const b = Builder.at(dst);
  b.header(tag, len);
  return b.len;
}

/** Writes an INTEGER TLV with tag `tag` at `dst`; returns the bytes written. */
export function writeInt(dst: usize, tag: u8, v: u64, signed: bool): usize {
  const b = Builder.at(dst);
  b.int(tag, v, signed);
  return b.len;
}

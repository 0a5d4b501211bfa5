// The DER writer used by i2d: definite minimal lengths, minimal two's complement integers.
//
// A Builder (BoringSSL's CBB, without growth) either writes at `at` or, made with `measure()`,
// only counts: the encoder runs the same code twice, once to size its output and once to write
// it, and the choice between writing and counting is made in one place, here.

/** Identifier octets. */
export namespace Tag {
  export const INTEGER: u8 = 0x02;
  export const OCTET_STRING: u8 = 0x04;
  export const SEQUENCE: u8 = 0x30;
  /** A context-specific constructed tag [n] (EXPLICIT), low tag numbers only. */
  // @ts-ignore: decorator
  @inline export function explicit(n: i32): u8 {
    return <u8>(0xa0 | n);
  }
}

/** Bytes needed for a DER length field. */
export function lengthSize(len: usize): usize {
  if (len < 0x80) return 1;
  let n: usize = 0;
  for (let v = len; v; v >>= 8) n++;
  return 1 + n;
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

@unmanaged
export class Builder {
  /** Where the next byte goes; 0 when the builder only measures. */
  at: usize;
  /** Bytes written (or counted) so far. */
  len: usize;

  /** A builder writing at `dst`. */
  static at(dst: usize): Builder {
    const b = changetype<Builder>(memory.data(offsetof<Builder>()));
    b.at = dst;
    b.len = 0;
    return b;
  }

  /** A builder that only counts (a separate record, so it may be used while another writes). */
  static measure(): Builder {
    const b = changetype<Builder>(memory.data(offsetof<Builder>()));
    b.at = 0;
    b.len = 0;
    return b;
  }

  /** An identifier octet and a definite length. */
  header(tag: u8, len: usize): void {
    const n = lengthSize(len);
    const dst = this.at;
    if (dst) {
      store<u8>(dst, tag);
      if (n == 1) store<u8>(dst, <u8>len, 1);
      else {
        store<u8>(dst, <u8>(0x80 | (n - 1)), 1);
        for (let i: usize = 0; i < n - 1; i++) store<u8>(dst + 2 + i, <u8>(len >> ((n - 2 - i) * 8)));
      }
      this.at = dst + 1 + n;
    }
    this.len += 1 + n;
  }

  /** Raw content bytes. */
  bytes(src: usize, n: usize): void {
    if (this.at) {
      if (n) memory.copy(this.at, src, n);
      this.at += n;
    }
    this.len += n;
  }

  /** One content byte. */
  byte(v: u8): void {
    if (this.at) {
      store<u8>(this.at, v);
      this.at++;
    }
    this.len++;
  }

  /** A primitive string TLV. */
  string(tag: u8, src: usize, n: usize): void {
    this.header(tag, n);
    this.bytes(src, n);
  }

  /** An INTEGER TLV (tag 0x02 unless said otherwise). */
  int(v: u64, signed: bool, tag: u8 = Tag.INTEGER): void {
    const n = intContentSize(v, signed);
    this.header(tag, n);
    const dst = this.at;
    if (dst) {
      for (let i: usize = 0; i < n; i++) {
        const shift = (n - 1 - i) * 8;
        store<u8>(dst + i, shift >= 64 ? 0 : <u8>(v >> shift));
      }
      this.at = dst + n;
    }
    this.len += n;
  }

  /** [tag] EXPLICIT INTEGER. */
  explicitInt(tag: i32, v: u64, signed: bool): void {
    this.header(Tag.explicit(tag), tlvSize(intContentSize(v, signed)));
    this.int(v, signed);
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
  b.int(v, signed, tag);
  return b.len;
}

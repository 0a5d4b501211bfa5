// The DER writer used by i2d: definite minimal lengths, minimal two's complement integers.
// Every function takes a destination address and returns the bytes it wrote; with dst = 0 it
// only measures, so the encoder sizes its output in a first pass and writes it in a second.

/** Bytes needed for a DER length field. */
export function lengthSize(len: usize): usize {
  if (len < 0x80) return 1;
  let n: usize = 0;
  for (let v = len; v; v >>= 8) n++;
  return 1 + n;
}

/** Writes identifier octet `tag` (low tag numbers only) and the length. */
export function writeHeader(dst: usize, tag: u8, len: usize): usize {
  const n = lengthSize(len);
  if (dst) {
    store<u8>(dst, tag);
    if (n == 1) store<u8>(dst, <u8>len, 1);
    else {
      store<u8>(dst, <u8>(0x80 | (n - 1)), 1);
      for (let i: usize = 0; i < n - 1; i++) store<u8>(dst + 2 + i, <u8>(len >> ((n - 2 - i) * 8)));
    }
  }
  return 1 + n;
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

/** Writes an INTEGER TLV with tag `tag` (0x02 for universal). */
export function writeInt(dst: usize, tag: u8, v: u64, signed: bool): usize {
  const n = intContentSize(v, signed);
  const h = writeHeader(dst, tag, n);
  if (dst) {
    for (let i: usize = 0; i < n; i++) {
      const shift = (n - 1 - i) * 8;
      store<u8>(dst + h + i, shift >= 64 ? 0 : <u8>(v >> shift));
    }
  }
  return h + n;
}

/** Writes a primitive string TLV. */
export function writeBytes(dst: usize, tag: u8, src: usize, len: usize): usize {
  const h = writeHeader(dst, tag, len);
  if (dst && len) memory.copy(dst + h, src, len);
  return h + len;
}

/** Size of an EXPLICIT [n] wrapper around `inner` content bytes. */
// @ts-ignore: decorator
@inline export function explicitSize(inner: usize): usize {
  return 1 + lengthSize(inner) + inner;
}

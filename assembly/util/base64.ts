// Base64 (RFC 4648 §4), the PEM body encoding. Decoding skips whitespace the way
// EVP_DecodeUpdate does and refuses any other character outside the alphabet.

const ALPHABET = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 97,
  98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
  120, 121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

// @ts-ignore: decorator
@inline function value(c: u32): i32 {
  if (c >= 65 && c <= 90) return <i32>c - 65;
  if (c >= 97 && c <= 122) return <i32>c - 71;
  if (c >= 48 && c <= 57) return <i32>c + 4;
  if (c == 43) return 62;
  if (c == 47) return 63;
  return -1;
}

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 32 || c == 9 || c == 10 || c == 13;
}

/** Encoded size with a newline after every 64 characters and at the end. */
export function base64EncodedSize(n: usize): usize {
  const chars = ((n + 2) / 3) * 4;
  return chars + (chars + 63) / 64;
}

/** Encodes n bytes from src as 64-character lines, each ending in "\n". Returns bytes written. */
export function base64EncodeLines(src: usize, n: usize, dst: usize): usize {
  let o: usize = 0,
    col: usize = 0;
  for (let i: usize = 0; i < n; i += 3) {
    const rem = n - i;
    const b0 = <u32>load<u8>(src + i);
    const b1 = rem > 1 ? <u32>load<u8>(src + i + 1) : 0;
    const b2 = rem > 2 ? <u32>load<u8>(src + i + 2) : 0;
    store<u8>(dst + o, load<u8>(ALPHABET + (b0 >> 2)));
    store<u8>(dst + o + 1, load<u8>(ALPHABET + (((b0 & 3) << 4) | (b1 >> 4))));
    store<u8>(dst + o + 2, rem > 1 ? load<u8>(ALPHABET + (((b1 & 15) << 2) | (b2 >> 6))) : 61);
    store<u8>(dst + o + 3, rem > 2 ? load<u8>(ALPHABET + (b2 & 63)) : 61);
    o += 4;
    col += 4;
    if (col == 64) {
      store<u8>(dst + o++, 10);
      col = 0;
    }
  }
  if (col) store<u8>(dst + o++, 10);
  return o;
}

/**
 * Decodes base64 text (whitespace ignored, "=" padding only at the end, "-" ends the data) into dst, which must
 * hold at least n * 3 / 4 bytes. Returns the decoded length, or -1 - offset of the first bad
 * character.
 */
export function base64Decode(src: usize, n: usize, dst: usize): i32 {
  let acc: u32 = 0,
    bits: u32 = 0,
    o: usize = 0,
    pad: u32 = 0,
    count: u32 = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(src + i);
    if (isSpace(c)) continue;
    if (c == 45) break; // '-' ends the data (EVP_DecodeUpdate's B64_EOF)
    if (c == 61) {
      pad++;
      count++;
      continue;
    }
    const v = value(c);
    if (v < 0 || pad) return -1 - <i32>i;
    acc = (acc << 6) | (<u32>v);
    bits += 6;
    count++;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(dst + o++, <u8>(acc >> bits));
    }
  }
  if ((count & 3) != 0 || pad > 2) return -1 - <i32>n;
  return <i32>o;
}

// SipHash-1-3 (Aumasson & Bernstein; one compression round, three finalization rounds) over a
// session's cache key, keyed with a per-cache secret so that ids chosen by a client cannot be
// made to collide (OpenSSL's lhash hashes the first 4 id bytes, unkeyed).
//
// The message is (version as 4 bytes LE) || id, read as little-endian 64-bit words. The state
// lives in locals, and the SipRound is written out once in each of the two loops below, so the
// engine keeps all four words in registers (module globals would be memory loads and stores).

/**
 * Message word `k` of (version, 4 bytes LE) || id[0, len): whole-word loads where the bytes are
 * there, and in the last word the zero padding and the total length in the top byte.
 */
// @ts-ignore: decorator
@inline function word(k: u32, words: u32, version: i32, id: usize, len: u32): u64 {
  const total: u64 = <u64>len + 4;
  if (k + 1 < words) {
    // A full word: bytes 8k .. 8k + 7 of the message, i.e. id bytes 8k - 4 .. 8k + 3.
    if (k == 0) return (<u64>(<u32>version)) | ((<u64>load<u32>(id)) << 32);
    return load<u64>(id + ((<usize>k) << 3) - 4);
  }
  // The last word: the remaining 0..7 message bytes, then the length byte.
  let last: u64 = total << 56;
  let i: u32;
  let shift: u64 = 0;
  if (k == 0) {
    last |= <u64>(<u32>version);
    i = 0;
    shift = 32;
  } else i = (k << 3) - 4;
  if (i + 4 <= len) {
    last |= (<u64>load<u32>(id + i)) << shift;
    i += 4;
    shift += 32;
  }
  for (; i < len; i++, shift += 8) last |= (<u64>load<u8>(id + i)) << shift;
  return last;
}

/** SipHash-1-3 of (version, 4 bytes LE) || id under key (k0, k1), folded to 32 bits. */
export function hashKey(k0: u64, k1: u64, version: i32, id: usize, len: u32): u32 {
  let v0 = k0 ^ 0x736f6d6570736575;
  let v1 = k1 ^ 0x646f72616e646f6d;
  let v2 = k0 ^ 0x6c7967656e657261;
  let v3 = k1 ^ 0x7465646279746573;
  // (len + 4) bytes and the length byte: floor((len + 4) / 8) + 1 words.
  const words = ((len + 4) >> 3) + 1;
  for (let k: u32 = 0; k < words; k++) {
    const m = word(k, words, version, id, len);
    v3 ^= m;
    // One SipRound.
    v0 += v1;
    v1 = rotl<u64>(v1, 13);
    v1 ^= v0;
    v0 = rotl<u64>(v0, 32);
    v2 += v3;
    v3 = rotl<u64>(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = rotl<u64>(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = rotl<u64>(v1, 17);
    v1 ^= v2;
    v2 = rotl<u64>(v2, 32);
    v0 ^= m;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 3; r++) {
    // The same SipRound, three times.
    v0 += v1;
    v1 = rotl<u64>(v1, 13);
    v1 ^= v0;
    v0 = rotl<u64>(v0, 32);
    v2 += v3;
    v3 = rotl<u64>(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = rotl<u64>(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = rotl<u64>(v1, 17);
    v1 ^= v2;
    v2 = rotl<u64>(v2, 32);
  }
  const h = v0 ^ v1 ^ v2 ^ v3;
  return <u32>(h ^ (h >> 32));
}

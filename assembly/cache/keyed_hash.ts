// SipHash-1-3 (Aumasson & Bernstein; one compression round, three finalization rounds) over a
// session's cache key, keyed with a per-cache secret so that ids chosen by a client cannot be
// made to collide (OpenSSL's lhash hashes the first 4 id bytes, unkeyed).

// @ts-ignore: decorator
@inline function rotl(x: u64, b: u64): u64 {
  return (x << b) | (x >> (64 - b));
}

// The state lives in globals so the rounds compile to straight-line code.
let v0: u64 = 0,
  v1: u64 = 0,
  v2: u64 = 0,
  v3: u64 = 0;

// @ts-ignore: decorator
@inline function round(): void {
  v0 += v1;
  v1 = rotl(v1, 13);
  v1 ^= v0;
  v0 = rotl(v0, 32);
  v2 += v3;
  v3 = rotl(v3, 16);
  v3 ^= v2;
  v0 += v3;
  v3 = rotl(v3, 21);
  v3 ^= v0;
  v2 += v1;
  v1 = rotl(v1, 17);
  v1 ^= v2;
  v2 = rotl(v2, 32);
}

// @ts-ignore: decorator
@inline function absorb(m: u64): void {
  v3 ^= m;
  round();
  v0 ^= m;
}

/** SipHash-1-3 of (version, 4 bytes LE) || id under key (k0, k1), folded to 32 bits. */
export function hashKey(k0: u64, k1: u64, version: i32, id: usize, len: u32): u32 {
  v0 = k0 ^ 0x736f6d6570736575;
  v1 = k1 ^ 0x646f72616e646f6d;
  v2 = k0 ^ 0x6c7967656e657261;
  v3 = k1 ^ 0x7465646279746573;
  const total: u64 = <u64>len + 4;
  if (len >= 4) {
    // Whole-word loads: the message is the same bytes as below, read 4 and 8 at a time.
    absorb((<u64>(<u32>version)) | ((<u64>load<u32>(id)) << 32));
    let i: u32 = 4;
    for (; i + 8 <= len; i += 8) absorb(load<u64>(id + i));
    let last: u64 = total << 56;
    let k: u64 = 0;
    if (i + 4 <= len) {
      last |= <u64>load<u32>(id + i);
      i += 4;
      k = 32;
    }
    for (; i < len; i++, k += 8) last |= (<u64>load<u8>(id + i)) << k;
    absorb(last);
  } else {
    let first: u64 = <u64>(<u32>version);
    for (let i: u32 = 0; i < len; i++) first |= (<u64>load<u8>(id + i)) << (32 + ((<u64>i) << 3));
    absorb(first | (total << 56));
  }
  v2 ^= 0xff;
  round();
  round();
  round();
  const h = v0 ^ v1 ^ v2 ^ v3;
  return <u32>(h ^ (h >> 32));
}

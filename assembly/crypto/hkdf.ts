// HKDF, RFC 5869 §2.2 (Extract) and §2.3 (Expand).

import { HASH_CTX_SIZE, HASH_MAX_LEN, HASH_SHA256, hashLen, hashUpdate } from "./hash";
import { HMAC_KEY_SIZE, hmac, hmacFinish, hmacKey, hmacSha256, hmacStart } from "./hmac";

/**
 * PRK = HMAC-Hash(salt, IKM). An empty salt is the RFC's "not provided": HashLen zeros, which as an
 * HMAC key is the same as the empty key.
 */
export function hkdfExtract(
  alg: i32,
  salt: usize,
  saltLen: usize,
  ikm: usize,
  ikmLen: usize,
  out: usize,
): void {
  hmac(alg, salt, saltLen, ikm, ikmLen, out);
}

const KEY: usize = memory.data(<i32>HMAC_KEY_SIZE);
const CTX: usize = memory.data(<i32>HASH_CTX_SIZE);
const T: usize = memory.data(<i32>HASH_MAX_LEN + 8);

/**
 * OKM = T(1) | T(2) | ... first `outLen` bytes, T(i) = HMAC(PRK, T(i-1) | info | i).
 * Returns false (writing nothing) when outLen exceeds 255 * HashLen. `out` must not overlap `info`.
 */
export function hkdfExpand(
  alg: i32,
  prk: usize,
  prkLen: usize,
  info: usize,
  infoLen: usize,
  out: usize,
  outLen: usize,
): bool {
  const hl = hashLen(alg);
  if (outLen > 255 * hl) return false;
  hmacKey(alg, KEY, prk, prkLen);
  if (alg == HASH_SHA256 && outLen <= 32) {
    // T(1) only (every secret, key and iv of the TLS 1.3 schedule)
    store<u8>(T + 32, 1);
    hmacSha256(KEY, info, infoLen, T + 32, 1, T);
    memory.copy(out, T, outLen);
    memory.fill(KEY, 0, HMAC_KEY_SIZE);
    memory.fill(T, 0, HASH_MAX_LEN + 8);
    return true;
  }
  let done: usize = 0;
  let counter: u32 = 1;
  while (done < outLen) {
    hmacStart(alg, KEY, CTX);
    if (counter > 1) hashUpdate(alg, CTX, T, hl);
    hashUpdate(alg, CTX, info, infoLen);
    store<u8>(T + hl, <u8>counter);
    hashUpdate(alg, CTX, T + hl, 1);
    hmacFinish(alg, KEY, CTX, T);
    const take = outLen - done < hl ? outLen - done : hl;
    memory.copy(out + done, T, take);
    done += take;
    counter++;
  }
  memory.fill(KEY, 0, HMAC_KEY_SIZE);
  memory.fill(T, 0, HASH_MAX_LEN + 8);
  return true;
}

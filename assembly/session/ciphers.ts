// Cipher suite lookup by code, over the table of suites OpenSSL 3.0 knows (cipher_table.ts).

import { CIPHER_CODES, CIPHER_NAMES, CIPHER_HASH, CIPHER_COUNT } from "./cipher_table";

/** Index of suite `code` in the table, or -1 if OpenSSL does not know it. */
export function cipherIndex(code: u32): i32 {
  let lo = 0, hi = CIPHER_COUNT - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = <u32>unchecked(CIPHER_CODES[mid]);
    if (c == code) return mid;
    if (c < code) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** OpenSSL's name of the suite at `index` (e.g. "ECDHE-RSA-AES128-GCM-SHA256"). */
export function cipherName(index: i32): string {
  return unchecked(CIPHER_NAMES[index]);
}

/** The suite's handshake hash: 1 SHA-256, 2 SHA-384, 0 legacy. */
export function cipherHash(index: i32): u8 {
  return unchecked(CIPHER_HASH[index]);
}

/** Finds a suite by OpenSSL name (ASCII bytes at p, n long); its code or -1. */
export function cipherByName(p: usize, n: usize): i32 {
  for (let i = 0; i < CIPHER_COUNT; i++) {
    const name = unchecked(CIPHER_NAMES[i]);
    if (<usize>name.length != n) continue;
    let same = true;
    for (let k: usize = 0; k < n; k++) {
      if (<u32>name.charCodeAt(<i32>k) != <u32>load<u8>(p + k)) { same = false; break; }
    }
    if (same) return <i32>unchecked(CIPHER_CODES[i]);
  }
  return -1;
}

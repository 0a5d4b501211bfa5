// Cipher suite lookup by code, over the table of suites OpenSSL 3.0 knows (cipher_table.ts).

import { CIPHER_CODES, CIPHER_NAMES, CIPHER_COUNT } from "./cipher_table";

/** Index of suite `code` in the table, or -1 if OpenSSL does not know it. */
export function cipherIndex(code: u32): i32 {
  let lo = 0,
    hi = CIPHER_COUNT - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = <u32>unchecked(CIPHER_CODES[mid]);
    if (c == code) return mid;
    if (c < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** OpenSSL's name of the suite at `index` (e.g. "ECDHE-RSA-AES128-GCM-SHA256"). */
export function cipherName(index: i32): string {
  return unchecked(CIPHER_NAMES[index]);
}

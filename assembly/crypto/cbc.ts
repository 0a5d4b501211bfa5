// AES-CBC, NIST SP 800-38A §6.2, with PKCS#7 padding (RFC 5652 §6.3).
// Encryption is sequential by nature (one block at a time); decryption runs AES_PAR blocks at once.

import { AES_PAR, aesDecryptBlocks, aesEncryptBlocks, aesWipeScratch } from "./aes";

const CHAIN: usize = memory.data(16);

/** Ciphertext length for `len` bytes of plaintext: always at least one byte of padding. */
// @ts-ignore: decorator
@inline export function cbcPaddedLen(len: usize): usize {
  return (len & ~15) + 16;
}

/**
 * Encrypts `len` bytes at `src` into cbcPaddedLen(len) bytes at `dst` under the keyed `ctx`.
 * `dst` may equal `src` when it has room for the padding.
 */
export function cbcEncrypt(ctx: usize, iv: usize, src: usize, len: usize, dst: usize): usize {
  const total = cbcPaddedLen(len);
  memory.copy(dst, src, len);
  const pad = <u8>(total - len);
  memory.fill(dst + len, pad, total - len);
  let prev = iv;
  for (let o: usize = 0; o < total; o += 16) {
    const b = dst + o;
    store<u64>(b, load<u64>(b) ^ load<u64>(prev));
    store<u64>(b, load<u64>(b, 8) ^ load<u64>(prev, 8), 8);
    aesEncryptBlocks(ctx, b, b, 1);
    prev = b;
  }
  aesWipeScratch();
  return total;
}

/**
 * Decrypts `len` bytes (a non-zero multiple of 16) at `src` into `dst` (not overlapping `src`) and
 * checks the padding in constant time. Returns the plaintext length, or -1 for bad padding.
 */
export function cbcDecrypt(ctx: usize, iv: usize, src: usize, len: usize, dst: usize): isize {
  memory.copy(CHAIN, iv, 16);
  const chunk = AES_PAR << 4;
  for (let o: usize = 0; o < len; o += chunk) {
    const n: usize = len - o >= chunk ? AES_PAR : (len - o) >> 4;
    aesDecryptBlocks(ctx, src + o, dst + o, n);
    for (let j: usize = 0; j < n; j++) {
      const prev = j == 0 ? CHAIN : src + o + ((j - 1) << 4);
      const b = dst + o + (j << 4);
      store<u64>(b, load<u64>(b) ^ load<u64>(prev));
      store<u64>(b, load<u64>(b, 8) ^ load<u64>(prev, 8), 8);
    }
    memory.copy(CHAIN, src + o + ((n - 1) << 4), 16);
  }
  memory.fill(CHAIN, 0, 16);
  aesWipeScratch();
  // PKCS#7: the last byte p is 1..16 and the last p bytes all equal p. No branch on the data.
  const p = <u32>load<u8>(dst + len - 1);
  let bad: u32 = ((p - 1) >> 8) | ((16 - p) >> 31); // p == 0 or p > 16
  for (let i: u32 = 0; i < 16; i++) {
    const inPad = (i - p) >> 31; // 1 when i < p
    bad |= ((<u32>load<u8>(dst + len - 1 - i)) ^ p) & (0 - inPad) & 0xff;
  }
  return bad == 0 ? <isize>(len - p) : -1;
}

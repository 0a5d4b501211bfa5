// AES-GCM, NIST SP 800-38D (§6.3 GHASH multiplication, §6.4 GHASH, §6.5 GCTR, §7.1 encryption,
// §7.2 decryption), 16-byte tags, any IV length (12 bytes is the fast path of §7.1 step 2).
//
// GHASH multiplies in GF(2^128) by the right-shift algorithm of §6.3 with every step's choice made
// by masks, so its time does not depend on H or the data: constant time, no tables.

import { AES_CTX_SIZE, aesEncryptBlocks, aesInit, aesWipeScratch } from "./aes";
import { ctEqual } from "../util/bytes";

export const GCM_TAG: usize = 16;

// Working state: [0,16) H (big-endian u64 pair) · [16,32) Y (GHASH accumulator) · [32,48) J0 ·
// [48,112) counter blocks · [112,176) keystream
const ST: usize = memory.data(176);
const KEY: usize = memory.data(<i32>AES_CTX_SIZE);
const PADBLK: usize = memory.data(16);
const TAG: usize = memory.data(16);

/** Y = (Y ^ block) * H, block given as two big-endian words. */
function ghashMul(xh: u64, xl: u64): void {
  let vh = load<u64>(ST, 0), vl = load<u64>(ST, 8);
  xh ^= load<u64>(ST, 16); xl ^= load<u64>(ST, 24);
  let zh: u64 = 0, zl: u64 = 0;
  for (let w = 0; w < 2; w++) {
    let x = w == 0 ? xh : xl;
    for (let i = 0; i < 64; i++) {
      const m = 0 - (x >> 63);
      zh ^= vh & m; zl ^= vl & m;
      const r = 0 - (vl & 1);
      vl = (vl >> 1) | (vh << 63);
      vh = (vh >> 1) ^ (0xE100000000000000 & r);
      x <<= 1;
    }
  }
  store<u64>(ST, zh, 16); store<u64>(ST, zl, 24);
}

/** GHASH update over `len` bytes, the last partial block zero-padded (§7.1 step 5). */
function ghash(p: usize, len: usize): void {
  while (len >= 16) {
    ghashMul(bswap<u64>(load<u64>(p)), bswap<u64>(load<u64>(p, 8)));
    p += 16; len -= 16;
  }
  if (len) {
    memory.fill(PADBLK, 0, 16);
    memory.copy(PADBLK, p, len);
    ghashMul(bswap<u64>(load<u64>(PADBLK)), bswap<u64>(load<u64>(PADBLK, 8)));
  }
}

/** Keys AES, computes H and J0 (§7.1 steps 1-2) and clears the accumulator. */
function setup(key: usize, keyLen: usize, iv: usize, ivLen: usize): bool {
  if (!aesInit(KEY, key, keyLen)) return false;
  memory.fill(ST, 0, 176);
  aesEncryptBlocks(KEY, ST, ST, 1);
  store<u64>(ST, bswap<u64>(load<u64>(ST)), 0);
  store<u64>(ST, bswap<u64>(load<u64>(ST, 8)), 8);
  if (ivLen == 12) {
    memory.copy(ST + 32, iv, 12);
    store<u32>(ST + 44, bswap<u32>(1));
  } else {
    ghash(iv, ivLen);
    ghashMul(0, <u64>ivLen << 3);
    store<u64>(ST + 32, bswap<u64>(load<u64>(ST, 16)));
    store<u64>(ST + 40, bswap<u64>(load<u64>(ST, 24)));
    store<u64>(ST, 0, 16); store<u64>(ST, 0, 24);
  }
  return true;
}

/** GCTR from inc32(J0) (§6.5): XORs the keystream into `len` bytes, src to dst (may be equal). */
function gctr(src: usize, dst: usize, len: usize): void {
  let ctr = bswap<u32>(load<u32>(ST + 44));
  const ks = ST + 112, cb = ST + 48;
  for (let o: usize = 0; o < len; o += 64) {
    const rest = len - o;
    const n = rest >= 64 ? <usize>4 : (rest + 15) >> 4;
    for (let j: usize = 0; j < n; j++) {
      ctr++;
      memory.copy(cb + (j << 4), ST + 32, 12);
      store<u32>(cb + (j << 4) + 12, bswap<u32>(ctr));
    }
    aesEncryptBlocks(KEY, cb, ks, n);
    const m = rest >= 64 ? <usize>64 : rest;
    let i: usize = 0;
    for (; i + 8 <= m; i += 8) store<u64>(dst + o + i, load<u64>(src + o + i) ^ load<u64>(ks + i));
    for (; i < m; i++) store<u8>(dst + o + i, load<u8>(src + o + i) ^ load<u8>(ks + i));
  }
}

/** The tag into TAG: E(K, J0) ^ GHASH(A, C, lengths). */
function finishTag(aadLen: usize, ctLen: usize): void {
  ghashMul(<u64>aadLen << 3, <u64>ctLen << 3);
  store<u64>(TAG, bswap<u64>(load<u64>(ST, 16)));
  store<u64>(TAG + 8, bswap<u64>(load<u64>(ST, 24)));
  aesEncryptBlocks(KEY, ST + 32, ST + 112, 1);
  store<u64>(TAG, load<u64>(TAG) ^ load<u64>(ST, 112));
  store<u64>(TAG + 8, load<u64>(TAG, 8) ^ load<u64>(ST, 120));
}

function wipeAll(): void {
  memory.fill(ST, 0, 176);
  memory.fill(KEY, 0, AES_CTX_SIZE);
  memory.fill(PADBLK, 0, 16);
  aesWipeScratch();
}

/**
 * Encrypts `len` bytes at `src` to `dst` (may be equal) and writes the 16-byte tag after them,
 * at dst + len. Returns false for a bad key length or an empty IV.
 */
export function gcmSeal(key: usize, keyLen: usize, iv: usize, ivLen: usize, src: usize, len: usize,
                        aad: usize, aadLen: usize, dst: usize): bool {
  if (ivLen == 0 || !setup(key, keyLen, iv, ivLen)) return false;
  ghash(aad, aadLen);
  gctr(src, dst, len);
  ghash(dst, len);
  finishTag(aadLen, len);
  memory.copy(dst + len, TAG, 16);
  memory.fill(TAG, 0, 16);
  wipeAll();
  return true;
}

/**
 * Checks the tag of `len` bytes of ciphertext at `src` (tag at src + len) in constant time and, only
 * if it verifies, decrypts them to `dst`. Returns false (dst untouched) when it does not.
 */
export function gcmOpen(key: usize, keyLen: usize, iv: usize, ivLen: usize, src: usize, len: usize,
                        aad: usize, aadLen: usize, dst: usize): bool {
  if (ivLen == 0 || !setup(key, keyLen, iv, ivLen)) return false;
  ghash(aad, aadLen);
  ghash(src, len);
  finishTag(aadLen, len);
  const ok = ctEqual(TAG, src + len, 16);
  memory.fill(TAG, 0, 16);
  if (ok) gctr(src, dst, len);
  wipeAll();
  return ok;
}

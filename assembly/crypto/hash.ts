// Shared internals: the SHA-2 functions of FIPS 180-4 named by a small integer, so HMAC, HKDF, the
// TLS 1.2 PRF and the TLS 1.3 key schedule are written once for SHA-256, SHA-384 and SHA-512.
// Hash ids are part of the ABI: 1 = SHA-256, 2 = SHA-384, 3 = SHA-512.

import { SHA256_CTX_SIZE, sha256Init, sha256Update, sha256FinalN } from "./sha256";
import { SHA512_CTX_SIZE, sha512Init, sha384Init, sha512Update, sha512FinalN } from "./sha512";
import { HashAlg } from "../util/abi_values";

export const HASH_SHA256: i32 = HashAlg.SHA256;
export const HASH_SHA384: i32 = HashAlg.SHA384;

/** Room for any hash context (the SHA-512 one is the largest). */
export const HASH_CTX_SIZE: usize = SHA512_CTX_SIZE;
/** The longest digest and the longest block. */
export const HASH_MAX_LEN: usize = 64;
export const HASH_MAX_BLOCK: usize = 128;

/** True for the three ids above. */
// @ts-ignore: decorator
@inline export function hashKnown(alg: i32): bool {
  return <u32>(alg - 1) < 3;
}

/** Digest length in bytes. */
// @ts-ignore: decorator
@inline export function hashLen(alg: i32): usize {
  return alg == HASH_SHA256 ? 32 : alg == HASH_SHA384 ? 48 : 64;
}

/** Block length in bytes. */
// @ts-ignore: decorator
@inline export function hashBlockLen(alg: i32): usize {
  return alg == HASH_SHA256 ? 64 : 128;
}

/** Bytes of context that carry state (what a copy of the context must move). */
// @ts-ignore: decorator
@inline export function hashCtxLen(alg: i32): usize {
  return alg == HASH_SHA256 ? SHA256_CTX_SIZE : SHA512_CTX_SIZE;
}

export function hashInit(alg: i32, ctx: usize): void {
  if (alg == HASH_SHA256) sha256Init(ctx);
  else if (alg == HASH_SHA384) sha384Init(ctx);
  else sha512Init(ctx);
}

export function hashUpdate(alg: i32, ctx: usize, p: usize, len: usize): void {
  if (alg == HASH_SHA256) sha256Update(ctx, p, len);
  else sha512Update(ctx, p, len);
}

/** Writes hashLen(alg) bytes to `out` and wipes the context. */
export function hashFinal(alg: i32, ctx: usize, out: usize): void {
  if (alg == HASH_SHA256) sha256FinalN(ctx, out, 8);
  else sha512FinalN(ctx, out, alg == HASH_SHA384 ? 6 : 8);
}

const ONESHOT: usize = memory.data(<i32>HASH_CTX_SIZE);

/** One-shot digest of `len` bytes at `p` (out may alias the input). */
export function hashOnce(alg: i32, p: usize, len: usize, out: usize): void {
  hashInit(alg, ONESHOT);
  hashUpdate(alg, ONESHOT, p, len);
  hashFinal(alg, ONESHOT, out);
}

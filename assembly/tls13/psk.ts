// TLS 1.3 resumption PSKs and binders, RFC 8446 §4.6.1 (PSK from a ticket nonce), §4.2.11 (binder
// keys, binders over a truncated ClientHello, obfuscated ticket age) and §4.2.11.2 (binder values).
//
//   PSK         = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
//   binder_key  = Derive-Secret(HKDF-Extract(0, PSK), "res binder" | "ext binder", "")
//   binder      = HMAC(finished_key(binder_key), Transcript-Hash(Truncate(ClientHello)))
// After a HelloRetryRequest the transcript is message_hash(CH1) | HRR | Truncate(CH2): the caller
// passes those bytes as one transcript.

import { HASH_CTX_SIZE, HASH_MAX_LEN, hashFinal, hashInit, hashLen, hashUpdate } from "../crypto/hash";
import { hmac } from "../crypto/hmac";
import { deriveSecretEmpty, earlySecret, expandLabelStr, finishedKey } from "./key_schedule";

const EARLY: usize = memory.data(<i32>HASH_MAX_LEN);
const BKEY: usize = memory.data(<i32>HASH_MAX_LEN);
const FKEY: usize = memory.data(<i32>HASH_MAX_LEN);
const THASH: usize = memory.data(<i32>HASH_MAX_LEN);
const HCTX: usize = memory.data(<i32>HASH_CTX_SIZE);

/** PSK = HKDF-Expand-Label(rms, "resumption", nonce, Hash.length); false if the nonce is > 255 bytes. */
export function resumptionPsk(alg: i32, rms: usize, nonce: usize, nonceLen: usize, out: usize): bool {
  const hl = hashLen(alg);
  return expandLabelStr(alg, rms, hl, "resumption", nonce, nonceLen, out, hl);
}

/** binder_key from the PSK: "ext binder" for external PSKs, "res binder" for resumption. */
export function binderKey(alg: i32, psk: usize, pskLen: usize, external: bool, out: usize): void {
  earlySecret(alg, psk, pskLen, EARLY);
  deriveSecretEmpty(alg, EARLY, external ? "ext binder" : "res binder", out);
  memory.fill(EARLY, 0, HASH_MAX_LEN);
}

/**
 * The binder for `psk` over Transcript-Hash(prefix | truncated), where `prefix` is what precedes
 * the ClientHello in the transcript (empty unless there was a HelloRetryRequest) and `truncated`
 * is the ClientHello up to, not including, the binders list.
 */
export function computeBinder(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: bool,
  prefix: usize,
  prefixLen: usize,
  truncated: usize,
  truncatedLen: usize,
  out: usize,
): void {
  const hl = hashLen(alg);
  hashInit(alg, HCTX);
  hashUpdate(alg, HCTX, prefix, prefixLen);
  hashUpdate(alg, HCTX, truncated, truncatedLen);
  hashFinal(alg, HCTX, THASH);
  binderKey(alg, psk, pskLen, external, BKEY);
  finishedKey(alg, BKEY, FKEY);
  hmac(alg, FKEY, hl, THASH, hl, out);
  memory.fill(BKEY, 0, HASH_MAX_LEN);
  memory.fill(FKEY, 0, HASH_MAX_LEN);
}

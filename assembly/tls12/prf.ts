// The TLS 1.2 PRF, RFC 5246 §5 (P_hash with HMAC-SHA256, or HMAC-SHA384 for the *_SHA384 suites),
// and its uses: master secret (§8.1), extended master secret (RFC 7627 §4), key block (§6.3) and
// Finished verify_data (§7.4.9).
//
//   P_hash(secret, seed) = HMAC(secret, A(1) | seed) | HMAC(secret, A(2) | seed) | ...
//   A(0) = seed, A(i) = HMAC(secret, A(i-1)),   PRF(secret, label, seed) = P_hash(secret, label | seed)
// The label and seed are fed to HMAC as two pieces; they are never concatenated in memory.

import { HASH_CTX_SIZE, HASH_MAX_LEN, hashLen, hashUpdate } from "../crypto/hash";
import { HMAC_KEY_SIZE, hmacFinish, hmacKey, hmacStart } from "../crypto/hmac";

const KEY: usize = memory.data(<i32>HMAC_KEY_SIZE);
const CTX: usize = memory.data(<i32>HASH_CTX_SIZE);
const A: usize = memory.data(<i32>HASH_MAX_LEN);
const BLOCK: usize = memory.data(<i32>HASH_MAX_LEN);

/** Writes `outLen` bytes of PRF(secret, label, seed) to `out` (which must not overlap the inputs). */
export function tls12Prf(
  alg: i32,
  secret: usize,
  secretLen: usize,
  label: usize,
  labelLen: usize,
  seed: usize,
  seedLen: usize,
  out: usize,
  outLen: usize,
): void {
  const hl = hashLen(alg);
  hmacKey(alg, KEY, secret, secretLen);
  // A(1) = HMAC(secret, label | seed)
  hmacStart(alg, KEY, CTX);
  hashUpdate(alg, CTX, label, labelLen);
  hashUpdate(alg, CTX, seed, seedLen);
  hmacFinish(alg, KEY, CTX, A);
  let done: usize = 0;
  while (true) {
    hmacStart(alg, KEY, CTX);
    hashUpdate(alg, CTX, A, hl);
    hashUpdate(alg, CTX, label, labelLen);
    hashUpdate(alg, CTX, seed, seedLen);
    const take = outLen - done < hl ? outLen - done : hl;
    if (take == hl) {
      hmacFinish(alg, KEY, CTX, out + done);
    } else {
      hmacFinish(alg, KEY, CTX, BLOCK);
      memory.copy(out + done, BLOCK, take);
    }
    done += take;
    if (done >= outLen) break;
    // A(i+1) = HMAC(secret, A(i))
    hmacStart(alg, KEY, CTX);
    hashUpdate(alg, CTX, A, hl);
    hmacFinish(alg, KEY, CTX, A);
  }
  memory.fill(KEY, 0, HMAC_KEY_SIZE);
  memory.fill(A, 0, HASH_MAX_LEN);
  memory.fill(BLOCK, 0, HASH_MAX_LEN);
}

// Labels of RFC 5246 and RFC 7627, as bytes.
const L_MASTER: usize = memory.data<u8>([
  0x6d, 0x61, 0x73, 0x74, 0x65, 0x72, 0x20, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74,
]); // "master secret"
const L_EXTENDED: usize = memory.data<u8>([0x65, 0x78, 0x74, 0x65, 0x6e, 0x64, 0x65, 0x64, 0x20]); // "extended " (then "master secret")
const L_KEY_EXPANSION: usize = memory.data<u8>([
  0x6b, 0x65, 0x79, 0x20, 0x65, 0x78, 0x70, 0x61, 0x6e, 0x73, 0x69, 0x6f, 0x6e,
]); // "key expansion"
const L_CLIENT_FINISHED: usize = memory.data<u8>([
  0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x20, 0x66, 0x69, 0x6e, 0x69, 0x73, 0x68, 0x65, 0x64,
]); // "client finished"
const L_SERVER_FINISHED: usize = memory.data<u8>([
  0x73, 0x65, 0x72, 0x76, 0x65, 0x72, 0x20, 0x66, 0x69, 0x6e, 0x69, 0x73, 0x68, 0x65, 0x64,
]); // "server finished"
const LABEL_BUF: usize = memory.data(32);
const SEED_BUF: usize = memory.data(64);

/** TLS 1.2 master secret length (RFC 5246 §8.1). */
export const MASTER_SECRET_LEN: usize = 48;
/** Finished verify_data length for every TLS 1.2 suite we know (RFC 5246 §7.4.9). */
export const VERIFY_DATA_LEN: usize = 12;

/** master_secret = PRF(pre_master, "master secret", client_random | server_random)[0..48). */
export function tls12MasterSecret(
  alg: i32,
  pms: usize,
  pmsLen: usize,
  clientRandom: usize,
  serverRandom: usize,
  out: usize,
): void {
  memory.copy(SEED_BUF, clientRandom, 32);
  memory.copy(SEED_BUF + 32, serverRandom, 32);
  tls12Prf(alg, pms, pmsLen, L_MASTER, 13, SEED_BUF, 64, out, MASTER_SECRET_LEN);
}

/** RFC 7627 §4: master_secret = PRF(pre_master, "extended master secret", session_hash)[0..48). */
export function tls12ExtendedMasterSecret(
  alg: i32,
  pms: usize,
  pmsLen: usize,
  sessionHash: usize,
  hashLength: usize,
  out: usize,
): void {
  memory.copy(LABEL_BUF, L_EXTENDED, 9);
  memory.copy(LABEL_BUF + 9, L_MASTER, 13);
  tls12Prf(alg, pms, pmsLen, LABEL_BUF, 22, sessionHash, hashLength, out, MASTER_SECRET_LEN);
}

/** RFC 5246 §6.3: key_block = PRF(master, "key expansion", server_random | client_random). */
export function tls12KeyBlock(
  alg: i32,
  master: usize,
  masterLen: usize,
  serverRandom: usize,
  clientRandom: usize,
  out: usize,
  outLen: usize,
): void {
  memory.copy(SEED_BUF, serverRandom, 32);
  memory.copy(SEED_BUF + 32, clientRandom, 32);
  tls12Prf(alg, master, masterLen, L_KEY_EXPANSION, 13, SEED_BUF, 64, out, outLen);
}

/** RFC 5246 §7.4.9: verify_data = PRF(master, "client finished" | "server finished", Hash(handshake))[0..12). */
export function tls12Finished(
  alg: i32,
  master: usize,
  masterLen: usize,
  fromServer: bool,
  handshakeHash: usize,
  hashLength: usize,
  out: usize,
): void {
  tls12Prf(
    alg,
    master,
    masterLen,
    fromServer ? L_SERVER_FINISHED : L_CLIENT_FINISHED,
    15,
    handshakeHash,
    hashLength,
    out,
    VERIFY_DATA_LEN,
  );
}

// Sealing a session into a ticket and opening one (layout in format.ts).
//
// Opening checks, in this order, and stops at the first failure: the length (nothing longer than the
// largest ticket we could issue, nothing shorter than one block, whole blocks only) before any crypto;
// the key name; the MAC, in constant time; the CBC padding, without data-dependent branches; the DER,
// which must be exactly one SSL_SESSION. Every failure is the same outcome for the peer ("not
// resumable": a full handshake); the reason is only counted, for the operator.
//
// No allocation per call: the MAC context, the MAC and the plaintext live in module memory (the
// plaintext buffer grows once to the largest ticket seen, at most MAX_TICKET_LEN). The plaintext DER
// is wiped as soon as it has been decoded.

import { alloc, releaseSecret } from "../util/alloc";
import { ctEqual, wipe } from "../util/bytes";
import { randomBytes } from "../env";
import { hmacSha256 } from "../crypto/hmac";
import { cbcDecrypt, cbcEncrypt } from "../crypto/cbc";
import { Session, sessionDestroy } from "../session/session";
import { decodeSession, decoded, encodeSession, encodedSize } from "../session/der/session_asn1";
import {
  IV_LEN,
  KEY_NAME_LEN,
  MAC_LEN,
  MAX_SESSION_DER,
  MAX_TICKET_LEN,
  MIN_TICKET_LEN,
  Reason,
  ticketLen,
} from "./format";
import { Keyring, MAX_TICKET_LIFETIME, TicketKey, keyAt, ringFind } from "./keyring";

const MAC: usize = memory.data(32);

// IVs come from a pool of host randomness refilled 512 bytes at a time: one random_get per 32
// tickets instead of one per ticket (the host call was about a tenth of a seal). Each IV is wiped
// from the pool as it is taken, so none is handed out twice.
const POOL_SIZE: usize = 512;
const POOL: usize = memory.data(<i32>POOL_SIZE);
let poolLeft: usize = 0;

/** Drops the buffered randomness (the host changed its random source). */
export function discardIvPool(): void {
  wipe(POOL, POOL_SIZE);
  poolLeft = 0;
}

function takeIv(dst: usize): bool {
  if (poolLeft < IV_LEN) {
    if (!randomBytes(POOL, POOL_SIZE)) return false;
    poolLeft = POOL_SIZE;
  }
  const src = POOL + POOL_SIZE - poolLeft;
  memory.copy(dst, src, IV_LEN);
  wipe(src, IV_LEN);
  poolLeft -= IV_LEN;
  return true;
}

let plain: usize = 0;
let plainCap: usize = 0;

/** The plaintext work area, at least `len` bytes; 0 when out of memory. */
function plainArea(len: usize): usize {
  if (len <= plainCap) return plain;
  const p = alloc(len);
  if (!p) return 0;
  if (plain) releaseSecret(plain, plainCap);
  plain = p;
  plainCap = len;
  return p;
}

/** HMAC-SHA256 under key `k` of `len` bytes at `p`, into MAC. */
function mac(k: TicketKey, p: usize, len: usize): void {
  hmacSha256(k.hmac, p, len, 0, 0, MAC);
}

/**
 * Seals `derLen` bytes of session DER that already sit at `out + 32` (where the ciphertext goes) under
 * key `k`: writes the name, a random IV, encrypts in place and appends the MAC. `out` must have room
 * for ticketLen(derLen). Returns the ticket length, or 0 when the host's randomness failed.
 */
export function sealInPlace(k: TicketKey, out: usize, derLen: usize): usize {
  memory.copy(out, k.name, KEY_NAME_LEN);
  if (!takeIv(out + KEY_NAME_LEN)) {
    wipe(out + 32, derLen);
    return 0;
  }
  const body = out + KEY_NAME_LEN + IV_LEN;
  const ct = cbcEncrypt(k.aes, out + KEY_NAME_LEN, body, derLen, body);
  mac(k, out, KEY_NAME_LEN + IV_LEN + ct);
  memory.copy(body + ct, MAC, MAC_LEN);
  wipe(MAC, 32);
  return KEY_NAME_LEN + IV_LEN + ct + MAC_LEN;
}

/** Ticket size for session `s`, or 0 if it cannot be sealed (no cipher, or DER > 0xFF00 bytes). */
export function sealSize(s: Session): usize {
  const n = encodedSize(s);
  if (n == 0 || n > MAX_SESSION_DER) return 0;
  return ticketLen(n);
}

/** Seals session `s` under the ring's current key into `out` (sealSize(s) bytes, measured just before). */
export function sealSession(r: Keyring, s: Session, out: usize): usize {
  const n = encodeSession(s, out + KEY_NAME_LEN + IV_LEN, encodedSize(s));
  return sealInPlace(keyAt(r, 0), out, n);
}

/** What opening a ticket gave: the caller owns the record, and nothing stays in module globals. */
@unmanaged
export class OpenedTicket {
  /** Index in the ring of the key that opened it: 0 the current one, above 0 an older one. */
  key: i32;
  /** The plaintext session DER, in this module's work area until wipePlain. */
  plainPtr: usize;
  plainLen: usize;
  /** The session openSession decoded (one reference, now the caller's), or null. */
  session: Session | null;
}

/**
 * Authenticates and decrypts `len` bytes at `t` with the ring. Returns Reason.OK with the key index
 * and the plaintext in `o` (wipe it with wipePlain) or the reason it did not open.
 */
export function openPlain(o: OpenedTicket, r: Keyring, t: usize, len: usize): i32 {
  o.key = -1;
  o.plainLen = 0;
  if (len > MAX_TICKET_LEN) return Reason.TOO_LONG;
  if (len < MIN_TICKET_LEN || ((len - MIN_TICKET_LEN) & 15) != 0) return Reason.BAD_LENGTH;
  const i = ringFind(r, t);
  if (i < 0) return Reason.UNKNOWN_KEY;
  const k = keyAt(r, i);
  const macAt = len - MAC_LEN;
  mac(k, t, macAt);
  const ok = ctEqual(MAC, t + macAt, MAC_LEN);
  wipe(MAC, 32);
  if (!ok) return Reason.BAD_MAC;
  const ctLen = macAt - KEY_NAME_LEN - IV_LEN;
  const dst = plainArea(ctLen);
  if (!dst) return Reason.NO_MEMORY;
  const n = cbcDecrypt(k.aes, t + KEY_NAME_LEN, t + KEY_NAME_LEN + IV_LEN, ctLen, dst);
  if (n < 0) {
    wipe(dst, ctLen);
    return Reason.BAD_PADDING;
  }
  // The padding bytes are plaintext too.
  wipe(dst + <usize>n, ctLen - <usize>n);
  o.key = i;
  o.plainPtr = dst;
  o.plainLen = <usize>n;
  return Reason.OK;
}

/** Wipes the plaintext openPlain left in `o`. */
export function wipePlain(o: OpenedTicket): void {
  if (o.plainLen) wipe(o.plainPtr, o.plainLen);
  o.plainLen = 0;
}

/** The lifetime a ticket for `s` advertises: min(timeout, 7 days), never negative (OpenSSL's rule). */
export function advertisedLifetime(s: Session): i64 {
  const t = s.timeout;
  return t < 0 ? 0 : t > MAX_TICKET_LIFETIME ? MAX_TICKET_LIFETIME : t;
}

/**
 * Opens a ticket into a session: Reason.OK with the session (one reference) in o.session, or the
 * reason it did not open. With `checkTime`, a session older than its advertised lifetime at `now`
 * (now - time > lifetime, OpenSSL's expiry comparison) is refused as EXPIRED.
 */
export function openSession(
  o: OpenedTicket,
  r: Keyring,
  t: usize,
  len: usize,
  checkTime: bool,
  now: i64,
): i32 {
  o.session = null;
  const why = openPlain(o, r, t, len);
  if (why != Reason.OK) return why;
  const got = decodeSession(o.plainPtr, <i64>o.plainLen);
  const exact = got == <i32>o.plainLen;
  wipePlain(o);
  if (got < 0) return got == -4 ? Reason.NO_MEMORY : Reason.BAD_SESSION;
  const s = decoded!;
  if (!exact) {
    sessionDestroy(s);
    return Reason.BAD_SESSION;
  }
  if (checkTime && s.time < now - advertisedLifetime(s)) {
    sessionDestroy(s);
    return Reason.EXPIRED;
  }
  o.session = s;
  return Reason.OK;
}

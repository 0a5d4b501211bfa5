// The ticket key ring: one current key that seals, previous keys that still open (and ask for a
// renewed ticket), rotation on a schedule driven by an explicit clock, and keys wiped when retired.
//
// The model (BoringSSL rotates its default keys every two days, keeping the previous one; OpenSSL
// never rotates by itself):
//   * A key is current from the moment it is installed until the next rotation ("demoted"), then it
//     only opens, for `lifetime` seconds more: every ticket it sealed (advertised lifetime at most
//     `lifetime`) can still be opened for its whole life, and not a second longer is a key kept.
//   * Rotation happens only when a caller passes a time (`ringTick(ring, now)`); nothing here reads
//     the clock. With `period` 0 keys rotate only when told (`ringRotate`, `ringAdd`).
//   * Derived mode: keys come from a shared secret and the epoch number floor(now / period), so every
//     server of a fleet holding the secret agrees on the keys without talking to the others:
//       PRK = HKDF-Extract(salt = "tls-session-wasm ticket keys v1", IKM = secret)      (SHA-256)
//       key(epoch) = HKDF-Expand(PRK, "ticket key" ‖ uint64_be(epoch) ‖ uint8(layout), layout bytes)
//     read in the layout's order (name | HMAC key | AES key). The next epoch's key is also held for
//     opening, so a server whose clock runs a little behind still opens its neighbours' tickets.
//   * A stolen ticket key breaks the forward secrecy of every session sealed under it: keys are
//     wiped (then freed) the moment they are retired, and so are the crypto layer's key caches.
//
// A key is one allocation of KEY_SIZE bytes: the TicketKey record (its schedule), then the raw key
// (80 bytes, in its own layout; the name is its first 16 bytes), the HMAC-SHA256 keyed state
// (crypto/hmac.ts) and the AES key schedule (crypto/aes.ts).

import { allocZeroed, release, releaseSecret } from "../util/alloc";
import { bytesEqual, wipe } from "../util/bytes";
import { randomBytes } from "../env";
import { HMAC_KEY_SIZE, hmacKey } from "../crypto/hmac";
import { HASH_SHA256 } from "../crypto/hash";
import { hkdfExpand, hkdfExtract } from "../crypto/hkdf";
import { AES_CTX_SIZE, aesInit } from "../crypto/aes";
import { KEY_NAME_LEN, LAYOUT_OPENSSL, layoutAesKeyLen, layoutMacKeyLen } from "./format";
import { TicketStat } from "../util/abi_values";

/** Keys held at once (current + previous + the next epoch's). Enough for a period of a day and 7-day tickets. */
const MAX_KEYS: i32 = 16;
/** RFC 8446 §4.6.1: no ticket lives longer than 7 days, so no retired key needs keeping longer. */
export const MAX_TICKET_LIFETIME: i64 = 604800;

/** One ticket key: its schedule, followed in the same allocation by its key material. */
@unmanaged
export class TicketKey {
  /** Raw key length, which names its layout: 48 or 80 (format.ts). */
  layout: u32;
  /** When it stopped being current; i64.MAX_VALUE while current or not yet current. */
  demoted: i64;
  /** The epoch it was derived for; -1 when it was not derived. */
  epoch: i64;
  /** When it became current. */
  installed: i64;

  /** The raw key (`layout` bytes); its first KEY_NAME_LEN bytes are the key name. */
  @inline get name(): usize {
    return changetype<usize>(this) + RAW_AT;
  }
  /** The HMAC-SHA256 keyed state (crypto/hmac.ts). */
  @inline get hmac(): usize {
    return changetype<usize>(this) + HMAC_AT;
  }
  /** The AES key schedule (crypto/aes.ts). */
  @inline get aes(): usize {
    return changetype<usize>(this) + AES_AT;
  }
}

const RAW_AT: usize = offsetof<TicketKey>();
const HMAC_AT: usize = RAW_AT + 80;
const AES_AT: usize = HMAC_AT + HMAC_KEY_SIZE;
const KEY_SIZE: usize = AES_AT + AES_CTX_SIZE;

const SALT = "tls-session-wasm ticket keys v1";
const INFO_LABEL = "ticket key";
const PRK_LEN: usize = 32;
const INFO: usize = memory.data(32);
const RAWBUF: usize = memory.data(80);

/** Counters: one per Reason (index 0 = opened), then these. */
export const STAT_SEALED: i32 = TicketStat.SEALED;
export const STAT_RENEWED: i32 = TicketStat.RENEWED;
const STAT_ROTATIONS: i32 = TicketStat.ROTATIONS;
const STAT_RETIRED: i32 = TicketStat.RETIRED;
export const STAT_COUNT: i32 = TicketStat.COUNT;

@unmanaged
export class Keyring {
  /** MAX_KEYS TicketKey pointers; [0] is the current key, the rest open only. */
  keys: usize;
  count: i32;
  handle: u32;
  /** Layout of keys this ring generates or derives. */
  layout: u32;
  derived: bool;
  /** Rotation period in seconds, 0 = only on demand. */
  period: i64;
  /** How long a demoted key still opens (the longest lifetime its tickets advertise). */
  lifetime: i64;
  /** PRK_LEN bytes in derived mode. */
  prk: usize;
  /** STAT_COUNT u64 counters. */
  stats: usize;
}

export function ringNew(): Keyring | null {
  const p = allocZeroed(offsetof<Keyring>());
  if (!p) return null;
  const r = changetype<Keyring>(p);
  r.keys = allocZeroed(<usize>MAX_KEYS * sizeof<usize>());
  r.stats = allocZeroed(<usize>STAT_COUNT * 8);
  r.prk = allocZeroed(PRK_LEN);
  if (!r.keys || !r.stats || !r.prk) {
    ringFree(r);
    return null;
  }
  r.layout = LAYOUT_OPENSSL;
  r.lifetime = MAX_TICKET_LIFETIME;
  return r;
}

export function ringFree(r: Keyring): void {
  if (r.keys) {
    for (let i = 0; i < r.count; i++) keyFree(keyAt(r, i));
    release(r.keys, <usize>MAX_KEYS * sizeof<usize>());
  }
  releaseSecret(r.prk, PRK_LEN);
  release(r.stats, <usize>STAT_COUNT * 8);
  const p = changetype<usize>(r);
  wipe(p, offsetof<Keyring>());
  release(p, offsetof<Keyring>());
}

/** Key `i` of the ring (i < r.count). */
// @ts-ignore: decorator
@inline export function keyAt(r: Keyring, i: i32): TicketKey {
  return changetype<TicketKey>(load<usize>(r.keys + ((<usize>i) << alignof<usize>())));
}
/** Slot `i` of the ring, which ringTick empties while it sorts the keys. */
// @ts-ignore: decorator
@inline function slotAt(r: Keyring, i: i32): TicketKey | null {
  return changetype<TicketKey | null>(load<usize>(r.keys + ((<usize>i) << alignof<usize>())));
}
// @ts-ignore: decorator
@inline function setKeyAt(r: Keyring, i: i32, k: TicketKey | null): void {
  store<usize>(r.keys + ((<usize>i) << alignof<usize>()), changetype<usize>(k));
}

export function statAdd(r: Keyring, id: i32): void {
  const p = r.stats + ((<usize>id) << 3);
  store<u64>(p, load<u64>(p) + 1);
}
export function statGet(r: Keyring, id: i32): u64 {
  return load<u64>(r.stats + ((<usize>id) << 3));
}

/** A key from `len` (48 or 80) raw bytes; null when out of memory. */
function keyNew(raw: usize, len: u32, demoted: i64, epoch: i64): TicketKey | null {
  const p = allocZeroed(KEY_SIZE);
  if (!p) return null;
  const k = changetype<TicketKey>(p);
  k.layout = len;
  k.demoted = demoted;
  k.epoch = epoch;
  memory.copy(k.name, raw, len);
  const macLen = layoutMacKeyLen(len);
  hmacKey(HASH_SHA256, k.hmac, raw + KEY_NAME_LEN, macLen);
  aesInit(k.aes, raw + KEY_NAME_LEN + macLen, layoutAesKeyLen(len));
  return k;
}

/** Wipes and frees a key. */
function keyFree(k: TicketKey): void {
  releaseSecret(changetype<usize>(k), KEY_SIZE);
}

/** Index of the key named by the 16 bytes at `name`, or -1. Names are public: plain comparison. */
export function ringFind(r: Keyring, name: usize): i32 {
  for (let i = 0; i < r.count; i++) if (bytesEqual(keyAt(r, i).name, name, KEY_NAME_LEN)) return i;
  return -1;
}

/** Removes key `i`, wiping it. */
function retireAt(r: Keyring, i: i32): void {
  keyFree(keyAt(r, i));
  for (let j = i; j < r.count - 1; j++) setKeyAt(r, j, keyAt(r, j + 1));
  r.count--;
  setKeyAt(r, r.count, null);
  statAdd(r, STAT_RETIRED);
}

/** Makes `k` the current key at `now`; the previous current one is demoted. False when the ring is full. */
function install(r: Keyring, k: TicketKey, now: i64): bool {
  if (r.count == MAX_KEYS) retireAt(r, r.count - 1); // the oldest
  if (r.count > 0) keyAt(r, 0).demoted = now;
  k.installed = now;
  for (let j = r.count; j > 0; j--) setKeyAt(r, j, keyAt(r, j - 1));
  setKeyAt(r, 0, k);
  r.count++;
  return true;
}

/**
 * Adds raw key bytes (48 or 80). As the new current key (`current`), or as an opening-only key
 * demoted at `now`. Returns 1, 0 when a key of that name is already held, or -1 when out of memory.
 */
export function ringAdd(r: Keyring, raw: usize, len: u32, now: i64, current: bool): i32 {
  if (ringFind(r, raw) >= 0) return 0;
  const k = keyNew(raw, len, current ? i64.MAX_VALUE : now, -1);
  if (!k) return -1;
  if (current) {
    install(r, k, now);
  } else {
    if (r.count == MAX_KEYS) {
      keyFree(k);
      return -1;
    }
    setKeyAt(r, r.count, k);
    r.count++;
  }
  return 1;
}

/** Removes the key named by `name`; 1 if one was held. */
export function ringRemove(r: Keyring, name: usize): i32 {
  const i = ringFind(r, name);
  if (i < 0) return 0;
  retireAt(r, i);
  return 1;
}

/** A fresh random key in the ring's layout becomes current. 1, or -1 (no memory), -2 (no randomness). */
export function ringRotate(r: Keyring, now: i64): i32 {
  if (!randomBytes(RAWBUF, r.layout)) return -2;
  const k = keyNew(RAWBUF, r.layout, i64.MAX_VALUE, -1);
  wipe(RAWBUF, 80);
  if (!k) return -1;
  install(r, k, now);
  statAdd(r, STAT_ROTATIONS);
  return 1;
}

/** Switches to derived mode with `secret`; the keys held so far are retired. */
export function ringSetSecret(r: Keyring, secret: usize, len: usize): void {
  while (r.count > 0) retireAt(r, r.count - 1);
  const salt = String.UTF8.encode(SALT);
  hkdfExtract(HASH_SHA256, changetype<usize>(salt), <usize>salt.byteLength, secret, len, r.prk);
  r.derived = true;
}

/** The key of `epoch` from the ring's secret, into a new record. */
function deriveKey(r: Keyring, epoch: i64, demoted: i64): TicketKey | null {
  const label = String.UTF8.encode(INFO_LABEL);
  const n = <usize>label.byteLength;
  memory.copy(INFO, changetype<usize>(label), n);
  store<u64>(INFO + n, bswap<u64>(<u64>epoch));
  store<u8>(INFO + n + 8, <u8>r.layout);
  hkdfExpand(HASH_SHA256, r.prk, PRK_LEN, INFO, n + 9, RAWBUF, r.layout);
  const k = keyNew(RAWBUF, r.layout, demoted, epoch);
  wipe(RAWBUF, 80);
  return k;
}

/** floor(a / b) for b > 0. */
function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return a % b != 0 && a < 0 != b < 0 ? q - 1 : q;
}

/**
 * Brings the ring to time `now`: derived mode holds exactly the keys of the epochs whose tickets can
 * still be alive, plus the next one; random mode rotates when the current key is `period` old. Then
 * every key demoted `lifetime` or more seconds ago is retired. Returns -1 when out of memory or
 * randomness, else the number of keys held.
 */
export function ringTick(r: Keyring, now: i64): i32 {
  if (r.derived && r.period > 0) {
    const e = floorDiv(now, r.period);
    // Wanted: epochs e+1 (opening only) down to the oldest whose demotion ((ep+1) * period) is
    // less than `lifetime` ago. Keys outside that range go.
    let oldest = e;
    while (oldest > e - <i64>MAX_KEYS + 2 && oldest * r.period + r.lifetime > now) oldest--;
    for (let i = r.count - 1; i >= 0; i--) {
      const ep = keyAt(r, i).epoch;
      if (ep < oldest || ep > e + 1) retireAt(r, i);
    }
    // The order: current (e) first, then e+1 (opening only), then e-1, e-2, ... down to `oldest`.
    const order = memory.data(<i32>(MAX_KEYS * 8));
    store<i64>(order, e);
    store<i64>(order + 8, e + 1);
    let n = 2;
    for (let ep = e - 1; ep >= oldest; ep--) {
      store<i64>(order + ((<usize>n) << 3), ep);
      n++;
    }
    const fresh = memory.data(<i32>(MAX_KEYS * sizeof<usize>()));
    let made = 0;
    for (let j = 0; j < n; j++) {
      const ep = load<i64>(order + ((<usize>j) << 3));
      const demoted = ep >= e ? i64.MAX_VALUE : (ep + 1) * r.period;
      let k: TicketKey | null = null;
      for (let i = 0; i < r.count; i++) {
        const c = slotAt(r, i);
        if (c && c.epoch == ep) {
          k = c;
          setKeyAt(r, i, null);
          break;
        }
      }
      if (!k) {
        k = deriveKey(r, ep, demoted);
        if (!k) {
          for (let i = 0; i < made; i++)
            keyFree(changetype<TicketKey>(load<usize>(fresh + ((<usize>i) << alignof<usize>()))));
          return -1;
        }
        if (ep == e) statAdd(r, STAT_ROTATIONS);
      }
      k.demoted = demoted;
      k.installed = ep * r.period;
      store<usize>(fresh + ((<usize>made) << alignof<usize>()), changetype<usize>(k));
      made++;
    }
    for (let i = 0; i < r.count; i++) {
      const c = slotAt(r, i);
      if (c) {
        keyFree(c);
        statAdd(r, STAT_RETIRED);
      }
    }
    for (let i = 0; i < MAX_KEYS; i++)
      setKeyAt(
        r,
        i,
        changetype<TicketKey | null>(i < made ? load<usize>(fresh + ((<usize>i) << alignof<usize>())) : 0),
      );
    memory.fill(fresh, 0, MAX_KEYS * sizeof<usize>());
    r.count = made;
    return r.count;
  }
  if (!r.derived && r.period > 0) {
    if (r.count == 0 || now - keyAt(r, 0).installed >= r.period) {
      if (ringRotate(r, now) < 0) return -1;
    }
  }
  for (let i = r.count - 1; i >= 1; i--) {
    const demoted = keyAt(r, i).demoted;
    if (demoted != i64.MAX_VALUE && now - demoted >= r.lifetime) retireAt(r, i);
  }
  return r.count;
}

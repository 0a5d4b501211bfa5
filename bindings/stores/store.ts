// `SessionStore`: where a fleet of servers keeps the sessions it shares (OpenSSL's external session
// cache, the get/new/remove callbacks that nginx, HAProxy and OpenResty point at Redis or memcached).
//
// The contract, and the security rules every implementation keeps:
//   * Keys are untrusted. A key is built from bytes the peer chose (the ClientHello's session id): an
//     implementation must treat it as opaque data (no parsing, no path or command built from it
//     without escaping) and must survive any length and any byte.
//   * Values are secret. A value is a session, master secret included: whoever reads it can decrypt
//     the connections that resume it. Keep it where only the fleet reads it, seal it at rest if the
//     store is shared (RedisSessionStore's `sealKey`), never log it.
//   * `take` really deletes. It returns the value and removes it in one atomic step: two concurrent
//     `take`s of one key return it at most once between them. A TLS 1.3 single-use entry (a stateful
//     ticket, an early-data session) goes through `take` only, so it is resumed at most once.
//   * Failures are not answers. A store that cannot reach its backend rejects (or the caller's
//     timeout fires); it never invents a value. The caller falls back to a full handshake.
//   * `ttlSeconds` bounds a value's life: after it the store must not return it. It is at least 1;
//     a caller with nothing left to live does not call `set`.

/** Longest TTL a store is asked for: a session's timeout is capped like a ticket's (RFC 8446 §4.6.1: 7 days). */
export const MAX_STORE_TTL = 604800;

export interface SessionStore {
  /** The value stored under `key`, or null when none (or it expired). */
  get(key: string): Promise<Uint8Array | null>;
  /** Stores `value` under `key` for `ttlSeconds` (1 to MAX_STORE_TTL), replacing any older value. */
  set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void>;
  /** Removes `key`; true when something was there. */
  delete(key: string): Promise<boolean>;
  /** Returns and removes the value under `key` atomically: at most one caller ever gets it. */
  take(key: string): Promise<Uint8Array | null>;
}

/** @internal The TTL check every store shares: an integer 1..MAX_STORE_TTL. */
export function checkTtl(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds)) throw new TypeError("ttlSeconds must be an integer");
  if (ttlSeconds < 1 || ttlSeconds > MAX_STORE_TTL)
    throw new RangeError(`ttlSeconds must be 1 to ${MAX_STORE_TTL}`);
  return ttlSeconds;
}

/** @internal */
export function checkKey(key: string): string {
  if (typeof key !== "string") throw new TypeError("key must be a string");
  return key;
}

/** @internal */
export function checkValue(value: Uint8Array): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError("value must be a Uint8Array");
  return value;
}

/** A store that keeps nothing: every `get`/`take` is a miss. Sharing turned off without a branch. */
export class NoSessionStore implements SessionStore {
  async get(key: string): Promise<Uint8Array | null> {
    checkKey(key);
    return null;
  }
  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    checkKey(key);
    checkValue(value);
    checkTtl(ttlSeconds);
  }
  async delete(key: string): Promise<boolean> {
    checkKey(key);
    return false;
  }
  async take(key: string): Promise<Uint8Array | null> {
    checkKey(key);
    return null;
  }
}

export interface MemorySessionStoreOptions {
  /** Most entries held; the one closest to expiry goes first when full (default 20480, OpenSSL's cache size). */
  maxEntries?: number;
  /** Seconds since the epoch, as everywhere in the TLS layer (default: the host clock). */
  now?: () => number;
}

/** OpenSSL's default session cache size (SSL_SESSION_CACHE_MAX_SIZE_DEFAULT): the default bound here too. */
const DEFAULT_MAX_ENTRIES = 1024 * 20;

/**
 * A store in this process's memory: for one server, for tests, or in front of nothing. Values are
 * copied in and out (a caller cannot change what is stored); expired entries are dropped when met
 * and when room is needed. Single process, so `take` is atomic by construction.
 */
export class MemorySessionStore implements SessionStore {
  readonly #map = new Map<string, { value: Uint8Array; expires: number }>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: MemorySessionStoreOptions = {}) {
    const max = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError("maxEntries must be a positive integer");
    this.#max = max;
    this.#now = opts.now ?? (() => Date.now() / 1000);
  }

  get size(): number {
    return this.#map.size;
  }

  #live(key: string): { value: Uint8Array; expires: number } | null {
    const e = this.#map.get(key);
    if (!e) return null;
    if (this.#now() >= e.expires) {
      e.value.fill(0);
      this.#map.delete(key);
      return null;
    }
    return e;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const e = this.#live(checkKey(key));
    return e ? e.value.slice() : null;
  }

  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    checkKey(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    const expires = this.#now() + ttlSeconds;
    const old = this.#map.get(key);
    if (old) {
      old.value.fill(0);
      this.#map.delete(key);
    }
    if (this.#map.size >= this.#max) this.#evict();
    this.#map.set(key, { value: value.slice(), expires });
  }

  async delete(key: string): Promise<boolean> {
    const e = this.#live(checkKey(key));
    if (!e) return false;
    e.value.fill(0);
    return this.#map.delete(key);
  }

  async take(key: string): Promise<Uint8Array | null> {
    const e = this.#live(checkKey(key));
    if (!e) return null;
    this.#map.delete(key);
    return e.value; // the stored copy itself: nobody else holds it any more
  }

  /** Drops the expired entries, or else the one closest to expiry. O(n), only when full. */
  #evict(): void {
    const now = this.#now();
    let first: string | null = null,
      firstExp = Infinity;
    for (const [k, e] of this.#map) {
      if (now >= e.expires) {
        e.value.fill(0);
        this.#map.delete(k);
        continue;
      }
      if (e.expires < firstExp) {
        first = k;
        firstExp = e.expires;
      }
    }
    if (this.#map.size >= this.#max && first !== null) {
      this.#map.get(first)!.value.fill(0);
      this.#map.delete(first);
    }
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
function hex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/**
 * The store key of a server session: `hex(sid_ctx) ":" hex(session id)`. The session id context
 * namespaces the entries, so servers of different applications sharing one store never see each
 * other's sessions; hex keeps the peer-chosen id bytes inert whatever the store.
 */
export function sessionKey(sidCtx: Uint8Array, id: Uint8Array): string {
  return `${hex(sidCtx)}:${hex(id)}`;
}

// A plain reference model of OpenSSL 3.0's SSL_CTX session cache (ssl/ssl_sess.c), written for
// obviousness, not speed: the expiry list is an array (index 0 = head), the hash table a Map keyed
// by (protocol version, session id). Every operation returns what OpenSSL returns and appends the
// callbacks and reference drops it causes, in order, to `events`:
//   { kind: "remove", s, reason }        remove_session_cb(ctx, s); reason: REASON.* (which path)
//   { kind: "release", s, alive }        the cache drops its reference to s; `alive` says whether
//                                        s survives that drop (somebody else still holds it)
// Reference counts are modelled by holder: `scriptRefs` (references the test holds) and
// `cacheRef` (the one reference the cache takes for the table and list together), so the model
// predicts exactly when an object is freed.
//
// Source of truth: ../../../shared/reference/session-subsystem.md §2, §3.1–3.3, §3.2a, §3.6–3.8,
// §3.11. Where our implementation deliberately differs from OpenSSL the model follows ours, and
// says so:
//   (a) eviction of a tail whose session id is empty: OpenSSL's remove is a no-op for empty ids, so
//       its eviction loop stops there (CVE-2024-2511). Ours evicts it (marked not resumable, no
//       remove callback, counted in cache_full).
//   (b) changing the id or protocol version of a cached session: OpenSSL leaves its hash table
//       stale. Ours files the session under its new key; another entry already filed under that
//       key is unlinked and released at once (no callback, no queued release).

export const MODE = {
  OFF: 0x0000,
  CLIENT: 0x0001,
  SERVER: 0x0002,
  BOTH: 0x0003,
  NO_AUTO_CLEAR: 0x0080,
  NO_INTERNAL_LOOKUP: 0x0100,
  NO_INTERNAL_STORE: 0x0200,
  NO_INTERNAL: 0x0300,
  UPDATE_TIME: 0x0400,
};
/** Why a remove callback fired: SSL_CTX_remove_session, eviction in add, flush. */
export const REASON = { REMOVED: 1, EVICTED: 2, FLUSHED: 3 };
export const DEFAULT_CACHE_SIZE = 20480n;
export const DEFAULT_CTX_TIMEOUT = 7200n;
/** SSL_SESSION_new's timeout, until a handshake overwrites it. */
export const NEW_SESSION_TIMEOUT = 304n;
export const MAX_SESSION_ID_LENGTH = 32;

const i64 = (x) => BigInt.asIntN(64, x);
const I64_MAX = (1n << 63n) - 1n;

export class ModelSession {
  /** A fresh SSL_SESSION_new at time `now` (the caller holds its one reference). */
  constructor(serial, now) {
    this.serial = serial;
    this.version = 0;
    this.id = ""; // hex
    this.time = now;
    this.timeout = NEW_SESSION_TIMEOUT;
    this.notResumable = false;
    this.scriptRefs = 1;
    this.cacheRef = false;
    this.linked = false; // in the table and the list
    this.calculate();
  }

  get refs() {
    return this.scriptRefs + (this.cacheRef ? 1 : 0);
  }
  get alive() {
    return this.refs > 0;
  }
  get idLength() {
    return this.id.length / 2;
  }
  get key() {
    return keyOf(this.version, this.id);
  }
  /** SSL_SESSION_is_resumable (no tickets in this model): not marked and an id to resume with. */
  get resumable() {
    return !this.notResumable && this.idLength > 0;
  }

  /**
   * ssl_session_calculate_timeout as OpenSSL 3.0.19 computes it: overflow iff
   * `timeout > INT64_MAX - time` evaluated in wrapping 64-bit arithmetic, so every negative time
   * counts as overflowed (the right side wraps negative); an overflowed expiry is stored as
   * `timeout - (INT64_MAX - time)`, wrapped. (The reference's older formula, "time > 0 and the
   * sum wrapped", differs for negative times; traces of the real 3.0.19 cache agree with this one:
   * a negative-time session is evicted after every normal one and is never flushed by time.)
   */
  calculate() {
    const room = i64(I64_MAX - this.time);
    this.timeoutOverflow = this.timeout > room;
    this.calcTimeout = this.timeoutOverflow ? i64(this.timeout - room) : this.time + this.timeout;
  }

  toString() {
    return `s${this.serial}`;
  }
}

export function keyOf(version, idHex) {
  return `${version}:${idHex}`;
}

/** timeoutcmp: an overflowed expiry is later than any other; otherwise compare the sums. */
export function timeoutCmp(a, b) {
  if (a.timeoutOverflow !== b.timeoutOverflow) return a.timeoutOverflow ? 1 : -1;
  return a.calcTimeout < b.calcTimeout ? -1 : a.calcTimeout > b.calcTimeout ? 1 : 0;
}

export class ModelCache {
  constructor() {
    this.list = []; // head first: latest expiry .. earliest expiry
    this.table = new Map(); // key -> session
    this.mode = MODE.SERVER;
    this.cacheSize = DEFAULT_CACHE_SIZE;
    this.timeout = DEFAULT_CTX_TIMEOUT;
    this.cacheFull = 0n;
    this.events = [];
  }

  get number() {
    return this.table.size;
  }

  /** Returns and clears the events of the last operation(s). */
  takeEvents() {
    const e = this.events;
    this.events = [];
    return e;
  }

  // --- internals ---------------------------------------------------------------------------

  /** SSL_SESSION_list_add: (re)insert before the first session whose expiry is <= s's. */
  link(s) {
    this.unlinkList(s);
    let i = this.list.findIndex((x) => timeoutCmp(s, x) >= 0);
    if (i < 0) i = this.list.length;
    this.list.splice(i, 0, s);
    s.linked = true;
  }

  unlinkList(s) {
    const i = this.list.indexOf(s);
    if (i >= 0) this.list.splice(i, 1);
  }

  /** Out of table and list; the cache's reference is dropped separately. */
  unlink(s) {
    if (this.table.get(s.key) === s) this.table.delete(s.key);
    this.unlinkList(s);
    s.linked = false;
  }

  /** The cache drops its reference (a queued release: reported as an event). */
  release(s) {
    s.cacheRef = false;
    this.events.push({ kind: "release", s, alive: s.alive });
  }

  /** remove_session_lock(ctx, c, lck) */
  removeLock(c, reason) {
    if (c.idLength === 0) return 0;
    const r = this.table.get(c.key);
    if (r) this.unlink(r);
    c.notResumable = true;
    this.events.push({ kind: "remove", s: c, reason });
    if (r) {
      this.release(r);
      return 1;
    }
    return 0;
  }

  /** Eviction of the tail. Deviation (a): an empty-id tail is evicted too, without a callback. */
  evictTail() {
    const t = this.list.at(-1);
    if (!t) return false;
    if (t.idLength === 0) {
      this.unlink(t);
      t.notResumable = true;
      this.release(t);
      return true;
    }
    return this.removeLock(t, REASON.EVICTED) === 1;
  }

  // --- the API -------------------------------------------------------------------------------

  /** SSL_CTX_add_session(ctx, s) at time `now`. */
  add(s, now) {
    const existing = this.table.get(s.key);
    const isNew = existing !== s;
    if (isNew) {
      if (existing) {
        // replaced silently: no callback, not marked, reference dropped
        this.unlink(existing);
        this.release(existing);
      }
      this.table.set(s.key, s);
      s.cacheRef = true;
    }
    if (this.mode & MODE.UPDATE_TIME) {
      s.time = now;
      s.calculate();
    }
    if (isNew && this.cacheSize > 0n) {
      // s is already counted but not yet linked, so it is never the tail evicted here
      while (BigInt(this.table.size) >= this.cacheSize) {
        if (!this.evictTail()) break;
        this.cacheFull++;
      }
    }
    this.link(s);
    return isNew ? 1 : 0;
  }

  /** SSL_CTX_remove_session(ctx, s) */
  remove(s) {
    return this.removeLock(s, REASON.REMOVED);
  }

  /** SSL_CTX_flush_sessions(ctx, t): callbacks first, then the reference drops, tail first. */
  flush(t) {
    const flushed = [];
    for (;;) {
      const s = this.list.at(-1);
      if (!s) break;
      if (!(t === 0n || (!s.timeoutOverflow && t > s.calcTimeout))) break;
      this.unlink(s);
      s.notResumable = true;
      this.events.push({ kind: "remove", s, reason: REASON.FLUSHED });
      flushed.push(s);
    }
    for (const s of flushed) this.release(s);
  }

  /** SSL_SESSION_set_time: returns t; a cached session is re-sorted. */
  setTime(s, t) {
    s.time = t;
    s.calculate();
    if (s.linked) this.link(s);
    return t;
  }

  /** SSL_SESSION_set_timeout: t < 0 -> 0 and nothing; else 1 and a cached session re-sorted. */
  setTimeout(s, t) {
    if (t < 0n) return 0;
    s.timeout = t;
    s.calculate();
    if (s.linked) this.link(s);
    return 1;
  }

  /** SSL_SESSION_set1_id. Deviation (b) for a cached session. */
  setId(s, idHex) {
    if (idHex.length / 2 > MAX_SESSION_ID_LENGTH) return 0;
    this.rekey(s, () => {
      s.id = idHex;
    });
    return 1;
  }

  /** SSL_SESSION_set_protocol_version. Deviation (b) for a cached session. */
  setVersion(s, v) {
    this.rekey(s, () => {
      s.version = v;
    });
    return 1;
  }

  rekey(s, change) {
    if (!s.linked) {
      change();
      return;
    }
    this.table.delete(s.key);
    change();
    const other = this.table.get(s.key);
    if (other) {
      this.unlink(other);
      other.cacheRef = false; // released at once, not through the queue: no event
    }
    this.table.set(s.key, s);
  }

  /** SSL_has_matching_session_id for a connection of `version`. */
  has(version, idHex) {
    if (idHex.length / 2 > MAX_SESSION_ID_LENGTH) return 0;
    return this.table.has(keyOf(version, idHex)) ? 1 : 0;
  }

  /** A plain lookup by key (tls_ctx_get_session): the cached object, +1 for the caller, or null. */
  lookup(version, idHex) {
    if (idHex.length / 2 > MAX_SESSION_ID_LENGTH) return null;
    const s = this.table.get(keyOf(version, idHex)) ?? null;
    if (s) s.scriptRefs++;
    return s;
  }

  /** SSL_CTX_sess_set_cache_size: previous size; negative -> 0 and unchanged. */
  setCacheSize(n) {
    if (n < 0n) return 0n;
    const prev = this.cacheSize;
    this.cacheSize = n;
    return prev;
  }

  setMode(m) {
    const prev = this.mode;
    this.mode = m;
    return prev;
  }

  setCtxTimeout(t) {
    const prev = this.timeout;
    this.timeout = t;
    return prev;
  }

  /** tls_ctx_stat ids: 0 number, 1..10 handshake counters (untouched here), 11 cache_full. */
  stat(id) {
    if (id === 0) return BigInt(this.number);
    if (id === 11) return this.cacheFull;
    return 0n;
  }

  // --- the test's own references -------------------------------------------------------------

  upRef(s) {
    s.scriptRefs++;
    return 1;
  }

  /** SSL_SESSION_free: the references left. */
  free(s) {
    if (s.scriptRefs <= 0) throw new Error(`model: ${s} freed without a reference`);
    s.scriptRefs--;
    return s.refs;
  }
}

// `SessionCache`: OpenSSL's SSL_CTX session cache in wasm memory.
//
// The cache keeps one reference to each session it holds, keyed by (protocol version, session
// id) in a hash table keyed with a per-cache secret, and ordered by expiry for eviction and
// flushing. Adding a session does not transfer your reference: free yours when you are done.
// Listeners see sessions leave the cache after the cache is consistent again, so they may call
// back into it. A listener that throws does not stop the others: every event of the operation is
// delivered, then the first error is rethrown to the caller of that operation.
//
// Setters take what the C setter's type holds and refuse the rest (TypeError for a value that is
// not an integer, RangeError for one out of range), never truncating; the raw exports keep
// OpenSSL's own acceptance.

import { integerArg, smallIntegerArg, byteCountArg, versionArg } from "./args.js";
import { TlsSessionError, notOurs } from "./errors.js";
import { wasm, unguarded, check, withInput, copyToInputArea, copyPairToInputArea, poisonOn } from "./load.js";
import { Session } from "./session.js";
import {
  CacheMode as CacheModeBits,
  CacheStat,
  CallbackFlag,
  EventKind,
  ProtocolVersion,
  Refusal as RefusalId,
  RemoveReason as RemoveReasonId,
  ResumeFlag,
  Status,
} from "./abi.js";

const ABSENT = Status.ABSENT;
const NO_BYTES = new Uint8Array(0);
const NO_OPTIONS: ResumeOptions & { copy?: boolean } = {};

/** SSL_SESS_CACHE_* mode bits. */
export const CacheMode = CacheModeBits;
/** Every SSL_SESS_CACHE_* bit OpenSSL 3.0 defines: a mode is a combination of these. */
const MODE_BITS = Object.values(CacheMode).reduce((a: number, b) => a | b, 0);

/** Calls every listener in `fns` with `args`, collecting what they throw into `errors`. */
function deliver<A extends unknown[]>(
  fns: readonly ((...args: A) => void)[],
  args: A,
  errors: unknown[],
): void {
  for (const fn of fns)
    try {
      fn(...args);
    } catch (e) {
      errors.push(e);
    }
}

/** Listener errors rethrown by a cache operation (for the node:tls glue, which counts them). */
const listenerErrors = new WeakSet<object>();

/** @internal True when `err` is a listener's error that a SessionCache operation rethrew. */
export function isListenerError(err: unknown): boolean {
  return typeof err === "object" && err !== null && listenerErrors.has(err);
}

export type RemoveReason = "removed" | "evicted" | "flushed";
const REASONS: Record<number, RemoveReason> = {
  [RemoveReasonId.REMOVED]: "removed",
  [RemoveReasonId.EVICTED]: "evicted",
  [RemoveReasonId.FLUSHED]: "flushed",
};

export interface CacheStats {
  number: number;
  connect: number;
  connectGood: number;
  connectRenegotiate: number;
  accept: number;
  acceptGood: number;
  acceptRenegotiate: number;
  hits: number;
  cbHits: number;
  misses: number;
  timeouts: number;
  cacheFull: number;
}
/** Each counter's tls_ctx_stat id. */
const STAT_IDS: Record<keyof CacheStats, number> = {
  number: CacheStat.NUMBER,
  connect: CacheStat.CONNECT,
  connectGood: CacheStat.CONNECT_GOOD,
  connectRenegotiate: CacheStat.CONNECT_RENEGOTIATE,
  accept: CacheStat.ACCEPT,
  acceptGood: CacheStat.ACCEPT_GOOD,
  acceptRenegotiate: CacheStat.ACCEPT_RENEGOTIATE,
  hits: CacheStat.HITS,
  cbHits: CacheStat.CB_HITS,
  misses: CacheStat.MISSES,
  timeouts: CacheStat.TIMEOUTS,
  cacheFull: CacheStat.CACHE_FULL,
};
const STAT_KEYS = Object.keys(STAT_IDS) as (keyof CacheStats)[];

/** Why a resumption lookup refused (assembly/ssl/resume.ts). */
export type Refusal =
  | "miss"
  | "version-mismatch"
  | "sid-ctx-mismatch"
  | "sid-ctx-uninitialized"
  | "expired"
  | "ems-required"
  | "ems-not-used"
  | "not-resumable";
/** Refusals by tls_resume_refusal() id (0, a success, never reaches a caller as a refusal). */
export const REFUSALS: Readonly<Record<number, Refusal>> = {
  [RefusalId.NONE]: "miss",
  [RefusalId.MISS]: "miss",
  [RefusalId.VERSION_MISMATCH]: "version-mismatch",
  [RefusalId.SID_CTX_MISMATCH]: "sid-ctx-mismatch",
  [RefusalId.SID_CTX_UNINITIALIZED]: "sid-ctx-uninitialized",
  [RefusalId.EXPIRED]: "expired",
  [RefusalId.EMS_REQUIRED]: "ems-required",
  [RefusalId.EMS_NOT_USED]: "ems-not-used",
  [RefusalId.NOT_RESUMABLE]: "not-resumable",
};

export interface ResumeOptions {
  /** The connection's protocol version (default TLS 1.2). */
  version?: number;
  /** The server connection's session id context (default empty). */
  sidCtx?: Uint8Array;
  /** The server verifies peers (SSL_VERIFY_PEER): with an empty sidCtx, resumption is fatal. */
  verifyPeer?: boolean;
  /**
   * Whether the ClientHello offers the extended master secret extension. Leave it undefined when
   * you cannot tell (node:tls does not say): the EMS rules of RFC 7627 §5.3 are then not applied.
   */
  clientOffersEms?: boolean;
}

/**
 * The outcome of a resumption lookup: the session to resume with (yours to free), or why not.
 * `fatal` refusals abort the handshake in OpenSSL; the others fall back to a full handshake.
 */
export type ResumeResult =
  { session: Session; refusal: null; fatal: false } | { session: null; refusal: Refusal; fatal: boolean };

/**
 * A listener may throw: the other listeners and the other events of the operation are delivered
 * all the same, then the first error is rethrown to the caller of the operation (`add`, `remove`,
 * `flush`, `resume`, `count`, `free`, a `Connection` hook), whose effect stands.
 */
export type RemoveListener = (session: Session, reason: RemoveReason) => void;
/**
 * OpenSSL's new_session_cb: called after a handshake stored a session. The session is lent for
 * the call; `upRef()` inside the listener keeps it (OpenSSL's "return 1").
 */
export type NewListener = (session: Session) => void;

export interface SessionCacheOptions {
  /** The most sessions kept (`cacheSize`, SSL_CTX_sess_set_cache_size); 0 = unlimited. Default 20480. */
  size?: number | bigint;
  /** Lifetime of new sessions in seconds (SSL_CTX_set_timeout). Default 7200. */
  timeout?: number | bigint;
  /** `CacheMode` bits (SSL_CTX_set_session_cache_mode). Default `CacheMode.SERVER`. */
  mode?: number;
  /**
   * A byte budget (`maxBytes`): adding a session evicts the sessions closest to expiry, as the
   * count limit does, until the sessions held fit; a session larger than the budget is not
   * cached. 0 = none (the default, as OpenSSL).
   */
  maxBytes?: number;
}

type Listener = (RemoveListener | NewListener) & { listener?: RemoveListener | NewListener };

export class SessionCache {
  #handle: number;
  /** The module instance whose handle this is. */
  readonly #instance: object = wasm();
  /** The wasm cache, alive while connections hold it even after free(). */
  #cacheHandle: number;
  #removeListeners: RemoveListener[] = [];
  #newListeners: NewListener[] = [];
  #draining = false;

  /** SSL_CTX_new, then the options: `new SessionCache({ size: 1000, timeout: 300, mode: CacheMode.SERVER })`. */
  constructor(opts: SessionCacheOptions = {}) {
    if (opts === null || typeof opts !== "object")
      throw new TypeError("SessionCache options must be an object");
    this.#handle = check(wasm().SSL_CTX_new());
    this.#cacheHandle = this.#handle;
    try {
      if (opts.size !== undefined) this.cacheSize = opts.size;
      if (opts.timeout !== undefined) this.timeout = opts.timeout;
      if (opts.maxBytes !== undefined) this.maxBytes = opts.maxBytes;
      if (opts.mode !== undefined) this.mode = opts.mode;
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /** @internal The handle of `value`, which must be a SessionCache of this instance (TypeError). */
  static handleOf(value: unknown, name = "cache"): number {
    if (!(typeof value === "object" && value !== null && #handle in value && value.#instance === wasm()))
      notOurs(name, "SessionCache");
    return (value as SessionCache).handle;
  }

  get handle(): number {
    if (!this.#handle) throw new TlsSessionError("FREED", "this SessionCache was freed");
    return this.#handle;
  }

  /**
   * Calls `fn` when a session leaves the cache: removed, evicted to make room, or flushed as
   * expired (OpenSSL's remove_session_cb). The session is lent for the call; `upRef()` keeps it.
   */
  on(event: "remove", fn: RemoveListener): this;
  on(event: "new", fn: NewListener): this;
  on(event: "remove" | "new", fn: RemoveListener | NewListener): this {
    if (typeof fn !== "function") throw new TypeError("listener must be a function");
    // A new array, not a push: an event being delivered keeps the listeners it started with.
    if (event === "remove") this.#removeListeners = [...this.#removeListeners, fn as RemoveListener];
    else if (event === "new") this.#newListeners = [...this.#newListeners, fn as NewListener];
    else throw new TypeError(`unknown event ${String(event)}`);
    this.#syncCallbacks();
    return this;
  }

  /** Like `on`, for the next event only. */
  once(event: "remove", fn: RemoveListener): this;
  once(event: "new", fn: NewListener): this;
  once(event: "remove" | "new", fn: RemoveListener | NewListener): this {
    if (typeof fn !== "function") throw new TypeError("listener must be a function");
    const wrapper: Listener = ((...args: [Session, RemoveReason]) => {
      this.off(event, wrapper);
      (fn as (...a: unknown[]) => void)(...args);
    }) as Listener;
    wrapper.listener = fn;
    return event === "remove"
      ? this.on(event, wrapper as RemoveListener)
      : this.on(event, wrapper as NewListener);
  }

  off(event: "remove" | "new", fn: RemoveListener | NewListener): this {
    const keep = (f: Listener) => f !== fn && f.listener !== fn;
    if (event === "remove") this.#removeListeners = this.#removeListeners.filter(keep);
    else this.#newListeners = this.#newListeners.filter(keep);
    this.#syncCallbacks();
    return this;
  }

  #syncCallbacks(): void {
    const h = this.handle;
    const flags =
      (this.#removeListeners.length ? CallbackFlag.REMOVE : 0) |
      (this.#newListeners.length ? CallbackFlag.NEW : 0);
    // Remove events queue only with REMOVE; new events need the queue drained too, so set both.
    check(wasm().tls_ctx_set_callbacks(h, flags & CallbackFlag.NEW ? flags | CallbackFlag.REMOVE : flags));
  }

  /**
   * @internal Delivers pending events (connections call this after acting on the cache), then
   * rethrows the first listener error.
   */
  drainEvents(): void {
    this.#drain();
  }

  /**
   * Delivers every queued event to every listener, then rethrows the first error a listener threw
   * (EventEmitter's behaviour for a throwing listener, without stalling the queue: the events of
   * this operation are all delivered first). Listeners may re-enter the cache: the events of such
   * a call are delivered by this loop, and their listeners' errors reach this operation's caller.
   */
  #drain(): void {
    if (this.#draining || (this.#removeListeners.length === 0 && this.#newListeners.length === 0)) return;
    this.#draining = true;
    const ex = wasm();
    const h = this.#cacheHandle;
    const errors: unknown[] = [];
    try {
      for (;;) {
        const ev = ex.SSL_CTX_next_event(h);
        if (ev <= 0) break;
        const sh = ex.tls_ctx_event_session(h);
        const lent = Session.borrow(sh);
        try {
          if ((ev & 0xff) === EventKind.NEW) deliver(this.#newListeners, [lent.session], errors);
          else deliver(this.#removeListeners, [lent.session, REASONS[ev >> 8] ?? "removed"], errors);
        } finally {
          lent.release();
        }
      }
    } finally {
      this.#draining = false;
    }
    if (errors.length) {
      const first = errors[0];
      if (typeof first === "object" && first !== null) listenerErrors.add(first);
      throw first;
    }
  }

  /** Delivers the events, then returns `session`; frees it when a listener's error is rethrown. */
  #drainThen<T extends { session: Session | null }>(result: T): T {
    try {
      this.#drain();
    } catch (e) {
      result.session?.free();
      throw e;
    }
    return result;
  }

  /** SSL_CTX_add_session: true for a new entry, false if this very session was already cached. */
  add(session: Session): boolean {
    const h = this.handle,
      sh = Session.handleOf(session);
    const ex = unguarded();
    let r: number;
    try {
      r = ex.SSL_CTX_add_session(h, sh);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    if (r < 0) check(r);
    this.#drain();
    return r === 1;
  }

  /** SSL_CTX_remove_session: true if an entry with the session's key was removed. */
  remove(session: Session): boolean {
    const h = this.handle,
      sh = Session.handleOf(session);
    const ex = unguarded();
    let r: number;
    try {
      r = ex.SSL_CTX_remove_session(h, sh);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    if (r < 0) check(r);
    this.#drain();
    return r === 1;
  }

  /** SSL_CTX_flush_sessions: removes the sessions expired before `time` (all of them for 0). */
  flush(time: number | bigint): void {
    const h = this.handle;
    const t = integerArg(time, "time");
    check(wasm().SSL_CTX_flush_sessions(h, t));
    this.#drain();
  }

  /** The cached session with this id (and protocol version), as a new reference, or null. */
  get(id: Uint8Array, version: number = ProtocolVersion.TLS1_2): Session | null {
    const h = this.handle;
    versionArg(version);
    const ex = unguarded();
    const p = copyToInputArea(id);
    let r: number;
    try {
      r = ex.tls_ctx_get_session(h, version, p, id.length);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    if (r === ABSENT) return null;
    return Session.adopt(check(r));
  }

  /**
   * The server's lookup of a ClientHello session id, as ssl_get_prev_session does it: internal
   * cache, then version, sid_ctx, VERIFY_PEER, expiry and EMS checks, counting misses, timeouts
   * and hits. With `external`, a session from your own store (OpenSSL's get_session_cb) is
   * checked instead: it counts a cb_hit and is copied into this cache unless NO_INTERNAL_STORE.
   * OpenSSL's `copy` rule: with `copy` true (the default) your `external` reference stays yours;
   * with false it is handed over (the object is consumed, as a callback leaving copy = 0 does).
   */
  resume(
    id: Uint8Array,
    opts: ResumeOptions & { copy?: boolean } = NO_OPTIONS,
    external?: Session,
  ): ResumeResult {
    const h = this.handle;
    const version = versionArg(opts.version ?? ProtocolVersion.TLS1_2, "opts.version");
    const sidCtx = opts.sidCtx ?? NO_BYTES;
    const flags =
      (opts.verifyPeer ? ResumeFlag.VERIFY_PEER : 0) |
      (opts.clientOffersEms ? ResumeFlag.CLIENT_OFFERS_EMS : 0) |
      (opts.clientOffersEms === undefined ? ResumeFlag.EMS_UNKNOWN : 0);
    const ex = unguarded();
    let passed = 0;
    if (external) {
      Session.handleOf(external, "external");
      const ref = opts.copy === false ? external : external.upRef();
      passed = ref.handle;
      ref.forget();
    }
    // Neither the id nor the sid_ctx is secret (both cross the wire in clear).
    const p = external ? copyToInputArea(sidCtx) : copyPairToInputArea(id, sidCtx);
    let r: number;
    try {
      r = external
        ? ex.tls_resume_external(h, passed, version, p, sidCtx.length, flags)
        : ex.tls_resume_lookup(h, version, p, id.length, p + id.length, sidCtx.length, flags);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    if (r === ABSENT) {
      const refusal = REFUSALS[ex.tls_resume_refusal()] ?? "miss";
      return this.#drainThen({
        session: null,
        refusal,
        fatal: refusal === "sid-ctx-uninitialized" || refusal === "ems-required",
      });
    }
    let session: Session;
    try {
      session = Session.adopt(check(r));
    } catch (e) {
      this.#drain();
      throw e;
    }
    // A listener's error frees the session found (the caller never sees it) and reaches the caller.
    return this.#drainThen({ session, refusal: null, fatal: false });
  }

  /**
   * Counts a handshake: "connect" | "accept" when one starts, "connectGood" | "acceptGood" when
   * it completed, which also runs OpenSSL's auto-flush (every 256 completed handshakes, unless
   * NO_AUTO_CLEAR) on the module's clock.
   */
  count(stat: "connect" | "connectGood" | "accept" | "acceptGood"): void {
    const h = this.handle;
    if (stat !== "connect" && stat !== "connectGood" && stat !== "accept" && stat !== "acceptGood")
      throw new TypeError('stat must be "connect", "connectGood", "accept" or "acceptGood"');
    check(wasm().tls_ctx_count(h, STAT_IDS[stat]));
    this.#drain();
  }

  /** SSL_CTX_set_session_id_context: copied into each Connection made afterwards (at most 32 bytes). */
  set sidCtx(v: Uint8Array) {
    const h = this.handle;
    if (check(withInput(v, (p, n) => wasm().SSL_CTX_set_session_id_context(h, p, n))) !== 1)
      throw new RangeError("sidCtx must be at most 32 bytes");
  }

  /** SSL_has_matching_session_id for a connection of `version`. (A hot path: no closures.) */
  has(id: Uint8Array, version: number = ProtocolVersion.TLS1_2): boolean {
    const h = this.handle;
    if (!(version >= 0 && version <= 0xffff && (version | 0) === version)) versionArg(version); // throws
    const ex = unguarded();
    const p = copyToInputArea(id);
    let r: number;
    try {
      r = ex.SSL_has_matching_session_id(h, version, p, id.length);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    return r === 1 ? true : r === 0 ? false : check(r) === 1;
  }

  /** Sessions in the cache (SSL_CTX_sess_number). */
  get size(): number {
    const h = this.handle;
    return check(wasm().SSL_CTX_sess_number(h));
  }

  /**
   * SSL_CTX_sess_get/set_cache_size; 0 = unlimited. OpenSSL keeps at most size - 1 after an add.
   * The setter takes what OpenSSL's takes, a long from 0 up (a number or a bigint); OpenSSL
   * refuses a negative size, and so does this (RangeError).
   */
  get cacheSize(): number {
    const h = this.handle;
    return Number(wasm().SSL_CTX_sess_get_cache_size(h));
  }
  set cacheSize(n: number | bigint) {
    const v = integerArg(n, "cacheSize", 0n);
    const h = this.handle;
    wasm().SSL_CTX_sess_set_cache_size(h, v);
  }

  /**
   * The byte budget in bytes, 0 = none (see `SessionCacheOptions.maxBytes`): a whole number up to
   * 2^32 (RangeError otherwise). Enforced when a session is added, as `cacheSize` is.
   */
  get maxBytes(): number {
    const h = this.handle;
    return check(wasm().tls_ctx_get_byte_budget(h));
  }
  set maxBytes(n: number) {
    byteCountArg(n, "maxBytes", 2 ** 32);
    const h = this.handle;
    check(wasm().tls_ctx_set_byte_budget(h, n));
  }
  /** The bytes the cached sessions hold in wasm memory (what `maxBytes` bounds). */
  get bytes(): number {
    const h = this.handle;
    return check(wasm().tls_ctx_bytes(h));
  }

  /**
   * SSL_CTX_get/set_session_cache_mode: a combination of `CacheMode` bits. Anything else (a
   * string such as "server", a negative number, an unknown bit) is refused, never truncated.
   */
  get mode(): number {
    const h = this.handle;
    return check(wasm().SSL_CTX_get_session_cache_mode(h));
  }
  set mode(m: number) {
    smallIntegerArg(m, "mode (CacheMode bits)", 0, MODE_BITS);
    if ((m & ~MODE_BITS) !== 0)
      throw new RangeError(`mode 0x${m.toString(16)} is not a combination of CacheMode bits`);
    const h = this.handle;
    check(wasm().SSL_CTX_set_session_cache_mode(h, m));
  }

  /**
   * SSL_CTX_get/set_timeout, seconds (default 7200). The setter takes what OpenSSL's takes: any
   * long, negative included, as a number or a bigint.
   */
  get timeout(): number {
    const h = this.handle;
    return Number(wasm().SSL_CTX_get_timeout(h));
  }
  set timeout(t: number | bigint) {
    const v = integerArg(t, "timeout");
    const h = this.handle;
    wasm().SSL_CTX_set_timeout(h, v);
  }

  /** Every SSL_CTX_sess_* counter. */
  stats(): CacheStats {
    const h = this.handle;
    const ex = wasm();
    const out = {} as CacheStats;
    for (const k of STAT_KEYS) out[k] = Number(ex.tls_ctx_stat(h, STAT_IDS[k]));
    return out;
  }

  /**
   * SSL_CTX_free: drops this object's reference. The cache itself lives until its last
   * connection is freed, as in OpenSSL; when this was the last reference, every session is
   * flushed first (listeners hear of each).
   */
  free(): void {
    const h = this.#handle;
    if (!h) return;
    // An error during the last flush (a listener's) is rethrown once the cache is freed.
    let failed = false;
    let first: unknown;
    if (wasm().tls_ctx_references(h) === 1)
      try {
        this.flush(0);
      } catch (e) {
        [failed, first] = [true, e];
      }
    this.#handle = 0;
    check(wasm().SSL_CTX_free(h));
    if (failed) throw first;
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

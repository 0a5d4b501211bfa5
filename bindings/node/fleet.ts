// A fleet of node:tls servers sharing sessions through a `SessionStore` (Redis, usually) and ticket
// keys through a shared secret: a client that lands on another server still resumes.
//
// The model, as OpenSSL's external cache has it (SSL_CTX_sess_set_new_cb / get_cb / remove_cb,
// the callbacks nginx, HAProxy and OpenResty point at a shared store):
//   * Lookup: the server's own `SessionCache` first (no network), then the store. Node's
//     `resumeSession` event may answer later, so the store lookup is asynchronous; a session found
//     there passes the same checks as a cached one (version, sid_ctx, expiry, EMS: the cache's
//     `resume(id, opts, external)`) and is copied into the local cache (a cb_hit).
//   * New sessions go to both: the local cache and the store, with TTL = the session's remaining
//     lifetime (time + timeout − now, at most 7 days).
//   * Sessions leaving the local cache (removed, evicted, flushed as expired) are deleted from the
//     store too, as OpenSSL's remove_session_cb is used. `remove(id)` removes one everywhere.
//     Other servers' local copies are not reached: a session a server already cached keeps
//     resuming there until it leaves that cache (there is no invalidation broadcast).
//   * Failure: every store call is bounded by `timeoutMs`; past it the handshake goes on as a full
//     one. A failure opens an outage: logged once, counted, and the store is not asked again for
//     `retryAfterMs` (handshakes pay no timeout meanwhile); the first call that succeeds afterwards
//     closes it (logged once). Nothing already in the local cache is lost, nothing throws into
//     Node, and service resumes by itself.
//   * TLS 1.3: Node asks with the ClientHello's random legacy_session_id, never the PSK identity
//     (bindings/node/server.ts), so TLS 1.3 resumes through tickets only: `fleetTicketKeys`. Such a
//     ClientHello costs one store miss. A single-use entry (`SessionStore.take`) therefore has no
//     caller here; the contract and both stores keep it for servers that can use it.
//   * Tickets: every server derives the same ring from a shared secret and the epoch
//     floor(now / period) (bindings/ticket_keys.ts), and installs its current key as Node's
//     `ticketKeys`. Node holds one key: at each epoch boundary the new key replaces the old, and
//     tickets sealed under the old key get a full handshake (and a new ticket). Choose a period
//     much longer than `sessionTimeout`. No coordination: servers agree by arithmetic.

import type { Server, TLSSocket } from "node:tls";
import { SessionCache, CacheMode, type RemoveReason } from "../cache.js";
import { Session } from "../session.js";
import { TicketKeys } from "../ticket_keys.js";
import { type SessionStore, sessionKey, MAX_STORE_TTL } from "../stores/store.js";

export {
  type SessionStore,
  NoSessionStore,
  MemorySessionStore,
  sessionKey,
  MAX_STORE_TTL,
  type MemorySessionStoreOptions,
} from "../stores/store.js";
export {
  RedisSessionStore,
  type RedisSessionStoreOptions,
  type RedisClientLike,
  type RedisCommand,
} from "../stores/redis.js";

const TLS1_2 = 0x0303;
const TLS1_3 = 0x0304;
const MAX_SID_CTX = 32;
/** ssl_update_cache flushes when the low 8 bits of accept_good are all ones (ssl/ssl_lib.c). */
/** A store answer later than this is too late for a handshake (a LAN round trip is ~0.2 ms). */
export const DEFAULT_STORE_TIMEOUT_MS = 50;
/** After a failure, the store rests this long before it is asked again. */
export const DEFAULT_RETRY_AFTER_MS = 1000;
/**
 * Seconds per ticket key epoch. Node holds one ticket key, so a ticket outlives its key only across
 * a boundary: a day against Node's default sessionTimeout of 300 s leaves that to 0.3% of tickets.
 */
export const DEFAULT_TICKET_PERIOD = 86400;

export interface FleetOptions {
  /** The shared store. */
  store: SessionStore;
  /** The local cache in front of it (default: a new one, freed by `detach`). */
  cache?: SessionCache;
  /** Bound of every store call, in ms (default 50). */
  timeoutMs?: number;
  /** After a failure, ms before the store is asked again (default 1000). */
  retryAfterMs?: number;
  /** The sid_ctx to match and namespace with (default: the server's `sessionIdContext`). */
  sidCtx?: Uint8Array | string;
  /** Which local removals delete from the store (default all three). */
  propagate?: RemoveReason[];
  /** Seconds since the epoch (default the system clock): TTLs and the periodic flush. */
  now?: () => number;
  /** Outage start and end, once each (default console.warn). */
  log?: (message: string) => void;
  /** Errors not about the store (a bad session blob from Node). Default: the server's "error" event. */
  onError?: (err: unknown) => void;
}

export interface FleetStats {
  /** Lookups answered from the local cache. */
  localHits: number;
  /** Lookups answered from the store (a session found and accepted). */
  storeHits: number;
  /** Lookups the store had nothing for. */
  storeMisses: number;
  /** Sessions the store had that failed the resumption checks (expired, other context, …). */
  storeRefused: number;
  /** Store calls that failed or timed out (timeouts are also in `storeTimeouts`). */
  storeErrors: number;
  storeTimeouts: number;
  /** Store calls not made because an outage was resting. */
  storeSkipped: number;
  /** Sessions written to / deleted from the store. */
  storeWrites: number;
  storeDeletes: number;
  /** Outages begun. */
  outages: number;
}

export interface Fleet {
  readonly cache: SessionCache;
  readonly store: SessionStore;
  stats(): FleetStats;
  /** Whether the store is considered down (an outage is resting or unconfirmed). */
  readonly storeDown: boolean;
  /** Removes the session with this id from the local cache and from the store. */
  remove(id: Uint8Array): Promise<void>;
  /** Detaches from the server; frees the cache if this fleet made it. */
  detach(): void;
}

class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`session store did not answer within ${ms} ms`);
    this.name = "StoreTimeout";
  }
}

function sidCtxBytes(v: Uint8Array | string | undefined): Uint8Array {
  const b = typeof v === "string" ? new TextEncoder().encode(v) : (v ?? new Uint8Array(0));
  if (b.length > MAX_SID_CTX) throw new RangeError(`sidCtx must be at most ${MAX_SID_CTX} bytes`);
  return b;
}

function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
    throw new RangeError(`${name} must be a non-negative number (ms)`);
  return v;
}

/**
 * Serves `server`'s session-id resumption from a local cache in front of a shared store (see the
 * model above). Attach before the server accepts connections; set one `sessionIdContext` on every
 * server of the fleet (Node's default differs between programs).
 */
export function attachFleet(server: Server, opts: FleetOptions): Fleet {
  const store = opts.store;
  if (!store || typeof store.get !== "function") throw new TypeError("store must be a SessionStore");
  const ownCache = opts.cache === undefined;
  const cache = opts.cache ?? new SessionCache();
  const timeoutMs = positive(opts.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, "timeoutMs");
  const retryAfterMs = positive(opts.retryAfterMs, DEFAULT_RETRY_AFTER_MS, "retryAfterMs");
  const fixedSidCtx = opts.sidCtx === undefined ? null : sidCtxBytes(opts.sidCtx);
  const propagate = new Set<RemoveReason>(opts.propagate ?? ["removed", "evicted", "flushed"]);
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const log = opts.log ?? ((m: string) => console.warn(m));
  const report =
    opts.onError ??
    ((err: unknown) => {
      server.emit("error", err);
    });
  const st: FleetStats = {
    localHits: 0,
    storeHits: 0,
    storeMisses: 0,
    storeRefused: 0,
    storeErrors: 0,
    storeTimeouts: 0,
    storeSkipped: 0,
    storeWrites: 0,
    storeDeletes: 0,
    outages: 0,
  };
  let down = false,
    restUntil = 0,
    failuresThisOutage = 0;

  const serverSidCtx = (): Uint8Array => {
    if (fixedSidCtx) return fixedSidCtx;
    const own = (server as Server & { sessionIdContext?: string }).sessionIdContext;
    return sidCtxBytes(typeof own === "string" ? own.slice(0, MAX_SID_CTX) : undefined);
  };

  /** Runs one store call within the bound; null when the outage rests (skipped) or it failed. */
  async function guarded<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (down && Date.now() < restUntil) {
      st.storeSkipped++;
      return { ok: false };
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const call = Promise.resolve().then(fn);
      call.catch(() => {
        /* a late failure after the timeout is already counted */
      });
      const value = await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreTimeout(timeoutMs)), timeoutMs);
        }),
      ]);
      if (down) {
        down = false;
        log(
          `session store: back after ${failuresThisOutage} failed call(s); resumption through the store restored`,
        );
      }
      return { ok: true, value };
    } catch (err) {
      st.storeErrors++;
      if (err instanceof StoreTimeout) st.storeTimeouts++;
      restUntil = Date.now() + retryAfterMs;
      if (!down) {
        down = true;
        failuresThisOutage = 0;
        st.outages++;
        log(
          `session store: unavailable (${(err as Error)?.message ?? String(err)}); handshakes fall back to full ones`,
        );
      }
      failuresThisOutage++;
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }

  const onNewSession = (_id: Buffer, data: Buffer, done: () => void): void => {
    let key: string | null = null,
      der: Uint8Array | null = null,
      ttl = 0;
    try {
      der = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const s = Session.fromDER(der);
      try {
        const mode = cache.mode;
        if (s.protocolVersion !== TLS1_3 && s.id.length > 0) {
          if ((mode & CacheMode.SERVER) !== 0 && (mode & CacheMode.NO_INTERNAL_STORE) === 0) cache.add(s);
          const left = Number(s.time + s.timeout) - now();
          ttl = Math.min(left, MAX_STORE_TTL);
          if (ttl >= 1) key = sessionKey(s.sidCtx, s.id);
        }
      } finally {
        s.free();
      }
    } catch (err) {
      report(err);
    }
    if (key === null || der === null) {
      done();
      return;
    }
    // The handshake waits for the write (bounded), so a client that goes straight to another
    // server finds its session there.
    const value = der.slice();
    void guarded(() => store.set(key!, value, ttl)).then((r) => {
      if (r.ok) st.storeWrites++;
      value.fill(0);
      done();
    });
  };

  const checks = (version: number, ems: boolean) => ({
    version,
    sidCtx: serverSidCtx(),
    clientOffersEms: ems,
    verifyPeer: (server as Server & { requestCert?: boolean }).requestCert === true,
  });

  const onResumeSession = (id: Buffer, answer: (err: Error | null, data: Buffer | null) => void): void => {
    const key = new Uint8Array(id.buffer, id.byteOffset, id.byteLength).slice();
    let sidCtx: Uint8Array;
    try {
      sidCtx = serverSidCtx();
      const peek = cache.get(key, TLS1_2) ?? cache.get(key, TLS1_3);
      const version = peek?.protocolVersion ?? TLS1_2;
      const ems = peek?.extendedMasterSecret ?? false;
      peek?.free();
      const r = cache.resume(key, checks(version, ems));
      if (r.session) {
        let der: Buffer;
        try {
          der = Buffer.from(r.session.toDER());
        } finally {
          r.session.free();
        }
        st.localHits++;
        answer(null, der);
        return;
      }
      if (r.refusal !== "miss") {
        answer(null, null);
        return;
      }
    } catch (err) {
      report(err);
      answer(null, null);
      return;
    }
    void guarded(() => store.get(sessionKey(sidCtx, key))).then((r) => {
      let der: Buffer | null = null;
      try {
        if (!r.ok) return;
        if (r.value === null) {
          st.storeMisses++;
          return;
        }
        const s = Session.fromDER(r.value);
        r.value.fill(0);
        try {
          const res = cache.resume(key, checks(s.protocolVersion, s.extendedMasterSecret), s);
          if (res.session) {
            try {
              der = Buffer.from(res.session.toDER());
            } finally {
              res.session.free();
            }
            st.storeHits++;
          } else {
            st.storeRefused++;
          }
        } finally {
          s.free();
        }
      } catch (err) {
        der = null;
        report(err);
      } finally {
        answer(null, der);
      }
    });
  };

  const onRemove = (s: Session, reason: RemoveReason): void => {
    if (!propagate.has(reason) || s.id.length === 0) return;
    const key = sessionKey(s.sidCtx, s.id);
    void guarded(() => store.delete(key)).then((r) => {
      if (r.ok) st.storeDeletes++;
    });
  };

  const onConnection = (): void => {
    try {
      cache.count("accept");
    } catch (err) {
      report(err);
    }
  };

  const onSecure = (_socket: TLSSocket): void => {
    try {
      cache.count("acceptGood");
    } catch (err) {
      report(err);
    } // with OpenSSL's auto-flush
  };

  cache.on("remove", onRemove);
  server.on("newSession", onNewSession);
  server.on("resumeSession", onResumeSession);
  server.on("connection", onConnection);
  server.on("secureConnection", onSecure);

  return {
    cache,
    store,
    stats: () => ({ ...st }),
    get storeDown() {
      return down;
    },
    async remove(id: Uint8Array): Promise<void> {
      if (!(id instanceof Uint8Array)) throw new TypeError("id must be a Uint8Array");
      const sidCtx = serverSidCtx();
      let removedLocally = false;
      for (const v of [TLS1_2, TLS1_3]) {
        const s = cache.get(id, v);
        if (s) {
          try {
            removedLocally = cache.remove(s) || removedLocally;
          } finally {
            s.free();
          }
        }
      }
      // The remove listener deletes what left the cache; delete here when nothing did (or when
      // "removed" is not propagated, an explicit remove still is).
      if (!removedLocally || !propagate.has("removed")) {
        const r = await guarded(() => store.delete(sessionKey(sidCtx, id)));
        if (r.ok) st.storeDeletes++;
      }
    },
    detach(): void {
      server.off("newSession", onNewSession);
      server.off("resumeSession", onResumeSession);
      server.off("connection", onConnection);
      server.off("secureConnection", onSecure);
      try {
        cache.off("remove", onRemove);
      } catch {
        /* the caller freed its cache first */
      }
      if (ownCache) cache.free();
    },
  };
}

// ---- Fleet ticket keys ---------------------------------------------------------------------------

export interface FleetTicketKeyOptions {
  /** The fleet's shared secret (at least 16 bytes; 32 random bytes recommended). A secret. */
  secret: Uint8Array;
  /** Seconds per epoch: how often every server switches to the next derived key (default DEFAULT_TICKET_PERIOD). */
  period?: number;
  /** Seconds since the epoch (default the system clock). */
  now?: () => number;
}

/** Node's `ticketKeys` (48 bytes: name | HMAC key | AES-128 key) of epoch floor(now / period). */
export function fleetTicketKey(
  secret: Uint8Array,
  nowSeconds: number,
  period = DEFAULT_TICKET_PERIOD,
): Buffer {
  const ring = new TicketKeys({ secret, period, lifetime: Math.min(period, 604800), layout: 48 });
  try {
    ring.tick(nowSeconds);
    const k = ring.export(0);
    const out = Buffer.from(k);
    k.fill(0);
    return out;
  } finally {
    ring.free();
  }
}

export interface FleetTicketKeys {
  /** The key name (first 16 bytes) installed now. */
  readonly name: Buffer;
  /** Re-derives and installs the key for the current time; true when it changed. */
  refresh(): boolean;
  /** Stops the rotation timer and wipes the ring. */
  stop(): void;
}

/**
 * Installs the fleet's derived ticket key on `server` now and again at every epoch boundary
 * (an unref'd timer), so every server issues and opens the same tickets without talking.
 */
export function installFleetTicketKeys(server: Server, opts: FleetTicketKeyOptions): FleetTicketKeys {
  const period = opts.period ?? DEFAULT_TICKET_PERIOD;
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError("period must be a positive integer (seconds)");
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const ring = new TicketKeys({
    secret: opts.secret,
    period,
    lifetime: Math.min(period, 604800),
    layout: 48,
  });
  let name = Buffer.alloc(16);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const refresh = (): boolean => {
    const t = now();
    ring.tick(t);
    const k = ring.export(0);
    try {
      const changed = !name.equals(Buffer.from(k.subarray(0, 16)));
      if (changed) {
        const buf = Buffer.from(k);
        server.setTicketKeys(buf);
        buf.fill(0);
        name = Buffer.from(k.subarray(0, 16));
      }
      return changed;
    } finally {
      k.fill(0);
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    const t = now();
    const next = (Math.floor(t / period) + 1) * period;
    timer = setTimeout(
      () => {
        try {
          refresh();
        } finally {
          schedule();
        }
      },
      Math.min((next - t) * 1000 + 50, 0x7fffffff),
    );
    timer.unref?.();
  };
  refresh();
  schedule();
  return {
    get name() {
      return name;
    },
    refresh,
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      ring.free();
    },
  };
}

// A node:tls server's sessions, kept in a `SessionCache` (OpenSSL's SSL_CTX cache in wasm) and,
// for a fleet, also in a shared `SessionStore` (Redis, usually). One attachment does both: the
// plain cache is the fleet without a store, as OpenSSL's internal cache is its external one
// without callbacks.
//
// Node runs OpenSSL with its internal cache off (CLIENT|SERVER|NO_INTERNAL|NO_AUTO_CLEAR) and asks
// the application instead: `newSession(id, der, done)` after a handshake that made a session with an
// id, `resumeSession(id, answer)` when a ClientHello offers a session id. This module answers both,
// so the server behaves like an OpenSSL server with its internal cache on (and, with a store, its
// external cache: SSL_CTX_sess_set_new_cb / get_cb / remove_cb, the callbacks nginx, HAProxy and
// OpenResty point at a shared store):
//   * Sessions keyed by (protocol version, id); the resumption checks of ssl_get_prev_session
//     (version, sid_ctx, VERIFY_PEER with an empty sid_ctx, expiry, extended master secret) with
//     their counters; eviction by expiry order; the flush every 255 accepted handshakes (the cache
//     runs it itself when `count("acceptGood")` is called).
//   * With a store, a lookup tries the local cache first (no network), then the store. Node's
//     `resumeSession` may answer later, so the store lookup is asynchronous; a session found there
//     passes the same checks (`resume(id, opts, external)`) and is copied into the local cache (a
//     cb_hit). New sessions go to both, with TTL = the session's remaining lifetime (at most 7
//     days). Sessions leaving the local cache (removed, evicted, flushed) are deleted from the store,
//     as OpenSSL's remove_session_cb is used; `remove(id)` removes one everywhere.
//   * Store failure: every call is bounded by `timeoutMs`; past it the handshake goes on as a full
//     one. A failure opens an outage: logged once, counted, and the store is not asked again for
//     `retryAfterMs`; the first call that succeeds afterwards closes it (logged once).
//   * Nothing a peer, Node or the store sends can make the server emit "error": a session that does
//     not decode is a counted refusal and a full handshake, and errors go to `onError` (by default
//     logged once per burst and counted).
//
// What Node allows, measured with Node 20 (OpenSSL 3.0):
// - TLS 1.2 resumes by session id only when the server issues no tickets: a ticket-issuing server
//   gives its sessions an empty id, and OpenSSL then never calls newSession. Create the server with
//   `secureOptions: crypto.constants.SSL_OP_NO_TICKET`.
// - TLS 1.3 cannot resume from this cache by Node's own means. With SSL_OP_NO_TICKET the server
//   issues stateful tickets and hands their sessions to newSession, but Node fires resumeSession
//   with the ClientHello's legacy_session_id (32 random bytes in TLS 1.3 compatibility mode), not
//   the pre_shared_key identity. TLS 1.3 sessions are not stored by default (`storeTls13`).
// - Node does not say which version the handshake will negotiate when it asks, nor whether the
//   ClientHello offers extended master secret. The lookup takes the version of the session cached
//   under the id (TLS 1.2 first), and takes the EMS offer to match the cached session; OpenSSL checks
//   EMS itself on the session we return.
// - The session id context: Node gives every server one, `server.sessionIdContext`, by default the
//   first 32 hex digits of SHA-1(process.argv.join(" ")), so it differs between programs. Its ASCII
//   bytes are the sid_ctx of every session it makes, and resumption requires the same bytes. Pass
//   `sidCtx` to use other bytes; for a fleet, set one `sessionIdContext` on every server.

import tls, { type Server, type TLSSocket } from "node:tls";
import net, { type Socket } from "node:net";
import { SessionCache, CacheMode, isListenerError, type RemoveReason } from "../cache.js";
import { Session } from "../session.js";
import { Connection } from "../connection.js";
import { TlsSessionError } from "../errors.js";
import { type SessionStore, sessionKey, MAX_STORE_TTL } from "../stores/store.js";
import { peekClientHello, MAX_CLIENT_HELLO, type ClientHelloPeek } from "./client_hello.js";

/** TLS 1.2 and TLS 1.3 wire versions. */
const TLS1_2 = 0x0303;
const TLS1_3 = 0x0304;
/** SSL_MAX_SID_CTX_LENGTH. */
const MAX_SID_CTX = 32;
/** SSL_OP_NO_TICKET. */
const OP_NO_TICKET = 0x4000;
/** A store answer later than this is too late for a handshake (a LAN round trip is ~0.2 ms). */
export const DEFAULT_STORE_TIMEOUT_MS = 50;
/** After a failure, the store rests this long before it is asked again. */
export const DEFAULT_RETRY_AFTER_MS = 1000;
/** How long a local copy of a store session serves hits before the store is asked again. */
export const DEFAULT_REVALIDATE_AFTER_MS = 1000;
/** The default `onError` logs the first error of a burst, then stays quiet this long. */
const ERROR_BURST_MS = 10_000;
/** A first flight not complete after this long is handed to node:tls unread (no TLS 1.3 resumption). */
const PEEK_TIMEOUT_MS = 2000;
/** OpenSSL tries the identities in order; a client offers one or two. More are not looked up. */
const MAX_IDENTITIES = 4;
/** The Node majors whose node:tls internals the TLS 1.3 peek was tested against. */
const TESTED_NODE_MAJORS = [20];
/** ClientHellos with a session id secured without a resumeSession call before the peek gives up. */
const MISSED_RESUMES = 3;
/** Connections on which the peek checks that node:tls read the first flight it put back. */
const READ_BACK_PROBES = 3;

export interface AttachOptions {
  /**
   * The session id context resumption must match, bytes or a string (Node's form). Defaults to
   * the server's own `sessionIdContext`, read at each lookup.
   */
  sidCtx?: Uint8Array | string;
  /**
   * Resume TLS 1.3 through this cache (and store) by reading each ClientHello's pre_shared_key
   * identity off the socket before node:tls does. Default: on when the server issues stateful
   * tickets (`SSL_OP_NO_TICKET`). Where this Node's internals differ from the ones the peek relies
   * on (checked at attach and on the first connections) it logs that once and switches the peek
   * off; `true` throws instead where the attach can tell, and runs the peek on an untested Node
   * major (with a warning) where the default refuses it.
   */
  tls13?: boolean;
  /**
   * Each TLS 1.3 session completes at most one resumption (default true). A deviation from
   * OpenSSL, whose stateful server lets a ticket resume again: RFC 8446 §8 (replay of 0-RTT and of
   * whole ClientHellos) and §C.4 (clients should use a ticket once).
   */
  singleUse?: boolean;
  /** @deprecated Ignored: TLS 1.3 sessions are kept whenever the TLS 1.3 path is on. */
  storeTls13?: boolean;
  /**
   * Called with errors raised while answering Node (a session blob that does not decode, a freed
   * cache, an error thrown by one of the cache's own listeners, which SessionCache rethrows to the
   * glue). Default: logged through `log` once per burst; always counted in `errors` (listener
   * errors also in `listenerErrors`). None reaches the server's "error" event.
   */
  onError?: (err: unknown) => void;
  /** Warnings and outage reports (default console.warn). */
  log?: (message: string) => void;
}

export interface FleetOptions extends AttachOptions {
  /** The shared store. */
  store: SessionStore;
  /** The local cache in front of it (default: a new one, freed by `detach`). */
  cache?: SessionCache;
  /** Bound of every store call, in ms (default 50). */
  timeoutMs?: number;
  /** After a failure, ms before the store is asked again (default 1000). */
  retryAfterMs?: number;
  /** Which local removals delete from the store (default all three). */
  propagate?: RemoveReason[];
  /**
   * A local copy of a store session (TLS 1.2) is used without asking the store for this long (ms)
   * after it was stored, pulled or last confirmed; after that a hit first checks that the store
   * still has it, so a session removed or taken elsewhere stops resuming here within about this
   * bound (default 1000).
   */
  revalidateAfterMs?: number;
  /** Seconds since the epoch (default the system clock): TTLs. */
  now?: () => number;
}

/** What the attachment did, besides the cache's own `stats()`. */
export interface AttachStats {
  /** Sessions Node handed over and the cache took as new entries. */
  stored: number;
  /** Sessions Node handed over that were not kept (TLS 1.3 by default, or the mode said no). */
  skipped: number;
  /** TLS 1.3 sessions of a ticket-issuing server, which resume from Node's tickets, never from here. */
  ticketSkipped: number;
  /** Lookups answered with a session. */
  resumed: number;
  /** Lookups answered with nothing. */
  refused: number;
  /** Lookups answered from the local cache (with a store). */
  localHits: number;
  /** Lookups answered from the store (a session found and accepted). */
  storeHits: number;
  /** Lookups the store had nothing for. */
  storeMisses: number;
  /** Sessions the store had that failed the resumption checks (expired, other context, …). */
  storeRefused: number;
  /** Store values that did not decode as a session (damaged, truncated, foreign): full handshakes. */
  storeBadValues: number;
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
  /** Errors passed to `onError`. */
  errors: number;
  /** TLS 1.3: ClientHellos read off the socket, and those offering a pre_shared_key. */
  peeked: number;
  peekedPsk: number;
  /** First flights that were not a readable ClientHello (handed over unread: a full handshake). */
  peekFailed: number;
  /** ClientHellos that came in several records, handed to node:tls as one. */
  reframed: number;
  /** TLS 1.3: identities found and handed to OpenSSL (claimed when single use). */
  tls13Offered: number;
  /** TLS 1.3: claimed sessions spent by a completed resumption. */
  tls13Spent: number;
  /** TLS 1.3: claimed sessions put back because the handshake did not complete as a resumption. */
  tls13Restored: number;
  /** ClientHellos whose legacy session id another connection in flight also offers: no resumption. */
  ambiguous: number;
  /** Local copies dropped because the store no longer had them (removed or taken on another server). */
  invalidated: number;
  /** Sessions removed because their handshake failed (OpenSSL's fatal alert rule). */
  fatalRemoved: number;
  /** Sessions removed because their connection was reset while open (OpenSSL's SSL_free rule). */
  uncleanRemoved: number;
  /**
   * Errors thrown by the cache's own listeners (`cache.on("remove" | "new")`) during the glue's
   * cache calls: caught, logged once per burst and counted here (and in `errors`), never passed
   * to Node; the cache call itself took effect.
   */
  listenerErrors: number;
  /** Errors that were NO_MEMORY (the module's memory ceiling): each handshake went on as a full one. */
  noMemory: number;
}

/** @deprecated The old name of `AttachStats`. */
export type AttachCounters = AttachStats;
/** @deprecated The old name of `AttachStats`. */
export type FleetStats = AttachStats;

/**
 * What `attachSessionCache` and `attachFleet` return: call it (or its `detach`) to detach.
 * The plain cache is the fleet with no store (`store` null).
 */
export interface Attachment {
  (): void;
  readonly cache: SessionCache;
  readonly store: SessionStore | null;
  /** The live counters (the same object every time). */
  readonly counters: AttachStats;
  /** A copy of the counters. */
  stats(): AttachStats;
  /** Whether the store is considered down (an outage is resting or unconfirmed). */
  readonly storeDown: boolean;
  /** Removes the session with this id from the local cache and from the store. */
  remove(id: Uint8Array): Promise<void>;
  /** Detaches from the server; frees the cache if the attachment made it. */
  detach(): void;
}
/** `attachSessionCache`'s result (callable: detaches). */
export type Detach = Attachment;
/** `attachFleet`'s result. */
export type Fleet = Attachment;

class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`session store did not answer within ${ms} ms`);
    this.name = "StoreTimeout";
  }
}

/** A store value that is not a session. */
export class BadStoreValue extends Error {
  constructor(key: string, cause: unknown) {
    super(`session store value under ${key} is not a session (${(cause as Error)?.message ?? cause})`);
    this.name = "BadStoreValue";
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

const attached = new WeakSet<Server>();

type Answer = (err: Error | null, data: Buffer | null) => void;
type ServerExt = Server & { sessionIdContext?: string; requestCert?: boolean; secureOptions?: number };

function attach(
  server: Server,
  cache: SessionCache,
  ownCache: boolean,
  store: SessionStore | null,
  opts: FleetOptions | AttachOptions,
): Attachment {
  const fo = opts as Partial<FleetOptions>;
  const srv = server as ServerExt;
  const timeoutMs = positive(fo.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, "timeoutMs");
  const retryAfterMs = positive(fo.retryAfterMs, DEFAULT_RETRY_AFTER_MS, "retryAfterMs");
  const revalidateAfterMs = positive(fo.revalidateAfterMs, DEFAULT_REVALIDATE_AFTER_MS, "revalidateAfterMs");
  const fixedSidCtx = opts.sidCtx === undefined ? null : sidCtxBytes(opts.sidCtx);
  const propagate = new Set<RemoveReason>(fo.propagate ?? ["removed", "evicted", "flushed"]);
  const now = fo.now ?? (() => Math.floor(Date.now() / 1000));
  const log = opts.log ?? ((m: string) => console.warn(m));
  const st: AttachStats = {
    stored: 0,
    skipped: 0,
    ticketSkipped: 0,
    resumed: 0,
    refused: 0,
    localHits: 0,
    storeHits: 0,
    storeMisses: 0,
    storeRefused: 0,
    storeBadValues: 0,
    storeErrors: 0,
    storeTimeouts: 0,
    storeSkipped: 0,
    storeWrites: 0,
    storeDeletes: 0,
    outages: 0,
    errors: 0,
    peeked: 0,
    peekedPsk: 0,
    peekFailed: 0,
    reframed: 0,
    tls13Offered: 0,
    tls13Spent: 0,
    tls13Restored: 0,
    ambiguous: 0,
    invalidated: 0,
    fatalRemoved: 0,
    uncleanRemoved: 0,
    listenerErrors: 0,
    noMemory: 0,
  };
  let burstUntil = 0,
    quietErrors = 0;
  const defaultOnError = (err: unknown): void => {
    const t = Date.now();
    if (t < burstUntil) {
      quietErrors++;
      return;
    }
    const more = quietErrors ? ` (${quietErrors} more since the last report)` : "";
    quietErrors = 0;
    burstUntil = t + ERROR_BURST_MS;
    const msg = (err as Error)?.message ?? String(err);
    log(
      isListenerError(err)
        ? `tls session cache: a SessionCache listener threw: ${msg}; caught and counted (listenerErrors)${more}`
        : `tls session cache: ${msg}; the handshake goes on as a full one${more}`,
    );
  };
  const onError = opts.onError ?? defaultOnError;
  const report = (err: unknown): void => {
    st.errors++;
    if (isListenerError(err)) st.listenerErrors++;
    if (err instanceof TlsSessionError && err.code === "NO_MEMORY") st.noMemory++;
    try {
      onError(err);
    } catch {
      /* a throwing onError must not reach Node either */
    }
  };
  let warnedTickets = false;
  let down = false,
    restUntil = 0,
    failuresThisOutage = 0;

  const serverSidCtx = (): Uint8Array => {
    if (fixedSidCtx) return fixedSidCtx;
    const own = srv.sessionIdContext;
    return sidCtxBytes(typeof own === "string" ? own.slice(0, MAX_SID_CTX) : undefined);
  };
  const checks = (version: number, ems: boolean) => ({
    version,
    sidCtx: serverSidCtx(),
    clientOffersEms: ems,
    verifyPeer: srv.requestCert === true,
  });
  const derOf = (s: Session): Buffer => Buffer.from(s.toDER());

  /** Runs one store call within the bound; not ok when the outage rests (skipped) or it failed. */
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

  // ---- TLS 1.3: which node:tls internals the peek needs, checked before it is switched on ----

  const stateful = ((srv.secureOptions ?? 0) & OP_NO_TICKET) !== 0;
  const singleUse = opts.singleUse !== false;
  const tlsListener = server.listeners("connection").find((f) => f.name === "tlsConnectionListener") as
    ((this: Server, raw: Socket) => void) | undefined;
  let tls13 = opts.tls13 ?? stateful;
  const internalsDiffer = (what: string, atAttach = false): void => {
    const msg =
      `tls session cache: this Node (${process.version}) differs from the node:tls internals TLS 1.3 ` +
      `resumption relies on (${what}); TLS 1.3 resumes from Node's tickets only, TLS 1.2 as before`;
    if (atAttach && opts.tls13 === true) throw new Error(msg);
    if (!tls13) return;
    log(msg);
    tls13 = false;
    if (!atAttach) stopPeek();
  };
  if (tls13) {
    const differ = nodeInternalsDiffer(tlsListener);
    if (differ) internalsDiffer(differ, true);
  }
  if (tls13) {
    const major = Number(process.versions.node.split(".")[0]);
    if (TESTED_NODE_MAJORS.includes(major)) {
      /* the internals checked at each connection are the ones tested */
    } else if (opts.tls13 === true)
      log(
        `tls session cache: TLS 1.3 resumption was tested on Node ${TESTED_NODE_MAJORS.join(", ")}, not on ` +
          `${process.version}; on as asked (tls13: true), and switched off if a connection shows its internals differ`,
      );
    else
      internalsDiffer(
        `Node ${major} is not a tested major (${TESTED_NODE_MAJORS.join(", ")}); pass tls13: true to try it`,
        true,
      );
  }
  let missedResumes = 0,
    resumeSeen = false,
    readBackProbes = 0;
  /** Whether the server's context allows TLS 1.3 (false where Node does not say). */
  const serverMax13 = (): boolean => {
    const ctx = (srv as ServerExt & { _sharedCreds?: { context?: { getMaxProto?: () => number } } })
      ._sharedCreds?.context;
    return typeof ctx?.getMaxProto === "function" && ctx.getMaxProto() >= TLS1_3;
  };

  /** A connection the peek handed to node:tls, until it closes. */
  interface Conn {
    legacyHex: string;
    identities: Uint8Array[];
    /** The ClientHello offers TLS 1.3 (supported_versions). */
    offers13: boolean;
    /** node:tls should ask resumeSession for it (a session id and no TLS 1.2 ticket). */
    expectsAsk: boolean;
    /** resumeSession was asked for it. */
    asked: boolean;
    /** A TLS 1.3 session claimed for this connection, until the handshake settles it. */
    claim: Claim | null;
    /** The TLS 1.2 session id handed to OpenSSL for this connection. */
    handed12: Uint8Array | null;
    secured: boolean;
  }
  interface Claim {
    id: Uint8Array;
    /** Cache only: the session stays cached, claimed (no other lookup gets it) until settled. */
    local: boolean;
    /** Store: the value taken, its key and the session's expiry (seconds). */
    der: Uint8Array | null;
    key: string;
    expires: number;
  }
  const byLegacy = new Map<string, Conn[]>();
  const byRaw = new WeakMap<Socket, Conn>();
  const claimed = new Set<string>();
  /** Fleet, TLS 1.2: when each local copy was last known to be in the store (ms). */
  const confirmedAt = new Map<string, number>();
  let quiet = 0; // > 0 while the glue itself moves a session out of the local cache

  const hexOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

  // The peek runs on every connection, so it is kept to what a full handshake must pay: shared
  // handlers (no closures or timer per connection), the ClientHello parsed in place from the first
  // chunk (the usual case: one segment, one record), one 'close' listener that also settles the
  // connection's session later. Flights still incomplete, and connections still silent, after
  // PEEK_TIMEOUT_MS are handed over unread by one sweep timer per attachment.
  /** Connections whose first flight is not complete yet: the chunks so far (empty: none yet). */
  const pending = new Map<Socket, { chunks: Buffer[]; total: number; since: number }>();
  let sweeper: ReturnType<typeof setInterval> | null = null;

  const sweep = (): void => {
    const limit = Date.now() - PEEK_TIMEOUT_MS;
    // Insertion order is arrival order: stop at the first connection still within its time.
    for (const [raw, p] of pending) {
      if (p.since > limit) break;
      st.peekFailed++;
      if (raw.readableEnded) {
        pending.delete(raw);
        raw.destroy(); // the peer sent part of a flight, then its FIN: there is no TLS to hand over
      } else handOver(raw, null, p.total > 0 ? Buffer.concat(p.chunks, p.total) : null);
    }
  };

  const handOver = (raw: Socket, given: ClientHelloPeek | null, bytes: Buffer | null): void => {
    let peek = given;
    pending.delete(raw);
    raw.off("data", onPeekData);
    raw.off("error", onPeekError);
    if (raw.destroyed) return;
    raw.pause();
    let back = bytes;
    if (peek?.reframed) {
      st.reframed++;
      back = Buffer.from(peek.reframed.buffer, peek.reframed.byteOffset, peek.reframed.byteLength);
    }
    if (back) {
      raw.unshift(back);
      if (raw.readableLength < back.length) {
        // A socket that keeps nothing unshifted: node:tls would never see the ClientHello. Put it
        // back as if it had just arrived, and stop peeking.
        internalsDiffer("a paused raw socket keeps no data unshifted");
        peek = null;
        if (raw.readableLength < back.length) raw.push(back);
      }
    }
    let conn: Conn | undefined;
    if (peek && peek.legacyId.length > 0 && tls13) {
      conn = {
        legacyHex: hexOf(peek.legacyId),
        identities:
          peek.identities.length > MAX_IDENTITIES
            ? peek.identities.slice(0, MAX_IDENTITIES)
            : peek.identities,
        offers13: peek.offers13,
        expectsAsk: !peek.ticket,
        asked: false,
        claim: null,
        handed12: null,
        secured: false,
      };
      const list = byLegacy.get(conn.legacyHex);
      if (list) list.push(conn);
      else byLegacy.set(conn.legacyHex, [conn]);
      byRaw.set(raw, conn);
    }
    tlsListener!.call(server, raw);
    if (back && readBackProbes < READ_BACK_PROBES) {
      // node:tls reads what is buffered on the raw socket one tick after it wraps it.
      readBackProbes++;
      process.nextTick(() => {
        if (raw.destroyed || raw.readableLength === 0) return;
        internalsDiffer("node:tls left the first flight unread on the raw socket");
        raw.destroy(); // its handshake cannot start; the peek is off for the next connections
      });
    }
  };

  /** Switches the peek off: new connections go straight to node:tls, pending ones now. */
  const stopPeek = (): void => {
    if (server.listeners("connection").includes(onRawConnection)) {
      server.off("connection", onRawConnection);
      server.prependListener("connection", tlsListener!);
    }
    if (sweeper) clearInterval(sweeper);
    sweeper = null;
    for (const [raw, p] of pending)
      handOver(raw, null, p.total > 0 ? Buffer.concat(p.chunks, p.total) : null);
  };

  function onPeekData(this: Socket, d: Buffer): void {
    const p = pending.get(this);
    let r: "more" | "bad" | ClientHelloPeek;
    let bytes: Buffer;
    if (p === undefined || p.total === 0) {
      bytes = d; // parsed in place, handed back as it came
      r = peekClientHello(d);
      if (r === "more") {
        if (p) {
          p.chunks.push(d);
          p.total = d.length;
        } else pending.set(this, { chunks: [d], total: d.length, since: Date.now() });
        return;
      }
    } else {
      p.chunks.push(d);
      p.total += d.length;
      bytes = Buffer.concat(p.chunks, p.total);
      r = p.total > MAX_CLIENT_HELLO + 64 ? "bad" : peekClientHello(bytes);
      if (r === "more") return;
    }
    st.peeked++;
    if (r === "bad") st.peekFailed++;
    else if (r.identities.length > 0) st.peekedPsk++;
    handOver(this, r === "bad" ? null : r, bytes);
  }

  function onPeekError(this: Socket): void {
    // The connection failed before a whole first flight: 'close' follows, nothing to hand over.
    pending.delete(this);
  }

  function onRawClose(this: Socket): void {
    pending.delete(this);
    const conn = byRaw.get(this);
    if (conn) settle(conn, false);
  }

  const onRawConnection = function (this: Server, raw: Socket): void {
    // The first chunk usually arrives in a later turn; a connection silent past the bound is
    // swept. Its entry is replaced (same position) if the first chunk is not a whole flight.
    pending.set(raw, { chunks: [], total: 0, since: Date.now() });
    if (sweeper === null) {
      sweeper = setInterval(sweep, PEEK_TIMEOUT_MS / 4);
      sweeper.unref();
    }
    raw.on("data", onPeekData);
    raw.on("error", onPeekError);
    raw.on("close", onRawClose);
  };

  /** The connection of a resumeSession call, by the legacy id its ClientHello carried. */
  const connOf = (legacyHex: string): Conn | null | "ambiguous" => {
    const list = byLegacy.get(legacyHex);
    if (!list) return null;
    byLegacy.delete(legacyHex);
    resumeSeen = true;
    for (const c of list) c.asked = true;
    // Two connections in flight with one 32-byte random id: a replay (or a copy). Neither is told
    // apart from the other, so neither resumes, and nothing is spent.
    if (list.length > 1) {
      st.ambiguous += list.length;
      return "ambiguous";
    }
    return list[0];
  };

  /** The end of a connection's handshake: a claim is spent only by a completed resumption. */
  const settle = (conn: Conn, completedResumption: boolean): void => {
    const list = byLegacy.get(conn.legacyHex);
    if (list) {
      const i = list.indexOf(conn);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) byLegacy.delete(conn.legacyHex);
    }
    const c = conn.claim;
    conn.claim = null;
    if (c) {
      if (completedResumption) {
        st.tls13Spent++;
        c.der?.fill(0);
        if (c.local) {
          claimed.delete(hexOf(c.id));
          removeEverywhere(c.id, TLS1_3);
        }
      } else restore(c);
    }
    // OpenSSL's fatal alert rule: a handshake that fails removes the session it was resuming.
    if (!conn.secured && conn.handed12) {
      st.fatalRemoved++;
      fatalAlert(conn.handed12, TLS1_2);
    }
    conn.handed12 = null;
  };

  const restore = (c: Claim): void => {
    st.tls13Restored++;
    if (c.local) {
      claimed.delete(hexOf(c.id));
      return;
    }
    const ttl = Math.min(c.expires - now(), MAX_STORE_TTL);
    const value = c.der!;
    if (ttl < 1 || !store) {
      value.fill(0);
      return;
    }
    void guarded(() => store.set(c.key, value, ttl)).then((r) => {
      if (r.ok) st.storeWrites++;
      value.fill(0);
    });
  };

  const removeEverywhere = (id: Uint8Array, version: number): void => {
    try {
      const s = cache.get(id, version);
      if (s) {
        try {
          cache.remove(s); // marks it not resumable; the remove listener deletes it from the store
        } finally {
          s.free();
        }
      } else if (store) {
        const key = sessionKey(serverSidCtx(), id);
        void guarded(() => store.delete(key)).then((r) => {
          if (r.ok) st.storeDeletes++;
        });
      }
    } catch (err) {
      report(err);
    }
  };

  /**
   * A failed handshake's session gets OpenSSL's fatal-alert effect: the session goes on a
   * connection of our cache, and `fatalAlert()` removes it (the remove listener deletes it from the
   * store). A session the local cache no longer holds is deleted from the store directly.
   */
  const fatalAlert = (id: Uint8Array, version: number): void => {
    let s: Session | null = null;
    try {
      s = cache.get(id, version);
      if (!s) {
        removeEverywhere(id, version);
        return;
      }
      const c = new Connection(cache, { server: true });
      try {
        c.setSession(s);
        c.fatalAlert();
      } finally {
        c.free();
      }
    } catch (err) {
      report(err);
    } finally {
      s?.free();
    }
  };

  /**
   * Takes a session out of the local cache without telling the store: it is claimed (not gone),
   * or the store no longer has it.
   */
  const quietRemove = (id: Uint8Array, version = TLS1_3): void => {
    const s = cache.get(id, version);
    if (!s) return;
    quiet++;
    try {
      cache.remove(s);
    } finally {
      quiet--;
      s.free();
    }
  };

  const checks13 = () => ({ version: TLS1_3, sidCtx: serverSidCtx(), verifyPeer: srv.requestCert === true });

  /** TLS 1.3: the session of the first offered identity we hold, claimed when single use. */
  const resume13 = async (conn: Conn): Promise<Buffer | null> => {
    const sidCtx = serverSidCtx();
    for (const id of conn.identities) {
      if (store === null) {
        if (claimed.has(hexOf(id))) continue; // another connection's handshake holds it
        const r = cache.resume(id, checks13());
        if (!r.session) continue;
        const der = derOf(r.session);
        r.session.free();
        if (singleUse) {
          claimed.add(hexOf(id));
          conn.claim = { id, local: true, der: null, key: "", expires: 0 };
        }
        st.tls13Offered++;
        return der;
      }
      const key = sessionKey(sidCtx, id);
      const got = await guarded(() => (singleUse ? store.take(key) : store.get(key)));
      if (!got.ok) return null;
      if (got.value === null) {
        st.storeMisses++;
        continue;
      }
      let s: Session;
      try {
        s = Session.fromDER(got.value);
      } catch (err) {
        st.storeBadValues++;
        st.storeRefused++;
        got.value.fill(0);
        report(new BadStoreValue(key, err));
        continue;
      }
      try {
        const expires = Number(s.time + s.timeout);
        const res = cache.resume(id, checks13(), s);
        if (!res.session) {
          st.storeRefused++;
          if (singleUse && res.refusal !== "expired")
            restore({ id, local: false, der: got.value, key, expires });
          else got.value.fill(0);
          continue;
        }
        quietRemove(id); // TLS 1.3 sessions of a fleet live in the store only
        const der = derOf(res.session);
        res.session.free();
        st.storeHits++;
        st.tls13Offered++;
        if (singleUse) conn.claim = { id, local: false, der: got.value, key, expires };
        else got.value.fill(0);
        return der;
      } finally {
        s.free();
      }
    }
    return null;
  };

  // ---- newSession: keep what Node made ----

  const onNewSession = (_id: Buffer, data: Buffer, done: () => void): void => {
    let key: string | null = null,
      ttl = 0,
      ticketWrite = false;
    const der = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      const s = Session.fromDER(der);
      try {
        const mode = cache.mode;
        const is13 = s.protocolVersion === TLS1_3;
        if (is13 && !stateful) {
          st.ticketSkipped++;
          if (!warnedTickets) {
            warnedTickets = true;
            log(
              "tls session cache: this server issues TLS 1.3 tickets, so its TLS 1.3 sessions resume from " +
                "Node's own tickets and never from this cache (stored 0). Create the server with " +
                "`secureOptions: crypto.constants.SSL_OP_NO_TICKET` to keep sessions here.",
            );
          }
        }
        const wanted = s.id.length > 0 && (!is13 || tls13);
        // A fleet keeps TLS 1.3 sessions in the store only: its atomic take is the single use.
        const local = wanted && !(is13 && store);
        let added = false;
        if (local && (mode & CacheMode.SERVER) !== 0 && (mode & CacheMode.NO_INTERNAL_STORE) === 0)
          try {
            added = cache.add(s);
          } catch (err) {
            // A listener's error: the add itself took effect (a fresh session is a new entry).
            if (!isListenerError(err)) throw err;
            report(err);
            added = true;
          }
        if (added && store) confirmedAt.set(hexOf(s.id), Date.now());
        if (added || (wanted && !local)) st.stored++;
        else st.skipped++;
        if (store && wanted) {
          ttl = Math.min(Number(s.time + s.timeout) - now(), MAX_STORE_TTL);
          if (ttl >= 1) key = sessionKey(s.sidCtx, s.id);
          ticketWrite = is13;
        }
      } finally {
        s.free();
      }
    } catch (err) {
      report(err);
    }
    if (key === null || store === null) {
      done();
      return;
    }
    // TLS 1.2: the handshake waits for the write (bounded), so a client that goes straight to
    // another server finds its session there. TLS 1.3: the ticket is written after the handshake,
    // and node:tls holds it back until done(); a server that ends the connection meanwhile (as soon
    // as it is secure) would never send it. The write is already on its way when the client gets
    // the ticket, and the client needs a new connection and handshake before it can use it.
    const value = der.slice();
    if (ticketWrite) done();
    void guarded(() => store.set(key!, value, ttl)).then((r) => {
      if (r.ok) st.storeWrites++;
      value.fill(0);
      if (!ticketWrite) done();
    });
  };

  // ---- resumeSession: answer from the cache, then the store ----

  const fromStore = (id: Uint8Array, sidCtx: Uint8Array, conn: Conn | null, answer: Answer): void => {
    const key = sessionKey(sidCtx, id);
    void guarded(() => store!.get(key)).then((r) => {
      let der: Buffer | null = null;
      try {
        if (!r.ok) return;
        if (r.value === null) {
          st.storeMisses++;
          return;
        }
        let s: Session;
        try {
          s = Session.fromDER(r.value);
        } catch (err) {
          st.storeBadValues++;
          st.storeRefused++;
          report(new BadStoreValue(key, err));
          return;
        } finally {
          r.value.fill(0);
        }
        try {
          const res = cache.resume(id, checks(s.protocolVersion, s.extendedMasterSecret), s);
          if (res.session) {
            try {
              der = derOf(res.session);
            } finally {
              res.session.free();
            }
            st.storeHits++;
            confirmedAt.set(hexOf(id), Date.now());
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
        if (der) {
          st.resumed++;
          if (conn) conn.handed12 = id;
        } else st.refused++;
        answer(null, der);
      }
    });
  };

  const onResumeSession = (id: Buffer, answer: Answer): void => {
    const key = new Uint8Array(id.buffer, id.byteOffset, id.byteLength).slice();
    const found = tls13 ? connOf(hexOf(key)) : null;
    if (found === "ambiguous") {
      st.refused++;
      answer(null, null);
      return;
    }
    const conn = found;
    if (conn && conn.identities.length === 0 && conn.offers13 && serverMax13()) {
      // A TLS 1.3 handshake: OpenSSL never looks the legacy id up (nor counts a miss), and there
      // is no identity to resume. Answered at once, sparing the full handshake the lookups.
      st.refused++;
      answer(null, null);
      return;
    }
    if (conn && conn.identities.length > 0) {
      resume13(conn).then(
        (der) => {
          if (der) st.resumed++;
          else st.refused++;
          answer(null, der);
        },
        (err) => {
          report(err);
          st.refused++;
          answer(null, null);
        },
      );
      return;
    }
    let sidCtx: Uint8Array;
    try {
      sidCtx = serverSidCtx();
      // Peek (no counters) to learn the version and EMS of what is cached under this id.
      const peek = cache.get(key, TLS1_2) ?? cache.get(key, TLS1_3);
      const version = peek?.protocolVersion ?? TLS1_2;
      const ems = peek?.extendedMasterSecret ?? false;
      peek?.free();
      const seen = peek && store ? confirmedAt.get(hexOf(key)) : undefined;
      if (peek && store && (seen === undefined || Date.now() - seen > revalidateAfterMs)) {
        // A local copy older than the bound: is it still in the store (not removed or taken by
        // another server)? A store that does not answer leaves the copy in service.
        const skey = sessionKey(sidCtx, key);
        void guarded(() => store.get(skey)).then((r) => {
          if (r.ok && r.value === null) {
            st.invalidated++;
            confirmedAt.delete(hexOf(key));
            try {
              quietRemove(key, version);
            } catch (err) {
              report(err); // a listener's error, say: never an unhandled rejection
            }
            st.refused++;
            answer(null, null);
            return;
          }
          if (r.ok) {
            r.value!.fill(0);
            confirmedAt.set(hexOf(key), Date.now());
          }
          answerLocal(key, version, ems, conn, answer);
        });
        return;
      }
      if (answerLocal(key, version, ems, conn, answer)) return;
    } catch (err) {
      report(err);
      st.refused++;
      answer(null, null);
      return;
    }
    fromStore(key, sidCtx, conn, answer);
  };

  /** Answers from the local cache; false (nothing answered) on a miss that the store may fill. */
  const answerLocal = (
    key: Uint8Array,
    version: number,
    ems: boolean,
    conn: Conn | null,
    answer: Answer,
  ): boolean => {
    let der: Buffer | null = null;
    let refusal: string | null = null;
    try {
      const r = cache.resume(key, checks(version, ems));
      if (r.session) {
        try {
          der = derOf(r.session);
        } finally {
          r.session.free();
        }
      } else refusal = r.refusal;
    } catch (err) {
      report(err);
      refusal = "error";
    }
    if (der) {
      st.resumed++;
      if (store) st.localHits++;
      if (conn && version === TLS1_2) conn.handed12 = key;
      answer(null, der);
      return true;
    }
    if (store === null || refusal !== "miss") {
      st.refused++;
      answer(null, null);
      return true;
    }
    return false;
  };

  // ---- counting, removal, the end of each connection ----

  const onRemove = (s: Session, reason: RemoveReason): void => {
    confirmedAt.delete(hexOf(s.id));
    if (quiet > 0 || store === null || !propagate.has(reason) || s.id.length === 0) return;
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

  const onSecure = (socket: TLSSocket): void => {
    try {
      cache.count("acceptGood"); // runs OpenSSL's auto-flush
    } catch (err) {
      report(err);
    }
    if (!tls13) return;
    const parent = (socket as TLSSocket & { _parent?: unknown })._parent;
    const conn = parent ? byRaw.get(parent as Socket) : undefined;
    if (parent === undefined) {
      internalsDiffer("a TLSSocket without _parent");
      return;
    }
    if (!conn) return;
    conn.secured = true;
    settle(conn, socket.isSessionReused());
    if (!resumeSeen && conn.expectsAsk && !conn.asked && ++missedResumes >= MISSED_RESUMES)
      internalsDiffer(
        `the server asked no resumeSession for ${MISSED_RESUMES} ClientHellos with a session id`,
      );
    // OpenSSL's SSL_free rule: a connection freed while open (no close_notify sent) loses its
    // session. node:tls reports a peer's close_notify and a bare FIN alike ('end'), so only a reset
    // (ECONNRESET: the socket destroyed with an error) of a connection this server had not ended
    // is told apart. The session is read then, while the TLS handle still holds it, by a shared
    // `destroy` in front of the socket's own: nothing per connection is paid by a clean close.
    (socket as TLSSocket & { destroy: unknown }).destroy = destroyWatch;
  };

  function destroyWatch(this: TLSSocket, err?: Error | null, ...rest: unknown[]): TLSSocket {
    if (err && !this.destroyed && !this.writableEnded) {
      try {
        const der = this.getSession();
        if (der) {
          try {
            const s = Session.fromDER(new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
            try {
              if (s.id.length > 0) {
                st.uncleanRemoved++;
                removeEverywhere(s.id.slice(), s.protocolVersion);
              }
            } finally {
              s.free();
            }
          } finally {
            der.fill(0);
          }
        }
      } catch (e) {
        report(e);
      }
    }
    return (tls.TLSSocket.prototype.destroy as (...a: unknown[]) => TLSSocket).call(this, err, ...rest);
  }

  // A handshake that fails: node:tls emits tlsClientError for an error (a fatal alert, a reset)
  // or a close before the handshake completed. The session it was resuming gets the fatal alert now;
  // the raw socket's 'close' settles the same way if this event never comes.
  const onClientError = (_err: Error, socket: TLSSocket): void => {
    const parent = (socket as TLSSocket & { _parent?: unknown })._parent;
    const conn = parent ? byRaw.get(parent as Socket) : undefined;
    if (conn && !conn.secured) settle(conn, false);
  };

  if (store) cache.on("remove", onRemove);
  server.on("newSession", onNewSession);
  server.on("resumeSession", onResumeSession);
  server.on("connection", onConnection);
  server.on("secureConnection", onSecure);
  server.on("tlsClientError", onClientError);
  if (tls13) {
    server.off("connection", tlsListener!);
    server.prependListener("connection", onRawConnection);
  }
  attached.add(server);

  let detached = false;
  const detach = (): void => {
    if (detached) return;
    detached = true;
    attached.delete(server);
    server.off("newSession", onNewSession);
    server.off("resumeSession", onResumeSession);
    server.off("connection", onConnection);
    server.off("secureConnection", onSecure);
    server.off("tlsClientError", onClientError);
    stopPeek(); // first flights still being read go to node:tls as they are
    if (store) {
      try {
        cache.off("remove", onRemove);
      } catch {
        /* the caller freed its cache first */
      }
    }
    if (ownCache) cache.free();
  };

  const handle = (() => detach()) as Attachment;
  Object.defineProperties(handle, {
    cache: { value: cache, enumerable: true },
    store: { value: store, enumerable: true },
    counters: { value: st, enumerable: true },
    stats: { value: () => ({ ...st }) },
    storeDown: { get: () => down, enumerable: true },
    detach: { value: detach },
    remove: {
      async value(id: Uint8Array): Promise<void> {
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
        if (store && (!removedLocally || !propagate.has("removed"))) {
          const r = await guarded(() => store.delete(sessionKey(sidCtx, id)));
          if (r.ok) st.storeDeletes++;
        }
      },
    },
  });
  return handle;
}

/**
 * What the TLS 1.3 peek needs of node:tls and node:net, checked when it is attached: the server's
 * stock 'connection' listener (it makes the TLSSocket over the raw socket), and a raw socket that
 * can be paused and given its first flight back. The rest is checked on the first connections:
 * that node:tls reads the first flight put back (the TLSSocket reads data buffered on the socket
 * it wraps), that the server asks resumeSession for a ClientHello with a session id, and that the
 * TLSSocket names its raw socket (`_parent`).
 */
function nodeInternalsDiffer(tlsListener: ((raw: Socket) => void) | undefined): string | null {
  if (!tlsListener) return "no tlsConnectionListener on the server's 'connection' event";
  if (tlsListener.length !== 1) return "tlsConnectionListener does not take the raw socket alone";
  const raw = net.Socket.prototype as unknown as Record<string, unknown>;
  for (const m of ["pause", "unshift", "read"])
    if (typeof raw[m] !== "function") return `net.Socket has no ${m}()`;
  const sec = tls.TLSSocket.prototype as unknown as Record<string, unknown>;
  for (const m of ["getSession", "isSessionReused", "destroy"])
    if (typeof sec[m] !== "function") return `TLSSocket has no ${m}()`;
  return null;
}

function checkServer(server: unknown, fn: string): Server {
  if (!(server instanceof tls.Server))
    throw new TypeError(
      `${fn}: the first argument must be a tls.Server (from tls.createServer), got ${describe(server)}`,
    );
  if (attached.has(server))
    throw new TypeError(
      `${fn}: this server already has a session cache attached; detach it first (one server, one cache)`,
    );
  return server;
}

function checkCache(cache: unknown, fn: string): SessionCache {
  if (!(cache instanceof SessionCache))
    throw new TypeError(`${fn}: the cache must be a SessionCache, got ${describe(cache)}`);
  try {
    void cache.handle;
  } catch {
    throw new TypeError(`${fn}: this SessionCache was freed; create a new one`);
  }
  return cache;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  return (v as object).constructor?.name ?? "an object";
}

/**
 * Serves `server`'s session-id resumption from `cache`: sessions Node creates are added (keyed by
 * their own version and id), ClientHello session ids are looked up with OpenSSL's checks, and the
 * cache counts accepted handshakes (`accept` when a connection arrives, `acceptGood` when its
 * handshake completes). Attach before the server accepts connections. Returns a function that
 * detaches (the cache and its sessions stay yours); its `counters` tell what it did.
 */
export function attachSessionCache(server: Server, cache: SessionCache, opts: AttachOptions = {}): Detach {
  const srv = checkServer(server, "attachSessionCache");
  return attach(srv, checkCache(cache, "attachSessionCache"), false, null, opts);
}

/**
 * The same attachment with a shared store behind the local cache (see the model above). Attach
 * before the server accepts connections; set one `sessionIdContext` on every server of the fleet
 * (Node's default differs between programs).
 */
export function attachFleet(server: Server, opts: FleetOptions): Fleet {
  const srv = checkServer(server, "attachFleet");
  const store = opts?.store;
  if (!store || typeof store.get !== "function" || typeof store.take !== "function")
    throw new TypeError("attachFleet: store must be a SessionStore");
  const cache = opts.cache === undefined ? new SessionCache() : checkCache(opts.cache, "attachFleet");
  return attach(srv, cache, opts.cache === undefined, store, opts);
}

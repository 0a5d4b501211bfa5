// A node:tls server's session-id cache, kept in a `SessionCache` (OpenSSL's SSL_CTX cache in wasm).
//
// Node runs OpenSSL with its internal cache off (CLIENT|SERVER|NO_INTERNAL|NO_AUTO_CLEAR) and asks
// the application instead: `newSession(id, der, done)` after a handshake that made a session with an
// id, `resumeSession(id, answer)` when a ClientHello offers a session id. This module answers both
// from our cache, so the server behaves like an OpenSSL server with its internal cache on: sessions
// keyed by (protocol version, id), the resumption checks of ssl_get_prev_session (version, sid_ctx,
// VERIFY_PEER with an empty sid_ctx, expiry, extended master secret) with their counters, eviction
// by expiry order, and the flush every 255 accepted handshakes.
//
// What Node allows, measured with Node 20 (OpenSSL 3.0):
// - TLS 1.2 resumes by session id only when the server issues no tickets: a ticket-issuing server
//   gives its sessions an empty id, and OpenSSL then never calls newSession. Create the server with
//   `secureOptions: crypto.constants.SSL_OP_NO_TICKET` (a client that offers a ticket is resumed
//   from the ticket and never reaches this cache).
// - TLS 1.3 cannot resume from this cache. With SSL_OP_NO_TICKET the server issues stateful tickets
//   and hands their sessions to newSession, but Node fires resumeSession with the ClientHello's
//   legacy_session_id (32 random bytes in TLS 1.3 compatibility mode), not the pre_shared_key
//   identity, and OpenSSL's later lookup by that identity gets the answer Node kept for the legacy
//   id: nothing. So TLS 1.3 sessions are not stored by default (`storeTls13`), and a TLS 1.3
//   ClientHello counts one miss, as a TLS 1.2 server would count it. Use tickets for TLS 1.3.
// - Node does not say which version the handshake will negotiate when it asks, nor whether the
//   ClientHello offers extended master secret. The lookup takes the version of the session cached
//   under the id (TLS 1.2 first), and takes the EMS offer to match the cached session; OpenSSL checks
//   EMS itself on the session we return.
// - The session id context: Node gives every server one, `server.sessionIdContext`, by default the
//   first 32 hex digits of SHA-1(process.argv.join(" ")), so it differs between programs (and
//   between runs with different arguments). Its ASCII bytes are the sid_ctx of every session it
//   makes, and resumption requires the same bytes. Pass `sidCtx` to use other bytes (for a cache
//   shared by servers with one `sessionIdContext`, set that option on each server instead).

import type { Server, TLSSocket } from "node:tls";
import { SessionCache, CacheMode } from "../cache.js";
import { Session } from "../session.js";

/** TLS 1.2 and TLS 1.3 wire versions. */
const TLS1_2 = 0x0303;
const TLS1_3 = 0x0304;
/** SSL_MAX_SID_CTX_LENGTH. */
const MAX_SID_CTX = 32;
/** ssl_update_cache flushes when the low 8 bits of accept_good are all ones (ssl/ssl_lib.c). */

export interface AttachOptions {
  /**
   * The session id context resumption must match, bytes or a string (Node's form). Defaults to
   * the server's own `sessionIdContext`, read at each lookup.
   */
  sidCtx?: Uint8Array | string;
  /** Store TLS 1.3 sessions too (they cannot be resumed through Node; see above). Default false. */
  storeTls13?: boolean;
  /** Called with errors raised while answering Node (a bad session blob, a freed cache). */
  onError?: (err: unknown) => void;
}

/** Counts of what the attachment did, besides the cache's own `stats()`. */
export interface AttachCounters {
  /** Sessions Node handed over and the cache took as new entries. */
  stored: number;
  /** Sessions Node handed over that were not stored (TLS 1.3 by default, or the mode said no). */
  skipped: number;
  /** Lookups answered with a session. */
  resumed: number;
  /** Lookups answered with nothing. */
  refused: number;
}

export type Detach = (() => void) & { readonly counters: AttachCounters };

function sidCtxBytes(v: Uint8Array | string | undefined): Uint8Array {
  const b = typeof v === "string" ? new TextEncoder().encode(v) : (v ?? new Uint8Array(0));
  if (b.length > MAX_SID_CTX) throw new RangeError(`sidCtx must be at most ${MAX_SID_CTX} bytes`);
  return b;
}

/**
 * Serves `server`'s session-id resumption from `cache`: sessions Node creates are added (keyed by
 * their own version and id), ClientHello session ids are looked up with OpenSSL's checks, and the
 * cache counts accepted handshakes (`accept` when a connection arrives, `acceptGood` when its
 * handshake completes). Attach before the server accepts connections. Returns a function that
 * detaches (the cache and its sessions stay yours); its `counters` property tells what it did.
 */
export function attachSessionCache(server: Server, cache: SessionCache, opts: AttachOptions = {}): Detach {
  const fixedSidCtx = opts.sidCtx === undefined ? null : sidCtxBytes(opts.sidCtx);
  const report =
    opts.onError ??
    ((err: unknown) => {
      server.emit("error", err);
    });
  const counters: AttachCounters = { stored: 0, skipped: 0, resumed: 0, refused: 0 };

  const serverSidCtx = (): Uint8Array => {
    if (fixedSidCtx) return fixedSidCtx;
    const own = (server as Server & { sessionIdContext?: string }).sessionIdContext;
    return sidCtxBytes(typeof own === "string" ? own.slice(0, MAX_SID_CTX) : undefined);
  };

  const onNewSession = (_id: Buffer, data: Buffer, done: () => void): void => {
    try {
      const mode = cache.mode;
      const s = Session.fromDER(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      try {
        const wanted =
          (mode & CacheMode.SERVER) !== 0 &&
          (mode & CacheMode.NO_INTERNAL_STORE) === 0 &&
          (s.protocolVersion !== TLS1_3 || opts.storeTls13 === true) &&
          s.id.length > 0;
        if (wanted && cache.add(s)) counters.stored++;
        else counters.skipped++;
      } finally {
        s.free();
      }
    } catch (err) {
      report(err);
    } finally {
      done();
    }
  };

  const onResumeSession = (id: Buffer, answer: (err: Error | null, data: Buffer | null) => void): void => {
    let der: Buffer | null = null;
    try {
      const key = new Uint8Array(id.buffer, id.byteOffset, id.byteLength);
      // Peek (no counters) to learn the version and EMS of what is cached under this id.
      const peek = cache.get(key, TLS1_2) ?? cache.get(key, TLS1_3);
      const version = peek?.protocolVersion ?? TLS1_2;
      const ems = peek?.extendedMasterSecret ?? false;
      peek?.free();
      const r = cache.resume(key, {
        version,
        sidCtx: serverSidCtx(),
        clientOffersEms: ems,
        verifyPeer: (server as Server & { requestCert?: boolean }).requestCert === true,
      });
      if (r.session) {
        try {
          der = Buffer.from(r.session.toDER());
        } finally {
          r.session.free();
        }
        counters.resumed++;
      } else {
        counters.refused++;
      }
    } catch (err) {
      der = null;
      report(err);
    }
    answer(null, der);
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

  server.on("newSession", onNewSession);
  server.on("resumeSession", onResumeSession);
  server.on("connection", onConnection);
  server.on("secureConnection", onSecure);

  const detach = (() => {
    server.off("newSession", onNewSession);
    server.off("resumeSession", onResumeSession);
    server.off("connection", onConnection);
    server.off("secureConnection", onSecure);
  }) as Detach;
  Object.defineProperty(detach, "counters", { value: counters, enumerable: true });
  return detach;
}

// A client-side session store for node:tls: what OpenSSL leaves to the application (a client
// "cache" OpenSSL never looks up itself, SSL_SESS_CACHE_CLIENT) done the way TLS 1.3 wants it.
//
// The storage contract, which any replacement must keep:
// - Keys are untrusted: they name a server (host, port) and the configuration a session was made
//   under (SNI, ALPN, trust anchors, client certificate, versions, suites), so a session is only
//   offered to a connection that would have made the same one. `ClientSessionStore.keyFor` builds
//   them; a key is never parsed back.
// - Values are secret: a session carries its resumption secret. They live in wasm memory as
//   `Session`s, are freed (and wiped) when dropped, and leave the store only as the DER a
//   `tls.connect({ session })` needs.
// - A TLS 1.3 ticket comes out at most once (RFC 8446 §C.4, and OpenSSL's client single use):
//   `take` removes it. Several are kept per server, newest first, because a server sends several
//   (Node and OpenSSL send two after a full handshake) so that parallel connections each have one.
// - A TLS 1.2 session is reusable (resumption by id or by a ticket the server keeps honouring), so
//   one is kept per server and `take` hands out copies until it expires or is replaced.
// - Expired sessions are never handed out: `now > time + timeout` (OpenSSL's test), and for TLS 1.3
//   also the ticket lifetime hint the server sent, capped at 7 days (RFC 8446 §4.6.1).

import tls from "node:tls";
import { createHash } from "node:crypto";
import { Session } from "../session.js";

const TLS1_3 = 0x0304;
/** RFC 8446 §4.6.1: servers MUST NOT use any value greater than 604800 seconds (7 days). */
export const MAX_TICKET_LIFETIME = 604800;
/** TLS 1.3 tickets kept per server: Node and OpenSSL servers send 2 per full handshake. */
export const DEFAULT_TICKETS_PER_SERVER = 4;
/** Servers remembered before the least recently used one is forgotten. */
export const DEFAULT_MAX_SERVERS = 1000;

/** Where sessions wait for the next connection to the same server. */
export interface ClientSessionStoreLike {
  /** Keeps the session (DER from the `session` event, or a Session: the store takes its own copy). */
  put(key: string, session: Uint8Array | Session): void;
  /** A session to offer (`tls.connect({ session })`), or undefined. TLS 1.3 ones come out once. */
  take(key: string): Buffer | undefined;
  /** Stores every session `socket` receives under `key`. */
  attach(socket: tls.TLSSocket, key: string): void;
  /** Forgets one server, or everything. */
  clear(key?: string): void;
}

export interface ClientSessionStoreOptions {
  /** TLS 1.3 tickets kept per server (newest first). Default 4. */
  ticketsPerServer?: number;
  /** Servers kept; the least recently used is dropped beyond this. Default 1000. */
  maxServers?: number;
  /** Seconds since the epoch. Defaults to the system clock; the sessions Node makes use it too. */
  now?: () => number;
}

interface Entry {
  /** TLS 1.3 sessions, newest first. */
  tickets: Session[];
  /** The TLS 1.2 (or older) session. */
  reusable: Session | null;
}

/** What of the connect options decides whether a session may be offered. */
type KeyOptions = tls.ConnectionOptions & { host?: string; port?: number | string; path?: string };

const secureContextIds = new WeakMap<object, number>();
let nextSecureContextId = 1;

function fingerprintOf(o: KeyOptions): string {
  const h = createHash("sha256");
  const part = (name: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    h.update(name).update("\0");
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) part(`${name}[${i}]`, x);
    } else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
      h.update(`${typeof v}:${v}`);
    else if (ArrayBuffer.isView(v)) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else if (typeof v === "object" && "pem" in (v as object))
      part(`${name}.pem`, (v as { pem: unknown }).pem);
    else if (typeof v === "object") {
      // A SecureContext or key object: only its identity can be compared.
      let id = secureContextIds.get(v as object);
      if (id === undefined) {
        id = nextSecureContextId++;
        secureContextIds.set(v as object, id);
      }
      h.update(`object#${id}`);
    }
    h.update("\0");
  };
  part("servername", o.servername ?? (o.host && !/^[\d.:]+$/.test(o.host) ? o.host : undefined));
  part("alpn", o.ALPNProtocols);
  part("ca", o.ca);
  // The client certificate identifies us; the private key is not hashed (it is secret, and the
  // certificate already names it).
  part("cert", o.cert);
  part(
    "pfx",
    o.pfx
      ? createHash("sha256")
          .update(o.pfx as Uint8Array)
          .digest()
      : undefined,
  );
  part("minVersion", o.minVersion);
  part("maxVersion", o.maxVersion);
  part("ciphers", o.ciphers);
  part("sigalgs", o.sigalgs);
  part("ecdhCurve", o.ecdhCurve);
  part("rejectUnauthorized", o.rejectUnauthorized ?? true);
  part("secureContext", o.secureContext);
  part("secureProtocol", o.secureProtocol);
  return h.digest("hex").slice(0, 32);
}

function isExpired(s: Session, now: number): boolean {
  const time = Number(s.time),
    timeout = Number(s.timeout);
  if (now > time + timeout) return true;
  if (s.protocolVersion !== TLS1_3) return false;
  // OpenSSL's client (tls_construct_ctos_psk): age rounded down by one second, and the ticket is
  // not offered once the lifetime hint is below it.
  let age = now - time;
  if (age > 0) age -= 1;
  const hint = Math.min(Number(s.ticketLifetimeHint), MAX_TICKET_LIFETIME);
  return hint < age;
}

/**
 * Sessions by server, for clients. `connect(options)` is `tls.connect` that offers a stored
 * session and stores the ones it receives; or use `keyFor`, `take` and `attach` yourself.
 */
export class ClientSessionStore implements ClientSessionStoreLike {
  readonly #servers = new Map<string, Entry>();
  readonly #tickets: number;
  readonly #maxServers: number;
  readonly #now: () => number;

  constructor(opts: ClientSessionStoreOptions = {}) {
    const tickets = opts.ticketsPerServer ?? DEFAULT_TICKETS_PER_SERVER;
    const servers = opts.maxServers ?? DEFAULT_MAX_SERVERS;
    if (!Number.isInteger(tickets) || tickets < 1)
      throw new RangeError("ticketsPerServer must be a positive integer");
    if (!Number.isInteger(servers) || servers < 1)
      throw new RangeError("maxServers must be a positive integer");
    this.#tickets = tickets;
    this.#maxServers = servers;
    this.#now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /**
   * The key for connections made with `options`: host (or path) and port, and a hash of the
   * settings a session depends on (servername, ALPN list, CA, client certificate, versions,
   * suites, signature algorithms, groups, verification, secure context).
   */
  static keyFor(options: KeyOptions): string {
    const where =
      options.path !== undefined
        ? `path:${options.path}`
        : `${options.host ?? "localhost"}:${Number(options.port ?? 443)}`;
    return `${where}#${fingerprintOf(options)}`;
  }

  put(key: string, session: Uint8Array | Session): void {
    const s = session instanceof Session ? session.dup() : Session.fromDER(session);
    if (!s.resumable || isExpired(s, this.#now())) {
      s.free();
      return;
    }
    const e = this.#entry(key, true)!;
    if (s.protocolVersion === TLS1_3) {
      e.tickets.unshift(s);
      while (e.tickets.length > this.#tickets) e.tickets.pop()!.free();
    } else {
      e.reusable?.free();
      e.reusable = s;
    }
  }

  take(key: string): Buffer | undefined {
    const e = this.#entry(key, false);
    if (!e) return undefined;
    const now = this.#now();
    this.#prune(e, now);
    let out: Buffer | undefined;
    const ticket = e.tickets.shift();
    if (ticket) {
      try {
        out = Buffer.from(ticket.toDER());
      } finally {
        ticket.free();
      }
    } else if (e.reusable) {
      out = Buffer.from(e.reusable.toDER());
    }
    if (e.tickets.length === 0 && !e.reusable) this.#servers.delete(key);
    return out;
  }

  attach(socket: tls.TLSSocket, key: string): void {
    socket.on("session", (der: Buffer) => {
      try {
        this.put(key, new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
      } catch (err) {
        socket.emit("error", err);
      }
    });
  }

  /** `tls.connect(options)` offering a stored session (unless `options.session` is given) and storing new ones. */
  connect(options: KeyOptions, secureConnectListener?: () => void): tls.TLSSocket {
    const key = ClientSessionStore.keyFor(options);
    const session = options.session ?? this.take(key);
    const socket = tls.connect({ ...options, session }, secureConnectListener);
    this.attach(socket, key);
    return socket;
  }

  /** How many sessions are held for `key` (TLS 1.3 tickets and the TLS 1.2 one), expired ones included. */
  count(key: string): { tickets: number; reusable: number } {
    const e = this.#servers.get(key);
    return { tickets: e?.tickets.length ?? 0, reusable: e?.reusable ? 1 : 0 };
  }

  /** Servers with something stored. */
  get size(): number {
    return this.#servers.size;
  }

  clear(key?: string): void {
    const keys = key === undefined ? [...this.#servers.keys()] : [key];
    for (const k of keys) {
      const e = this.#servers.get(k);
      if (!e) continue;
      for (const t of e.tickets) t.free();
      e.reusable?.free();
      this.#servers.delete(k);
    }
  }

  /** Frees every session. */
  free(): void {
    this.clear();
  }

  [Symbol.dispose](): void {
    this.free();
  }

  #entry(key: string, create: boolean): Entry | undefined {
    if (typeof key !== "string") throw new TypeError("key must be a string");
    let e = this.#servers.get(key);
    if (e) {
      // Most recently used last.
      this.#servers.delete(key);
      this.#servers.set(key, e);
    } else if (create) {
      e = { tickets: [], reusable: null };
      this.#servers.set(key, e);
      while (this.#servers.size > this.#maxServers) this.clear(this.#servers.keys().next().value!);
    }
    return e;
  }

  #prune(e: Entry, now: number): void {
    e.tickets = e.tickets.filter((t) => {
      if (!isExpired(t, now)) return true;
      t.free();
      return false;
    });
    if (e.reusable && isExpired(e.reusable, now)) {
      e.reusable.free();
      e.reusable = null;
    }
  }
}

/** A store that keeps nothing: every connection makes a full handshake. */
export class NoClientSessionStore implements ClientSessionStoreLike {
  put(_key: string, _session: Uint8Array | Session): void {}
  take(_key: string): Buffer | undefined {
    return undefined;
  }
  attach(_socket: tls.TLSSocket, _key: string): void {}
  clear(_key?: string): void {}
}

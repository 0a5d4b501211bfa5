// Session tickets: `TicketKeys` (a key ring in wasm memory), `sealTicket` / `openTicket`, and
// `TicketIssuer` (a TLS 1.3 server's NewSessionTicket messages). See docs/tickets.md.
//
// A ticket is the server's session, encrypted and authenticated under a key only the server (or its
// fleet) knows; the client stores it and hands it back to resume. Three rules follow:
//   * A stolen ticket key decrypts every session sealed under it (no forward secrecy): rotate keys,
//     and the ring wipes each key from memory the moment it is retired.
//   * A ticket that does not open is never an error the peer can tell apart: `openTicket` returns
//     null ("not resumable", a full handshake); `keys.lastRefusal` and `keys.stats()` say why.
//   * Time is an argument: nothing rotates or expires unless you pass `now` (seconds).

import { TlsSessionError } from "./errors.js";
import { wasm, check, copyOut, withInput, isInitialized, copyPairToInputArea } from "./load.js";
import { Session } from "./session.js";
import { SessionCache } from "./cache.js";
import {
  IssueFlag,
  IssuedFlag,
  ProtocolVersion,
  ResumeFlag,
  Status,
  TicketFlag,
  TicketLayout,
  TicketReason,
  TicketStat,
} from "./abi.js";

const NO_BYTES = new Uint8Array(0);

const ABSENT = Status.ABSENT;
const { TICK, CHECK_EXPIRY } = TicketFlag;

/** Why a ticket did not open (assembly/ticket/format.ts Reason). */
export type TicketRefusal =
  | "too-long"
  | "bad-length"
  | "unknown-key"
  | "bad-mac"
  | "bad-padding"
  | "bad-session"
  | "expired"
  | "no-memory";
/** Refusals by tls_ticket_last_reason() id (TicketReason.OK: it opened). */
const REASONS: Readonly<Record<number, TicketRefusal>> = {
  [TicketReason.TOO_LONG]: "too-long",
  [TicketReason.BAD_LENGTH]: "bad-length",
  [TicketReason.UNKNOWN_KEY]: "unknown-key",
  [TicketReason.BAD_MAC]: "bad-mac",
  [TicketReason.BAD_PADDING]: "bad-padding",
  [TicketReason.BAD_SESSION]: "bad-session",
  [TicketReason.EXPIRED]: "expired",
  [TicketReason.NO_MEMORY]: "no-memory",
};

export interface TicketStats {
  opened: number;
  sealed: number;
  renewed: number;
  rotations: number;
  retired: number;
  refused: Record<TicketRefusal, number>;
}

export interface TicketKeysOptions {
  /** Seconds between rotations; 0 (default) rotates only when told. */
  period?: number;
  /** Seconds a demoted key still opens; the longest lifetime its tickets advertise (default 604800). */
  lifetime?: number;
  /** Layout of keys the ring generates or derives: 80 (OpenSSL, AES-256, default) or 48 (Node, AES-128). */
  layout?: 48 | 80;
  /** Derive keys from this shared secret and the epoch floor(now / period): a fleet agrees. */
  secret?: Uint8Array;
}

export interface TimeOption {
  /** Seconds since the epoch: the ring rotates/retires keys as of this time first. */
  now?: number | bigint;
}

export interface OpenOptions extends TimeOption {
  /** With `now`: refuse a session older than its advertised lifetime (default true when `now` is given). */
  checkExpiry?: boolean;
}

export interface OpenedTicket {
  session: Session;
  /** Opened with an older key: issue the client a new ticket (OpenSSL's SSL_TICKET_SUCCESS_RENEW). */
  renew: boolean;
}

function bytes(v: unknown, name: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  return v;
}

function time(v: number | bigint | undefined, name = "now"): bigint {
  if (v === undefined) return 0n;
  if (typeof v === "bigint") return v;
  if (typeof v !== "number" || !Number.isInteger(v))
    throw new TypeError(`${name} must be an integer (seconds)`);
  return BigInt(v);
}

const registry =
  typeof FinalizationRegistry !== "undefined"
    ? new FinalizationRegistry<{ h: number }>((ref) => {
        if (ref.h && isInitialized())
          try {
            wasm().tls_ticket_keys_free(ref.h);
          } catch {
            /* instance gone */
          }
      })
    : null;

export class TicketKeys {
  readonly #ref: { h: number };
  /** Why the last `open` returned null, or null when it opened. */
  lastRefusal: TicketRefusal | null = null;

  constructor(opts: TicketKeysOptions = {}) {
    const ex = wasm();
    const h = check(ex.tls_ticket_keys_new());
    this.#ref = { h };
    registry?.register(this, this.#ref, this.#ref);
    try {
      const period = opts.period ?? 0;
      const lifetime = opts.lifetime ?? 604800;
      const layout = opts.layout ?? TicketLayout.OPENSSL;
      if (!Number.isInteger(period) || period < 0)
        throw new RangeError("period must be a non-negative integer (seconds)");
      if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > 604800)
        throw new RangeError("lifetime must be 1 to 604800 seconds");
      if (layout !== TicketLayout.NODE && layout !== TicketLayout.OPENSSL)
        throw new RangeError("layout must be 48 or 80");
      check(ex.tls_ticket_keys_set_policy(h, BigInt(period), BigInt(lifetime), layout));
      if (opts.secret !== undefined) {
        const s = bytes(opts.secret, "secret");
        if (period === 0) throw new RangeError("a derived ring needs a period");
        if (s.length < 16) throw new RangeError("secret must be at least 16 bytes");
        check(withInput(s, (p, n) => ex.tls_ticket_keys_set_secret(h, p, n)));
      }
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /** A ring holding `key` (48 or 80 raw bytes, e.g. Node's `ticketKeys` or a KEYFILE) as its current key. */
  static from(key: Uint8Array, opts: Omit<TicketKeysOptions, "secret"> = {}): TicketKeys {
    const k = new TicketKeys(opts);
    try {
      k.add(key);
    } catch (e) {
      k.free();
      throw e;
    }
    return k;
  }

  /** A ring with one fresh random key in `layout` (default 80). */
  static generate(opts: Omit<TicketKeysOptions, "secret"> & TimeOption = {}): TicketKeys {
    const k = new TicketKeys(opts);
    try {
      k.rotate(opts.now ?? 0);
    } catch (e) {
      k.free();
      throw e;
    }
    return k;
  }

  get handle(): number {
    const h = this.#ref.h;
    if (!h) throw new TlsSessionError("FREED", "these TicketKeys were freed");
    return h;
  }

  /**
   * Adds raw key bytes: 48 (name | HMAC-16 | AES-128, Node/BoringSSL) or 80 (name | HMAC-32 | AES-256,
   * OpenSSL). `current` (default true) makes it the sealing key; otherwise it only opens. Returns
   * false when a key of that name is already held.
   */
  add(key: Uint8Array, opts: { current?: boolean } & TimeOption = {}): boolean {
    bytes(key, "key");
    if (key.length !== 48 && key.length !== 80)
      throw new RangeError("key must be 48 (Node, BoringSSL) or 80 (OpenSSL) bytes");
    const h = this.handle;
    const now = time(opts.now);
    return (
      check(
        withInput(key, (p, n) => wasm().tls_ticket_keys_add(h, p, n, now, opts.current === false ? 0 : 1)),
      ) === 1
    );
  }

  /** Retires the key with this 16-byte name (wiped at once). */
  remove(name: Uint8Array): boolean {
    bytes(name, "name");
    if (name.length !== 16) throw new RangeError("name must be 16 bytes");
    const h = this.handle;
    return check(withInput(name, (p) => wasm().tls_ticket_keys_remove(h, p))) === 1;
  }

  /** A fresh random key becomes current at `now`; the old one only opens from now on. */
  rotate(now: number | bigint = 0): void {
    const h = this.handle;
    check(wasm().tls_ticket_keys_rotate(h, time(now)));
  }

  /** Brings the ring to `now`: rotates when due, retires keys whose tickets are all expired. */
  tick(now: number | bigint): number {
    const h = this.handle;
    return check(wasm().tls_ticket_keys_tick(h, time(now)));
  }

  get size(): number {
    const h = this.handle;
    return check(wasm().tls_ticket_keys_count(h));
  }

  /** The names of the keys held, current first. */
  names(): Uint8Array[] {
    const h = this.handle;
    const ex = wasm();
    const out: Uint8Array[] = [];
    for (let i = 0; ; i++) {
      const n = ex.tls_ticket_keys_name(h, i);
      if (n === ABSENT) return out;
      out.push(copyOut(check(n), true));
    }
  }

  /** Key `index` (0 = current) as raw bytes in its own layout (48 or 80). A secret. */
  export(index = 0): Uint8Array {
    const h = this.handle;
    const ex = wasm();
    const n = ex.tls_ticket_keys_export(h, index);
    if (n === ABSENT) throw new RangeError(`no key at index ${index}`);
    const out = copyOut(check(n), true);
    ex.result_wipe();
    return out;
  }

  stats(): TicketStats {
    const h = this.handle;
    const ex = wasm();
    const st = (i: number) => Number(ex.tls_ticket_keys_stat(h, i));
    const refused = {} as Record<TicketRefusal, number>;
    for (const [id, r] of Object.entries(REASONS)) refused[r] = st(Number(id));
    return {
      opened: st(TicketStat.OPENED),
      sealed: st(TicketStat.SEALED),
      renewed: st(TicketStat.RENEWED),
      rotations: st(TicketStat.ROTATIONS),
      retired: st(TicketStat.RETIRED),
      refused,
    };
  }

  /** Seals `session` under the current key. */
  seal(session: Session, opts: TimeOption = {}): Uint8Array {
    const sh = Session.handleOf(session);
    const h = this.handle;
    const ex = wasm();
    const flags = opts.now === undefined ? 0 : TICK;
    const n = check(ex.tls_ticket_seal(h, sh, time(opts.now), flags));
    return copyOut(n);
  }

  /** Opens a ticket: the session inside and whether to renew it, or null ("not resumable"; see lastRefusal). */
  open(ticket: Uint8Array, opts: OpenOptions = {}): OpenedTicket | null {
    bytes(ticket, "ticket");
    const h = this.handle;
    const ex = wasm();
    const flags = opts.now === undefined ? 0 : TICK | (opts.checkExpiry === false ? 0 : CHECK_EXPIRY);
    const now = time(opts.now);
    const r = check(withInput(ticket, (p, n) => ex.tls_ticket_open(h, p, n, now, flags)));
    if (r === 0) {
      this.lastRefusal = REASONS[ex.tls_ticket_last_reason()] ?? "bad-session";
      return null;
    }
    this.lastRefusal = null;
    return { session: Session.adopt(r), renew: ex.tls_ticket_renew() === 1 };
  }

  /** Opens a ticket and returns the plaintext session DER itself (a secret), or null. */
  openRaw(ticket: Uint8Array): Uint8Array | null {
    bytes(ticket, "ticket");
    const h = this.handle;
    const ex = wasm();
    const n = check(withInput(ticket, (p, len) => ex.tls_ticket_open_raw(h, p, len)));
    if (n === 0) {
      this.lastRefusal = REASONS[ex.tls_ticket_last_reason()] ?? "bad-session";
      return null;
    }
    this.lastRefusal = null;
    const out = copyOut(n, true);
    ex.result_wipe();
    return out;
  }

  /** Wipes every key and frees the ring. Idempotent. */
  free(): void {
    const h = this.#ref.h;
    if (!h) return;
    this.#ref.h = 0;
    registry?.unregister(this.#ref);
    if (isInitialized()) check(wasm().tls_ticket_keys_free(h));
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** Seals `session` into a ticket under `keys`' current key. */
export function sealTicket(session: Session, keys: TicketKeys, opts?: TimeOption): Uint8Array {
  return keys.seal(session, opts);
}

/** Opens `ticket` with `keys`: `{ session, renew }`, or null when it is not resumable (`keys.lastRefusal` says why). */
export function openTicket(ticket: Uint8Array, keys: TicketKeys, opts?: OpenOptions): OpenedTicket | null {
  return keys.open(ticket, opts);
}

export interface IssuerOptions {
  /** SSL_OP_NO_TICKET: the ticket is the session id and the session goes into `cache`. */
  stateful?: boolean;
  /** max_early_data > 0 adds the early_data extension; without `noAntiReplay` such tickets are stateful and single use. */
  maxEarlyData?: number;
  /** SSL_OP_NO_ANTI_REPLAY. */
  noAntiReplay?: boolean;
  /** Where stateful tickets' sessions go (required for stateful tickets). */
  cache?: SessionCache;
}

export interface IssuedTicket {
  /** The NewSessionTicket handshake message (with its 4-byte header). */
  message: Uint8Array;
  /** The new session the ticket stands for (yours to free; a stateful one is also in the cache). */
  session: Session;
  nonce: Uint8Array;
  stateful: boolean;
  singleUse: boolean;
}

/** A TLS 1.3 server connection's ticket issuer: OpenSSL's nonce counter starts at 0 per connection. */
export class TicketIssuer {
  #counter = 0n;
  constructor(
    readonly keys: TicketKeys | null,
    readonly opts: IssuerOptions = {},
  ) {}

  /** Issues the next ticket for the connection's `session` and its resumption master secret. */
  issue(session: Session, resumptionMasterSecret: Uint8Array, now: number | bigint): IssuedTicket {
    bytes(resumptionMasterSecret, "resumptionMasterSecret");
    const ex = wasm();
    const maxEarly = this.opts.maxEarlyData ?? 0;
    const flags =
      (this.opts.stateful ? IssueFlag.STATEFUL : 0) | (this.opts.noAntiReplay ? IssueFlag.NO_ANTI_REPLAY : 0);
    const counter = this.#counter;
    const kh = this.keys ? this.keys.handle : 0;
    const sh = Session.handleOf(session);
    const t = time(now);
    const n = check(
      withInput(resumptionMasterSecret, (p, len) =>
        ex.tls_ticket_issue(kh, sh, p, len, counter, flags, maxEarly, t),
      ),
    );
    const message = copyOut(n).slice();
    const issued = Session.adopt(ex.tls_ticket_issued());
    const f = ex.tls_ticket_issued_flags();
    this.#counter++;
    const nonce = new Uint8Array(8);
    new DataView(nonce.buffer).setBigUint64(0, counter);
    const stateful = (f & IssuedFlag.STATEFUL) !== 0;
    if (stateful) {
      if (!this.opts.cache) {
        issued.free();
        throw new TlsSessionError("BAD_STATE", "stateful tickets need a cache");
      }
      try {
        this.opts.cache.add(issued);
      } catch (e) {
        issued.free(); // a cache listener's error: the caller never gets the session
        throw e;
      }
    }
    return { message, session: issued, nonce, stateful, singleUse: (f & IssuedFlag.SINGLE_USE) !== 0 };
  }
}

/**
 * The anti-replay lookup of a stateful (single-use) TLS 1.3 ticket: the session is removed from
 * `cache` by this call, so a second use of the same ticket gets null (a full handshake).
 */
export function takeStatefulTicket(
  cache: SessionCache,
  ticket: Uint8Array,
  opts: { sidCtx?: Uint8Array; verifyPeer?: boolean } = {},
): Session | null {
  bytes(ticket, "ticket");
  const sidCtx = opts.sidCtx ?? NO_BYTES;
  const ch = SessionCache.handleOf(cache);
  const ex = wasm();
  // A stateful ticket is the session's id, sent in clear like the sid_ctx: neither is secret.
  const p = copyPairToInputArea(ticket, sidCtx);
  const flags = opts.verifyPeer ? ResumeFlag.VERIFY_PEER : 0;
  const r = ex.tls_ticket_take(
    ch,
    ProtocolVersion.TLS1_3,
    p,
    ticket.length,
    p + ticket.length,
    sidCtx.length,
    flags,
  );
  try {
    cache.drainEvents();
  } catch (e) {
    if (r > 0) ex.SSL_SESSION_free(r); // a listener's error: the caller never gets the session
    throw e;
  }
  if (r === ABSENT) return null;
  return Session.adopt(check(r));
}

// `Connection`: OpenSSL's SSL object as far as sessions go. It belongs to a SessionCache (its
// session_ctx) and holds one reference to its current session.
//
// The bad-session rule: a session whose handshake finished is "open" until SSL_shutdown (here
// `shutdown |= SENT_SHUTDOWN`); replacing it (setSession), clear() or free() while it is open
// removes it from the cache, as OpenSSL does, so a connection that died without a clean close
// cannot be resumed.

import { wasm, check, withInput } from "./load.js";
import { Session } from "./session.js";
import { SessionCache, REFUSALS, type Refusal } from "./cache.js";
import { TlsSessionError, notOurs } from "./errors.js";
import { ResumeFlag, Shutdown, Status, VerifyMode } from "./abi.js";

const ABSENT = Status.ABSENT;

/** SSL_SENT_SHUTDOWN */
export const SENT_SHUTDOWN = Shutdown.SENT;
/** SSL_RECEIVED_SHUTDOWN */
export const RECEIVED_SHUTDOWN = Shutdown.RECEIVED;

export class Connection {
  #handle: number;
  readonly #instance: object = wasm();
  readonly cache: SessionCache;

  constructor(cache: SessionCache, opts: { server?: boolean } = {}) {
    const ch = SessionCache.handleOf(cache);
    this.cache = cache;
    this.#handle = check(wasm().SSL_new(ch, opts.server ? 1 : 0));
  }

  /** @internal The handle of `value`, which must be a Connection of this instance (TypeError). */
  static handleOf(value: unknown, name = "connection"): number {
    if (!(typeof value === "object" && value !== null && #handle in value && value.#instance === wasm()))
      notOurs(name, "Connection");
    return (value as Connection).handle;
  }

  get handle(): number {
    if (!this.#handle) throw new TlsSessionError("FREED", "this Connection was freed");
    return this.#handle;
  }

  #after<T>(v: T): T {
    this.cache.drainEvents();
    return v;
  }

  /** SSL_set_session: null drops the current one. The connection takes its own reference. */
  setSession(session: Session | null): void {
    const h = this.handle,
      sh = session === null ? 0 : Session.handleOf(session);
    this.#after(check(wasm().SSL_set_session(h, sh)));
  }

  /** SSL_get1_session: a new reference to the current session (free it), or null. */
  getSession(): Session | null {
    const h = this.handle;
    const r = wasm().SSL_get1_session(h);
    return r === ABSENT ? null : Session.adopt(check(r));
  }

  /**
   * A fatal alert was sent or received (a failed handshake, the peer's abort): as libssl does,
   * the session leaves the cache and, when it has an id, is marked not resumable. True when a
   * cached entry was removed.
   */
  fatalAlert(): boolean {
    const h = this.handle;
    return this.#after(check(wasm().tls_ssl_fatal_alert(h))) === 1;
  }

  /** SSL_session_reused. */
  get sessionReused(): boolean {
    const h = this.handle;
    return check(wasm().SSL_session_reused(h)) === 1;
  }

  /** SSL_get_shutdown / SSL_set_shutdown (SENT_SHUTDOWN | RECEIVED_SHUTDOWN). */
  get shutdown(): number {
    const h = this.handle;
    return check(wasm().SSL_get_shutdown(h));
  }
  set shutdown(mode: number) {
    const h = this.handle;
    check(wasm().SSL_set_shutdown(h, mode));
  }

  /** SSL_set_session_id_context (at most 32 bytes). */
  set sidCtx(v: Uint8Array) {
    const h = this.handle;
    if (check(withInput(v, (p, n) => wasm().SSL_set_session_id_context(h, p, n))) !== 1)
      throw new RangeError("sidCtx must be at most 32 bytes");
  }

  /** SSL_set_verify(SSL_VERIFY_PEER) or none. */
  set verifyPeer(on: boolean) {
    const h = this.handle;
    check(wasm().SSL_set_verify(h, on ? VerifyMode.PEER : VerifyMode.NONE));
  }
  get verifyResult(): number {
    const h = this.handle;
    return Number(wasm().SSL_get_verify_result(h));
  }
  get version(): number {
    const h = this.handle;
    return check(wasm().SSL_version(h));
  }

  /** SSL_clear. */
  clear(): void {
    const h = this.handle;
    this.#after(check(wasm().SSL_clear(h)));
  }

  /** SSL_copy_session_id(this, from). */
  copySessionIdFrom(from: Connection): void {
    const t = this.handle,
      f = Connection.handleOf(from, "from");
    this.#after(check(wasm().SSL_copy_session_id(t, f)));
  }

  // --- handshake hooks (ssl/handshake.ts) ---

  /** A handshake of `version` begins. */
  handshakeStart(version: number): void {
    const h = this.handle;
    check(wasm().tls_ssl_handshake_start(h, version));
  }

  /**
   * ssl_get_new_session. `withId` makes a unique server session id: 32 random bytes (retried on
   * a collision), or, with `generate` (OpenSSL's generate_session_id callback), the bytes it
   * returns from a zeroed 32-byte buffer: 1 to 32 of them, not already cached, else it throws
   * as OpenSSL's handshake fails.
   */
  newSession(withId = false, generate?: (buffer: Uint8Array) => Uint8Array): void {
    const h = this.handle;
    if (withId && generate) {
      const id = generate(new Uint8Array(32));
      if (!(id instanceof Uint8Array)) throw new TypeError("generate must return a Uint8Array");
      this.#after(check(withInput(id, (p, n) => wasm().tls_ssl_new_session_with_id(h, p, n))));
      return;
    }
    this.#after(check(wasm().tls_ssl_new_session(h, withId ? 1 : 0)));
  }

  /**
   * The server's lookup of a ClientHello session id. Returns null when the session was resumed,
   * else why not; throws TlsSessionError BAD_STATE for OpenSSL's fatal cases.
   */
  serverResume(id: Uint8Array, opts: { clientOffersEms?: boolean } = {}): Refusal | null {
    const h = this.handle;
    const r = check(
      withInput(id, (p, n) =>
        wasm().tls_ssl_server_resume(h, p, n, opts.clientOffersEms ? ResumeFlag.CLIENT_OFFERS_EMS : 0),
      ),
    );
    this.#after(0);
    return r === 1 ? null : (REFUSALS[wasm().tls_resume_refusal()] ?? "miss");
  }

  /** The client learns whether its offered session was resumed. */
  setReused(reused: boolean): void {
    const h = this.handle;
    check(wasm().tls_ssl_set_reused(h, reused ? 1 : 0));
  }

  /** The handshake finished (ssl_update_cache, TLS 1.3 client single use, counters, auto-flush). */
  handshakeDone(opts: { tls13ServerStateful?: boolean } = {}): void {
    const h = this.handle;
    this.#after(check(wasm().tls_ssl_handshake_done(h, opts.tls13ServerStateful ? 1 : 0)));
  }

  /** SSL_free (the bad-session rule applies). */
  free(): void {
    const h = this.#handle;
    if (!h) return;
    this.#handle = 0;
    check(wasm().SSL_free(h));
    this.#after(0);
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

// `Session`: an OpenSSL SSL_SESSION living in wasm memory.
//
// Sessions are reference counted exactly as in OpenSSL. Each `Session` object owns one
// reference: `free()` (or `using`) drops it, `upRef()` returns another object owning another
// reference to the same session, `dup()` a deep copy. The last reference wipes the master key
// and every other secret from memory. A FinalizationRegistry frees references that were
// forgotten, but only as a safety net: call `free()`.

import { TlsSessionError, notOurs } from "./errors.js";
import { integerArg, I64_MIN, I64_MAX, U8_MAX, U16_MAX, U32_MAX, U64_MAX } from "./args.js";
import {
  wasm,
  unguarded,
  check,
  copyOut,
  copyResultInto,
  withInput,
  isInitialized,
  poisonOn,
} from "./load.js";
import { sessionToJSON, type SessionJSON } from "./describe.js";
import { SessionBytes, SessionInt, Status, ProtocolVersionText } from "./abi.js";

/** Byte fields by ABI id (assembly/abi/abi.json). */
const B = {
  hostname: SessionBytes.HOSTNAME,
  pskIdentityHint: SessionBytes.PSK_IDENTITY_HINT,
  pskIdentity: SessionBytes.PSK_IDENTITY,
  srpUsername: SessionBytes.SRP_USERNAME,
  ticket: SessionBytes.TICKET,
  alpn: SessionBytes.ALPN_SELECTED,
  ticketAppData: SessionBytes.TICKET_APPDATA,
  peer: SessionBytes.PEER,
  id: SessionBytes.SESSION_ID,
  sidCtx: SessionBytes.SID_CTX,
  masterKey: SessionBytes.MASTER_KEY,
} as const;
/** Integer fields by ABI id. */
const I = {
  version: SessionInt.SSL_VERSION,
  cipherId: SessionInt.CIPHER_ID,
  time: SessionInt.TIME,
  timeout: SessionInt.TIMEOUT,
  verifyResult: SessionInt.VERIFY_RESULT,
  kexGroup: SessionInt.KEX_GROUP,
  flags: SessionInt.FLAGS,
  ticketLifetimeHint: SessionInt.TICKET_LIFETIME_HINT,
  ticketAgeAdd: SessionInt.TICKET_AGE_ADD,
  maxEarlyData: SessionInt.MAX_EARLY_DATA,
  maxFragmentLength: SessionInt.MAX_FRAGMENT_LEN_MODE,
  compression: SessionInt.COMPRESS_ID,
  notResumable: SessionInt.NOT_RESUMABLE,
  exData: SessionInt.EX_DATA,
  references: SessionInt.REFERENCES,
} as const;

const ABSENT = Status.ABSENT;

/**
 * The safety net: a Session object collected without free() drops its reference. Registering
 * each object costs about 200 ns, as much as a cache lookup, so objects are registered in
 * batches of 64: each object holds its batch and its slot there, the batch's handles sit in one
 * Int32Array (no object per reference for the collector to trace), and the batch (registered
 * once, with that array) is collected only when every object of it is. The callback then drops
 * the references whose slot still holds a handle: free() and forget() zero the slot first.
 */
interface Batch {
  readonly handles: Int32Array;
  used: number;
}
const BATCH = 64;
const registry =
  typeof FinalizationRegistry !== "undefined"
    ? new FinalizationRegistry<Int32Array>((handles) => {
        if (!isInitialized()) return;
        for (const h of handles)
          if (h)
            try {
              wasm().SSL_SESSION_free(h);
            } catch {
              return; /* instance gone */
            }
      })
    : null;
let batch: Batch | null = null;

/** The open batch, with room for one more handle (a full one is replaced and registered). */
function openBatch(): Batch | null {
  if (!registry) return null;
  if (batch === null || batch.used === BATCH) {
    batch = { handles: new Int32Array(BATCH), used: 0 };
    registry.register(batch, batch.handles);
  }
  return batch;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBytes(v: Uint8Array | string): Uint8Array {
  return typeof v === "string" ? encoder.encode(v) : v;
}

/**
 * The C-string fields (hostname, PSK identity and hint, SRP username) are bytes with no declared
 * encoding. As strings, each byte is the code point of the same value (U+0000-U+00FF, "latin1"):
 * ASCII, which SNI hostnames are (A-labels), reads unchanged, and any bytes round-trip exactly.
 */
function latin1Decode(b: Uint8Array): string {
  let out = "";
  for (let i = 0; i < b.length; i += 8192)
    out += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

/** The inverse of latin1Decode; RangeError for a character above U+00FF. */
function latin1Encode(v: string, name: string): Uint8Array {
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff)
      throw new RangeError(
        `${name} holds bytes, one per character U+0000-U+00FF; pass a Uint8Array for other text`,
      );
    out[i] = c;
  }
  return out;
}

/** Protocol versions by wire value. */
export const PROTOCOL_NAMES: Readonly<Record<number, string>> = ProtocolVersionText;

/** OpenSSL's name of a suite code, or null for one OpenSSL does not know. */
export function cipherName(code: number): string | null {
  const n = wasm().tls_cipher_name(code);
  if (n === ABSENT) return null;
  return decoder.decode(copyOut(check(n)));
}

export interface DecodeOptions {
  /** Seconds since the epoch the decoder uses for an absent time ([1]); defaults to the module clock. */
  now?: number | bigint;
}

function withClock<T>(opts: DecodeOptions | undefined, fn: () => T): T {
  if (opts?.now === undefined) return fn();
  const ex = wasm();
  ex.tls_set_clock(integerArg(opts.now, "now"), 1);
  try {
    return fn();
  } finally {
    restoreClock();
  }
}

let pinnedClock: bigint | null = null;
function restoreClock(): void {
  const ex = wasm();
  if (pinnedClock === null) ex.tls_set_clock(0n, 0);
  else ex.tls_set_clock(pinnedClock, 1);
}

/** Pins the module's clock (seconds since the epoch), or returns it to real time with null. */
export function setClock(seconds: number | bigint | null): void {
  pinnedClock = seconds === null ? null : integerArg(seconds, "seconds");
  restoreClock();
}

/** d2i_SSL_SESSION through the module's input area (wiped after), a new Session for the handle. */
function decodeDER(der: Uint8Array): Session {
  const h = check(withInput(der, d2i));
  return Session.adopt(h, consumedBy(der));
}

const d2i = (ptr: number, len: number): number => wasm().d2i_SSL_SESSION(ptr, len);

/**
 * The bytes a successful d2i consumed: the outer SEQUENCE's header and content when it has the
 * one-octet tag and a definite length (the decoder reads nothing after it), else the module's
 * count (tls_last_consumed): a high tag number form or an indefinite length.
 */
function consumedBy(der: Uint8Array): number {
  const lb = der[1];
  if (der[0] !== 0x30 || lb === 0x80) return wasm().tls_last_consumed();
  if (lb < 0x80) return 2 + lb;
  const k = lb & 0x7f;
  let len = 0;
  for (let i = 0; i < k; i++) len = len * 256 + der[2 + i];
  return 2 + k + len;
}

export class Session {
  /** This object's reference: the module's handle, 0 once freed or handed back. */
  #handle: number;
  /** A borrowed object (see `borrow`) owns no reference: free() only ends its use. */
  readonly #borrowed: boolean;
  /** The finalizer batch holding this reference's handle, and its slot there (see openBatch). */
  readonly #batch: Batch | null;
  readonly #slot: number;
  /** The module instance whose handle this is. */
  readonly #instance: object = wasm();
  /** For a session made by `fromDER`/`fromPEM`: how many bytes the decoder consumed. */
  readonly bytesConsumed: number;

  private constructor(handle: number, consumed = 0, borrowed = false) {
    this.#handle = handle;
    this.#borrowed = borrowed;
    this.bytesConsumed = consumed;
    const b = borrowed ? null : openBatch();
    this.#batch = b;
    if (b) {
      this.#slot = b.used++;
      b.handles[this.#slot] = handle;
    } else this.#slot = 0;
  }

  /** Ends this object's hold on its handle, in the object and in its finalizer batch. */
  #drop(): void {
    this.#handle = 0;
    if (this.#batch) this.#batch.handles[this.#slot] = 0;
  }

  /** @internal Wraps a handle whose reference the caller hands over. */
  static adopt(handle: number, consumed = 0): Session {
    return new Session(handle, consumed);
  }

  /**
   * @internal Wraps a handle for the length of a callback, without a reference of its own:
   * `release()` then makes it unusable. Call `upRef()` inside the callback to keep the session.
   */
  static borrow(handle: number): { session: Session; release(): void } {
    const session = new Session(handle, 0, true);
    return {
      session,
      release: () => {
        session.#drop();
      },
    };
  }

  /** SSL_SESSION_new: an empty session with OpenSSL's defaults (not resumable). */
  static new(): Session {
    return new Session(check(wasm().SSL_SESSION_new()));
  }

  /** d2i_SSL_SESSION. Bytes after the encoded session are ignored, as OpenSSL does. */
  static fromDER(der: Uint8Array, opts?: DecodeOptions): Session {
    if (!(der instanceof Uint8Array)) throw new TypeError("der must be a Uint8Array");
    if (opts?.now !== undefined) return withClock(opts, () => decodeDER(der));
    return decodeDER(der);
  }

  /** PEM_read_bio_SSL_SESSION: finds the "SSL SESSION PARAMETERS" block in the text. */
  static fromPEM(pem: string | Uint8Array, opts?: DecodeOptions): Session {
    if (typeof pem !== "string" && !(pem instanceof Uint8Array))
      throw new TypeError("pem must be a string or Uint8Array");
    return withClock(opts, () => {
      const h = check(withInput(toBytes(pem), (p, n) => wasm().PEM_read_SSL_SESSION(p, n)));
      return new Session(h, wasm().tls_last_consumed());
    });
  }

  /**
   * @internal The handle of `value`, which must be a Session made by this copy of the bindings
   * for the module instance now loaded: anything else (a `{ handle }` look-alike, a Session of
   * another instance) is a TypeError, never a handle number acted on in the wrong place.
   */
  static handleOf(value: unknown, name = "session"): number {
    if (!(typeof value === "object" && value !== null && #handle in value && value.#instance === wasm()))
      notOurs(name, "Session");
    return (value as Session).handle;
  }

  /** The ABI handle (for code that talks to the raw exports). */
  get handle(): number {
    const h = this.#handle;
    if (!h) throw new TlsSessionError("FREED", "this Session reference was freed");
    return h;
  }

  /**
   * i2d_SSL_SESSION. Throws NO_CIPHER for a session without a cipher (OpenSSL returns 0).
   *
   * The DER holds the master key, so it gets an ArrayBuffer of its own, which V8 takes most of
   * the call's time to allocate and later collect. Given `out`, the bytes are written at its
   * start instead and the written part is returned (a view of `out`); a RangeError names the
   * size needed when `out` is too short, and `out` is then left unchanged.
   */
  toDER(out?: Uint8Array): Uint8Array {
    if (out !== undefined && !(out instanceof Uint8Array)) throw new TypeError("out must be a Uint8Array");
    const h = this.handle;
    const ex = unguarded();
    let n: number;
    try {
      n = ex.i2d_SSL_SESSION(h);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    if (n <= 0) {
      if (n === 0)
        throw new TlsSessionError("NO_CIPHER", "session has no cipher: i2d_SSL_SESSION writes nothing", -14);
      check(n);
    }
    let der: Uint8Array;
    if (out === undefined) der = copyOut(n, true);
    else if (out.length < n) {
      ex.result_wipe();
      throw new RangeError(`out holds ${out.length} bytes; this session's DER needs ${n}`);
    } else {
      copyResultInto(out, n);
      der = n === out.length ? out : out.subarray(0, n);
    }
    ex.result_wipe();
    return der;
  }

  /** PEM_write_bio_SSL_SESSION. */
  toPEM(): string {
    const h = this.handle;
    const ex = wasm();
    const n = check(ex.PEM_write_SSL_SESSION(h));
    const bytes = copyOut(n, true);
    ex.result_wipe();
    const out = decoder.decode(bytes);
    bytes.fill(0);
    return out;
  }

  /** SSL_SESSION_up_ref: another owner of the same session. */
  upRef(): Session {
    const h = this.handle;
    check(wasm().SSL_SESSION_up_ref(h));
    return new Session(h);
  }

  /** SSL_SESSION_dup: a deep copy with its own reference, in no cache. */
  dup(): Session {
    const h = this.handle;
    return new Session(check(wasm().SSL_SESSION_dup(h)));
  }

  /** @internal This object's reference was handed to the module: forget it without freeing. */
  forget(): void {
    this.#drop();
  }

  /** SSL_SESSION_free for this reference. Idempotent. */
  free(): void {
    const h = this.#handle;
    if (!h) return;
    this.#drop();
    if (this.#borrowed) return;
    if (!isInitialized()) return;
    const ex = unguarded();
    let r: number;
    try {
      r = ex.SSL_SESSION_free(h);
    } catch (e) {
      poisonOn(e);
      throw e;
    }
    if (r < 0) check(r);
  }

  [Symbol.dispose](): void {
    this.free();
  }

  /** `JSON.stringify(session)`: the fields of `sessionToJSON`, never the master key. */
  toJSON(): SessionJSON | { freed: true } {
    if (this.freed) return { freed: true };
    return sessionToJSON(this);
  }

  /**
   * What `console.log(session)` shows in Node: protocol, cipher, host, id prefix, expiry and
   * whether it is resumable; never a secret. (Keyed by Symbol.for, so no node: import.)
   */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect?: (v: unknown, o?: unknown) => string,
  ): string {
    if (this.freed) return "Session { freed }";
    const id = this.id;
    const idHex = Array.from(id.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    const end = this.time + this.timeout;
    let expires: string;
    try {
      expires = new Date(Number(end) * 1000).toISOString().replace(".000Z", "Z");
    } catch {
      expires = `${end} s`;
    }
    const view = {
      protocol: this.protocol,
      cipher: this.cipherName,
      hostname: this.hostname,
      id: id.length === 0 ? "" : id.length > 4 ? `${idHex}… (${id.length} bytes)` : idHex,
      expires,
      resumable: this.resumable,
    };
    return `Session ${inspect ? inspect(view, options) : JSON.stringify(view)}`;
  }

  get freed(): boolean {
    return this.#handle === 0;
  }

  // --- typed accessors -------------------------------------------------------------------------

  #bytes(field: number): Uint8Array | null {
    const h = this.handle;
    const ex = wasm();
    const n = ex.tls_session_get_bytes(h, field);
    if (n === ABSENT) return null;
    const secret = field === B.masterKey;
    const out = copyOut(check(n), secret);
    if (secret) ex.result_wipe();
    return out;
  }

  #setBytes(field: number, v: Uint8Array | string | null, name: string): number {
    const h = this.handle;
    if (v === null) return check(wasm().tls_session_set_bytes(h, field, 0, 0, 0));
    if (typeof v !== "string" && !(v instanceof Uint8Array))
      throw new TypeError(
        `${name} must be a Uint8Array${field <= B.srpUsername ? " or string" : ""} or null`,
      );
    return check(withInput(toBytes(v), (p, n) => wasm().tls_session_set_bytes(h, field, p, n, 1)));
  }

  #int(field: number): bigint {
    const h = this.handle;
    return wasm().tls_session_get_int(h, field) as bigint;
  }

  /** Sets an integer field to `v`, which must lie in [min, max] (the field's C type). */
  #setInt(field: number, v: unknown, name: string, min = I64_MIN, max = I64_MAX): number {
    const h = this.handle;
    // The raw export takes an i64: an unsigned 64-bit value goes over as its two's complement.
    const x = BigInt.asIntN(64, integerArg(v, name, min, max));
    return check(wasm().tls_session_set_int(h, field, x));
  }

  #text(field: number): string | null {
    const b = this.#bytes(field);
    return b === null ? null : latin1Decode(b);
  }

  #setText(field: number, v: Uint8Array | string | null, name: string): void {
    this.#setBytes(field, typeof v === "string" ? latin1Encode(v, name) : v, name);
  }

  /** Protocol version (0x0303 TLS 1.2, 0x0304 TLS 1.3, ...). */
  get protocolVersion(): number {
    return Number(this.#int(I.version));
  }
  /** A TLS ProtocolVersion: an integer from 0 to 0xFFFF. */
  set protocolVersion(v: number) {
    this.#setInt(I.version, v, "protocolVersion", 0n, U16_MAX);
  }
  /** "TLSv1.2", "TLSv1.3", ... (hex for unknown values). */
  get protocol(): string {
    const v = this.protocolVersion;
    return PROTOCOL_NAMES[v] ?? `0x${v.toString(16).padStart(4, "0")}`;
  }

  /** The 2-byte suite code (e.g. 0x1301), or null when no cipher is set. */
  get cipherSuite(): number | null {
    const id = Number(this.#int(I.cipherId));
    return id === 0 ? null : id & 0xffff;
  }
  /** SSL_SESSION_set_cipher by suite code; RangeError for a suite OpenSSL does not know. */
  set cipherSuite(code: number) {
    if (typeof code !== "number" || !Number.isInteger(code))
      throw new TypeError("cipherSuite must be an integer");
    if (this.#setInt(I.cipherId, code, "cipherSuite", 0n, U16_MAX) !== 1)
      throw new RangeError(`cipher suite 0x${code.toString(16)} is not one OpenSSL knows`);
  }
  /** OpenSSL's cipher name, or "0xC02F" style for an unknown suite, or null. */
  get cipherName(): string | null {
    const c = this.cipherSuite;
    return c === null ? null : (cipherName(c) ?? `0x${c.toString(16).toUpperCase().padStart(4, "0")}`);
  }

  /** Session id (0..32 bytes). */
  get id(): Uint8Array {
    return this.#bytes(B.id)!;
  }
  set id(v: Uint8Array) {
    if (this.#setBytes(B.id, v, "id") !== 1)
      throw new RangeError("id must be at most 32 bytes (SSL_SESSION_set1_id)");
  }
  /** Session id context (0..32 bytes). */
  get sidCtx(): Uint8Array {
    return this.#bytes(B.sidCtx)!;
  }
  set sidCtx(v: Uint8Array) {
    if (this.#setBytes(B.sidCtx, v, "sidCtx") !== 1)
      throw new RangeError("sidCtx must be at most 32 bytes (SSL_SESSION_set1_id_context)");
  }
  /** Master secret (TLS <= 1.2) or resumption PSK (TLS 1.3). A copy: wipe it when done. */
  get masterKey(): Uint8Array {
    return this.#bytes(B.masterKey)!;
  }
  set masterKey(v: Uint8Array) {
    if (this.#setBytes(B.masterKey, v, "masterKey") !== 1)
      throw new RangeError("masterKey must be at most 512 bytes (SSL_SESSION_set1_master_key)");
  }

  /** Start time, seconds since the epoch (a bigint; the setter takes a number or a bigint). */
  get time(): bigint {
    return this.#int(I.time);
  }
  /** SSL_SESSION_set_time (re-sorts the session if it is cached): any long, as OpenSSL takes. */
  set time(v: number | bigint) {
    this.#setInt(I.time, v, "time");
  }
  /** Lifetime in seconds (a bigint; the setter takes a number or a bigint). */
  get timeout(): bigint {
    return this.#int(I.timeout);
  }
  /** SSL_SESSION_set_timeout; RangeError for a negative value (OpenSSL returns 0). */
  set timeout(v: number | bigint) {
    if (this.#setInt(I.timeout, v, "timeout") !== 1) throw new RangeError("timeout must not be negative");
  }

  get verifyResult(): number {
    return Number(BigInt.asIntN(32, this.#int(I.verifyResult)));
  }
  /** An X509_V_* code: an integer from -2^31 to 2^31 - 1 (what the getter gives back). */
  set verifyResult(v: number) {
    this.#setInt(I.verifyResult, v, "verifyResult", -(2n ** 31n), 2n ** 31n - 1n);
  }
  get kexGroup(): number {
    return Number(this.#int(I.kexGroup));
  }
  /** 0 to 0xFFFFFFFF (the record's 32 bits). */
  set kexGroup(v: number) {
    this.#setInt(I.kexGroup, v, "kexGroup", 0n, U32_MAX);
  }
  get flags(): number {
    return Number(this.#int(I.flags));
  }
  /** 0 to 0xFFFFFFFF (OpenSSL's uint32_t flags). */
  set flags(v: number) {
    this.#setInt(I.flags, v, "flags", 0n, U32_MAX);
  }
  /** SSL_SESS_FLAG_EXTMS. */
  get extendedMasterSecret(): boolean {
    return (this.flags & 1) !== 0;
  }
  set extendedMasterSecret(v: boolean) {
    if (typeof v !== "boolean") throw new TypeError("extendedMasterSecret must be a boolean");
    this.flags = (v ? this.flags | 1 : this.flags & ~1) >>> 0;
  }
  get ticketLifetimeHint(): bigint {
    return BigInt.asUintN(64, this.#int(I.ticketLifetimeHint));
  }
  /** 0 to 2^64 - 1 (OpenSSL's unsigned long). */
  set ticketLifetimeHint(v: number | bigint) {
    this.#setInt(I.ticketLifetimeHint, v, "ticketLifetimeHint", 0n, U64_MAX);
  }
  get ticketAgeAdd(): number {
    return Number(this.#int(I.ticketAgeAdd));
  }
  /** 0 to 0xFFFFFFFF (uint32_t). */
  set ticketAgeAdd(v: number) {
    this.#setInt(I.ticketAgeAdd, v, "ticketAgeAdd", 0n, U32_MAX);
  }
  get maxEarlyData(): number {
    return Number(this.#int(I.maxEarlyData));
  }
  /** SSL_SESSION_set_max_early_data: 0 to 0xFFFFFFFF (uint32_t). */
  set maxEarlyData(v: number) {
    this.#setInt(I.maxEarlyData, v, "maxEarlyData", 0n, U32_MAX);
  }
  /**
   * SSL_SESSION_get_max_fragment_length: the RFC 6066 mode, 0 when none was negotiated (the
   * stored UNSPECIFIED 255 reads as 0, as in libssl; toDER still writes 255).
   */
  get maxFragmentLength(): number {
    const h = this.handle;
    return check(wasm().SSL_SESSION_get_max_fragment_length(h));
  }
  /** The stored mode: 0 to 255 (OpenSSL's uint8_t). */
  set maxFragmentLength(v: number) {
    this.#setInt(I.maxFragmentLength, v, "maxFragmentLength", 0n, U8_MAX);
  }
  get compression(): number {
    return Number(this.#int(I.compression));
  }

  // The four C-string fields read as latin1 strings (one character per byte, see latin1Decode);
  // the *Bytes getters give the raw bytes. Setters take a string of U+0000-U+00FF or bytes.
  /** SSL_SESSION_get0_hostname (SNI). Setting follows SSL_SESSION_set1_hostname: a NUL ends it. */
  get hostname(): string | null {
    return this.#text(B.hostname);
  }
  set hostname(v: Uint8Array | string | null) {
    const h = this.handle;
    if (v === null) {
      check(wasm().SSL_SESSION_set1_hostname(h, 0, 0, 0));
      return;
    }
    if (typeof v !== "string" && !(v instanceof Uint8Array))
      throw new TypeError("hostname must be a Uint8Array or string or null");
    const b = typeof v === "string" ? latin1Encode(v, "hostname") : v;
    check(withInput(b, (p, n) => wasm().SSL_SESSION_set1_hostname(h, p, n, 1)));
  }
  get hostnameBytes(): Uint8Array | null {
    return this.#bytes(B.hostname);
  }
  get pskIdentityHint(): string | null {
    return this.#text(B.pskIdentityHint);
  }
  set pskIdentityHint(v: Uint8Array | string | null) {
    this.#setText(B.pskIdentityHint, v, "pskIdentityHint");
  }
  get pskIdentityHintBytes(): Uint8Array | null {
    return this.#bytes(B.pskIdentityHint);
  }
  get pskIdentity(): string | null {
    return this.#text(B.pskIdentity);
  }
  set pskIdentity(v: Uint8Array | string | null) {
    this.#setText(B.pskIdentity, v, "pskIdentity");
  }
  get pskIdentityBytes(): Uint8Array | null {
    return this.#bytes(B.pskIdentity);
  }
  get srpUsername(): string | null {
    return this.#text(B.srpUsername);
  }
  set srpUsername(v: Uint8Array | string | null) {
    this.#setText(B.srpUsername, v, "srpUsername");
  }
  get srpUsernameBytes(): Uint8Array | null {
    return this.#bytes(B.srpUsername);
  }
  /** Negotiated ALPN protocol (the bytes), or null. Setting empty bytes clears, as OpenSSL does. */
  get alpn(): Uint8Array | null {
    return this.#bytes(B.alpn);
  }
  set alpn(v: Uint8Array | string | null) {
    this.#setBytes(B.alpn, v === null || toBytes(v).length === 0 ? null : v, "alpn");
  }
  /** The ticket the server sent (client side), or null. */
  get ticket(): Uint8Array | null {
    return this.#bytes(B.ticket);
  }
  set ticket(v: Uint8Array | null) {
    this.#setBytes(B.ticket, v, "ticket");
  }
  get hasTicket(): boolean {
    return (this.#bytes(B.ticket)?.length ?? 0) > 0;
  }
  get ticketAppData(): Uint8Array | null {
    return this.#bytes(B.ticketAppData);
  }
  set ticketAppData(v: Uint8Array | null) {
    this.#setBytes(B.ticketAppData, v === null || v.length === 0 ? null : v, "ticketAppData");
  }
  /** DER of the peer's leaf certificate, or null. Setting checks it is a Certificate. */
  get peerCertificate(): Uint8Array | null {
    return this.#bytes(B.peer);
  }
  set peerCertificate(v: Uint8Array | null) {
    this.#setBytes(B.peer, v, "peerCertificate");
  }

  /** SSL_SESSION_is_resumable. */
  get resumable(): boolean {
    const h = this.handle;
    return check(wasm().SSL_SESSION_is_resumable(h)) === 1;
  }
  /** The not_resumable mark (set by cache removal, eviction, flush). */
  get notResumable(): boolean {
    return this.#int(I.notResumable) !== 0n;
  }
  /** References held on this session by everyone (for tests and diagnostics). */
  get references(): number {
    return Number(this.#int(I.references));
  }
}

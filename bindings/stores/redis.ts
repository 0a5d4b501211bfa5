// `RedisSessionStore`: the `SessionStore` contract (./store.ts) over a Redis client you supply.
//
// No dependency on a Redis package: any client with one of these shapes works,
//   * ioredis            `client.call(command, ...args)`            (detected by `getBuffer`)
//   * redis (node-redis) `client.sendCommand([command, ...args])`   (v4 and later)
//   * a function         `(args: string[]) => Promise<unknown>`     (anything else)
// Only GET, SET … EX, DEL, GETDEL and EVAL are sent, every argument a string, so every client
// returns plain strings and nothing depends on a client's buffer API.
//
// Redis entry (key `prefix + key`, value a string):
//
//   value  = base64( 0x00 | DER(SSL_SESSION) )                                   plain
//          | base64( 0x01 | key_name (8) | nonce (12) | AES-GCM(sealKey, nonce,
//                                         DER, aad = the Redis key) | tag (16) )  sealed
//   key_name = HMAC-SHA256(sealKey, "tls-session-wasm store key")[0, 8)
//
// Sealing keeps a session's master secret away from whoever reads the Redis memory, its
// snapshots or its replicas. The AAD binds a value to its key: a sealed value copied under
// another session id does not open. A value that does not open is a miss (never an error the
// peer could tell apart); `refused` counts them. Several seal keys may be given: the first seals,
// all open (rotation: add the new key first, drop the old one a session lifetime later).
//
// TTL: the caller passes the session's remaining lifetime (SET … EX), so Redis forgets a session
// the moment no server would resume it. `take` is GETDEL (Redis 6.2+); on an older server that
// answers "unknown command" it switches to one Lua script doing GET and DEL atomically.

import { aesGcmSeal, aesGcmOpen, hmac, constantTimeEqual } from "../crypto.js";
import { type SessionStore, checkKey, checkTtl, checkValue } from "./store.js";

/** The one command path every supported client is reduced to. */
export type RedisCommand = (args: string[]) => Promise<unknown>;

/** What a client must offer: ioredis, node-redis or a command function. */
export type RedisClientLike =
  | { getBuffer: unknown; call(command: string, ...args: string[]): Promise<unknown> }
  | { sendCommand(args: string[]): Promise<unknown> }
  | RedisCommand;

export interface RedisSessionStoreOptions {
  /** Prefix of every Redis key (default "tls:session:"). */
  prefix?: string;
  /** AES-GCM key(s) (16 or 32 bytes) sealing values at rest: the first seals, all open. */
  sealKey?: Uint8Array | Uint8Array[];
  /** Random bytes for nonces (default crypto.getRandomValues). */
  random?: (n: number) => Uint8Array;
}

const PLAIN = 0x00,
  SEALED = 0x01;
const NAME_LEN = 8,
  NONCE_LEN = 12,
  TAG_LEN = 16;
const NAME_LABEL = new TextEncoder().encode("tls-session-wasm store key");
/** GET and DEL in one atomic step, for servers without GETDEL (before Redis 6.2). */
const TAKE_SCRIPT = "local v = redis.call('GET', KEYS[1]) if v then redis.call('DEL', KEYS[1]) end return v";

function commandOf(client: RedisClientLike): RedisCommand {
  if (typeof client === "function") return client;
  if (
    client &&
    typeof (client as { getBuffer?: unknown }).getBuffer === "function" &&
    typeof (client as { call?: unknown }).call === "function"
  ) {
    const c = client as { call(command: string, ...args: string[]): Promise<unknown> };
    return (args) => c.call(args[0], ...args.slice(1));
  }
  if (client && typeof (client as { sendCommand?: unknown }).sendCommand === "function") {
    const c = client as { sendCommand(args: string[]): Promise<unknown> };
    return (args) => c.sendCommand(args);
  }
  throw new TypeError("client must be an ioredis client, a node-redis client or a command function");
}

function defaultRandom(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

function toBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array | null {
  try {
    const bin = atob(s);
    const b = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
    return b;
  } catch {
    return null;
  }
}

function replyString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  throw new TypeError("unexpected reply from the Redis client");
}

export class RedisSessionStore implements SessionStore {
  readonly #cmd: RedisCommand;
  readonly #prefix: string;
  readonly #keys: { name: Uint8Array; key: Uint8Array }[];
  readonly #random: (n: number) => Uint8Array;
  #getdel = true;
  /** Values found that did not open (wrong or unknown seal key, damaged, not ours): served as misses. */
  refused = 0;

  constructor(client: RedisClientLike, opts: RedisSessionStoreOptions = {}) {
    this.#cmd = commandOf(client);
    this.#prefix = opts.prefix ?? "tls:session:";
    if (typeof this.#prefix !== "string") throw new TypeError("prefix must be a string");
    const keys =
      opts.sealKey === undefined ? [] : Array.isArray(opts.sealKey) ? opts.sealKey : [opts.sealKey];
    this.#keys = keys.map((k, i) => {
      if (!(k instanceof Uint8Array)) throw new TypeError(`sealKey[${i}] must be a Uint8Array`);
      if (k.length !== 16 && k.length !== 32) throw new RangeError(`sealKey[${i}] must be 16 or 32 bytes`);
      return { name: hmac("sha256", k, NAME_LABEL).subarray(0, NAME_LEN), key: k.slice() };
    });
    this.#random = opts.random ?? defaultRandom;
  }

  /** Whether values are sealed at rest. */
  get sealed(): boolean {
    return this.#keys.length > 0;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const rk = this.#prefix + checkKey(key);
    return this.#decode(rk, replyString(await this.#cmd(["GET", rk])));
  }

  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    const rk = this.#prefix + checkKey(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    await this.#cmd(["SET", rk, this.#encode(rk, value), "EX", String(ttlSeconds)]);
  }

  async delete(key: string): Promise<boolean> {
    const rk = this.#prefix + checkKey(key);
    return Number(await this.#cmd(["DEL", rk])) > 0;
  }

  async take(key: string): Promise<Uint8Array | null> {
    const rk = this.#prefix + checkKey(key);
    if (this.#getdel) {
      try {
        return this.#decode(rk, replyString(await this.#cmd(["GETDEL", rk])));
      } catch (err) {
        if (!/unknown command/i.test(String((err as Error)?.message ?? err))) throw err;
        this.#getdel = false;
      }
    }
    return this.#decode(rk, replyString(await this.#cmd(["EVAL", TAKE_SCRIPT, "1", rk])));
  }

  #encode(rk: string, der: Uint8Array): string {
    if (this.#keys.length === 0) {
      const out = new Uint8Array(1 + der.length);
      out[0] = PLAIN;
      out.set(der, 1);
      return toBase64(out);
    }
    const { name, key } = this.#keys[0];
    const nonce = this.#random(NONCE_LEN);
    if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_LEN)
      throw new RangeError(`random must return ${NONCE_LEN} bytes`);
    const sealed = aesGcmSeal(key, nonce, der, new TextEncoder().encode(rk));
    const out = new Uint8Array(1 + NAME_LEN + NONCE_LEN + sealed.length);
    out[0] = SEALED;
    out.set(name, 1);
    out.set(nonce, 1 + NAME_LEN);
    out.set(sealed, 1 + NAME_LEN + NONCE_LEN);
    return toBase64(out);
  }

  #decode(rk: string, v: string | null): Uint8Array | null {
    if (v === null) return null;
    const b = fromBase64(v);
    if (b && b.length > 1 && b[0] === PLAIN && this.#keys.length === 0) return b.slice(1);
    if (b && b[0] === SEALED && b.length >= 1 + NAME_LEN + NONCE_LEN + TAG_LEN) {
      const name = b.subarray(1, 1 + NAME_LEN);
      const k = this.#keys.find((e) => constantTimeEqual(e.name, name));
      if (k) {
        try {
          return aesGcmOpen(
            k.key,
            b.subarray(1 + NAME_LEN, 1 + NAME_LEN + NONCE_LEN),
            b.subarray(1 + NAME_LEN + NONCE_LEN),
            new TextEncoder().encode(rk),
          );
        } catch {
          /* falls through: not ours */
        }
      }
    }
    this.refused++;
    return null;
  }
}

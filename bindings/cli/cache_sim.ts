// `tls-session cache-sim FILE|-`: runs a cache scenario (the language of
// tests/vectors/cache_scenarios/README.md) against our SSL_CTX cache through the raw ABI and
// prints the trace in the format of the traces taken from real OpenSSL 3.0.
// A line `%%` ends one scenario (with its teardown) and starts the next on a fresh cache.

import { rawExports, setClock } from "../index.js";
import { CacheMode, CacheStat, CallbackFlag, EventKind, ProtocolVersion } from "../abi.js";

const VERSIONS: Record<string, number> = {
  tls1: ProtocolVersion.TLS1,
  "tls1.1": ProtocolVersion.TLS1_1,
  "tls1.2": ProtocolVersion.TLS1_2,
  "tls1.3": ProtocolVersion.TLS1_3,
};
/** The scenario language's mode words: CacheMode's names in lower case. */
const MODE_WORDS: Record<string, number> = Object.fromEntries(
  Object.entries(CacheMode).map(([k, v]) => [k.toLowerCase(), v]),
);
const { REMOVE: EVENT_REMOVE, RELEASE: EVENT_RELEASE } = EventKind;
const CALLBACKS_REMOVE_AND_RELEASES = CallbackFlag.REMOVE | CallbackFlag.RELEASES;

interface Obj {
  name: string;
  handle: number;
  refs: number;
  alive: boolean;
}

class ScenarioError extends Error {}

function parseVersion(v: string): number {
  if (v in VERSIONS) return VERSIONS[v];
  if (/^0x[0-9a-f]+$/i.test(v)) return parseInt(v, 16);
  throw new ScenarioError(`bad version ${v}`);
}

/** A decimal integer (optionally negative) as the scenario language writes it. */
function int(v: string | undefined, what: string): bigint {
  if (v === undefined || !/^-?\d+$/.test(v))
    throw new ScenarioError(v === undefined ? `${what} needs a number` : `bad number ${v} for ${what}`);
  return BigInt(v);
}

function arg(args: string[], what: string): string {
  if (args[0] === undefined) throw new ScenarioError(`${what} needs an argument`);
  return args[0];
}

function hexBytes(h: string): Uint8Array {
  if (h.length % 2 || !/^[0-9a-f]*$/i.test(h)) throw new ScenarioError(`bad hex ${h}`);
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

export class CacheSim {
  readonly out: string[] = [];
  /** Lines that could not run (each also printed as `= error MESSAGE` in the trace). */
  readonly errors: { line: number; message: string }[] = [];
  private ex = rawExports();
  private ctx = 0;
  private objs: Obj[] = [];
  private byName = new Map<string, Obj>();
  private byHandle = new Map<number, Obj>();

  constructor() {
    this.reset();
  }

  private reset(): void {
    const ex = this.ex;
    this.ctx = ex.SSL_CTX_new();
    if (this.ctx <= 0) throw new Error("cannot create a cache");
    ex.tls_ctx_set_callbacks(this.ctx, CALLBACKS_REMOVE_AND_RELEASES);
    this.objs = [];
    this.byName.clear();
    this.byHandle.clear();
    setClock(0);
  }

  private line(s: string): void {
    this.out.push(s);
  }

  /** Prints "free NAME" for objects whose last reference went. */
  private reap(): void {
    for (const o of this.objs) {
      if (o.alive && this.ex.tls_session_valid(o.handle) !== 1) {
        o.alive = false;
        this.byHandle.delete(o.handle);
        this.line(`  free ${o.name}`);
      }
    }
  }

  /** Delivers the cache's events in order: remove callbacks and reference drops. */
  private drain(): void {
    const ex = this.ex;
    for (;;) {
      const ev = ex.SSL_CTX_next_event(this.ctx);
      this.reap();
      if (ev <= 0) break;
      const kind = ev & 0xff;
      if (kind === EVENT_REMOVE) {
        const h = ex.tls_ctx_event_session(this.ctx);
        this.line(`  remove_cb ${this.byHandle.get(h)?.name ?? `?${h}`}`);
      } else if (kind !== EVENT_RELEASE) {
        throw new Error(`unexpected event ${ev}`);
      }
    }
  }

  private obj(name: string): Obj {
    const o = this.byName.get(name);
    if (!o) throw new ScenarioError(`unknown object ${name}`);
    return o;
  }

  private withBytes<T>(b: Uint8Array, fn: (p: number, n: number) => T): T {
    const ex = this.ex;
    const p = ex.buf_alloc(b.length);
    new Uint8Array(ex.memory.buffer).set(b, p);
    try {
      return fn(p, b.length);
    } finally {
      ex.buf_free(p);
    }
  }

  /** Runs the k=v setters in the order written; returns their printed results. */
  private setters(h: number, kvs: string[]): string {
    const ex = this.ex;
    const parts: string[] = [];
    for (const kv of kvs) {
      const eq = kv.indexOf("=");
      if (eq < 0) throw new ScenarioError(`bad setter ${kv}`);
      const k = kv.slice(0, eq),
        v = kv.slice(eq + 1);
      switch (k) {
        case "id": {
          const b = hexBytes(v);
          parts.push(`set1_id(${b.length})=${this.withBytes(b, (p, n) => ex.SSL_SESSION_set1_id(h, p, n))}`);
          break;
        }
        case "sidctx": {
          const b = hexBytes(v);
          parts.push(
            `set1_id_context(${b.length})=${this.withBytes(b, (p, n) => ex.SSL_SESSION_set1_id_context(h, p, n))}`,
          );
          break;
        }
        case "mk": {
          const b = hexBytes(v);
          parts.push(
            `set1_master_key(${b.length})=${this.withBytes(b, (p, n) => ex.SSL_SESSION_set1_master_key(h, p, n))}`,
          );
          break;
        }
        case "mklen": {
          const n = Number(int(v, "mklen"));
          if (n < 0 || n > 4096) throw new ScenarioError(`bad length ${v} for mklen`);
          const b = new Uint8Array(n).fill(0xa5);
          parts.push(
            `set1_master_key(${n})=${this.withBytes(b, (p, l) => ex.SSL_SESSION_set1_master_key(h, p, l))}`,
          );
          break;
        }
        case "version":
          parts.push(`set_protocol_version=${ex.SSL_SESSION_set_protocol_version(h, parseVersion(v))}`);
          break;
        case "time":
          parts.push(`set_time=${ex.SSL_SESSION_set_time(h, int(v, "time"))}`);
          break;
        case "timeout":
          parts.push(`set_timeout=${ex.SSL_SESSION_set_timeout(h, int(v, "timeout"))}`);
          break;
        default:
          throw new ScenarioError(`unknown key ${k}`);
      }
    }
    return parts.join(" ");
  }

  /** A new session with the scenario defaults (TLS 1.2, a 48-byte master key), then the setters. */
  private create(name: string, kvs: string[]): [Obj, string] {
    const ex = this.ex;
    const h = ex.SSL_SESSION_new();
    ex.SSL_SESSION_set_protocol_version(h, ProtocolVersion.TLS1_2);
    this.withBytes(new Uint8Array(48).fill(0xa5), (p, n) => ex.SSL_SESSION_set1_master_key(h, p, n));
    const o: Obj = { name, handle: h, refs: 1, alive: true };
    this.objs.push(o);
    this.byName.set(name, o);
    this.byHandle.set(h, o);
    const printed = this.setters(h, kvs);
    this.drain();
    return [o, printed];
  }

  run(text: string): void {
    let lineNo = 0;
    for (const raw of text.split("\n")) {
      lineNo++;
      const line = raw.replace(/#.*/, "").trim();
      if (!line) continue;
      if (line === "%%") {
        this.finish();
        this.line("%%");
        this.reset();
        continue;
      }
      this.line(`> ${line}`);
      try {
        this.op(line);
      } catch (e) {
        // A line that cannot run (unknown op or name, a malformed value) is reported in the trace
        // and the scenario goes on, as the OpenSSL oracle does; the command then exits 1.
        const message = e instanceof Error ? e.message : String(e);
        this.errors.push({ line: lineNo, message });
        this.line(`= error ${message}`);
      }
    }
    this.finish();
  }

  private op(line: string): void {
    const ex = this.ex,
      ctx = this.ctx;
    const [op, ...args] = line.split(/\s+/);
    switch (op) {
      case "clock": {
        const t = int(args[0], "clock");
        setClock(t);
        this.line(`= ${t}`);
        break;
      }
      case "mode": {
        let m = 0;
        for (const w of args) {
          if (!(w in MODE_WORDS)) throw new ScenarioError(`unknown mode ${w}`);
          m |= MODE_WORDS[w];
        }
        const prev = ex.SSL_CTX_set_session_cache_mode(ctx, m);
        const hex4 = (x: number) => "0x" + x.toString(16).padStart(4, "0");
        this.line(`= ret=${hex4(prev)} now=${hex4(ex.SSL_CTX_get_session_cache_mode(ctx))}`);
        break;
      }
      case "size": {
        const prev = ex.SSL_CTX_sess_set_cache_size(ctx, int(args[0], "size"));
        this.line(`= ret=${prev} now=${ex.SSL_CTX_sess_get_cache_size(ctx)}`);
        break;
      }
      case "getsize":
        this.line(`= ${ex.SSL_CTX_sess_get_cache_size(ctx)}`);
        break;
      case "ctxtimeout": {
        const prev = ex.SSL_CTX_set_timeout(ctx, int(args[0], "ctxtimeout"));
        this.line(`= ret=${prev} now=${ex.SSL_CTX_get_timeout(ctx)}`);
        break;
      }
      case "new": {
        const [, printed] = this.create(arg(args, "new"), args.slice(1));
        this.line(printed ? `= ${printed}` : "=");
        break;
      }
      case "set": {
        const o = this.obj(args[0]);
        const printed = this.setters(o.handle, args.slice(1));
        this.drain();
        this.line(printed ? `= ${printed}` : "=");
        break;
      }
      case "get": {
        const h = this.obj(args[0]).handle;
        const n = ex.SSL_SESSION_get_id(h);
        const id = toHex(new Uint8Array(ex.memory.buffer).slice(ex.result_ptr(), ex.result_ptr() + n));
        const v = ex.SSL_SESSION_get_protocol_version(h);
        this.line(
          `= time=${ex.SSL_SESSION_get_time(h)} timeout=${ex.SSL_SESSION_get_timeout(h)} resumable=${ex.SSL_SESSION_is_resumable(h)} version=0x${v.toString(16).padStart(4, "0")} id=${id}`,
        );
        break;
      }
      case "add": {
        let o: Obj;
        if (args[0]?.includes("=")) {
          const id = args.find((a) => a.startsWith("id="))?.slice(3) ?? "";
          const [created, printed] = this.create(`id${id}`, args);
          this.line(printed ? `  (new ${created.name}: ${printed})` : `  (new ${created.name}:)`);
          o = created;
        } else o = this.obj(args[0]);
        const r = ex.SSL_CTX_add_session(ctx, o.handle);
        this.drain();
        this.line(`= ${r}`);
        break;
      }
      case "remove": {
        const r = ex.SSL_CTX_remove_session(ctx, this.obj(args[0]).handle);
        this.drain();
        this.line(`= ${r}`);
        break;
      }
      case "upref": {
        const o = this.obj(args[0]);
        const r = ex.SSL_SESSION_up_ref(o.handle);
        o.refs++;
        this.line(`= ${r} script_refs=${o.refs}`);
        break;
      }
      case "free": {
        const o = this.obj(args[0]);
        ex.SSL_SESSION_free(o.handle);
        o.refs--;
        if (o.refs === 0) {
          // The name falls back to the newest other object of that name the script still holds.
          const older = this.objs.filter((x) => x.name === o.name && x.refs > 0).pop();
          if (older) this.byName.set(o.name, older);
          else this.byName.delete(o.name);
        }
        this.reap();
        this.line(`= done script_refs=${o.refs}`);
        break;
      }
      case "flush": {
        ex.SSL_CTX_flush_sessions(ctx, int(args[0], "flush"));
        this.drain();
        this.line(`= number=${ex.SSL_CTX_sess_number(ctx)}`);
        break;
      }
      case "number":
        this.line(`= ${ex.SSL_CTX_sess_number(ctx)}`);
        break;
      case "has": {
        let id: Uint8Array,
          version = 0x0303;
        if (arg(args, "has").startsWith("id=")) id = hexBytes(args[0].slice(3));
        else {
          const h = this.obj(args[0]).handle;
          const n = ex.SSL_SESSION_get_id(h);
          id = new Uint8Array(ex.memory.buffer).slice(ex.result_ptr(), ex.result_ptr() + n);
          version = ex.SSL_SESSION_get_protocol_version(h);
        }
        const v = args.find((a) => a.startsWith("version="));
        if (v) version = parseVersion(v.slice(8));
        this.line(`= ${this.withBytes(id, (p, n) => ex.SSL_has_matching_session_id(ctx, version, p, n))}`);
        break;
      }
      case "stats": {
        const st = (i: number) => ex.tls_ctx_stat(ctx, i);
        const S = CacheStat;
        this.line(
          `= number=${st(S.NUMBER)} cache_full=${st(S.CACHE_FULL)} timeouts=${st(S.TIMEOUTS)} hits=${st(S.HITS)} misses=${st(S.MISSES)} cb_hits=${st(S.CB_HITS)} cache_size=${ex.SSL_CTX_sess_get_cache_size(ctx)}`,
        );
        break;
      }
      case "echo":
        break;
      default:
        throw new ScenarioError(`unknown op ${op}`);
    }
  }

  /** Teardown: the script's references in creation order, then SSL_CTX_free. */
  private finish(): void {
    const ex = this.ex;
    this.line("> (end) free script refs");
    for (const o of this.objs) {
      while (o.refs > 0) {
        ex.SSL_SESSION_free(o.handle);
        o.refs--;
        this.reap();
      }
    }
    this.line("> (end) SSL_CTX_free");
    ex.SSL_CTX_flush_sessions(this.ctx, 0n);
    this.drain();
    ex.SSL_CTX_free(this.ctx);
    this.reap();
    this.line("= done");
  }
}

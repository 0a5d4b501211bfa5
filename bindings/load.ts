// Loading the module and moving bytes across the boundary. One instance per JS realm.
// The module imports only WASI preview1 random_get and clock_time_get; both are supplied here
// from Web Crypto and Date, which every target (Node, browsers, Deno, Workers) has.

import { instantiate, instantiateSync } from "@assemblyscript/loader";
import { TlsSessionError, type TlsSessionErrorCode } from "./errors.js";
import { byteCountArg } from "./args.js";
import { STATUS_NAMES, type WasmFunctions } from "./abi.js";

/**
 * The raw exports (see docs/ABI.md), every function typed from the ABI's sources
 * (bindings/abi.ts, generated). Each call is guarded: a trap poisons the instance.
 */
export type WasmExports = WasmFunctions & { readonly memory: WasmMemory };

// The public types name WebAssembly and fetch types through `globalThis`, so the declarations
// compile without the DOM lib (Node's types alone): where a lib declares them they are the real
// types, elsewhere structural stand-ins.
/** `WebAssembly.Module`. */
export type WasmModule = typeof globalThis extends {
  // biome-ignore lint/suspicious/noExplicitAny: any constructor signature matches
  WebAssembly: { Module: abstract new (...args: any[]) => infer M };
}
  ? M
  : object;
/** `WebAssembly.Memory`. */
export type WasmMemory = typeof globalThis extends {
  // biome-ignore lint/suspicious/noExplicitAny: any constructor signature matches
  WebAssembly: { Memory: abstract new (...args: any[]) => infer M };
}
  ? M
  : { readonly buffer: ArrayBuffer; grow(delta: number): number };
/** A fetch `Response` (never where no lib declares one). */
// biome-ignore lint/suspicious/noExplicitAny: any constructor signature matches
export type FetchResponse = typeof globalThis extends { Response: abstract new (...args: any[]) => infer R }
  ? R
  : never;
/** Bytes: an ArrayBuffer or a view of one (DOM's BufferSource). */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

let exportsRef: WasmExports | null = null;
/** The same exports without the guard (see `unguarded`). */
let rawRef: WasmExports | null = null;
let poisoned: unknown = null;
let heap: Uint8Array = new Uint8Array(0);

/** Fills a buffer with random bytes. The default is Web Crypto's getRandomValues. */
export type RandomSource = (buffer: Uint8Array) => void;
let randomSource: RandomSource | null = null;

/**
 * Replaces the module's randomness (ids, IVs, keys) with `source`, or restores Web Crypto with
 * null. Only for reproducible tests: a predictable source makes tickets and ids predictable.
 */
export function setRandomSource(source: RandomSource | null): void {
  randomSource = source;
  exportsRef?.tls_random_reset();
}

let clockView: DataView | null = null;

function wasiImports(getMemory: () => WebAssembly.Memory) {
  return {
    random_get(ptr: number, len: number): number {
      const view = new Uint8Array(getMemory().buffer, ptr, len);
      try {
        if (randomSource) randomSource(view);
        // getRandomValues takes at most 65536 bytes per call.
        else
          for (let i = 0; i < len; i += 65536)
            crypto.getRandomValues(view.subarray(i, Math.min(len, i + 65536)));
      } catch {
        return 29; // WASI EIO: the module reports NO_RANDOM
      }
      return 0;
    },
    clock_time_get(_id: number, _precision: bigint, out: number): number {
      // The resumption checks read the clock on every lookup, so this allocates nothing, asks the
      // Memory for its buffer only after memory.grow detached the kept view, and writes
      // ms * 10^6 as two 32-bit words with no division or remainder of doubles (each costs more
      // than Date.now() itself): ms = hi * 2^32 + lo, lo * 10^6 < 2^52 is exact, and the high
      // word hi * 10^6 + carry fits 32 bits until the year 2500.
      try {
        let view = clockView;
        if (view === null || view.buffer.byteLength === 0)
          view = clockView = new DataView(getMemory().buffer);
        const ms = Date.now();
        const lo = ms >>> 0;
        const low = lo * 1e6;
        const lowWord = low >>> 0;
        view.setUint32(out, lowWord, true);
        view.setUint32(out + 4, ((ms - lo) / 4294967296) * 1e6 + (low - lowWord) / 4294967296, true);
      } catch {
        return 29; // WASI EIO; an import never throws into the module
      }
      return 0;
    },
  };
}

// Module selection. Two builds ship side by side: tls_session_simd.wasm (wasm SIMD: bitsliced
// AES and the SHA-256 message schedule in vectors) and tls_session.wasm (scalar, for runtimes
// without SIMD: wasm3, WAMR, Safari before 16.4). Both export the same ABI and compute the same
// bytes. TLS_SESSION_WASM=scalar|simd in the environment (where there is one) overrides the choice.

// A module whose one function is `i32.const 0; i8x16.splat; i8x16.popcnt`: valid exactly where
// the runtime has wasm SIMD.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

/** True when this runtime validates wasm SIMD instructions. */
function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The file name of the module to load here: the SIMD build where SIMD validates, else the scalar one. */
export function wasmFileName(): string {
  let forced: string | undefined;
  try {
    forced = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
      ?.TLS_SESSION_WASM;
  } catch {
    // an environment we may not read (Deno without --allow-env): detect
  }
  if (forced === "scalar") return "tls_session.wasm";
  if (forced === "simd") return "tls_session_simd.wasm";
  return simdSupported() ? "tls_session_simd.wasm" : "tls_session.wasm";
}

/** What `init` accepts: the module's bytes, a URL or Response to fetch, or a compiled module. */
export type WasmSource = WasmBytes | URL | string | FetchResponse | WasmModule;

// Instantiation goes through @assemblyscript/loader, the loader the design names for the
// bindings: instantiate (bytes, a fetched Response's bytes, or a compiled module) and
// instantiateSync (Node's import-time path, and Workers, which hand us a compiled
// WebAssembly.Module because they refuse to compile bytes). The module exports no
// runtime (`__new` and friends): the loader only needs those for its string and array helpers,
// which we do not use, and it instantiates without them. The `env` functions it adds to the
// import object are never imported: the module imports the two WASI functions below and nothing
// else (tests/platforms/loader.test.mjs). Calls go to the instance's own exports, not the
// loader's demangled wrappers, which would add a closure with rest arguments to every call.

/** The import object, with the WASI functions bound to the instance's memory once it exists. */
function importObject(): { imports: WebAssembly.Imports; bind(memory: WebAssembly.Memory): void } {
  let memory: WebAssembly.Memory | null = null;
  return {
    imports: { wasi_snapshot_preview1: wasiImports(() => memory!) },
    bind(m) {
      memory = m;
    },
  };
}

type AnyFunction = (...args: unknown[]) => unknown;

function refusePoisoned(): never {
  throw new TlsSessionError("POISONED", `the wasm instance trapped earlier and cannot be used: ${poisoned}`);
}

/**
 * `fn` guarded: it refuses once the instance is poisoned, and a trap or any other exception
 * escaping it poisons the instance. Every export the bindings (and `rawExports()`) call is one
 * of these, so no call path reaches the module unguarded. Fixed arities keep the wrapper as
 * cheap as a direct call; no export takes more than nine arguments.
 */
function guarded(fn: AnyFunction): AnyFunction {
  switch (fn.length) {
    case 0:
      return () => {
        if (poisoned) refusePoisoned();
        try {
          return fn();
        } catch (e) {
          poisonOn(e);
          throw e;
        }
      };
    case 1:
      return (a) => {
        if (poisoned) refusePoisoned();
        try {
          return fn(a);
        } catch (e) {
          poisonOn(e);
          throw e;
        }
      };
    case 2:
      return (a, b) => {
        if (poisoned) refusePoisoned();
        try {
          return fn(a, b);
        } catch (e) {
          poisonOn(e);
          throw e;
        }
      };
    case 3:
      return (a, b, c) => {
        if (poisoned) refusePoisoned();
        try {
          return fn(a, b, c);
        } catch (e) {
          poisonOn(e);
          throw e;
        }
      };
    case 4:
      return (a, b, c, d) => {
        if (poisoned) refusePoisoned();
        try {
          return fn(a, b, c, d);
        } catch (e) {
          poisonOn(e);
          throw e;
        }
      };
    default:
      return (a, b, c, d, e, f, g, h, i) => {
        if (poisoned) refusePoisoned();
        try {
          return fn(a, b, c, d, e, f, g, h, i);
        } catch (err) {
          poisonOn(err);
          throw err;
        }
      };
  }
}

/** The instance's exports with every function guarded (see `guarded`). */
function guardAll(raw: WebAssembly.Exports): WasmExports {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw))
    out[name] = typeof value === "function" ? guarded(value as AnyFunction) : value;
  return Object.freeze(out) as unknown as WasmExports;
}

/** Takes a fresh instance into use: binds the imports' memory and runs `_initialize`. */
function adopt(instance: WebAssembly.Instance, bind: (m: WebAssembly.Memory) => void): void {
  const ex = guardAll(instance.exports);
  bind(ex.memory as WebAssembly.Memory);
  ex._initialize();
  if (platformLimit !== null) ex.tls_set_memory_limit(platformLimit);
  rawRef = instance.exports as unknown as WasmExports;
  exportsRef = ex;
}

/** Instantiates the module from `source`. Idempotent once it succeeded. */
export async function init(source: WasmSource): Promise<void> {
  if (exportsRef) return;
  const { imports, bind } = importObject();
  if (source instanceof URL || typeof source === "string") source = await fetch(source);
  // A Response is read whole: streaming compilation would insist on an application/wasm type.
  if (typeof Response !== "undefined" && source instanceof Response) source = await source.arrayBuffer();
  const { instance } = await instantiate(source as WebAssembly.Module | BufferSource, imports);
  if (!exportsRef) adopt(instance, bind);
}

/** Instantiates synchronously from a compiled module or bytes (Node's import-time path, Workers). */
export function initSync(source: WasmModule | WasmBytes): void {
  if (exportsRef) return;
  const { imports, bind } = importObject();
  adopt(instantiateSync(source, imports).instance, bind);
}

export function isInitialized(): boolean {
  return exportsRef !== null;
}

/** The raw exports, for code in this package. Throws if `init` has not run or the instance trapped. */
export function wasm(): WasmExports {
  if (poisoned) refusePoisoned();
  if (!exportsRef) throw new TlsSessionError("NOT_INITIALIZED", "call init() before using tls-session-wasm");
  return exportsRef;
}

/**
 * The exports without the guard, for the hot call sites (cache lookups, add and remove, toDER,
 * free), each of which catches around its one call and hands the exception to `poisonOn`. V8
 * inlines the JS-to-wasm wrapper at a call site that sees one wasm function; the guard's call
 * site is shared by every export (its closures share feedback), so it takes the generic path.
 */
export function unguarded(): WasmExports {
  if (poisoned) refusePoisoned();
  if (!rawRef) throw new TlsSessionError("NOT_INITIALIZED", "call init() before using tls-session-wasm");
  return rawRef;
}

/** A view of linear memory, rebuilt when memory.grow has detached the old one (length 0). */
function memoryBytes(): Uint8Array {
  if (heap.byteLength === 0) heap = new Uint8Array(exportsRef!.memory.buffer);
  return heap;
}

/**
 * True for an exception that can have left the module mid-operation. The imports never throw, so
 * what escapes an export is a trap (RuntimeError) or the engine giving up on the call: a stack
 * overflow (RangeError in V8 and JavaScriptCore, InternalError in SpiderMonkey) or running out of
 * memory. The bindings' own errors (TlsSessionError, and TypeError/RangeError for bad arguments)
 * are thrown before or after the module runs and leave it consistent.
 */
function escapedWasm(e: unknown): boolean {
  if (e instanceof WebAssembly.RuntimeError) return true;
  if (!(e instanceof Error) || e instanceof TlsSessionError || e instanceof TypeError) return false;
  if (e.name === "InternalError") return true;
  return /call stack|recursion|out of memory/i.test(e.message);
}

/** Marks the instance unusable after `e` when it escaped the module (see escapedWasm). */
export function poisonOn(e: unknown): void {
  if (!poisoned && escapedWasm(e)) poisoned = (e as Error).message || String(e);
}

/** Throws the module's last error if `status` is negative; returns it otherwise. */
export function check(status: number): number {
  if (status >= 0) return status;
  throw lastError(status);
}

function lastError(status: number): TlsSessionError {
  const ex = wasm();
  const n = ex.tls_last_error_message();
  const at = ex.result_ptr() >>> 0; // addresses above 2 GiB come back as negative i32
  const message = new TextDecoder().decode(memoryBytes().slice(at, at + n));
  const code = (STATUS_NAMES[status] ?? "INVALID_ARGUMENT") as TlsSessionErrorCode;
  return new TlsSessionError(code, message || code, status, ex.tls_last_error_offset());
}

// ---- Memory: the ceiling, input sizes, and giving large areas back ----

/** The most bytes one input may have (docs/ABI.md); a larger one is refused before any work. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** The highest memory limit: all that wasm32 can address. */
const MAX_MEMORY_LIMIT = 2 ** 32;
/** Input areas and results above this are given back after the call (the module's TRIM_ABOVE). */
const TRIM_ABOVE = 64 * 1024;

/**
 * Default memory limits per platform entry. The module's own default, 512 MiB, suits a server
 * process (Node, Deno); a page shares its tab's memory; a Cloudflare Worker has 128 MB for
 * everything, JavaScript included, and linear memory may reach about twice the limit (the
 * allocator doubles memory when it grows), so Workers get 32 MiB.
 */
export const MEMORY_LIMITS = {
  server: 512 * 1024 * 1024,
  browser: 256 * 1024 * 1024,
  worker: 32 * 1024 * 1024,
};
let platformLimit: number | null = null;

/** The entry's default limit, applied when the instance is made (before any user call). */
export function usePlatformMemoryLimit(bytes: number): void {
  platformLimit = bytes;
}

/**
 * Caps the module's live allocations at `bytes` (a whole number, 0 to 2^32): beyond it calls
 * throw `TlsSessionError` NO_MEMORY instead of growing memory. A limit below current use refuses
 * every allocation until enough is freed. Throws RangeError (TypeError) for anything else.
 */
export function setMemoryLimit(bytes: number): void {
  const n = byteCountArg(bytes, "memory limit", MAX_MEMORY_LIMIT);
  check(wasm().tls_set_memory_limit(n));
}

/** The memory limit in bytes (see `setMemoryLimit`). */
export function getMemoryLimit(): number {
  return wasm().tls_get_memory_limit() as number;
}

/** What the module holds: live bytes and blocks, its handle table, the limit, and linear memory's size. */
export interface MemoryUsage {
  liveBytes: number;
  liveBlocks: number;
  tableBytes: number;
  limit: number;
  linearBytes: number;
}

export function memoryUsage(): MemoryUsage {
  const ex = wasm();
  return {
    liveBytes: ex.tls_memory_live_bytes(),
    liveBlocks: ex.tls_memory_live_blocks(),
    tableBytes: ex.tls_memory_table_bytes(),
    limit: ex.tls_get_memory_limit(),
    linearBytes: ex.memory.buffer.byteLength,
  };
}

function refuseOversize(n: number): void {
  if (n > MAX_INPUT_BYTES)
    throw new TlsSessionError(
      "NO_MEMORY",
      `an input of ${n} bytes is above the maximum of ${MAX_INPUT_BYTES} (512 MiB)`,
      -4,
    );
}

// The input area is in use between copyToInputArea and the end of withInput: large areas are
// given back only outside it.
let inputDepth = 0;
let trimDue = false;

/** Gives the module's large input area and result buffer back (the next input reserves again). */
function trimAreas(): void {
  trimDue = false;
  if (poisoned || !exportsRef) return;
  exportsRef.tls_memory_trim();
  inputPtr = 0;
  inputSize = 0;
}

/** Copies `bytes` into a fresh host buffer; the caller frees it with `ex.buf_free`. */
export function copyIn(bytes: Uint8Array): number {
  refuseOversize(bytes.length);
  const ex = wasm();
  const ptr = ex.buf_alloc(bytes.length) >>> 0;
  if (!ptr) throw new TlsSessionError("NO_MEMORY", "cannot allocate an input buffer in wasm memory", -4);
  memoryBytes().set(bytes, ptr);
  return ptr;
}

// Small results are carved out of a shared 64 KiB ArrayBuffer, as Node's Buffer pool does:
// V8 allocates a fresh small typed array in about 1 µs, a view on a pool in well under 0.1 µs.
// So `result.buffer` may be shared: copy before transferring it. Secrets are never pooled.
const POOL_SIZE = 64 * 1024;
const POOLED_MAX = 4096;
let pool: ArrayBuffer | null = null;
let poolOffset = 0;

function output(len: number, secret: boolean): Uint8Array {
  if (secret || len > POOLED_MAX) return new Uint8Array(len);
  if (pool === null || poolOffset + len > POOL_SIZE) {
    pool = new ArrayBuffer(POOL_SIZE);
    poolOffset = 0;
  }
  const out = new Uint8Array(pool, poolOffset, len);
  poolOffset += (len + 7) & ~7;
  return out;
}

/** Copies `len` bytes at `ptr` out of linear memory (pooled when small unless secret, see above). */
export function copyFrom(ptr: number, len: number, secret = false): Uint8Array {
  const out = output(len, secret);
  out.set(memoryBytes().subarray(ptr, ptr + len));
  return out;
}

/** A view of the result buffer's first `len` bytes (valid until the next call or memory.grow). */
function resultBytes(len: number): Uint8Array {
  const ptr = wasm().result_ptr() >>> 0; // addresses above 2 GiB come back as negative i32
  return memoryBytes().subarray(ptr, ptr + len);
}

/** Copies `len` bytes out of the result buffer (secret: into memory of its own, never a pool). */
export function copyOut(len: number, secret = false): Uint8Array {
  const out = output(len, secret);
  out.set(resultBytes(len));
  if (len > TRIM_ABOVE) {
    trimDue = true;
    if (inputDepth === 0) trimAreas();
  }
  return out;
}

/** Copies `len` bytes out of the result buffer to the start of `out`, memory the caller owns. */
export function copyResultInto(out: Uint8Array, len: number): void {
  out.set(resultBytes(len));
}

// The module's reusable input area (buf_scratch): its address and the size last reserved. It
// moves only when a larger reservation grows it, and every reservation goes through here.
let inputPtr = 0;
let inputSize = 0;

/**
 * The module's input area with room for `n` bytes (valid until the next reservation): refuses an
 * oversize input, gives a large area back first when a small one will do, and grows as needed.
 */
function reserveInputArea(n: number): number {
  refuseOversize(n);
  // A large area left by an earlier call (has() does not go through withInput) goes back first.
  if (inputSize > TRIM_ABOVE && n <= TRIM_ABOVE && inputDepth === 0) trimAreas();
  if (n > inputSize || inputPtr === 0) {
    const p = exportsRef!.buf_scratch(n) >>> 0;
    if (!p && n) throw new TlsSessionError("NO_MEMORY", "cannot reserve input space in wasm memory", -4);
    inputPtr = p;
    inputSize = n;
  }
  return inputPtr;
}

/** Copies `bytes` into the module's input area (valid until the next copy) and returns its address. */
export function copyToInputArea(bytes: Uint8Array): number {
  const p = reserveInputArea(bytes.length);
  memoryBytes().set(bytes, p);
  return p;
}

/**
 * Copies `a` then `b` back to back into the module's input area (valid until the next copy) and
 * returns the address of `a`; `b` starts at that address + a.length. Neither may be secret.
 */
export function copyPairToInputArea(a: Uint8Array, b: Uint8Array): number {
  const p = reserveInputArea(a.length + b.length);
  const heap = memoryBytes();
  heap.set(a, p);
  if (b.length) heap.set(b, p + a.length);
  return p;
}

/**
 * Runs `fn(ptr, len)` with `bytes` copied into the module's reusable input area, wiping it
 * afterwards unless the caller says the bytes are not secret (session ids). `fn` must not
 * itself use the input area.
 */
export function withInput<T>(bytes: Uint8Array, fn: (ptr: number, len: number) => T, secret = true): T {
  const ex = wasm();
  const ptr = copyToInputArea(bytes);
  inputDepth++;
  try {
    return fn(ptr, bytes.length);
  } catch (e) {
    poisonOn(e);
    throw e;
  } finally {
    inputDepth--;
    if (secret && !poisoned) ex.buf_scratch_wipe(bytes.length);
    if (inputDepth === 0 && (trimDue || bytes.length > TRIM_ABOVE)) trimAreas();
  }
}

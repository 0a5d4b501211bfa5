// The raw ABI, driven the way a non-JS host would: imports, handles, statuses, buffers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { randomFillSync } from "node:crypto";

const bytes = readFileSync(new URL("../../dist/tls_session.wasm", import.meta.url));
const module = new WebAssembly.Module(bytes);

/** @returns {any} The raw exports, untyped: the tests call them with every kind of argument. */
function instantiate() {
  let memory;
  /** @type {any} */
  const inst = new WebAssembly.Instance(module, {
    wasi_snapshot_preview1: {
      random_get(p, n) {
        randomFillSync(new Uint8Array(memory.buffer, p, n));
        return 0;
      },
      clock_time_get(_id, _precision, out) {
        new DataView(memory.buffer).setBigUint64(out, 1700000000n * 1000000000n, true);
        return 0;
      },
    },
  });
  memory = inst.exports.memory;
  inst.exports._initialize();
  return inst.exports;
}

function put(ex, data) {
  const p = ex.buf_alloc(data.length);
  new Uint8Array(ex.memory.buffer).set(data, p);
  return p;
}
const result = (ex, n) => new Uint8Array(ex.memory.buffer).slice(ex.result_ptr(), ex.result_ptr() + n);
const message = (ex) => new TextDecoder().decode(result(ex, ex.tls_last_error_message()));

test("the module imports only WASI random_get and clock_time_get", () => {
  const allowed = new Set([
    "wasi_snapshot_preview1.clock_time_get:function",
    "wasi_snapshot_preview1.random_get:function",
  ]);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`);
  assert.ok(imports.length >= 1, "the clock is imported");
  for (const i of imports) assert.ok(allowed.has(i), `unexpected import ${i}`);
});

test("the module exports OpenSSL's session functions under their names", () => {
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const n of [
    "SSL_SESSION_new",
    "SSL_SESSION_up_ref",
    "SSL_SESSION_free",
    "SSL_SESSION_dup",
    "d2i_SSL_SESSION",
    "i2d_SSL_SESSION",
    "PEM_read_SSL_SESSION",
    "PEM_write_SSL_SESSION",
    "SSL_SESSION_set1_id",
    "SSL_SESSION_get_master_key",
    "SSL_SESSION_set1_master_key",
    "SSL_SESSION_set_time",
    "SSL_SESSION_set_timeout",
    "SSL_SESSION_is_resumable",
    "buf_alloc",
    "buf_free",
    "result_ptr",
    "result_len",
    "tls_last_error_code",
    "tls_last_error_message",
    "memory",
  ]) {
    assert.ok(names.has(n), `missing export ${n}`);
  }
});

test("handles: freed, stale, forged and zero handles get BAD_HANDLE, never memory", () => {
  const ex = instantiate();
  const h = ex.SSL_SESSION_new();
  assert.ok(h > 0);
  assert.equal(ex.SSL_SESSION_is_resumable(h), 0);
  assert.equal(ex.SSL_SESSION_free(h), 0, "last reference: 0 left");
  assert.equal(ex.SSL_SESSION_is_resumable(h), -1, "freed handle");
  assert.equal(ex.tls_last_error_code(), -1);
  assert.match(message(ex), /stale|forged/);
  assert.equal(ex.SSL_SESSION_free(h), -1, "double free is refused");
  // A freed slot is not reused at once (docs/ABI.md): the old handle still fails, the new works.
  const h2 = ex.SSL_SESSION_new();
  assert.notEqual(h2, h);
  assert.notEqual(h2 & 0xfffff, h & 0xfffff, "another slot");
  assert.equal(ex.SSL_SESSION_is_resumable(h), -1);
  assert.equal(ex.SSL_SESSION_is_resumable(h2), 0);
  for (const forged of [0xfffff, 0x7ff00001, 12345, (h2 ^ (1 << 20)) >>> 0, 0x80000001, -1]) {
    assert.equal(ex.SSL_SESSION_is_resumable(forged), -1, `forged ${forged}`);
  }
  assert.equal(ex.SSL_SESSION_free(0), 0, "free(NULL) is a no-op");
  assert.equal(ex.tls_handles_live(), 1);
  ex.SSL_SESSION_free(h2);
  assert.equal(ex.tls_handles_live(), 0);
});

test("every handle is a positive i32", () => {
  const ex = instantiate();
  // More allocations than the quarantine and than 2^11 generations of one slot.
  for (let i = 0; i < 20000; i++) {
    const h = ex.SSL_SESSION_new();
    assert.ok(h > 0, `handle ${h} at cycle ${i}`);
    assert.equal(ex.SSL_SESSION_free(h), 0);
  }
});

test("refcounts: up_ref / free pairs, dup is independent", () => {
  const ex = instantiate();
  const h = ex.SSL_SESSION_new();
  assert.equal(ex.SSL_SESSION_up_ref(h), 1);
  assert.equal(ex.SSL_SESSION_up_ref(h), 1);
  assert.equal(ex.SSL_SESSION_free(h), 2);
  const d = ex.SSL_SESSION_dup(h);
  assert.ok(d > 0 && d !== h);
  assert.equal(ex.SSL_SESSION_free(h), 1);
  assert.equal(ex.SSL_SESSION_free(h), 0);
  assert.equal(ex.SSL_SESSION_is_resumable(d), 0, "the copy outlives the original");
  assert.equal(ex.SSL_SESSION_free(d), 0);
});

test("decode errors carry a code, a message and a byte offset; the instance stays usable", () => {
  const ex = instantiate();
  const bad = put(ex, Uint8Array.from([0x30, 0x05, 0x02, 0x01, 0x02, 0x02, 0x02]));
  const r = ex.d2i_SSL_SESSION(bad, 7);
  assert.equal(r, -5);
  assert.equal(ex.tls_last_error_code(), -5);
  assert.ok(ex.tls_last_error_offset() >= 0);
  assert.ok(message(ex).length > 0);
  ex.buf_free(bad);
  assert.equal(ex.d2i_SSL_SESSION(0, -1), -3, "negative length");
  // version 2 -> UNKNOWN_SSL_VERSION, at the version field
  const v2 = Uint8Array.from([
    0x30, 0x0f, 0x02, 0x01, 0x02, 0x02, 0x02, 0x03, 0x03, 0x04, 0x02, 0xc0, 0x2f, 0x04, 0x00, 0x04, 0x00,
  ]);
  const p = put(ex, v2);
  assert.equal(ex.d2i_SSL_SESSION(p, v2.length), -6);
  assert.equal(ex.tls_last_error_offset(), 2);
  v2[4] = 1;
  new Uint8Array(ex.memory.buffer).set(v2, p);
  const h = ex.d2i_SSL_SESSION(p, v2.length);
  assert.ok(h > 0, "a valid session decodes right after the failures");
  assert.equal(ex.tls_last_consumed(), v2.length);
  assert.equal(ex.SSL_SESSION_get_timeout(h), 3n, "absent timeout decodes as 3");
  assert.equal(ex.SSL_SESSION_get_time(h), 1700000000n, "absent time decodes as now");
  ex.buf_free(p);
  ex.SSL_SESSION_free(h);
});

test("the memory ceiling turns exhaustion into NO_MEMORY, not a trap, and nothing leaks", () => {
  const ex = instantiate();
  const h = ex.SSL_SESSION_new();
  const before = ex.tls_memory_live_bytes();
  ex.tls_set_memory_limit(before + 200);
  const key = put(ex, new Uint8Array(0)); // allocated before the squeeze
  let sawNoMemory = false;
  for (let i = 0; i < 50 && !sawNoMemory; i++) {
    const d = ex.SSL_SESSION_dup(h);
    if (d === -4) sawNoMemory = true;
  }
  assert.ok(sawNoMemory, "allocation past the ceiling is refused");
  assert.equal(ex.tls_last_error_code(), -4);
  ex.tls_set_memory_limit(512 * 1024 * 1024);
  assert.ok(ex.SSL_SESSION_is_resumable(h) === 0, "instance still usable");
  ex.buf_free(key);
});

test("every function the module exports is declared in docs/tls_session.h", async () => {
  const { readFileSync } = await import("node:fs");
  const header = readFileSync(new URL("../../docs/tls_session.h", import.meta.url), "utf8");
  const missing = WebAssembly.Module.exports(module)
    .filter((e) => e.kind === "function" && !new RegExp(`\\b${e.name}\\(`).test(header))
    .map((e) => e.name);
  assert.deepEqual(missing, [], "run node build/gen_header.mjs");
});

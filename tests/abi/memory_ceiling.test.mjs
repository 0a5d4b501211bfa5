// The memory ceiling from the raw ABI: a validated limit, NO_MEMORY instead of a trap wherever
// memory runs out (the ceiling, a limit below current use, the end of wasm32's 4 GiB), inputs
// above the maximum refused before any work, and the input and result areas given back after
// large inputs. Each test uses a fresh instance: the limit is module-wide.
import { test } from "node:test";
import assert from "node:assert/strict";
import { instantiate, put } from "./host.mjs";

const MiB = 1024 * 1024;
const NO_MEMORY = -4;
const INVALID_ARGUMENT = -3;
const MAX_AREA = 512 * MiB;

test("tls_set_memory_limit refuses what is not a whole number of bytes from 0 to 2^32", () => {
  const ex = instantiate();
  assert.equal(ex.tls_get_memory_limit(), 512 * MiB, "default 512 MiB");
  for (const v of [
    Number.NaN,
    -1,
    -0.5,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e12,
    1.5,
    2 ** 32 + 1,
  ]) {
    assert.equal(ex.tls_set_memory_limit(v), INVALID_ARGUMENT, `refuses ${v}`);
    assert.equal(ex.tls_last_error_code(), INVALID_ARGUMENT);
    assert.equal(ex.tls_get_memory_limit(), 512 * MiB, `the limit is unchanged after ${v}`);
  }
  for (const v of [0, 1024, 2 ** 32, 64 * MiB]) {
    assert.equal(ex.tls_set_memory_limit(v), 0, `accepts ${v}`);
    assert.equal(ex.tls_get_memory_limit(), v);
  }
});

test("a limit below current use refuses everything, without underflow: 1024 B, then 8 x 64 MiB", () => {
  const ex = instantiate();
  const h = ex.SSL_SESSION_new();
  assert.ok(ex.tls_memory_live_bytes() + ex.tls_memory_table_bytes() > 1024, "more than 1 KiB in use");
  const live = ex.tls_memory_live_bytes();
  assert.equal(ex.tls_set_memory_limit(1024), 0);
  for (let i = 0; i < 8; i++) {
    assert.equal(ex.buf_alloc(64 * MiB), 0, `64 MiB buffer ${i} refused`);
    assert.equal(ex.tls_last_error_code(), NO_MEMORY);
    assert.equal(ex.buf_scratch(64 * MiB), 0, `64 MiB input area ${i} refused`);
  }
  assert.equal(ex.SSL_SESSION_new(), NO_MEMORY, "even a session is refused");
  assert.equal(ex.SSL_SESSION_dup(h), NO_MEMORY);
  assert.equal(ex.tls_memory_live_bytes(), live, "nothing was allocated");
  // The error message is still readable: the smallest result buffer is static.
  const n = ex.tls_last_error_message();
  assert.ok(n > 0, "the message of a NO_MEMORY is readable under the squeeze");
  assert.equal(ex.tls_set_memory_limit(512 * MiB), 0);
  const d = ex.SSL_SESSION_dup(h);
  assert.ok(d > 0, "allocations work again once the limit is raised");
  ex.SSL_SESSION_free(d);
  ex.SSL_SESSION_free(h);
});

test("a limit of 4 GiB: memory.grow never traps, every refusal is NO_MEMORY", () => {
  const ex = instantiate();
  assert.equal(ex.tls_set_memory_limit(2 ** 32), 0);
  let big = 0;
  for (let i = 0; i < 10; i++) {
    const p = ex.buf_alloc(MAX_AREA);
    if (p === 0) {
      assert.equal(ex.tls_last_error_code(), NO_MEMORY);
      break;
    }
    big++;
  }
  assert.ok(big >= 5 && big < 8, `512 MiB buffers until wasm32's end (${big})`);
  const small = [];
  for (const size of [64 * 1024, 1024, 16]) {
    for (let p = ex.buf_alloc(size); p !== 0; p = ex.buf_alloc(size)) {
      small.push(p);
      assert.ok(small.length < 100000, "the end is reached");
    }
    assert.equal(ex.tls_last_error_code(), NO_MEMORY);
  }
  assert.equal(ex.memory.buffer.byteLength, 4 * 1024 * MiB, "linear memory reached the end of wasm32");
  assert.equal(ex.SSL_SESSION_new(), NO_MEMORY, "a session: NO_MEMORY");
  assert.equal(ex.SSL_CTX_new(), NO_MEMORY, "a cache: NO_MEMORY");
  assert.equal(ex.tls_abi_version(), 2, "the instance did not trap");
  // At 4 GiB, buffers still free and (ptr, len) arguments still check (the size is 2^32).
  for (const p of small.splice(-200)) assert.equal(ex.buf_free(p), 0);
  const h = ex.SSL_SESSION_new();
  assert.ok(h > 0, "freed blocks are used again without growing");
  const id = small.pop();
  assert.ok(id >>> 0 >= 2 ** 31, "an address above 2 GiB");
  assert.equal(ex.SSL_SESSION_set1_id(h, id, 16), 1);
  assert.equal(ex.SSL_SESSION_set1_id(h, 2 ** 32 - 8, 16), INVALID_ARGUMENT, "past the end of memory");
  assert.equal(ex.SSL_SESSION_free(h), 0);
});

test("inputs of 2 GiB and more are refused at once with NO_MEMORY (no doubling loop)", () => {
  const ex = instantiate();
  assert.equal(ex.tls_set_memory_limit(2 ** 32), 0);
  const live = ex.tls_memory_live_bytes();
  const pages = ex.memory.buffer.byteLength;
  for (const n of [MAX_AREA + 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 1, 3 * 2 ** 30]) {
    assert.equal(ex.buf_scratch(n), 0, `buf_scratch(${n})`);
    assert.equal(ex.tls_last_error_code(), NO_MEMORY);
    assert.equal(ex.buf_alloc(n), 0, `buf_alloc(${n})`);
    assert.equal(ex.tls_last_error_code(), NO_MEMORY);
  }
  assert.equal(ex.tls_memory_live_bytes(), live, "nothing allocated");
  assert.equal(ex.memory.buffer.byteLength, pages, "memory did not grow");
});

test("the input area and the result buffer shrink back after a large input", () => {
  const ex = instantiate();
  const h = ex.SSL_SESSION_new();
  ex.SSL_SESSION_set_protocol_version(h, 0x0304);
  ex.SSL_SESSION_set_cipher(h, 0x1301);
  ex.i2d_SSL_SESSION(h); // the small areas reach their size
  const base = ex.tls_memory_live_bytes();
  // A 10 MiB ticket through the input area; the session then holds it.
  const p = ex.buf_scratch(10 * MiB);
  assert.ok(p > 0);
  assert.equal(ex.SSL_SESSION_get_ticket_lifetime_hint(h), 0n);
  assert.equal(ex.tls_session_set_bytes(h, 4, p, 10 * MiB, 1), 1);
  const held = ex.tls_memory_live_bytes() - base;
  assert.ok(held >= 20 * MiB && held < 21 * MiB, `input area + ticket (${held})`);
  // The DER goes to the result buffer (10 MiB more) ...
  const n = ex.i2d_SSL_SESSION(h);
  assert.ok(n > 10 * MiB);
  assert.ok(ex.tls_memory_live_bytes() - base > 30 * MiB);
  // ... and the next small input and result give both back.
  assert.ok(ex.buf_scratch(100) > 0);
  assert.ok(ex.SSL_SESSION_get_id(h) >= 0);
  assert.ok(ex.tls_memory_live_bytes() - base < 10 * MiB + 4096, "only the session's ticket is left");
  // tls_memory_trim gives them back at once.
  assert.ok(ex.buf_scratch(5 * MiB) > 0);
  assert.ok(ex.i2d_SSL_SESSION(h) > 10 * MiB);
  assert.ok(ex.tls_memory_trim() >= 15 * MiB, "trim frees both areas");
  assert.ok(ex.tls_memory_live_bytes() - base < 10 * MiB + 4096);
  assert.equal(ex.tls_memory_trim(), 0, "nothing more to give back");
  ex.SSL_SESSION_free(h);
  assert.ok(ex.tls_memory_live_bytes() <= base, "back to the baseline");
});

test("a host buffer of the documented maximum works; one byte more is refused", () => {
  const ex = instantiate();
  assert.equal(ex.buf_alloc(MAX_AREA), 0, "at the default ceiling of 512 MiB, a 512 MiB buffer does not fit");
  assert.equal(ex.tls_set_memory_limit(1024 * MiB), 0);
  const p = ex.buf_alloc(MAX_AREA);
  assert.ok(p !== 0, "512 MiB buffer");
  assert.equal(ex.buf_alloc(MAX_AREA + 1), 0);
  assert.equal(ex.tls_last_error_code(), NO_MEMORY);
  assert.equal(ex.buf_free(p), 0);
  const q = put(ex, new Uint8Array(16));
  assert.ok(q > 0, "usable afterwards");
  ex.buf_free(q);
});

// Every export that takes memory checks its (pointer, length) ranges and returns a status: a
// range outside linear memory is INVALID_ARGUMENT, never a trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { instantiate } from "./host.mjs";

const INVALID_ARGUMENT = -3;
const header = readFileSync(new URL("../../docs/tls_session.h", import.meta.url), "utf8");
const decls = [
  ...header.matchAll(/^(int32_t|int64_t|uint32_t|tls_ptr|double|void)\s+(\w+)\(([^)]*)\);/gm),
].map((m) => ({
  name: m[2],
  params:
    m[3].trim() === "void"
      ? []
      : m[3].split(",").map((p) => ({ type: p.trim().split(/\s+/)[0], name: p.trim().split(/\s+/)[1] })),
}));
const HANDLE_NAMES = new Set(["h", "ctxHandle", "ch", "to", "sh", "from"]);
const withMemory = decls.filter((d) => d.params.some((p) => p.type === "tls_ptr"));

function objects(ex) {
  const cache = ex.SSL_CTX_new();
  return [ex.SSL_SESSION_new(), cache, ex.SSL_new(cache, 1), ex.tls_ticket_keys_new(), ex.hash_new(1)];
}

/** Plausible values for the other arguments, so the pointer check is what decides. */
function value(p) {
  if (p.type.endsWith("int64_t")) return 0n;
  if (/^alg$/.test(p.name)) return 1;
  if (/len|Len|length|Length/.test(p.name)) return 32;
  if (p.name === "present" || p.name === "verifyData") return 1;
  return 0;
}

const BAD = [
  [0xfffffff0, 32],
  [0x7ffffff0, 64],
  [16, 0xffffff00],
];

test("exports taking memory are the ones this test walks", () => {
  assert.ok(withMemory.length >= 45, `${withMemory.length} exports take a pointer`);
});

test("every (ptr, len) outside linear memory gives a status, never a trap", () => {
  const problems = [];
  for (const d of withMemory) {
    if (d.name === "buf_free") continue; // tested below
    d.params.forEach((p, i) => {
      if (p.type !== "tls_ptr") return;
      const lenIndex = /len|Len/.test(d.params[i + 1]?.name ?? "") ? i + 1 : -1;
      for (const [ptr, len] of BAD) {
        const handleIdx = d.params.findIndex((q) => HANDLE_NAMES.has(q.name) && q.type === "uint32_t");
        const candidates = handleIdx < 0 ? [0] : [0, 1, 2, 3, 4];
        let sawInvalid = false;
        for (const k of candidates) {
          const ex = instantiate();
          const objs = objects(ex);
          const args = d.params.map((q) =>
            HANDLE_NAMES.has(q.name) && q.type === "uint32_t" ? objs[k] : value(q),
          );
          if (d.params.filter((q) => HANDLE_NAMES.has(q.name)).length > 1) {
            // A second handle is a session (SSL_CTX_add_session style) or a connection (copy).
            d.params.forEach((q, j) => {
              if (j !== handleIdx && q.name === "sh") args[j] = objs[0];
            });
          }
          args[i] = ptr;
          if (lenIndex >= 0) args[lenIndex] = len;
          let r;
          try {
            r = ex[d.name](...args);
          } catch (e) {
            problems.push(`${d.name} arg ${p.name}=${ptr.toString(16)} len ${len}: ${e.message}`);
            break;
          }
          const code = typeof r === "bigint" ? ex.tls_last_error_code() : r;
          if (code === INVALID_ARGUMENT) sawInvalid = true;
        }
        if (!sawInvalid && !(lenIndex < 0 && ptr === 16))
          problems.push(`${d.name} arg ${p.name}=${ptr.toString(16)}: no INVALID_ARGUMENT`);
      }
    });
  }
  assert.deepEqual(problems, []);
});

test("buf_free refuses pointers it did not hand out, and double frees", () => {
  const ex = instantiate();
  const base = ex.tls_memory_live_bytes();
  const p = ex.buf_alloc(100);
  assert.ok(p > 0);
  for (const bad of [0xfffffff0, 8, p + 16, p + 1, p - 16, 0x10000]) {
    assert.equal(ex.buf_free(bad), INVALID_ARGUMENT, `buf_free(${bad})`);
  }
  assert.equal(ex.buf_free(p), 0);
  assert.equal(ex.buf_free(p), INVALID_ARGUMENT, "double free");
  assert.equal(ex.buf_free(0), 0, "free(NULL)");
  assert.equal(ex.tls_memory_live_bytes(), base);
  assert.equal(ex.buf_alloc(0xfffffff8), 0, "a size that would wrap is refused");
  assert.equal(ex.tls_last_error_code(), -4);
  assert.equal(ex.buf_scratch(0x80000001), 0, "an input area above the maximum is refused at once");
});

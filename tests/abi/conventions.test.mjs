// One failure convention across every export (docs/ABI.md, "Conventions"): a freed or forged
// handle gets BAD_HANDLE, a live handle of another kind WRONG_KIND; i32 exports return the status,
// i64 exports return the sentinel -2^63 with the status in tls_last_error_code().
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { instantiate } from "./host.mjs";

const BAD_HANDLE = -1;
const WRONG_KIND = -2;
const I64_FAULT = -(2n ** 63n);
const header = readFileSync(new URL("../../docs/tls_session.h", import.meta.url), "utf8");

/** Every declared export: name, result type, parameter types and names. */
const decls = [
  ...header.matchAll(/^(int32_t|int64_t|uint32_t|tls_ptr|double|void)\s+(\w+)\(([^)]*)\);/gm),
].map((m) => ({
  name: m[2],
  result: m[1],
  params:
    m[3].trim() === "void"
      ? []
      : m[3].split(",").map((p) => ({ type: p.trim().split(/\s+/)[0], name: p.trim().split(/\s+/)[1] })),
}));
const HANDLE_NAMES = new Set(["h", "ctxHandle", "ch", "to"]);
const byHandle = decls.filter((d) => d.params.length && HANDLE_NAMES.has(d.params[0].name));

function objects(ex) {
  const cache = ex.SSL_CTX_new();
  return {
    session: ex.SSL_SESSION_new(),
    cache,
    connection: ex.SSL_new(cache, 1),
    ticketKeys: ex.tls_ticket_keys_new(),
    hasher: ex.hash_new(1),
  };
}

function invoke(ex, d, first) {
  const args = d.params.map((p, i) => (i === 0 ? first : p.type.endsWith("int64_t") ? 0n : 0));
  const r = ex[d.name](...args);
  const fault = typeof r === "bigint" ? r === I64_FAULT : r < 0;
  const code = typeof r === "bigint" ? (fault ? ex.tls_last_error_code() : 0) : fault ? r : 0;
  return { r, fault, code };
}

test("the header declares the handle-taking exports this test walks", () => {
  assert.ok(byHandle.length >= 100, `${byHandle.length} exports take a handle first`);
});

test("every export: WRONG_KIND for a live handle of another kind, BAD_HANDLE for a dead or forged one", () => {
  const problems = [];
  for (const d of byHandle) {
    const ex = instantiate();
    const objs = objects(ex);
    const accepted = [];
    for (const [kind, h] of Object.entries(objs)) {
      const { fault, code } = invoke(ex, d, h);
      if (fault && code === WRONG_KIND) {
        if (d.result === "int32_t" && ex.tls_last_error_code() !== WRONG_KIND)
          problems.push(`${d.name}: last error disagrees`);
        continue;
      }
      accepted.push(kind);
    }
    if (accepted.length !== 1) {
      problems.push(`${d.name}: accepted ${accepted.join(",") || "no kind"}`);
      continue;
    }
    // A freed handle of the accepted kind, and forged values.
    const ex2 = instantiate();
    const o2 = objects(ex2);
    const kind = accepted[0];
    const h = o2[kind];
    const free = {
      session: "SSL_SESSION_free",
      cache: "SSL_CTX_free",
      connection: "SSL_free",
      ticketKeys: "tls_ticket_keys_free",
      hasher: "hash_free",
    }[kind];
    if (kind === "cache") ex2.SSL_free(o2.connection);
    assert.equal(ex2[free](h), 0, `${free} frees`);
    for (const dead of [h, 0x7fffffff, 0x12345, (h ^ (1 << 20)) >>> 0]) {
      const { fault, code } = invoke(ex2, d, dead);
      if (d.name.endsWith("_free") && dead === 0) continue;
      if (!fault || code !== BAD_HANDLE) problems.push(`${d.name}(${dead}): ${fault ? code : "no fault"}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("i64 exports: a legitimate -1 is told apart from a fault", () => {
  const ex = instantiate();
  const c = ex.SSL_CTX_new();
  assert.equal(ex.SSL_CTX_set_timeout(c, -1n), 7200n);
  assert.equal(ex.SSL_CTX_set_timeout(c, 5n), -1n, "OpenSSL takes any long, -1 included");
  assert.equal(ex.SSL_CTX_get_timeout(c), 5n);
  const s = ex.SSL_SESSION_new();
  assert.equal(ex.SSL_CTX_get_timeout(s), I64_FAULT);
  assert.equal(ex.tls_last_error_code(), WRONG_KIND);
  assert.equal(ex.SSL_SESSION_get_time(c), I64_FAULT);
  assert.equal(ex.tls_last_error_code(), WRONG_KIND);
  assert.equal(ex.tls_ctx_stat(c, 99), I64_FAULT);
  assert.equal(ex.tls_last_error_code(), -3);
  assert.equal(ex.tls_session_get_int(s, 99), I64_FAULT);
  assert.equal(ex.tls_last_error_code(), -3);
  ex.SSL_CTX_free(c);
  assert.equal(ex.SSL_CTX_get_timeout(c), I64_FAULT);
  assert.equal(ex.tls_last_error_code(), BAD_HANDLE);
});

test("OpenSSL-named exports keep OpenSSL's success values; failure is negative", () => {
  const ex = instantiate();
  const s = ex.SSL_SESSION_new();
  const c = ex.SSL_CTX_new();
  const ssl = ex.SSL_new(c, 1);
  assert.equal(ex.SSL_set_session(ssl, s), 1);
  assert.equal(ex.SSL_set_session(ssl, c), WRONG_KIND);
  assert.equal(ex.SSL_CTX_add_session(c, s), 1);
  assert.equal(ex.SSL_CTX_add_session(c, s), 0, "OpenSSL's 0: already cached");
  assert.equal(ex.SSL_CTX_add_session(s, s), WRONG_KIND);
  assert.ok(ex.tls_abi_version() >= 2, "the ABI version says which convention holds");
});

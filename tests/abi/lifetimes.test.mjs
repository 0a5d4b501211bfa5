// OpenSSL's lifetimes across the ABI: a connection holds a counted reference on its cache
// (SSL_new takes one, SSL_free drops it), SSL_CTX_free drops only the caller's, pending events
// hold the sessions they name, and a session's link to its cache stays uncounted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { instantiate, put } from "./host.mjs";

const BAD_HANDLE = -1;
const TLS1_2 = 0x0303;

/** A server connection on `ctx` whose full handshake left a session in the cache. */
function handshake(ex, ctx) {
  const ssl = ex.SSL_new(ctx, 1);
  assert.ok(ssl > 0);
  assert.equal(ex.tls_ssl_handshake_start(ssl, TLS1_2), 1);
  assert.ok(ex.tls_ssl_new_session(ssl, 1) > 0);
  assert.equal(ex.tls_ssl_handshake_done(ssl, 0), 1);
  return ssl;
}

function stats(ex, ctx) {
  return Array.from({ length: 12 }, (_, i) => ex.tls_ctx_stat(ctx, i));
}

test("freeing the cache before its connection leaves the cache alive until SSL_free", () => {
  const ex = instantiate();
  ex.SSL_SESSION_free(ex.SSL_SESSION_new()); // the handle table's first block stays
  const bytes0 = ex.tls_memory_live_bytes();
  const handles0 = ex.tls_handles_live();
  const a = ex.SSL_CTX_new();
  const ssl = handshake(ex, a);
  assert.equal(ex.SSL_CTX_sess_number(a), 1);
  assert.equal(ex.tls_ctx_references(a), 2, "the host's reference and the connection's");
  // The natural shutdown order: the context first. OpenSSL only drops the caller's reference.
  assert.equal(ex.SSL_CTX_free(a), 1, "one reference (the connection's) remains");
  assert.equal(ex.SSL_CTX_sess_number(a), 1, "the cache and its sessions are still there");

  // Another cache, made while the first one waits for its connection.
  const b = ex.SSL_CTX_new();
  const s = ex.SSL_SESSION_new();
  const id = put(ex, new Uint8Array(32).fill(7));
  assert.equal(ex.SSL_SESSION_set1_id(s, id, 32), 1);
  assert.equal(ex.SSL_SESSION_set_protocol_version(s, TLS1_2), 1);
  assert.equal(ex.SSL_CTX_add_session(b, s), 1);
  const before = stats(ex, b);

  // The connection goes (its session is open, so the bad-session rule removes it): only now is
  // the first cache freed, and nothing of the second one changes.
  assert.equal(ex.SSL_free(ssl), 0);
  assert.equal(ex.SSL_CTX_sess_number(a), BAD_HANDLE, "the last reference freed the cache");
  assert.deepEqual(stats(ex, b), before);
  assert.equal(ex.SSL_CTX_sess_number(b), 1);
  assert.equal(ex.SSL_has_matching_session_id(b, 0x0303, id, 32), 1);

  assert.equal(ex.SSL_SESSION_free(s), 1, "b still holds it");
  assert.equal(ex.SSL_CTX_free(b), 0);
  ex.buf_free(id);
  assert.equal(ex.tls_handles_live(), handles0);
  assert.equal(ex.tls_memory_live_bytes(), bytes0, "every byte back");
});

test("SSL_CTX_up_ref adds a reference; each SSL_CTX_free drops one", () => {
  const ex = instantiate();
  const c = ex.SSL_CTX_new();
  assert.equal(ex.SSL_CTX_up_ref(c), 1);
  assert.equal(ex.SSL_CTX_up_ref(c), 1);
  assert.equal(ex.tls_ctx_references(c), 3);
  assert.equal(ex.SSL_CTX_free(c), 2);
  assert.equal(ex.SSL_CTX_free(c), 1);
  assert.equal(ex.SSL_CTX_get_session_cache_mode(c), 2, "still usable");
  assert.equal(ex.SSL_CTX_free(c), 0);
  assert.equal(ex.SSL_CTX_up_ref(c), BAD_HANDLE);
  assert.equal(ex.SSL_CTX_free(c), BAD_HANDLE, "double free is refused");
  assert.equal(ex.tls_handles_live(), 0);
});

test("many connections: the cache goes with the last one, in any order", () => {
  const ex = instantiate();
  ex.SSL_SESSION_free(ex.SSL_SESSION_new()); // the handle table's first block stays
  const bytes0 = ex.tls_memory_live_bytes();
  const c = ex.SSL_CTX_new();
  const conns = Array.from({ length: 8 }, () => handshake(ex, c));
  assert.equal(ex.tls_ctx_references(c), 9);
  assert.equal(ex.SSL_CTX_free(c), 8);
  for (const [i, ssl] of conns.entries()) {
    assert.equal(ex.SSL_set_shutdown(ssl, 1), 1, "a clean close keeps the session cached");
    assert.equal(ex.SSL_free(ssl), 0);
    assert.equal(ex.SSL_CTX_sess_number(c), i < 7 ? 8 : BAD_HANDLE);
  }
  assert.equal(ex.tls_handles_live(), 0);
  assert.equal(ex.tls_memory_live_bytes(), bytes0);
});

test("a pending event holds its session after the host dropped its own reference", () => {
  const ex = instantiate();
  const c = ex.SSL_CTX_new();
  assert.equal(ex.tls_ctx_set_callbacks(c, 1), 1);
  const s = ex.SSL_SESSION_new();
  const id = put(ex, new Uint8Array(32).fill(9));
  ex.SSL_SESSION_set1_id(s, id, 32);
  assert.equal(ex.SSL_CTX_add_session(c, s), 1);
  assert.equal(ex.SSL_CTX_remove_session(c, s), 1);
  // The queued REMOVE holds one reference, the cache's own (a RELEASE after it) another.
  assert.equal(ex.SSL_SESSION_free(s), 2, "the queued events hold it");
  assert.equal(ex.SSL_CTX_next_event(c) & 0xff, 1);
  assert.equal(ex.tls_ctx_event_session(c), s);
  assert.equal(ex.SSL_SESSION_get_id(s), 32, "the event's session is alive");
  assert.equal(ex.SSL_CTX_next_event(c), 0);
  assert.equal(ex.SSL_SESSION_get_id(s), BAD_HANDLE, "the queue's reference was the last");
  ex.SSL_CTX_free(c);
  ex.buf_free(id);
  assert.equal(ex.tls_handles_live(), 0);
});

test("a session's link to its cache is uncounted: the cache can be freed while it holds sessions", () => {
  const ex = instantiate();
  const c = ex.SSL_CTX_new();
  const s = ex.SSL_SESSION_new();
  const id = put(ex, new Uint8Array(32).fill(3));
  ex.SSL_SESSION_set1_id(s, id, 32);
  assert.equal(ex.SSL_CTX_add_session(c, s), 1);
  assert.equal(ex.SSL_CTX_free(c), 0, "the cached session does not keep its cache");
  assert.equal(ex.tls_session_get_int(s, 14), 1n, "the host's reference only");
  const d = ex.SSL_CTX_new();
  assert.equal(ex.SSL_CTX_add_session(d, s), 1, "no longer owned by the freed cache");
  ex.SSL_SESSION_free(s);
  ex.SSL_CTX_free(d);
  ex.buf_free(id);
  assert.equal(ex.tls_handles_live(), 0);
});

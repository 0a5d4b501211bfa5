// SSL_get_session is SSL_get0_session under its older name: the handle, no reference for the
// caller; ABSENT without a session; BAD_HANDLE for a stale connection.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rawExports } from "../../dist/index.js";

test("SSL_get_session: get0's meaning (no reference), ABSENT without a session", () => {
  const ex = rawExports();
  const ctx = ex.SSL_CTX_new();
  const ssl = ex.SSL_new(ctx, 0);
  assert.equal(ex.SSL_get_session(ssl), -17);
  const s = ex.SSL_SESSION_new();
  assert.equal(ex.SSL_set_session(ssl, s), 1);
  const refs = () => Number(ex.tls_session_get_int(s, 14));
  assert.equal(refs(), 2);
  assert.equal(ex.SSL_get_session(ssl), s);
  assert.equal(ex.SSL_get_session(ssl), ex.SSL_get0_session(ssl));
  assert.equal(refs(), 2, "SSL_get_session must not add a reference");
  assert.equal(ex.SSL_get1_session(ssl), s);
  assert.equal(refs(), 3);
  ex.SSL_SESSION_free(s);
  ex.SSL_free(ssl);
  assert.equal(ex.SSL_get_session(ssl), -1);
  assert.equal(ex.SSL_SESSION_free(s), 0);
  ex.SSL_CTX_free(ctx);
});

// Session semantics through the bindings: OpenSSL 3.0's defaults, accessor limits and returns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Session, TlsSessionError, setClock, rawExports, sessionToJSON } from "../../dist/index.js";

const hex = (b) => Buffer.from(b).toString("hex");

test("SSL_SESSION_new defaults: timeout 304, verify_result 1, MFL 255 (read as 0), not resumable", () => {
  setClock(1700000000);
  const s = Session.new();
  assert.equal(s.timeout, 304n);
  assert.equal(s.time, 1700000000n);
  assert.equal(s.verifyResult, 1);
  // Stored 255 (UNSPECIFIED); SSL_SESSION_get_max_fragment_length reads it as 0, as libssl does.
  assert.equal(s.maxFragmentLength, 0);
  assert.equal(s.resumable, false);
  assert.equal(s.cipherSuite, null);
  assert.throws(
    () => s.toDER(),
    (e) => e instanceof TlsSessionError && e.code === "NO_CIPHER",
  );
  s.cipherSuite = 0x1301;
  s.protocolVersion = 0x0304;
  // A bare session writes [4] empty, [5] 1, [17] 255 and [19] 0, as OpenSSL does.
  const der = hex(s.toDER());
  assert.ok(der.includes("a4020400"), der);
  assert.ok(der.includes("a503020101"), der);
  assert.ok(der.includes("b104020200ff"), der);
  assert.ok(der.endsWith("b303020100"), der);
  setClock(null);
});

test("limits: id and sid_ctx at most 32 bytes, master key at most 512", () => {
  const s = Session.new();
  s.id = new Uint8Array(32).fill(1);
  assert.throws(() => {
    s.id = new Uint8Array(33);
  }, RangeError);
  assert.equal(hex(s.id), "01".repeat(32), "a refused set leaves the old value");
  s.sidCtx = new Uint8Array(32);
  assert.throws(() => {
    s.sidCtx = new Uint8Array(33);
  }, RangeError);
  s.masterKey = new Uint8Array(512).fill(7);
  assert.equal(s.masterKey.length, 512);
  assert.throws(() => {
    s.masterKey = new Uint8Array(513);
  }, RangeError);
  const ex = rawExports();
  assert.equal(ex.SSL_SESSION_get_master_key(s.handle, 0), 512, "outlen 0 returns the stored length");
  assert.equal(ex.SSL_SESSION_get_master_key(s.handle, 10), 10, "copies min(outlen, len)");
});

test("set_time returns t; set_timeout refuses negatives with 0", () => {
  const s = Session.new();
  const ex = rawExports();
  assert.equal(ex.SSL_SESSION_set_time(s.handle, 12345n), 12345n);
  assert.equal(s.time, 12345n);
  assert.equal(ex.SSL_SESSION_set_timeout(s.handle, -1n), 0);
  assert.equal(ex.SSL_SESSION_set_timeout(s.handle, 60n), 1);
  assert.throws(() => {
    s.timeout = -5;
  }, RangeError);
  assert.equal(s.timeout, 60n);
});

test("is_resumable: needs an id or a non-empty ticket", () => {
  const s = Session.new();
  assert.equal(s.resumable, false);
  s.ticket = new Uint8Array(0);
  assert.equal(s.resumable, false, "empty ticket");
  s.ticket = Uint8Array.of(1, 2, 3);
  assert.equal(s.resumable, true);
  s.ticket = null;
  s.id = Uint8Array.of(9);
  assert.equal(s.resumable, true);
});

test("hostname and ALPN: NULL clears, empty ALPN clears, strings truncate at NUL on decode", () => {
  const s = Session.new();
  s.cipherSuite = 0xc02f;
  s.protocolVersion = 0x0303;
  s.hostname = "example.com";
  s.alpn = "h2";
  assert.equal(s.hostname, "example.com");
  assert.equal(Buffer.from(s.alpn).toString(), "h2");
  s.alpn = new Uint8Array(0);
  assert.equal(s.alpn, null);
  s.hostname = "a\0b";
  const back = Session.fromDER(s.toDER());
  assert.equal(back.hostname, "a", "strndup stops at the first NUL");
  s.hostname = null;
  assert.equal(s.hostname, null);
});

test("Symbol.dispose frees the reference", () => {
  const s = Session.new();
  const h = s.handle;
  s[Symbol.dispose]();
  assert.equal(s.freed, true);
  assert.equal(rawExports().SSL_SESSION_is_resumable(h), -1, "the handle is dead");
});

test("reference counting through upRef/free and dispose; dup copies not_resumable as is", () => {
  const a = Session.new();
  const b = a.upRef();
  assert.equal(a.references, 2);
  a.free();
  assert.equal(a.freed, true);
  assert.throws(
    () => a.timeout,
    (/** @type {any} */ e) => e.code === "FREED",
  );
  assert.equal(b.references, 1);
  b.masterKey = Uint8Array.of(1, 2, 3);
  const c = b.dup();
  b.free();
  assert.equal(hex(c.masterKey), "010203");
  c.free();
  c.free(); // idempotent
});

test("d2i ignores bytes after the SEQUENCE and reports what it consumed", () => {
  const s = Session.new();
  s.cipherSuite = 0x1302;
  s.protocolVersion = 0x0304;
  const der = s.toDER();
  const withTail = new Uint8Array([...der, 0xde, 0xad]);
  const back = Session.fromDER(withTail);
  assert.equal(back.bytesConsumed, der.length);
  assert.equal(hex(back.toDER()), hex(der));
  const json = sessionToJSON(back);
  assert.equal(json.bytesConsumed, der.length);
  assert.equal(json.cipher, "TLS_AES_256_GCM_SHA384");
});

test("toDER(out) writes the same bytes into the caller's buffer; too short leaves it untouched", () => {
  const s = Session.new();
  s.cipherSuite = 0x1301;
  s.protocolVersion = 0x0304;
  s.hostname = "example.com";
  const der = s.toDER();
  const big = new Uint8Array(der.length + 10).fill(0xee);
  const got = s.toDER(big);
  assert.equal(hex(got), hex(der));
  assert.equal(got.buffer, big.buffer, "a view of the caller's buffer");
  assert.equal(got.byteOffset, 0);
  assert.equal(hex(big.subarray(der.length)), "ee".repeat(10), "nothing written past the DER");
  const exact = new Uint8Array(der.length);
  assert.equal(s.toDER(exact), exact);
  assert.equal(hex(exact), hex(der));
  const short = new Uint8Array(der.length - 1).fill(0x55);
  assert.throws(
    () => s.toDER(short),
    (e) => e instanceof RangeError && e.message.includes(String(der.length)),
  );
  assert.equal(hex(short), "55".repeat(der.length - 1));
  assert.throws(() => s.toDER(/** @type {any} */ ([1, 2, 3])), TypeError);
  // A session with no cipher writes nothing into the buffer either.
  const bare = Session.new();
  assert.throws(
    () => bare.toDER(big),
    (e) => e instanceof TlsSessionError && e.code === "NO_CIPHER",
  );
  bare.free();
  s.free();
});

test("bad inputs raise TlsSessionError with a code and offset; wrong types raise TypeError", () => {
  assert.throws(
    () => Session.fromDER(Uint8Array.of(0x30, 0x80)),
    (e) => e instanceof TlsSessionError && e.code === "ASN1",
  );
  assert.throws(
    () => Session.fromPEM("hello"),
    (/** @type {any} */ e) => e.code === "PEM",
  );
  // @ts-expect-error: a string is the mistake under test
  assert.throws(() => Session.fromDER("nope"), TypeError);
  const s = Session.new();
  assert.throws(() => {
    s.cipherSuite = 0x0000;
  }, RangeError);
  assert.throws(
    () => {
      s.peerCertificate = Uint8Array.of(0x30, 0x00);
    },
    (/** @type {any} */ e) => e.code === "BAD_CERTIFICATE",
  );
});

test("PEM round trip uses the SSL SESSION PARAMETERS label and 64-column lines", () => {
  const s = Session.new();
  s.cipherSuite = 0x1301;
  s.protocolVersion = 0x0304;
  s.ticket = new Uint8Array(200).fill(0xab);
  const pem = s.toPEM();
  assert.match(pem, /^-----BEGIN SSL SESSION PARAMETERS-----\n/);
  assert.match(pem, /\n-----END SSL SESSION PARAMETERS-----\n$/);
  for (const line of pem.trim().split("\n").slice(1, -1)) assert.ok(line.length <= 64);
  const back = Session.fromPEM("junk before\n" + pem + "junk after\n");
  assert.equal(hex(back.toDER()), hex(s.toDER()));
});

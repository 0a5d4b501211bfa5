// Secrets are wiped and memory returns to its baseline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Session, rawExports } from "../../dist/index.js";

function contains(haystack, needle) {
  return (
    Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle)) >= 0
  );
}

test("no copy of the master key stays in linear memory after the last free", () => {
  const ex = rawExports();
  const key = randomBytes(48);
  const s = Session.new();
  s.cipherSuite = 0xc02f;
  s.protocolVersion = 0x0303;
  s.id = randomBytes(32);
  s.masterKey = key;
  assert.ok(contains(new Uint8Array(ex.memory.buffer), key), "the key is in memory while the session lives");
  const der = s.toDER();
  const pem = s.toPEM();
  assert.deepEqual(Buffer.from(s.masterKey), key);
  const again = Session.fromDER(der);
  const third = Session.fromPEM(pem);
  const copy = s.dup();
  for (const x of [s, again, third, copy]) x.free();
  const mem = new Uint8Array(ex.memory.buffer);
  assert.equal(contains(mem, key), false, "master key found in memory after free");
  assert.equal(contains(mem, key.subarray(0, 12)), false, "a 12-byte piece of the key found after free");
});

test("100,000 sessions made and freed: live bytes and handles back to baseline, memory bounded", () => {
  const ex = rawExports();
  const template = Session.new();
  template.cipherSuite = 0x1301;
  template.protocolVersion = 0x0304;
  template.hostname = "example.com";
  template.alpn = "h2";
  template.ticket = randomBytes(200);
  template.masterKey = randomBytes(32);
  const der = template.toDER();
  template.free();
  Session.fromDER(der).free(); // warm up: the module's scratch buffers reach their size
  const base = ex.tls_memory_live_bytes();
  const baseHandles = ex.tls_handles_live();
  const pagesBefore = ex.memory.buffer.byteLength;
  for (let i = 0; i < 100000; i++) {
    const s = Session.fromDER(der);
    if (i % 3 === 0) s.upRef().free();
    s.free();
  }
  assert.equal(ex.tls_memory_live_bytes(), base, "live bytes back to baseline");
  assert.equal(ex.tls_handles_live(), baseHandles, "no handle leaked");
  assert.ok(
    ex.memory.buffer.byteLength <= pagesBefore + (1 << 20),
    "linear memory did not grow with the count",
  );
});

// Objects people look at: Session's toJSON and console.log view (never a secret), alpnText, and
// SessionCache's options object and once().
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { readFileSync } from "node:fs";
import { Session, SessionCache, CacheMode, sessionToJSON, alpnText } from "../../dist/index.js";

const MASTER = new Uint8Array(48).fill(0xab);
function session() {
  const s = Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1301;
  s.id = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  s.masterKey = MASTER;
  s.hostname = "example.com";
  s.alpn = "h2";
  s.time = 1700000000;
  s.timeout = 7200;
  return s;
}
const masterHex = Buffer.from(MASTER).toString("hex");

test("Session.toJSON is sessionToJSON without secrets", () => {
  const s = session();
  const j = JSON.parse(JSON.stringify(s));
  assert.deepEqual(j, JSON.parse(JSON.stringify(sessionToJSON(s))));
  assert.equal(j.masterKey, null);
  assert.equal(j.hostname, "example.com");
  assert.equal(j.alpn, "6832");
  assert.equal(j.alpnText, "h2");
  assert.ok(!JSON.stringify(s).includes(masterHex));
  s.free();
  assert.deepEqual(JSON.parse(JSON.stringify(s)), { freed: true });
});

test("console.log(session) shows protocol, cipher, host, id prefix, expiry, resumable; no secret", () => {
  const s = session();
  const text = inspect(s);
  assert.match(text, /^Session \{/);
  assert.match(text, /protocol: 'TLSv1\.3'/);
  assert.match(text, /cipher: 'TLS_AES_128_GCM_SHA256'/);
  assert.match(text, /hostname: 'example\.com'/);
  assert.match(text, /id: '01020304… \(32 bytes\)'/);
  assert.match(text, /expires: '2023-11-15T00:13:20Z'/); // 1700000000 (22:13:20) + 7200 s
  assert.match(text, /resumable: true/);
  assert.ok(!text.toLowerCase().includes(masterHex));
  assert.ok(!text.includes("bytesConsumed"));
  s.free();
  assert.equal(inspect(s), "Session { freed }");
});

test("the browser bundle keys its inspect method by Symbol.for and imports no node: module", () => {
  const bundle = readFileSync(new URL("../../dist/browser.js", import.meta.url), "utf8");
  assert.match(bundle, /Symbol\.for\("nodejs\.util\.inspect\.custom"\)/);
  assert.doesNotMatch(bundle, /\bnode:[a-z]/);
});

test("alpnText: printable ALPN ids as text, anything else null", () => {
  assert.equal(alpnText(new TextEncoder().encode("http/1.1")), "http/1.1");
  assert.equal(alpnText(Uint8Array.of(0x68, 0x00)), null);
  assert.equal(alpnText(Uint8Array.of(0xc3, 0xa9)), null);
  assert.equal(alpnText(null), null);
  const s = Session.new();
  s.alpn = Uint8Array.of(1, 2, 3);
  assert.equal(sessionToJSON(s).alpn, "010203");
  assert.equal(sessionToJSON(s).alpnText, null);
  s.free();
});

test("new SessionCache({ size, timeout, mode }) configures the cache; bad options throw", () => {
  const c = new SessionCache({ size: 3, timeout: 300, mode: CacheMode.SERVER | CacheMode.NO_AUTO_CLEAR });
  assert.equal(c.cacheSize, 3);
  assert.equal(c.timeout, 300);
  assert.equal(c.mode, CacheMode.SERVER | CacheMode.NO_AUTO_CLEAR);
  c.timeout = 60n; // setters take numbers or bigints
  assert.equal(c.timeout, 60);
  c.free();
  const d = new SessionCache();
  assert.equal(d.cacheSize, 20480);
  assert.equal(d.timeout, 7200);
  assert.equal(d.mode, CacheMode.SERVER);
  d.free();
  assert.throws(() => new SessionCache({ size: -1 }), RangeError);
  assert.throws(() => new SessionCache({ timeout: 1.5 }), TypeError);
  // @ts-expect-error: a wrong type on purpose
  assert.throws(() => new SessionCache({ mode: "server" }), TypeError);
  // @ts-expect-error: a wrong type on purpose
  assert.throws(() => new SessionCache(5), TypeError);
});

test("once: the listener hears one event; off() with the original function removes it", () => {
  const c = new SessionCache({ size: 0 });
  const heard = [];
  c.once("remove", (_s, why) => heard.push(why));
  const onceOff = () => heard.push("never");
  c.once("remove", onceOff);
  c.off("remove", onceOff);
  const a = session(),
    b = session();
  b.id = new Uint8Array(32).fill(9);
  c.add(a);
  c.add(b);
  c.remove(a);
  c.remove(b);
  assert.deepEqual(heard, ["removed"]);
  const news = [];
  c.once("new", (s) => news.push(s.hostname));
  c.free();
  a.free();
  b.free();
});

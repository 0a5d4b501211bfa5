// Objects from elsewhere: one module instance per process for `import` and `require`, and the
// bindings accept only their own objects of the right type (a TypeError otherwise).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import * as esm from "../../dist/index.js";

const cjs = createRequire(import.meta.url)("../../dist/index.cjs");

test("import and require share one module instance", () => {
  assert.equal(esm.Session, cjs.Session);
  assert.equal(esm.rawExports(), cjs.rawExports());
  const s = cjs.Session.new();
  s.sessionId = new Uint8Array(32).fill(1);
  const cache = new esm.SessionCache();
  assert.equal(cache.add(s), true, "a Session made through require works with an imported cache");
  assert.equal(cache.stats().number, 1);
  const conn = new cjs.Connection(cache, { server: true });
  conn.setSession(s);
  assert.equal(conn.getSession().handle, s.handle);
  conn.free();
  cache.free();
  s.free();
});

test("look-alike objects are a TypeError wherever a Session, cache or connection is expected", () => {
  const { Session, SessionCache, Connection, TicketKeys } = esm;
  const cache = new SessionCache();
  const real = Session.new();
  const fakes = [{ handle: real.handle }, Object.create(Session.prototype), { handle: 1 }, 42, "s"];
  const conn = new Connection(cache, { server: true });
  const keys = new TicketKeys();
  for (const f of fakes) {
    assert.throws(() => cache.add(f), TypeError);
    assert.throws(() => cache.remove(f), TypeError);
    assert.throws(() => conn.setSession(f), TypeError);
    assert.throws(() => keys.seal(f), TypeError);
    assert.throws(() => new Connection(f), TypeError);
    assert.throws(() => conn.copySessionIdFrom(f), TypeError);
  }
  assert.equal(cache.stats().number, 0, "nothing was acted on");
  keys.free();
  conn.free();
  cache.free();
  real.free();
});

test("a Session of another module instance is a TypeError, not a handle number", async () => {
  // The browser bundle is a second copy of the bindings with its own instance; its declarations
  // stand for it (the bundle itself is minified JavaScript, not for type-checking).
  const other = /** @type {typeof import("../../dist/types/entries/browser.js")} */ (
    await import(String(new URL("../../dist/browser.js", import.meta.url)))
  );
  await other.init(readFileSync(new URL("../../dist/tls_session.wasm", import.meta.url)));
  const foreign = other.Session.new();
  const mine = esm.Session.new();
  const cache = new esm.SessionCache();
  assert.throws(() => cache.add(foreign), TypeError);
  cache.free();
  foreign.free();
  mine.free();
});

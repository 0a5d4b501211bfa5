// The FinalizationRegistry safety net: Session objects dropped without free() give their
// references back once they are collected, in whole batches, and a freed one is not freed twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Session, SessionCache, rawExports } from "../../dist/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

/** Collects until `done()` holds (finalizers run in later tasks), at most `rounds` times. */
async function collectUntil(done, rounds = 50) {
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  return done();
}

function template() {
  const s = Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1301;
  s.masterKey = new Uint8Array(32).fill(7);
  s.id = new Uint8Array(32).fill(1);
  const der = s.toDER();
  s.free();
  return der;
}

test("forgotten sessions are freed once collected, freed ones are left alone", async () => {
  const ex = rawExports();
  const der = template();
  // Fill a batch first, so that the objects below do not share one with anything kept alive.
  for (let i = 0; i < 200; i++) Session.fromDER(der).free();
  const live0 = ex.tls_memory_live_bytes();
  (() => {
    for (let i = 0; i < 1000; i++) {
      const s = Session.fromDER(der);
      if (i % 3 === 0) s.free(); // a third freed by hand, the rest forgotten
    }
  })();
  assert.ok(ex.tls_memory_live_bytes() > live0, "the forgotten sessions are still live");
  // Open a fresh batch so that the last batch of the loop can be collected too.
  for (let i = 0; i < 200; i++) Session.fromDER(der).free();
  const back = await collectUntil(() => ex.tls_memory_live_bytes() <= live0);
  assert.ok(back, `live bytes ${ex.tls_memory_live_bytes()} > ${live0} after collection`);
});

test("a collected object whose session a cache still holds drops only its own reference", async () => {
  const ex = rawExports();
  const der = template();
  const cache = new SessionCache();
  const kept = Session.fromDER(der);
  const h = kept.handle;
  // A batch is collected whole: put the forgotten object in one without `kept`.
  for (let i = 0; i < 200; i++) Session.fromDER(der).free();
  (() => {
    const s = kept.upRef();
    cache.add(s); // the cache takes its own reference; this object's is forgotten
  })();
  for (let i = 0; i < 200; i++) Session.fromDER(der).free();
  const refs = () => Number(ex.tls_session_get_int(h, 14));
  assert.equal(refs(), 3);
  assert.ok(await collectUntil(() => refs() === 2), `references ${refs()} after collection`);
  const got = cache.get(new Uint8Array(32).fill(1), 0x0304);
  assert.equal(got.handle, h, "the cache's reference survived the collection");
  got.free();
  kept.free();
  cache.free();
});

// The cache's hash table at sizes the model scenarios never reach: thousands of sessions, so the
// open-addressed table grows several times, and removals in random order, so its backward-shift
// deletion moves entries across long probe runs. After each step every key must be found exactly
// when it is cached.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Session, SessionCache } from "../../dist/index.js";

const N = 5000;
const TLS1_2 = 0x0303,
  TLS1_3 = 0x0304;

function session(id, version) {
  const s = Session.new();
  s.protocolVersion = version;
  s.cipherSuite = 0x1301;
  s.id = id;
  return s;
}

function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

test("every cached key is found and no other, through growth and random removals", () => {
  const cache = new SessionCache({ size: 0 });
  // Ids of every length from 2 to 32, and each id also cached under a second version: the key
  // is (version, id), so the pairs must stay distinct entries.
  const entries = [];
  for (let i = 0; i < N; i++) {
    // Unique ids: two bytes of the index, then random bytes.
    const id = new Uint8Array(randomBytes(2 + (i % 31)));
    id[0] = i >> 8;
    id[1] = i & 0xff;
    const version = i % 5 === 0 ? TLS1_2 : TLS1_3;
    entries.push({ id, version, s: session(id, version), cached: false });
    if (i % 5 === 0) entries.push({ id, version: TLS1_3, s: session(id, TLS1_3), cached: false });
  }
  const absent = Array.from({ length: 1000 }, () => new Uint8Array(randomBytes(32)));
  const checkAll = (when) => {
    let cached = 0;
    for (const e of entries) {
      assert.equal(
        cache.has(e.id, e.version),
        e.cached,
        `${when}: has() of a ${e.cached ? "" : "non-"}cached key`,
      );
      if (e.cached) cached++;
    }
    for (const id of absent)
      assert.equal(cache.has(id, TLS1_3), false, `${when}: has() of a never-cached id`);
    assert.equal(cache.size, cached, `${when}: size`);
  };
  for (const e of entries) {
    assert.equal(cache.add(e.s), true);
    e.cached = true;
  }
  checkAll("after adding");
  const order = shuffle(entries.slice());
  for (let k = 0; k < order.length; k++) {
    assert.equal(cache.remove(order[k].s), true);
    order[k].cached = false;
    if (k % 1000 === 999) checkAll(`after ${k + 1} removals`);
  }
  checkAll("after removing all");
  // Filling again reuses the grown table.
  for (const e of shuffle(entries.slice())) {
    cache.add(e.s);
    e.cached = true;
  }
  checkAll("after adding again");
  for (const e of entries) e.s.free();
  cache.free();
});

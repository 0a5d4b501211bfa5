// Stale handles: a freed handle must not name another object until at least 2^24 further
// allocations have happened, whatever the pattern of frees (docs/ABI.md, "Handles").
import { test } from "node:test";
import assert from "node:assert/strict";
import { instantiate } from "./host.mjs";

const BOUND = 1 << 24;
const INDEX_MASK = (1 << 20) - 1;

/** Records every issued handle value; throws if one comes back within BOUND allocations. */
function reuseChecker() {
  const bySlot = new Map(); // slot index -> Int32Array(2048 generations): allocation number
  let n = 0;
  return {
    issued(h) {
      assert.ok(h > 0, `handle ${h} at allocation ${n} is a positive i32`);
      const slot = h & INDEX_MASK;
      let gens = bySlot.get(slot);
      if (!gens) {
        gens = new Int32Array(2048).fill(-1);
        bySlot.set(slot, gens);
      }
      const gen = h >>> 20;
      if (gens[gen] >= 0 && n - gens[gen] < BOUND)
        assert.fail(`handle ${h} reissued after ${n - gens[gen]} allocations (< 2^24)`);
      gens[gen] = n++;
    },
    get count() {
      return n;
    },
    get slots() {
      return bySlot.size;
    },
  };
}

test("one slot churned past 2^24 allocations never hands a freed handle out again early", () => {
  const ex = instantiate();
  const ctx = ex.SSL_CTX_new();
  const check = reuseChecker();
  const first = ex.SSL_new(ctx, 1);
  check.issued(first);
  ex.SSL_free(first);
  let recurred = -1;
  for (let i = 1; i < BOUND + 4096; i++) {
    const h = ex.SSL_new(ctx, 1);
    check.issued(h);
    if (h === first && recurred < 0) recurred = i;
    assert.equal(ex.SSL_free(h), 0);
    // A freed handle stays dead in between.
    if ((i & 0xfffff) === 0) assert.equal(ex.SSL_version(first), -1);
  }
  assert.ok(recurred === -1 || recurred >= BOUND, `first handle back after ${recurred}`);
  assert.ok(check.slots < 16384, `the table stays small (${check.slots} slots)`);
  assert.equal(ex.tls_handles_live(), 1, "the cache only");
  ex.SSL_CTX_free(ctx);
});

test("many slots churned at random past 2^24 allocations never reissue a freed handle early", () => {
  const ex = instantiate();
  const ctx = ex.SSL_CTX_new();
  const check = reuseChecker();
  const live = [];
  let seed = 12345;
  const rand = (n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  while (check.count < BOUND + 4096) {
    // Bursts of frees and allocations around ~1000 live objects.
    if (live.length > 0 && (live.length > 2000 || rand(2) === 0)) {
      const burst = 1 + rand(Math.min(live.length, 64));
      for (let k = 0; k < burst; k++) {
        const j = rand(live.length);
        const h = live[j];
        live[j] = live[live.length - 1];
        live.pop();
        assert.equal(ex.SSL_free(h), 0);
      }
    } else {
      const burst = 1 + rand(64);
      for (let k = 0; k < burst; k++) {
        const h = ex.SSL_new(ctx, 1);
        check.issued(h);
        live.push(h);
      }
    }
  }
  for (const h of live) assert.equal(ex.SSL_free(h), 0);
  assert.equal(ex.tls_handles_live(), 1);
  assert.equal(ex.tls_ctx_references(ctx), 1, "every connection's reference came back");
  ex.SSL_CTX_free(ctx);
  assert.equal(ex.tls_handles_live(), 0);
});

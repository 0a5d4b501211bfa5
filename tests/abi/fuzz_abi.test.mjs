// A bounded slice of the raw-ABI fuzz (tests/abi/fuzz_abi.mjs): random calls of every export with
// valid, stale, forged and wrong-kind handles, pointers and lengths in and out of memory, checked
// against a model of the live objects. `npm run test:fuzz-abi` runs 10^6 calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzAbi } from "./fuzz_abi.mjs";

for (const seed of [1, 2]) {
  test(`raw ABI fuzz, seed ${seed}: no trap, no corruption, handles and memory back to the baseline`, () => {
    const r = fuzzAbi({ calls: 6000, seed, checkEvery: 2000 });
    assert.equal(r.trapped, null);
    assert.equal(r.traps, 0);
    assert.deepEqual(r.violations, []);
    assert.equal(r.calls, 6000);
    assert.ok(Object.keys(r.byExport).length >= r.exports - 5, "nearly every export was called");
    assert.ok(r.badHandleChecks > 1000, `${r.badHandleChecks} calls with a bad handle`);
    assert.deepEqual(r.after, r.baseline);
  });
}

// RFC 7748 §5.2, the 1,000,000-iteration X25519 check: k = u = 9; (k, u) = (X25519(k, u), k).
// Slow (a few minutes), so it is a separate script and not part of `npm test`:
//   node tests/crypto/slow_x25519_million.mjs
import assert from "node:assert/strict";
import { lib, vectors, hex, unhex } from "./lib.mjs";

const v = vectors("rfc7748.json").iterated;
let k = unhex(v.start),
  u = unhex(v.start);
const t0 = Date.now();
for (let i = 1; i <= 1000000; i++) {
  [k, u] = [lib.x25519(k, u), k];
  if (i === 1000) assert.equal(hex(k), v.after_1000);
  if (i % 100000 === 0) console.log(`${i} iterations, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
assert.equal(hex(k), v.after_1000000);
console.log(`RFC 7748 1,000,000 iterations: ok (${hex(k)})`);

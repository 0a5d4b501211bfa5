// The memory ceiling from the bindings: a validated setter, the platform default, NO_MEMORY as a
// typed error (never a poisoned instance), oversize inputs refused before any work, and the
// module's input and result areas given back after large inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Session,
  SessionCache,
  TlsSessionError,
  setMemoryLimit,
  getMemoryLimit,
  memoryUsage,
  MAX_INPUT_BYTES,
  rawExports,
} from "../../dist/index.js";

const MiB = 1024 * 1024;
const DEFAULT = 512 * MiB;

function session13() {
  const s = Session.new();
  s.cipherSuite = 0x1301;
  s.protocolVersion = 0x0304;
  s.masterKey = new Uint8Array(32).fill(1);
  return s;
}

test("the Node entry's default limit is 512 MiB; MAX_INPUT_BYTES is 512 MiB", () => {
  assert.equal(getMemoryLimit(), DEFAULT);
  assert.equal(memoryUsage().limit, DEFAULT);
  assert.equal(MAX_INPUT_BYTES, 512 * MiB);
});

test("setMemoryLimit throws RangeError for NaN, negative, infinite, fractional or > 2^32 values", () => {
  for (const v of [
    Number.NaN,
    -1,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1e12,
    1.5,
    2 ** 32 + 1,
  ]) {
    assert.throws(() => setMemoryLimit(v), RangeError, `refuses ${v}`);
    assert.equal(getMemoryLimit(), DEFAULT, `unchanged after ${v}`);
  }
  for (const v of ["1024", 1024n, null, undefined, {}])
    assert.throws(() => setMemoryLimit(/** @type {any} */ (v)), TypeError);
  try {
    setMemoryLimit(2 ** 32);
    assert.equal(getMemoryLimit(), 2 ** 32);
    setMemoryLimit(0);
    assert.equal(getMemoryLimit(), 0);
  } finally {
    setMemoryLimit(DEFAULT);
  }
});

test("a limit below current use: every allocation is a NO_MEMORY error, the instance stays usable", () => {
  const s = session13();
  const der = s.toDER();
  const live = memoryUsage().liveBytes;
  setMemoryLimit(1024);
  try {
    for (let i = 0; i < 8; i++) {
      assert.throws(
        () => Session.fromDER(new Uint8Array(64 * MiB)),
        (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
        `64 MiB input ${i} refused`,
      );
    }
    assert.throws(
      () => Session.fromDER(der),
      (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
    );
    assert.throws(
      () => s.dup(),
      (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
    );
    assert.throws(
      () => new SessionCache(),
      (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
    );
    assert.equal(memoryUsage().liveBytes, live, "nothing was allocated");
  } finally {
    setMemoryLimit(DEFAULT);
  }
  const t = Session.fromDER(der);
  assert.deepEqual(t.toDER(), der, "works again once the limit is raised");
  t.free();
  s.free();
});

test("inputs above 512 MiB are refused before any work (nothing copied, memory unchanged)", () => {
  const before = memoryUsage();
  const huge = new Uint8Array(MAX_INPUT_BYTES + 1); // zero pages: never touched
  assert.throws(
    () => Session.fromDER(huge),
    (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY" && /512 MiB/.test(e.message),
  );
  assert.throws(
    () => Session.fromPEM(huge),
    (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
  );
  const after = memoryUsage();
  assert.equal(after.liveBytes, before.liveBytes);
  assert.equal(after.linearBytes, before.linearBytes, "linear memory did not grow");
});

test("a 100 MiB PEM leaves nothing allocated against the ceiling", () => {
  const warm = session13();
  Session.fromPEM(warm.toPEM()).free();
  warm.free();
  const base = memoryUsage().liveBytes;
  const s = session13();
  const one = memoryUsage().liveBytes - base;
  s.ticket = new Uint8Array(75 * MiB).fill(7); // 75 MiB through the input area
  const pem = s.toPEM(); // 100 MiB through the result buffer
  assert.ok(pem.length > 100 * MiB, `PEM of ${pem.length} bytes`);
  const held = memoryUsage().liveBytes - base - one;
  assert.ok(held <= 75 * MiB + 64, `only the ticket is held after toPEM (${held} bytes more)`);
  s.free();
  assert.equal(memoryUsage().liveBytes, base, "baseline after the session is freed");
  const t = Session.fromPEM(pem);
  assert.equal(t.ticket.length, 75 * MiB);
  t.free();
  assert.equal(memoryUsage().liveBytes, base, "baseline after reading the PEM back");
});

test("a limit near 4 GiB: the bindings get NO_MEMORY, addresses above 2 GiB work", () => {
  const ex = rawExports();
  const der = (() => {
    const s = session13();
    s.ticket = new Uint8Array(200 * 1024).fill(3); // larger than the kept areas
    const d = s.toDER();
    s.free();
    return d;
  })();
  setMemoryLimit(2 ** 32);
  const held = [];
  const small = [];
  try {
    let refused = null;
    for (let i = 0; i < 12 && !refused; i++) {
      try {
        Session.fromDER(der).free(); // its input area and result land wherever the heap is
        const p = ex.buf_alloc(400 * MiB);
        if (p === 0) throw new TlsSessionError("NO_MEMORY", "", -4);
        held.push(p);
      } catch (e) {
        refused = e;
      }
    }
    assert.ok(refused instanceof TlsSessionError && refused.code === "NO_MEMORY", String(refused));
    assert.ok(held.length >= 5, `${held.length} buffers of 400 MiB before the end`);
    assert.ok(
      held.some((p) => p < 0 || p >= 2 ** 31),
      "some addresses are above 2 GiB",
    );
    for (const size of [64 * 1024, 1024, 16])
      for (let p = ex.buf_alloc(size); p !== 0; p = ex.buf_alloc(size)) small.push(p);
    assert.throws(
      () => Session.fromDER(der),
      (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
    );
    assert.throws(
      () => Session.new(),
      (e) => e instanceof TlsSessionError && e.code === "NO_MEMORY",
    );
    // Free the small buffers (the 400 MiB ones stay: wiping them would touch 2 GiB and more).
    for (const p of small.splice(0)) ex.buf_free(p);
    const s = session13();
    Session.fromDER(s.toDER()).free(); // not poisoned: sessions decode again
    s.free();
  } finally {
    for (const p of small) ex.buf_free(p);
    setMemoryLimit(DEFAULT); // below what the big buffers hold: this file's last test
  }
});

// How a session holds its fields, from the raw ABI: the byte strings in one block after the
// record, in the record's allocation for a session from d2i or dup, so a typical cached TLS 1.3
// session is one allocation of a few hundred bytes; every
// field keeps its own bytes whatever is set, cleared, grown or shortened around it; integers
// beyond the width their usual values need keep every bit; and clearing or shortening a field
// never allocates, so it works even when memory is exhausted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { instantiate, put, result } from "./host.mjs";
import { group } from "../../build/abi_model.mjs";

const { NO_MEMORY, ABSENT } = group("Status");
const Bytes = group("SessionBytes");
const Int = group("SessionInt");

/** Sets byte field `field` of session h (null: absent) through tls_session_set_bytes. */
function setBytes(ex, h, field, value) {
  const p = put(ex, value ?? new Uint8Array(0));
  const r = ex.tls_session_set_bytes(h, field, p, value ? value.length : 0, value ? 1 : 0);
  ex.buf_free(p);
  return r;
}

/** Byte field `field` of session h, or null when absent. */
function getBytes(ex, h, field) {
  const n = ex.tls_session_get_bytes(h, field);
  if (n === ABSENT) return null;
  assert.ok(n >= 0, `get field ${field}: ${n}`);
  return result(ex, n);
}

/** A client's TLS 1.3 session as the cache bench makes it: 200-byte ticket, host name, ALPN "h2". */
function typicalSession(ex) {
  const h = ex.SSL_SESSION_new();
  ex.SSL_SESSION_set_protocol_version(h, 0x0304);
  ex.SSL_SESSION_set_cipher(h, 0x1301);
  assert.equal(setBytes(ex, h, Bytes.MASTER_KEY, randomBytes(32)), 1);
  const id = put(ex, randomBytes(32));
  ex.SSL_SESSION_set1_id(h, id, 32);
  ex.buf_free(id);
  assert.equal(setBytes(ex, h, Bytes.HOSTNAME, Buffer.from("www.example.com")), 1);
  assert.equal(setBytes(ex, h, Bytes.ALPN_SELECTED, Buffer.from("h2")), 1);
  assert.equal(setBytes(ex, h, Bytes.TICKET, randomBytes(200)), 1);
  ex.tls_session_set_int(h, Int.TICKET_LIFETIME_HINT, 7200n);
  ex.tls_session_set_int(h, 8, 0x12345678n); // ticket_age_add
  return h;
}

test("a typical TLS 1.3 session from DER or dup is one allocation: the record and its byte fields", () => {
  const ex = instantiate();
  const t = typicalSession(ex);
  const n = ex.i2d_SSL_SESSION(t);
  const der = result(ex, n);
  const blocks = ex.tls_memory_live_blocks();
  const live = ex.tls_memory_live_bytes();
  const p = put(ex, der);
  const blocksWithInput = ex.tls_memory_live_blocks();
  const liveWithInput = ex.tls_memory_live_bytes();
  const h = ex.d2i_SSL_SESSION(p, der.length);
  assert.ok(h > 0);
  assert.equal(ex.tls_memory_live_blocks() - blocksWithInput, 1, "the record with its block");
  const bytes = ex.tls_session_bytes(h);
  assert.equal(
    ex.tls_memory_live_bytes() - liveWithInput,
    bytes,
    "what the session holds is what it allocated",
  );
  // 32-byte master key, host name, ALPN and ticket with their one-byte lengths: 253 bytes.
  assert.ok(bytes <= 370, `a typical session holds ${bytes} bytes, at most 370`);
  assert.equal(ex.i2d_SSL_SESSION(h), n);
  assert.deepEqual(result(ex, n), der, "and writes the same DER");
  const d = ex.SSL_SESSION_dup(t);
  assert.equal(ex.tls_memory_live_blocks() - blocksWithInput, 2, "a duplicate is one allocation too");
  assert.equal(ex.tls_session_bytes(d), bytes);
  ex.SSL_SESSION_free(d);
  ex.buf_free(p);
  ex.SSL_SESSION_free(h);
  assert.equal(ex.tls_memory_live_blocks(), blocks);
  assert.equal(ex.tls_memory_live_bytes(), live);
  ex.SSL_SESSION_free(t);
});

/** A session made by `how` (new, d2i, dup: the last two hold their block in the record's allocation). */
function madeBy(ex, how) {
  if (how === "new") return ex.SSL_SESSION_new();
  const t = typicalSession(ex);
  if (how === "dup") {
    const d = ex.SSL_SESSION_dup(t);
    ex.SSL_SESSION_free(t);
    return d;
  }
  const n = ex.i2d_SSL_SESSION(t);
  const p = put(ex, result(ex, n));
  const h = ex.d2i_SSL_SESSION(p, n);
  ex.buf_free(p);
  ex.SSL_SESSION_free(t);
  return h;
}

for (const how of ["new", "d2i", "dup"])
  test(`every byte field keeps its own bytes while the others are set, grown, shortened and cleared (${how})`, () => {
    const ex = instantiate();
    const live = ex.tls_memory_live_bytes();
    const fresh = ex.SSL_SESSION_new();
    const record = ex.tls_session_bytes(fresh);
    ex.SSL_SESSION_free(fresh);
    const h = madeBy(ex, how);
    // Every byte field but two: the peer certificate takes only a valid certificate, and the
    // session id sits in the record, not the block.
    const fields = Object.values(Bytes).filter((f) => f !== Bytes.PEER && f !== Bytes.SESSION_ID);
    // sid_ctx and the master key are never NULL in OpenSSL: empty when unset.
    const never = (f) => f === Bytes.SID_CTX || f === Bytes.MASTER_KEY;
    const model = new Map(fields.map((f) => [f, getBytes(ex, h, f)]));
    let seed = 7;
    const rand = (n) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    // Lengths around the one-byte / five-byte length boundary (254 | 255), and long ones.
    const lengths = [0, 1, 2, 15, 32, 200, 254, 255, 256, 300, 1000, 70000];
    for (let step = 0; step < 600; step++) {
      const f = fields[rand(fields.length)];
      let value = rand(4) === 0 ? null : new Uint8Array(randomBytes(lengths[rand(lengths.length)]));
      // sid_ctx holds at most 32 bytes, the master key 512; empty is their absent.
      if (f === Bytes.SID_CTX && value && value.length > 32) value = value.subarray(0, 32);
      if (f === Bytes.MASTER_KEY && value && value.length > 512) value = value.subarray(0, 512);
      if (never(f) && value === null) value = new Uint8Array(0);
      assert.equal(setBytes(ex, h, f, value), 1, `step ${step}: set ${f}`);
      model.set(f, value);
      for (const g of fields) {
        const want = model.get(g);
        const got = getBytes(ex, h, g);
        if (want === null) assert.equal(got, null, `step ${step}: field ${g} absent`);
        else assert.deepEqual(got, want, `step ${step}: field ${g} after setting ${f}`);
      }
    }
    for (const f of fields) setBytes(ex, h, f, never(f) ? new Uint8Array(0) : null);
    assert.equal(ex.tls_session_bytes(h), record, "the block is gone with the last field");
    const blocks = ex.tls_memory_live_blocks();
    ex.SSL_SESSION_free(h);
    assert.equal(ex.tls_memory_live_blocks(), blocks - 1, "the record was all that was left");
    assert.equal(ex.tls_memory_live_bytes(), live);
  });

test("integers beyond their usual width keep every bit, in memory and through DER", () => {
  const ex = instantiate();
  const h = typicalSession(ex);
  const base = ex.tls_session_bytes(h);
  /** @type {[number, bigint[]][]} */
  const widths = [
    [Int.VERIFY_RESULT, [127n, 128n, -128n, -129n, 2n ** 40n + 3n, -(2n ** 63n), 2n ** 63n - 1n, 0n]],
    [Int.FLAGS, [0xffn, 0x100n, 0xffffffffn, 1n]],
    [Int.KEX_GROUP, [0xffffn, 0x10000n, 0xffffffffn, 0x1dn]],
    [Int.EX_DATA, [0x123456789abcdef0n, -1n, 1n, 0n]],
  ];
  for (const [field, values] of widths)
    for (const v of values) {
      assert.equal(ex.tls_session_set_int(h, field, v), 1);
      assert.equal(ex.tls_session_get_int(h, field), v, `field ${field} = ${v}`);
    }
  for (const v of [2n ** 32n, 2n ** 64n - 1n, 2n ** 32n - 1n, 7200n]) {
    assert.equal(ex.tls_session_set_int(h, Int.TICKET_LIFETIME_HINT, BigInt.asIntN(64, v)), 1);
    assert.equal(BigInt.asUintN(64, ex.SSL_SESSION_get_ticket_lifetime_hint(h)), v);
  }
  assert.equal(ex.tls_session_bytes(h), base, "values that fit again take no room");

  // Through DER (a lifetime hint is a uint64 there, a verify result an int32, flags and the
  // group uint32s), each wider than the record keeps it.
  ex.tls_session_set_int(h, Int.TICKET_LIFETIME_HINT, BigInt.asIntN(64, 2n ** 64n - 2n));
  ex.tls_session_set_int(h, Int.VERIFY_RESULT, -1000n);
  ex.tls_session_set_int(h, Int.FLAGS, 0x80000001n);
  ex.tls_session_set_int(h, Int.KEX_GROUP, 0x12345n);
  const n = ex.i2d_SSL_SESSION(h);
  const der = result(ex, n);
  const p = put(ex, der);
  const d = ex.d2i_SSL_SESSION(p, n);
  ex.buf_free(p);
  assert.equal(BigInt.asUintN(64, ex.SSL_SESSION_get_ticket_lifetime_hint(d)), 2n ** 64n - 2n);
  assert.equal(ex.tls_session_get_int(d, Int.VERIFY_RESULT), -1000n);
  assert.equal(ex.tls_session_get_int(d, Int.FLAGS), 0x80000001n);
  assert.equal(ex.tls_session_get_int(d, Int.KEX_GROUP), 0x12345n);
  assert.equal(ex.i2d_SSL_SESSION(d), n);
  assert.deepEqual(result(ex, n), der, "the same DER again");
  const dup = ex.SSL_SESSION_dup(d);
  assert.equal(BigInt.asUintN(64, ex.SSL_SESSION_get_ticket_lifetime_hint(dup)), 2n ** 64n - 2n);
  for (const x of [dup, d, h]) ex.SSL_SESSION_free(x);
});

for (const how of ["set", "d2i"])
  test(`clearing or shortening a field never allocates: it works with no memory left (fields ${how})`, () => {
    const ex = instantiate();
    const h = how === "set" ? typicalSession(ex) : madeBy(ex, how);
    const id = put(ex, randomBytes(20));
    const key = randomBytes(32);
    const blocks = ex.tls_memory_live_blocks();
    const bytes = ex.tls_session_bytes(h);
    assert.equal(ex.tls_set_memory_limit(0), 0, "every allocation refused from here");
    assert.equal(setBytes(ex, h, Bytes.TICKET, randomBytes(201)), NO_MEMORY, "a longer ticket needs memory");
    assert.equal(getBytes(ex, h, Bytes.TICKET).length, 200, "and the ticket is unchanged");
    assert.equal(ex.SSL_SESSION_set1_id_context(h, id, 20), NO_MEMORY, "so does a new sid_ctx");
    assert.equal(getBytes(ex, h, Bytes.SID_CTX).length, 0);
    assert.equal(ex.tls_session_bytes(h), bytes, "nothing changed");
    assert.equal(setBytes(ex, h, Bytes.MASTER_KEY, key), 1, "a master key of the same length fits in place");
    assert.deepEqual(getBytes(ex, h, Bytes.MASTER_KEY), new Uint8Array(key));
    assert.equal(setBytes(ex, h, Bytes.HOSTNAME, Buffer.from("a.example")), 1, "a shorter host name");
    assert.deepEqual(Buffer.from(getBytes(ex, h, Bytes.HOSTNAME)).toString(), "a.example");
    assert.equal(setBytes(ex, h, Bytes.TICKET, null), 1, "clearing the ticket");
    assert.equal(getBytes(ex, h, Bytes.TICKET), null);
    assert.deepEqual(
      Buffer.from(getBytes(ex, h, Bytes.ALPN_SELECTED)).toString(),
      "h2",
      "the field after it moved",
    );
    assert.equal(ex.tls_session_bytes(h), bytes - 201 - 6, "the session shrank by what was removed");
    assert.equal(ex.tls_memory_live_blocks(), blocks, "where it was");
    assert.equal(ex.tls_set_memory_limit(512 * 1024 * 1024), 0);
    ex.tls_session_set_int(h, Int.EX_DATA, 5n);
    ex.tls_session_set_int(h, Int.VERIFY_RESULT, 2n ** 40n);
    assert.equal(ex.tls_set_memory_limit(0), 0);
    assert.equal(ex.tls_session_set_int(h, Int.EX_DATA, 9n), 1, "ex_data in place");
    assert.equal(ex.tls_session_get_int(h, Int.EX_DATA), 9n);
    assert.equal(ex.tls_session_set_int(h, Int.EX_DATA, 0n), 1);
    assert.equal(ex.tls_session_set_int(h, Int.VERIFY_RESULT, 1n), 1, "a verify result that fits again");
    assert.equal(ex.tls_session_get_int(h, Int.VERIFY_RESULT), 1n);
    assert.equal(
      ex.tls_session_set_int(h, Int.VERIFY_RESULT, 2n ** 40n),
      NO_MEMORY,
      "a wide one needs memory",
    );
    assert.equal(ex.tls_session_get_int(h, Int.VERIFY_RESULT), 1n);
    assert.equal(ex.tls_set_memory_limit(512 * 1024 * 1024), 0);
    assert.equal(ex.SSL_SESSION_set1_id_context(h, id, 20), 1);
    ex.buf_free(id);
    ex.SSL_SESSION_free(h);
  });

test("a block that grows, moves or shrinks leaves one copy of the master key, the session's", () => {
  const ex = instantiate();
  const h = madeBy(ex, "d2i");
  const key = randomBytes(32);
  // Copies of any 8-byte piece of the key (every 4 bytes), so that a copy the allocator wrote
  // its free-list links into is found too.
  const copies = () => {
    ex.result_wipe();
    ex.buf_scratch_wipe(1 << 16);
    const mem = Buffer.from(ex.memory.buffer);
    let most = 0;
    for (let k = 0; k + 8 <= key.length; k += 4) {
      const piece = key.subarray(k, k + 8);
      let n = 0;
      for (let i = mem.indexOf(piece); i >= 0; i = mem.indexOf(piece, i + 1)) n++;
      most = Math.max(most, n);
    }
    return most;
  };
  assert.equal(
    setBytes(ex, h, Bytes.MASTER_KEY, key),
    1,
    "same length: in place, in the record's allocation",
  );
  assert.equal(copies(), 1, "one copy, in the session");
  assert.equal(setBytes(ex, h, Bytes.TICKET, randomBytes(1000)), 1, "the block grows and moves out");
  assert.equal(copies(), 1, "none left where the block was");
  assert.equal(setBytes(ex, h, Bytes.TICKET, null), 1, "and shrinks in place");
  assert.equal(setBytes(ex, h, Bytes.HOSTNAME, null), 1);
  assert.equal(copies(), 1);
  assert.equal(ex.SSL_SESSION_get_master_key(h, 64), 32);
  assert.deepEqual(result(ex, 32), new Uint8Array(key));
  ex.SSL_SESSION_free(h);
  assert.equal(copies(), 0, "and none after the last free");
});

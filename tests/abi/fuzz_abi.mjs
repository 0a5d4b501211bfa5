// A random-call fuzz of the raw ABI, checked against a small model of which objects are alive.
//
// Each call picks a random export (every one the module exports except `_initialize` and
// `tls_set_memory_limit`) and random arguments: handles that are live and of the right kind,
// live of another kind, freed, forged (another generation, an index never used, bit 31 set) or 0;
// pointers into a scratch arena or outside linear memory; lengths inside the arena or huge;
// integers in and out of range. The model knows the references the fuzz owns, which handles are
// certainly dead and which may be (a session a cache may still hold), and checks:
//   * no call traps or throws;
//   * a call given a dead, forged or wrong-kind handle fails (a negative status, or -2^63 for an
//     i64 result) with BAD_HANDLE, WRONG_KIND or INVALID_ARGUMENT as its last error;
//   * every object the fuzz holds a reference to stays alive, with its kind;
//   * sentinel objects the calls never target (a session, a cache holding it, a connection, a
//     ticket key ring, a hash) keep every observable field, and a canary buffer keeps its bytes;
//   * after the fuzz frees what it holds, the live handle count and the live bytes are back to
//     the baseline taken before it started.
// tests/abi/fuzz_abi.test.mjs runs a slice in `npm test`; `npm run test:fuzz-abi` runs 10^6 calls.
import { abiExports, group } from "../../build/abi_model.mjs";
import { instantiate } from "./host.mjs";
import { prng } from "../fuzz/corpus.mjs";

const S = group("Status");
const K = group("Kind");
const I64_FAULT = -(2n ** 63n);
const EXCLUDED = new Set(["_initialize", "tls_set_memory_limit"]);
const ARENA = 1 << 16;

const HANDLE_PARAMS = new Set(["h", "sh", "ch", "to", "from", "ctxHandle"]);

/** The kind of object export `name` expects in handle parameter `param`. */
function expectedKind(name, param) {
  if (param === "sh") return "session";
  if (param === "ch" || param === "ctxHandle") return "cache";
  if (param === "to" || param === "from") return "connection";
  if (/^(SSL_SESSION_|i2d_|PEM_write_|tls_session_)/.test(name)) return "session";
  if (/^(SSL_CTX_|tls_ctx_|tls_resume_|SSL_has_matching_session_id$)/.test(name)) return "cache";
  if (/^(SSL_|tls_ssl_)/.test(name)) return "connection";
  if (/^tls_ticket_/.test(name)) return "keys";
  if (/^(hash_|hmac_key_mac)/.test(name)) return "hasher";
  throw new Error(`no kind for ${name}(${param})`);
}
const KIND_CODE = {
  session: K.SESSION,
  cache: K.CACHE,
  connection: K.CONNECTION,
  keys: K.TICKET_KEYS,
  hasher: K.HASHER,
};
const KINDS = Object.keys(KIND_CODE);

/** Exports that drop the caller's reference on the handle in this parameter. */
const CONSUMES = {
  SSL_SESSION_free: "h",
  SSL_CTX_free: "h",
  SSL_free: "h",
  tls_ticket_keys_free: "h",
  hash_free: "h",
  tls_resume_external: "sh",
};
/** Exports whose positive result is a new reference for the caller, and its kind. */
const NEW_REFERENCE = {
  SSL_SESSION_new: "session",
  SSL_SESSION_dup: "session",
  d2i_SSL_SESSION: "session",
  PEM_read_SSL_SESSION: "session",
  tls_ctx_get_session: "session",
  tls_resume_lookup: "session",
  tls_resume_external: "session",
  SSL_get1_session: "session",
  tls_ticket_open: "session",
  tls_ticket_take: "session",
  SSL_CTX_new: "cache",
  SSL_new: "connection",
  tls_ticket_keys_new: "keys",
  hash_new: "hasher",
  hmac_new: "hasher",
  hmac_key_new: "hasher",
  hash_clone: "hasher",
};
/** Exports whose positive result names a session without a reference for the caller. */
const BORROWED = new Set([
  "SSL_get0_session",
  "SSL_get_session",
  "tls_ctx_event_session",
  "tls_ssl_new_session",
  "tls_ssl_new_session_with_id",
  "tls_ticket_issued",
]);
/** Session calls that keep no reference anywhere: a session only these saw is private. */
const PRIVATE_OK = /^(SSL_SESSION_|i2d_|PEM_write_|tls_session_)/;

const isLength = (name) => /(^len$|Len$|^len|length|Length|^outlen$)/.test(name);

/**
 * Runs `calls` random calls on a fresh instance; returns the figures and every violation found.
 * @param {{ calls: number, seed?: number, checkEvery?: number, path?: string | null,
 *   trace?: ((h: number, what: string) => void) | null }} opts
 */
export function fuzzAbi({ calls, seed = 1, checkEvery = 5000, path = null, trace = null }) {
  const ex = instantiate({ path });
  const r = prng(seed);
  const exportsList = abiExports().filter((e) => !EXCLUDED.has(e.name) && typeof ex[e.name] === "function");
  const frees = exportsList.filter((e) => e.name in CONSUMES && e.name !== "tls_resume_external");
  const violations = [];
  const violate = (msg) => {
    if (violations.length < 50) violations.push(msg);
  };
  const mem = () => new Uint8Array(ex.memory.buffer);
  const memSize = () => ex.memory.buffer.byteLength;

  // ---- the model ---------------------------------------------------------------------------------
  /** handle -> { kind, refs (ours), private (sessions only), cache (connections only) } */
  const owned = new Map();
  /** handles that are certainly dead */
  const dead = [];
  /** handles that may be alive (borrowed, or a session a cache or connection may still hold) */
  const maybe = new Map();
  const connsOfCache = new Map(); // cache handle -> live connection count (connections we made)
  const sentinel = new Set();

  const own = (h, kind) => {
    const o = owned.get(h);
    if (o) o.refs++;
    else owned.set(h, { kind, refs: 1, private: kind === "session", cache: 0 });
    maybe.delete(h);
  };
  const addDead = (h) => {
    dead.push(h);
    if (dead.length > 2000) dead.splice(0, 1000);
  };
  const cacheMaybeDies = (c) => {
    if (!owned.has(c) && (connsOfCache.get(c) ?? 0) === 0 && maybe.get(c) === "cache") {
      maybe.delete(c);
      addDead(c);
    }
  };
  const release = (h) => {
    const o = owned.get(h);
    if (!o) return;
    if (--o.refs > 0) return;
    owned.delete(h);
    if (o.kind === "connection") {
      addDead(h);
      connsOfCache.set(o.cache, (connsOfCache.get(o.cache) ?? 1) - 1);
      cacheMaybeDies(o.cache);
    } else if (o.kind === "cache") {
      if ((connsOfCache.get(h) ?? 0) === 0) addDead(h);
      else maybe.set(h, "cache");
    } else if (o.kind === "session" && !o.private) maybe.set(h, "session");
    else addDead(h);
  };
  const ownedOf = (kind) => {
    const out = [];
    for (const [h, o] of owned) if (o.kind === kind) out.push(h);
    return out;
  };

  // ---- memory: the arena every valid pointer points into, a canary nothing may touch ------------
  const arena = ex.buf_alloc(ARENA);
  const canary = ex.buf_alloc(4096);
  const canaryBytes = Uint8Array.from({ length: 4096 }, () => r.int(256));
  mem().set(canaryBytes, canary);
  const fillArena = () => {
    const m = mem();
    for (let i = 0; i < ARENA; i++) m[arena + i] = r.int(256);
  };
  fillArena();
  const buffers = new Set(); // buf_alloc results the fuzz owns

  // ---- sentinels: objects no call targets, whose observable state must not change ---------------
  const put = (bytes, at) => mem().set(bytes, at);
  const sSess = ex.SSL_SESSION_new();
  put(
    Uint8Array.from({ length: 32 }, (_, i) => i + 1),
    arena,
  );
  ex.SSL_SESSION_set1_id(sSess, arena, 32);
  ex.SSL_SESSION_set1_master_key(sSess, arena, 32);
  ex.SSL_SESSION_set_protocol_version(sSess, 0x0303);
  ex.SSL_SESSION_set_cipher(sSess, 0xc02f);
  ex.SSL_SESSION_set_time(sSess, 1700000000n);
  ex.SSL_SESSION_set_timeout(sSess, 3600n);
  put(new TextEncoder().encode("sentinel.example"), arena);
  ex.SSL_SESSION_set1_hostname(sSess, arena, 16, 1);
  const sCache = ex.SSL_CTX_new();
  ex.SSL_CTX_add_session(sCache, sSess);
  const sConn = ex.SSL_new(sCache, 1);
  ex.SSL_set_session(sConn, sSess);
  const sKeys = ex.tls_ticket_keys_new();
  put(
    Uint8Array.from({ length: 80 }, (_, i) => 255 - i),
    arena,
  );
  ex.tls_ticket_keys_add(sKeys, arena, 80, 1700000000n, 1);
  const sHash = ex.hash_new(1);
  put(new TextEncoder().encode("abc"), arena);
  ex.hash_update(sHash, arena, 3);
  for (const h of [sSess, sCache, sConn, sKeys, sHash]) sentinel.add(h);
  // Valid blobs for the decoders: the sentinel's DER and PEM.
  const result = (n) => mem().slice(ex.result_ptr(), ex.result_ptr() + n);
  const der = result(ex.i2d_SSL_SESSION(sSess));
  const pem = result(ex.PEM_write_SSL_SESSION(sSess));
  const DER_AT = arena + 1024;
  const PEM_AT = arena + 4096;
  const putBlobs = () => {
    put(der, DER_AT);
    put(pem, PEM_AT);
  };
  putBlobs();
  ex.result_wipe();

  const snapshot = () => {
    const t = [];
    t.push(Array.from(result(ex.i2d_SSL_SESSION(sSess))).join(","));
    t.push(
      ex.tls_session_get_int(sSess, 14),
      ex.SSL_SESSION_get_time(sSess),
      ex.SSL_SESSION_get_timeout(sSess),
    );
    t.push(
      ex.SSL_CTX_sess_number(sCache),
      ex.SSL_CTX_get_session_cache_mode(sCache),
      ex.SSL_CTX_get_timeout(sCache),
    );
    t.push(ex.SSL_CTX_sess_get_cache_size(sCache), ex.tls_ctx_references(sCache));
    for (let i = 0; i < 12; i++) t.push(ex.tls_ctx_stat(sCache, i));
    t.push(ex.SSL_get0_session(sConn), ex.SSL_version(sConn), ex.SSL_get_shutdown(sConn));
    t.push(
      ex.tls_ticket_keys_count(sKeys),
      Array.from(result(ex.tls_ticket_keys_export(sKeys, 0))).join(","),
    );
    const c = ex.hash_clone(sHash);
    const out = arena + ARENA - 64;
    t.push(ex.hash_final(c, out), Array.from(mem().subarray(out, out + 32)).join(","));
    ex.hash_free(c);
    ex.result_wipe();
    return t.map(String).join("|");
  };
  const sentinelState = snapshot();

  // Module-owned areas: the crypto staging area stays once made; the input area and the result
  // buffer are given back by tls_memory_trim, and randomness buffered for ticket IVs by
  // tls_random_reset. Both measurements are taken after those.
  ex.crypto_io();
  const settle = () => {
    ex.result_wipe();
    ex.tls_random_reset();
    ex.tls_memory_trim();
  };
  settle();
  const baseline = { handles: ex.tls_handles_live(), liveBytes: ex.tls_memory_live_bytes() };

  // ---- arguments -----------------------------------------------------------------------------
  const VERSIONS = [0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0xfeff, 0xfefd, 0x0100, 0, 0xffff];
  const I64S = [0n, 1n, -1n, 300n, 7200n, 1700000000n, 2n ** 62n, I64_FAULT, 2n ** 63n - 1n, -1700000000n];
  const randomI64 = () =>
    r.chance(0.6) ? r.pick(I64S) : BigInt.asIntN(64, (BigInt(r.u32()) << 32n) | BigInt(r.u32()));
  const forge = () => {
    const all = [...owned.keys()];
    const roll = r.int(4);
    if (roll === 0 && all.length) return (r.pick(all) ^ (1 << (20 + r.int(11)))) >>> 0; // another generation
    if (roll === 1) return ((r.int(2047) + 1) << 20) | (0xf0000 + r.int(0xffff)); // an index never used
    if (roll === 2) return (0x80000000 | r.u32()) >>> 0; // bit 31
    return r.u32();
  };

  /** A handle for `kind`: [value, class] with class ok | wrong | dead | forged | maybe | zero. */
  function handleArg(kind, consuming) {
    const roll = r.next();
    const mine = ownedOf(kind);
    if (roll < 0.55 && mine.length) return [r.pick(mine), "ok"];
    if (roll < 0.65) {
      const other = KINDS.filter((k) => k !== kind);
      const cand = ownedOf(r.pick(other));
      if (cand.length) return [r.pick(cand), "wrong"];
    }
    if (roll < 0.75 && dead.length) return [r.pick(dead), "dead"];
    if (roll < 0.85) return [forge(), "forged"];
    if (roll < 0.92 && !consuming && maybe.size) return [r.pick([...maybe.keys()]), "maybe"];
    if (maybe.size > 1000) maybe.delete(maybe.keys().next().value);
    if (roll < 0.95) return [0, "zero"];
    if (mine.length) return [r.pick(mine), "ok"];
    return [forge(), "forged"];
  }

  function args(e) {
    const out = [];
    const classes = [];
    let lastPtr = -1; // arena offset of the previous pointer, or -1 when it was invalid
    for (const p of e.params) {
      if (HANDLE_PARAMS.has(p.name)) {
        const kind = expectedKind(e.name, p.name);
        const [h, cls] = handleArg(kind, CONSUMES[e.name] === p.name);
        out.push(h);
        classes.push({ kind, cls, h });
        lastPtr = -1;
        continue;
      }
      if (p.type === "i64" || p.type === "u64") {
        out.push(randomI64());
        continue;
      }
      if (isLength(p.name) && p.type !== "i64") {
        const roll = r.next();
        let len;
        if (roll < 0.85 && lastPtr >= 0) {
          const room = ARENA - lastPtr;
          len = r.chance(0.7) ? Math.min(room, r.int(80)) : r.int(room + 1);
        } else if (roll < 0.85) len = r.chance(0.5) ? r.int(300) : r.int(70000);
        else len = r.pick([0xffffff00, 0x80000000, 0xffffffff, 0x40000001]);
        // the module's reusable input area: at most the arena's size, so that it stays the size
        // the baseline saw (growing it is not a leak, but would hide one)
        if (e.name === "buf_scratch" || e.name === "buf_scratch_wipe")
          len = r.chance(0.9) ? r.int(ARENA + 1) : 0x40000001;
        out.push(p.type === "i32" ? len | 0 : len >>> 0);
        lastPtr = -1;
        continue;
      }
      if (p.type === "usize") {
        if (r.chance(0.88)) {
          let off;
          if (e.name === "d2i_SSL_SESSION" && r.chance(0.5)) off = DER_AT - arena;
          else if (e.name === "PEM_read_SSL_SESSION" && r.chance(0.5)) off = PEM_AT - arena;
          else off = r.chance(0.5) ? r.int(256) : r.int(ARENA);
          // a pointer with no length after it is read or written for up to 64 bytes or more:
          // keep it well inside the arena
          const next = e.params[e.params.indexOf(p) + 1];
          if (!next || !isLength(next.name)) off = Math.min(off, ARENA - 16384);
          out.push(arena + off);
          lastPtr = off;
        } else {
          out.push(r.pick([memSize() - 8, memSize(), memSize() + 4096, 0xfffffff0, 0x7ffffff0]) >>> 0);
          lastPtr = -1;
        }
        continue;
      }
      lastPtr = -1;
      if (p.name === "alg") out.push(r.chance(0.8) ? 1 + r.int(3) : r.u32() | 0);
      else if (p.name === "version") out.push(r.chance(0.8) ? r.pick(VERSIONS) : r.u32() | 0);
      else if (p.name === "field" || p.name === "id" || p.name === "index")
        out.push(r.chance(0.85) ? r.int(20) - 1 : r.u32() | 0);
      else if (p.name === "fixed") out.push(1);
      else if (r.chance(0.5)) out.push(r.int(4));
      else out.push(r.chance(0.5) ? r.int(0x10000) : r.u32() | 0);
    }
    return { values: out, classes };
  }

  // ---- one call ------------------------------------------------------------------------------
  const stats = { calls: 0, traps: 0, faults: 0, ok: 0, badHandleChecks: 0, byExport: {} };
  let clockSet = false;

  function callOne(e, values, classes) {
    let res;
    try {
      res = ex[e.name](...values);
    } catch (err) {
      stats.traps++;
      violate(`${e.name}(${values.join(", ")}) threw ${err}`);
      throw err; // a trapped instance is not to be used again
    }
    stats.calls++;
    if (trace)
      for (const c of classes) if (c.h) trace(c.h, `${e.name}(${values.join(", ")}) = ${res} [${c.cls}]`);
    if (trace && typeof res === "number" && res > 0 && e.name in NEW_REFERENCE)
      trace(res, `${e.name} -> ${res}`);
    stats.byExport[e.name] = (stats.byExport[e.name] ?? 0) + 1;
    const fault =
      typeof res === "bigint" ? res === I64_FAULT : typeof res === "number" && res < 0 && res !== S.ABSENT;
    if (fault) stats.faults++;
    else stats.ok++;
    // A dead, forged or wrong-kind handle must fail, and say so through the last error.
    const bad = classes.filter((c) => c.cls === "dead" || c.cls === "forged" || c.cls === "wrong");
    if (bad.length && e.result !== "void") {
      stats.badHandleChecks++;
      const code = ex.tls_last_error_code();
      const allowed = [S.BAD_HANDLE, S.WRONG_KIND, S.INVALID_ARGUMENT];
      if (!fault || !allowed.includes(code))
        violate(
          `${e.name}(${values.join(", ")}) with ${bad.map((b) => `${b.cls} ${b.kind}`).join(", ")}: ${res} (last error ${code})`,
        );
    }
    if (fault) return res;
    // The model follows the call.
    const hOf = (name) => values[e.params.findIndex((p) => p.name === name)];
    const clsOf = (name) => classes.find((c) => c.h === hOf(name))?.cls;
    // A session handed to anything but a session accessor may be held there now.
    if (!PRIVATE_OK.test(e.name))
      for (const c of classes)
        if (c.kind === "session" || c.cls === "wrong") {
          const o = owned.get(c.h);
          if (o) o.private = false;
        }
    if (e.name in CONSUMES && clsOf(CONSUMES[e.name]) === "ok") release(hOf(CONSUMES[e.name]));
    if (e.name === "SSL_SESSION_up_ref" || e.name === "SSL_CTX_up_ref") {
      // one more reference for the fuzz, on an object it held or one it only named
      const h = hOf("h");
      const o = owned.get(h);
      if (o) o.refs++;
      else {
        own(h, e.name === "SSL_CTX_up_ref" ? "cache" : "session");
        owned.get(h).private = false;
      }
    }
    if (e.name in NEW_REFERENCE && typeof res === "number" && res > 0) {
      own(res, NEW_REFERENCE[e.name]);
      const o = owned.get(res);
      if (e.name === "SSL_new") {
        o.cache = hOf("ctxHandle");
        connsOfCache.set(o.cache, (connsOfCache.get(o.cache) ?? 0) + 1);
      }
      if (!/^(SSL_SESSION_new|SSL_SESSION_dup|d2i_SSL_SESSION|PEM_read_SSL_SESSION)$/.test(e.name))
        o.private = false;
    }
    if (e.name === "tls_ticket_issue") {
      const t = ex.tls_ticket_issued();
      if (t > 0) {
        own(t, "session");
        owned.get(t).private = false;
      }
    } else if (
      BORROWED.has(e.name) &&
      typeof res === "number" &&
      res > 0 &&
      !owned.has(res) &&
      !sentinel.has(res)
    )
      maybe.set(res, "session");
    if (e.name === "buf_alloc" && res > 0) buffers.add(res);
    if (e.name === "tls_set_clock") clockSet = true;
    return res;
  }

  function randomCall() {
    let e;
    if (owned.size > 300 && r.chance(0.5)) e = r.pick(frees);
    else e = r.pick(exportsList);
    if (e.name === "buf_free") {
      // a buffer of ours, or a pointer buf_alloc never gave (never the arena or the canary)
      const mine = [...buffers];
      const p =
        mine.length && r.chance(0.5)
          ? r.pick(mine)
          : r.pick([arena + 16 * (1 + r.int(100)), arena + 3, 0xfffffff0, memSize() + 16, r.u32()]);
      const res = ex.buf_free(p);
      stats.calls++;
      stats.byExport.buf_free = (stats.byExport.buf_free ?? 0) + 1;
      if (buffers.has(p)) {
        if (res !== 0) violate(`buf_free(own buffer) = ${res}`);
        buffers.delete(p);
      } else if (res !== S.INVALID_ARGUMENT && p !== 0) violate(`buf_free(${p}) = ${res}`);
      return;
    }
    if (e.name === "buf_alloc" && buffers.size > 50) return randomCall();
    const { values, classes } = args(e);
    if (e.name === "buf_alloc") values[0] = r.chance(0.9) ? r.int(5000) : r.pick([0x40000001, 0xffffffff]);
    callOne(e, values, classes);
  }

  function checkpoint(where) {
    if (snapshot() !== sentinelState) violate(`${where}: a sentinel object changed`);
    const m = mem();
    for (let i = 0; i < canaryBytes.length; i++)
      if (m[canary + i] !== canaryBytes[i]) {
        violate(`${where}: the canary buffer changed at byte ${i}`);
        break;
      }
    for (const [h, o] of owned) {
      // A getter of the object's kind leaves the last error alone when the handle is good.
      ex.SSL_SESSION_set1_id(0, 0xfffffff0, 32); // last error: INVALID_ARGUMENT
      if (o.kind === "session") ex.tls_session_valid(h);
      else if (o.kind === "cache") ex.tls_ctx_references(h);
      else if (o.kind === "connection") ex.SSL_version(h);
      else if (o.kind === "keys") ex.tls_ticket_keys_count(h);
      else ex.hash_update(h, arena, 0);
      const code = ex.tls_last_error_code();
      const alive = code === S.INVALID_ARGUMENT || code === S.BAD_STATE;
      if (!alive)
        violate(
          `${where}: ${o.kind} ${h} that the fuzz holds is dead (last error ${ex.tls_last_error_code()})`,
        );
    }
    putBlobs();
  }

  // ---- run -----------------------------------------------------------------------------------
  let trapped = null;
  try {
    for (let i = 0; i < calls; i++) {
      randomCall();
      if ((i + 1) % checkEvery === 0) checkpoint(`after ${i + 1} calls`);
    }
    checkpoint("at the end");
  } catch (err) {
    trapped = String(err);
  }

  // ---- teardown: free what the fuzz holds, then the sentinels; back to the baseline -----------
  let after = null;
  if (!trapped) {
    if (clockSet) ex.tls_set_clock(1700000000n, 1);
    const order = ["connection", "session", "cache", "keys", "hasher"];
    const FREE = {
      connection: "SSL_free",
      session: "SSL_SESSION_free",
      cache: "SSL_CTX_free",
      keys: "tls_ticket_keys_free",
      hasher: "hash_free",
    };
    for (const kind of order)
      for (const [h, o] of [...owned])
        if (o.kind === kind) for (let i = o.refs; i > 0; i--) ex[FREE[kind]](h);
    for (const p of buffers) ex.buf_free(p);
    settle();
    after = { handles: ex.tls_handles_live(), liveBytes: ex.tls_memory_live_bytes() };
    if (after.handles !== baseline.handles)
      violate(`handles: ${after.handles} live after the teardown, ${baseline.handles} before`);
    if (after.liveBytes !== baseline.liveBytes)
      violate(`memory: ${after.liveBytes} B live after the teardown, ${baseline.liveBytes} B before`);
    if (snapshot() !== sentinelState) violate("after the teardown: a sentinel object changed");
  }
  return { ...stats, violations, trapped, baseline, after, exports: exportsList.length };
}

// Model-based test of the session cache: a million seeded random operations applied both to the
// plain reference model (tests/cache/model.mjs) and to our SSL_CTX cache through the raw ABI, with
// every return value, the cache size and the callback/release events (order, object, reason)
// compared after each operation, and every few operations the exact list order
// (tls_ctx_list_position), the counters (tls_ctx_stat), each live object's time, timeout,
// version and resumability, and which objects are alive (tls_session_valid). Objects the model
// says were freed must be gone right away. Each chunk ends with everything freed and
// tls_memory_live_bytes()/tls_handles_live() back to their baseline.
//
// On a mismatch the test prints the op index, the op, both results and the last ops, shrinks the
// failing run to a short op sequence (replayed on fresh caches), and appends both to
// $MODEL_MISMATCH_FILE (default <os tmpdir>/model_mismatches.txt).
//
// MODEL_OPS (default 1,000,000), MODEL_CHUNKS (default 20) and MODEL_SEED change the run;
// MODEL_CHECK_EVERY (default 2; 1 checks everything after every op, about twice as slow) is the
// interval of the full comparisons.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ModelCache, ModelSession, MODE } from "./model.mjs";
import { needPrerequisite } from "../prerequisites.mjs";

const TOTAL_OPS = Number(process.env.MODEL_OPS ?? 1_000_000);
const CHUNKS = Math.max(1, Number(process.env.MODEL_CHUNKS ?? 20));
const SEED = Number(process.env.MODEL_SEED ?? 0x5e55c0de) >>> 0;
const CHECK_EVERY = Math.max(1, Number(process.env.MODEL_CHECK_EVERY ?? 2));
const MISMATCH_FILE = process.env.MODEL_MISMATCH_FILE ?? join(tmpdir(), "model_mismatches.txt");
const SHRINK_BUDGET_MS = 60_000;

// The test build: the shipped module plus tls_ctx_list_position (assembly/abi/test_hooks.ts).
const testWasm = fileURLToPath(new URL("../../build/out/tls_session_test.wasm", import.meta.url));
const ex = existsSync(testWasm) ? (await import("../abi/host.mjs")).instantiate({ path: testWasm }) : null;

// ABI constants (assembly/abi/status.ts, assembly/cache/events.ts, cache_exports.ts).
const ABSENT = -17;
const EVENT_NONE = 0,
  EVENT_REMOVE = 1,
  EVENT_RELEASE = 2;
const CB_REMOVE = 1,
  CB_RELEASES = 8;
const STAT_COUNT = 12;

// --- seeded generator (sfc32) ------------------------------------------------------------------
function prng(seed) {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (arr) => arr[int(arr.length)], chance: (p) => next() < p };
}

// --- the operation space -------------------------------------------------------------------------
// A few ids (lengths 0, 1, 2, 31, 32) and two versions: about a dozen keys, so collisions are common.
const IDS = [
  "",
  "00",
  "01",
  "0100",
  "ff".repeat(31),
  "01".repeat(16),
  "02".repeat(16),
  "01".repeat(15) + "02",
];
const BAD_ID = "00".repeat(33);
const VERSIONS = [0x0303, 0x0304];
const BASE = 1000n;
const I64_MAX = (1n << 63n) - 1n;
const MODES = [
  MODE.SERVER,
  MODE.SERVER | MODE.UPDATE_TIME,
  MODE.OFF,
  MODE.UPDATE_TIME,
  MODE.BOTH,
  MODE.BOTH | MODE.NO_AUTO_CLEAR | MODE.NO_INTERNAL | MODE.UPDATE_TIME,
  MODE.SERVER | MODE.NO_INTERNAL_STORE,
];
const SIZES = [0n, 1n, 2n, 3n, 4n, 5n, 8n, 20480n, -1n];
const MAX_SCRIPT_OBJECTS = 48;

function randTime(r) {
  const x = r.next();
  if (x < 0.03) return -BigInt(r.int(10)); // negative and zero times
  if (x < 0.06) return I64_MAX - BigInt(r.int(8)); // time + timeout overflows for most timeouts
  return BASE + BigInt(r.int(14)) - 2n; // 998..1011: plenty of ties
}

function randTimeout(r) {
  const x = r.next();
  if (x < 0.05) return -1n - BigInt(r.int(3)); // refused
  if (x < 0.09) return I64_MAX - BigInt(r.int(4)); // overflows for any positive time
  return r.pick([0n, 1n, 2n, 3n, 5n, 10n, 304n]);
}

function randFlushTime(r) {
  const x = r.next();
  if (x < 0.1) return 0n;
  if (x < 0.13) return I64_MAX;
  if (x < 0.15) return -1n - BigInt(r.int(5));
  return BASE + BigInt(r.int(330)) - 5n;
}

/** One random op (a plain descriptor), valid for the runner's current state. */
function generate(r, run) {
  const live = run.live;
  const held = live.filter((s) => s.scriptRefs > 0);
  const obj = () => r.pick(live).serial;
  // half the time a cached one: removal, re-sorting and re-keying matter most there
  const cachedObj = () =>
    (run.model.list.length && r.chance(0.5) ? r.pick(run.model.list) : r.pick(live)).serial;
  const idArg = () => (r.chance(0.04) ? BAD_ID : r.pick(IDS));
  for (;;) {
    const x = r.int(1000);
    if (x < 80) {
      if (held.length < MAX_SCRIPT_OBJECTS)
        return { op: "new", serial: run.serials++, v: r.pick(VERSIONS), id: r.pick(IDS) };
      continue;
    }
    if (x < 170) {
      if (!held.length || (held.length < 12 && r.chance(0.7))) continue;
      return { op: "free", o: r.pick(held).serial };
    }
    if (!live.length) continue;
    if (x < 190) return { op: "upref", o: obj() };
    if (x < 420) return { op: "add", o: obj() };
    if (x < 530) return { op: "remove", o: cachedObj() };
    if (x < 570) return { op: "flush", t: randFlushTime(r) };
    if (x < 660)
      return {
        op: "settime",
        o: cachedObj(),
        t: r.chance(0.5) ? run.clock + BigInt(r.int(5)) - 2n : randTime(r),
      };
    if (x < 740) return { op: "settimeout", o: cachedObj(), t: randTimeout(r) };
    if (x < 770) return { op: "setid", o: cachedObj(), id: idArg() };
    if (x < 790) return { op: "setversion", o: cachedObj(), v: r.pick(VERSIONS) };
    if (x < 860) return { op: "has", v: r.chance(0.05) ? 0x0301 : r.pick(VERSIONS), id: idArg() };
    if (x < 890) return { op: "lookup", v: r.pick(VERSIONS), id: idArg() };
    if (x < 915) return { op: "size", n: r.pick(SIZES) };
    if (x < 940) return { op: "mode", m: r.pick(MODES) };
    if (x < 950) return { op: "ctxtimeout", t: r.pick([0n, 1n, 300n, 7200n, -5n]) };
    if (x < 995) return { op: "clock", t: BASE + BigInt(r.int(12)) - 2n };
    return {
      op: "callbacks",
      flags: r.pick([CB_REMOVE | CB_RELEASES, CB_REMOVE | CB_RELEASES, CB_REMOVE, 0]),
    };
  }
}

const show = (d) =>
  Object.entries(d)
    .map(([k, v]) =>
      k === "op"
        ? v
        : k === "serial"
          ? `s${v}`
          : `${k}=${k === "o" ? `s${v}` : typeof v === "number" ? `0x${v.toString(16)}` : k === "id" ? `"${v}"` : String(v)}`,
    )
    .join(" ");
const showEvents = (evs) =>
  `[${evs.map((e) => `${e.kind} ${e.s}${e.reason ? `(${e.reason})` : ""}${e.kind === "release" ? (e.alive ? " alive" : " freed") : ""}`).join(", ")}]`;

class Mismatch extends Error {
  constructor(what, ours, model) {
    super(`${what}: ours ${ours}, model ${model}`);
    this.what = what;
    this.ours = String(ours);
    this.model = String(model);
  }
}

// --- one cache, driven in lockstep with the model -----------------------------------------------
class Runner {
  constructor(checkEvery) {
    this.checkEvery = checkEvery;
    this.model = new ModelCache();
    this.objs = new Map(); // serial (given by the "new" op) -> { m: ModelSession, h: handle }
    this.serials = 0;
    this.live = []; // model sessions alive (held by the script or the cache)
    this.byHandle = new Map(); // handle -> obj (the latest holder of a handle)
    this.handles = new Set();
    this.clock = BASE;
    ex.tls_set_clock(this.clock, 1);
    this.ctx = ex.SSL_CTX_new();
    if (this.ctx <= 0) throw new Error(`SSL_CTX_new failed: ${this.ctx}`);
    this.flags = CB_REMOVE | CB_RELEASES;
    ex.tls_ctx_set_callbacks(this.ctx, this.flags);
    this.buf = ex.buf_alloc(64);
    this.done = 0;
    this.coverage = new Map(); // what the run exercised, for the test's diagnostics
  }

  cover(what) {
    this.coverage.set(what, (this.coverage.get(what) ?? 0) + 1);
  }

  eq(what, ours, model) {
    if (String(ours) !== String(model)) throw new Mismatch(what, ours, model);
  }

  withId(hex) {
    const n = hex.length / 2;
    const mem = new Uint8Array(ex.memory.buffer, this.buf, 64);
    for (let i = 0; i < n; i++) mem[i] = parseInt(hex.substr(2 * i, 2), 16);
    return n;
  }

  /** Whether `d` can be applied now (a shrunk sequence may name objects that no longer exist). */
  valid(d) {
    if (d.o === undefined) return true;
    const s = this.objs.get(d.o)?.m;
    if (!s?.alive) return false;
    return d.op !== "free" || s.scriptRefs > 0;
  }

  apply(d) {
    const m = this.model,
      ctx = this.ctx;
    const o = d.o !== undefined ? this.objs.get(d.o) : null;
    const s = o?.m,
      h = o?.h;
    switch (d.op) {
      case "new": {
        const nh = ex.SSL_SESSION_new();
        if (nh <= 0) throw new Mismatch("SSL_SESSION_new", nh, "a handle");
        const ms = new ModelSession(d.serial, this.clock);
        this.eq(
          "new: set_protocol_version",
          ex.SSL_SESSION_set_protocol_version(nh, d.v),
          m.setVersion(ms, d.v),
        );
        this.eq("new: set1_id", ex.SSL_SESSION_set1_id(nh, this.buf, this.withId(d.id)), m.setId(ms, d.id));
        const obj = { m: ms, h: nh };
        this.objs.set(d.serial, obj);
        this.live.push(ms);
        this.byHandle.set(nh, obj);
        this.handles.add(nh);
        break;
      }
      case "free":
        this.eq("SSL_SESSION_free (refs left)", ex.SSL_SESSION_free(h), m.free(s));
        break;
      case "upref":
        this.eq("SSL_SESSION_up_ref", ex.SSL_SESSION_up_ref(h), m.upRef(s));
        break;
      case "add": {
        const prior = m.table.get(s.key);
        this.cover(prior === s ? "add: same object" : prior ? "add: replaces" : "add: new key");
        const r = m.add(s, this.clock);
        this.eq("SSL_CTX_add_session", ex.SSL_CTX_add_session(ctx, h), r);
        const at = m.list.indexOf(s);
        if (at > 0 && at < m.list.length - 1) this.cover("add: linked mid-list");
        if (
          m.list.some(
            (x) => x !== s && x.calcTimeout === s.calcTimeout && x.timeoutOverflow === s.timeoutOverflow,
          )
        )
          this.cover("add: tie");
        if (s.timeoutOverflow) this.cover("add: overflowed expiry");
        break;
      }
      case "remove": {
        const prior = m.table.get(s.key);
        this.cover(
          s.idLength === 0
            ? "remove: empty id"
            : prior === s
              ? "remove: found"
              : prior
                ? "remove: other object with the key"
                : "remove: absent",
        );
        const r = m.remove(s);
        this.eq("SSL_CTX_remove_session", ex.SSL_CTX_remove_session(ctx, h), r);
        break;
      }
      case "flush":
        m.flush(d.t);
        this.eq("SSL_CTX_flush_sessions", ex.SSL_CTX_flush_sessions(ctx, d.t), 0);
        break;
      case "settime":
        this.eq("SSL_SESSION_set_time", ex.SSL_SESSION_set_time(h, d.t), m.setTime(s, d.t));
        break;
      case "settimeout":
        this.eq("SSL_SESSION_set_timeout", ex.SSL_SESSION_set_timeout(h, d.t), m.setTimeout(s, d.t));
        break;
      case "setid":
        this.eq(
          "SSL_SESSION_set1_id",
          ex.SSL_SESSION_set1_id(h, this.buf, this.withId(d.id)),
          m.setId(s, d.id),
        );
        break;
      case "setversion":
        this.eq(
          "SSL_SESSION_set_protocol_version",
          ex.SSL_SESSION_set_protocol_version(h, d.v),
          m.setVersion(s, d.v),
        );
        break;
      case "has":
        this.eq(
          "SSL_has_matching_session_id",
          ex.SSL_has_matching_session_id(ctx, d.v, this.buf, this.withId(d.id)),
          m.has(d.v, d.id),
        );
        break;
      case "lookup": {
        const r = ex.tls_ctx_get_session(ctx, d.v, this.buf, this.withId(d.id));
        const want = m.lookup(d.v, d.id);
        this.eq(
          "tls_ctx_get_session",
          r === ABSENT ? "ABSENT" : (this.byHandle.get(r)?.m ?? `?${r}`),
          want ?? "ABSENT",
        );
        break;
      }
      case "size":
        this.eq("SSL_CTX_sess_set_cache_size", ex.SSL_CTX_sess_set_cache_size(ctx, d.n), m.setCacheSize(d.n));
        this.eq("SSL_CTX_sess_get_cache_size", ex.SSL_CTX_sess_get_cache_size(ctx), m.cacheSize);
        break;
      case "mode":
        this.eq(
          "SSL_CTX_set_session_cache_mode",
          ex.SSL_CTX_set_session_cache_mode(ctx, d.m),
          m.setMode(d.m),
        );
        this.eq("SSL_CTX_get_session_cache_mode", ex.SSL_CTX_get_session_cache_mode(ctx), m.mode);
        break;
      case "ctxtimeout":
        this.eq("SSL_CTX_set_timeout", ex.SSL_CTX_set_timeout(ctx, d.t), m.setCtxTimeout(d.t));
        this.eq("SSL_CTX_get_timeout", ex.SSL_CTX_get_timeout(ctx), m.timeout);
        break;
      case "clock":
        this.clock = d.t;
        ex.tls_set_clock(d.t, 1);
        break;
      case "callbacks":
        this.eq("tls_ctx_set_callbacks", ex.tls_ctx_set_callbacks(ctx, d.flags), 1);
        this.flags = d.flags;
        break;
      default:
        throw new Error(`unknown op ${d.op}`);
    }
    this.compareEvents();
    this.eq("SSL_CTX_sess_number", ex.SSL_CTX_sess_number(ctx), m.number);
    this.cover(`op: ${d.op}`);
    if (m.number > (this.maxNumber ?? 0)) this.maxNumber = m.number;
    this.reap();
    if (++this.done % this.checkEvery === 0) this.fullCheck();
  }

  /** Drains our event queue and compares it with the model's events of the last op. */
  compareEvents() {
    let want = this.model.takeEvents();
    for (const e of want)
      this.cover(
        e.kind === "remove"
          ? `event: remove reason ${e.reason}`
          : `event: release${e.s.idLength ? "" : " (empty id)"}${e.alive ? "" : " frees"}`,
      );
    if (!(this.flags & CB_REMOVE)) return; // settled inside: nothing to see
    if (!(this.flags & CB_RELEASES)) want = want.filter((e) => e.kind !== "release");
    const got = [];
    for (;;) {
      const ev = ex.SSL_CTX_next_event(this.ctx);
      if (ev === EVENT_NONE) break;
      const kind = ev & 0xff;
      const h = ex.tls_ctx_event_session(this.ctx);
      const who = this.byHandle.get(h)?.m ?? `?${h}`;
      if (kind === EVENT_REMOVE) got.push({ kind: "remove", s: who, reason: ev >> 8 });
      else if (kind === EVENT_RELEASE)
        got.push({ kind: "release", s: who, alive: ex.tls_session_valid(h) === 1 });
      else got.push({ kind: `event${ev}`, s: who });
      if (got.length > 10_000) break;
    }
    this.eq("events", showEvents(got), showEvents(want));
  }

  /** Objects the model says are gone must be gone now. */
  reap() {
    let j = 0;
    for (const s of this.live) {
      if (s.alive) {
        this.live[j++] = s;
        continue;
      }
      this.eq(
        `${s} freed (tls_session_valid)`,
        ex.tls_session_valid(this.objs.get(s.serial).h) === 1 ? "alive" : "freed",
        "freed",
      );
    }
    this.live.length = j;
  }

  fullCheck() {
    const m = this.model,
      ctx = this.ctx;
    for (let i = 0; i < STAT_COUNT; i++) this.eq(`tls_ctx_stat(${i})`, ex.tls_ctx_stat(ctx, i), m.stat(i));
    this.eq("SSL_CTX_sess_get_cache_size", ex.SSL_CTX_sess_get_cache_size(ctx), m.cacheSize);
    this.eq("SSL_CTX_get_session_cache_mode", ex.SSL_CTX_get_session_cache_mode(ctx), m.mode);
    this.eq("list length", m.list.length, m.number);
    for (const s of this.live) {
      const h = this.objs.get(s.serial).h;
      this.eq(`${s} alive (tls_session_valid)`, ex.tls_session_valid(h), 1);
      this.eq(`${s} list position`, ex.tls_ctx_list_position(ctx, h), s.linked ? m.list.indexOf(s) : -1);
      this.eq(`${s} time`, ex.SSL_SESSION_get_time(h), s.time);
      this.eq(`${s} timeout`, ex.SSL_SESSION_get_timeout(h), s.timeout);
      this.eq(`${s} version`, ex.SSL_SESSION_get_protocol_version(h), s.version);
      this.eq(`${s} resumable`, ex.SSL_SESSION_is_resumable(h), s.resumable ? 1 : 0);
      // references left after a free, without freeing: up then down
      ex.SSL_SESSION_up_ref(h);
      this.eq(`${s} references`, ex.SSL_SESSION_free(h), s.refs);
    }
  }

  /**
   * Teardown: the script's references in creation order (objects the model frees must go at
   * once), then either an explicit flush(0) with its events compared and SSL_CTX_free, or
   * SSL_CTX_free straight away (its events are settled internally).
   */
  finish(viaFlush) {
    this.fullCheck();
    for (const { m: s, h } of this.objs.values()) {
      while (s.scriptRefs > 0) {
        this.eq(`teardown: SSL_SESSION_free ${s}`, ex.SSL_SESSION_free(h), this.model.free(s));
        this.reap();
      }
    }
    this.fullCheck();
    if (viaFlush) {
      ex.SSL_CTX_flush_sessions(this.ctx, 0n);
      this.model.flush(0n);
      this.compareEvents();
      this.eq("number after flush(0)", ex.SSL_CTX_sess_number(this.ctx), 0);
    } else {
      this.model.flush(0n);
      this.model.takeEvents();
    }
    this.eq("SSL_CTX_free", ex.SSL_CTX_free(this.ctx), 0);
    this.ctx = 0;
    this.reap();
    this.eq("objects alive at the end (model)", this.live.length, 0);
    ex.buf_free(this.buf);
    this.buf = 0;
  }

  /** After a mismatch: frees whatever is left, best effort, so later runs start clean. */
  abandon() {
    if (this.ctx) ex.SSL_CTX_free(this.ctx);
    for (const h of this.handles)
      for (let i = 0; i < 1 << 20 && ex.tls_session_valid(h) === 1; i++) ex.SSL_SESSION_free(h);
    if (this.buf) ex.buf_free(this.buf);
    this.ctx = this.buf = 0;
  }
}

/** Replays `ops` on a fresh runner (invalid ops skipped); returns the first mismatch or null. */
function replay(ops, checkEvery = 1) {
  const run = new Runner(checkEvery);
  let i = 0;
  try {
    for (; i < ops.length; i++) if (run.valid(ops[i])) run.apply(ops[i]);
    run.finish(true);
    return null;
  } catch (e) {
    if (!(e instanceof Mismatch)) throw e;
    run.abandon();
    return { at: i, error: e };
  }
}

/** ddmin (complements only) over the op list, within a time budget. */
function shrink(ops) {
  const deadline = Date.now() + SHRINK_BUDGET_MS;
  let cur = ops,
    n = 2;
  while (cur.length >= 2 && Date.now() < deadline) {
    const size = Math.ceil(cur.length / n);
    let reduced = false;
    for (let start = 0; start < cur.length && Date.now() < deadline; start += size) {
      const cand = cur.slice(0, start).concat(cur.slice(start + size));
      const f = replay(cand, cand.length > 5000 ? 16 : 1);
      if (f) {
        cur = cand.slice(0, f.at + 1);
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size === 1) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return { ops: cur, failure: replay(cur, 1) };
}

function describeSequence(ops) {
  return ops.map((d, i) => `  ${String(i).padStart(4)}  ${show(d)}`).join("\n");
}

// --- the tests -------------------------------------------------------------------------------------
function skipIfMissing(t) {
  return !needPrerequisite(
    t,
    "cache/model.test.mjs",
    ex ? null : "build/out/tls_session_test.wasm is missing (run `npm run build`)",
  );
}

/** Grows the handle table once so that its (permanent) growth is not counted as a leak. */
function warmUp() {
  const hs = [];
  for (let i = 0; i < 300; i++) hs.push(ex.SSL_SESSION_new());
  const ctx = ex.SSL_CTX_new();
  for (const h of hs) ex.SSL_CTX_add_session(ctx, h);
  for (const h of hs) ex.SSL_SESSION_free(h);
  ex.SSL_CTX_free(ctx);
}

const perChunk = Math.ceil(TOTAL_OPS / CHUNKS);
let warmed = false;

for (let chunk = 0; chunk < CHUNKS; chunk++) {
  const count = Math.min(perChunk, TOTAL_OPS - chunk * perChunk);
  if (count <= 0) break;
  const seed = (SEED + Math.imul(chunk, 0x9e3779b1)) >>> 0;
  test(`model vs ours: chunk ${chunk + 1}/${CHUNKS}, ${count} random ops, seed 0x${seed.toString(16)}`, (t) => {
    if (skipIfMissing(t)) return;
    if (!warmed) {
      warmUp();
      warmed = true;
    }
    const bytes0 = ex.tls_memory_live_bytes();
    const handles0 = ex.tls_handles_live();
    const r = prng(seed);
    const run = new Runner(CHECK_EVERY);
    const ops = [];
    let i = 0;
    try {
      for (; i < count; i++) {
        const d = generate(r, run);
        ops.push(d);
        run.apply(d);
      }
      run.finish(chunk % 2 === 0);
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      run.abandon();
      const last = ops
        .slice(Math.max(0, ops.length - 20))
        .map((d, k, a) => `  #${ops.length - a.length + k}  ${show(d)}`)
        .join("\n");
      const where = i < count ? `op #${i} (${show(ops[i])})` : "teardown";
      let report =
        `model mismatch in chunk ${chunk + 1} (seed 0x${seed.toString(16)}) at ${where}\n` +
        `  ${e.what}\n    ours:  ${e.ours}\n    model: ${e.model}\nlast ops:\n${last}\n`;
      const { ops: small, failure } = shrink(ops.slice(0, i + 1));
      if (failure) {
        report +=
          `shrunk to ${small.length} ops (fresh cache, defaults; clock ${BASE}; ops naming freed objects are skipped):\n` +
          `${describeSequence(small)}\n  -> at op ${failure.at < small.length ? failure.at : "teardown"}: ${failure.error.what}\n` +
          `    ours:  ${failure.error.ours}\n    model: ${failure.error.model}\n`;
      }
      appendFileSync(MISMATCH_FILE, report + "\n");
      assert.fail(report + `(also appended to ${MISMATCH_FILE})`);
    }
    t.diagnostic(
      `max cached ${run.maxNumber}, cache_full ${run.model.cacheFull}; ` +
        [...run.coverage]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join(", "),
    );
    assert.equal(ex.tls_handles_live(), handles0, "live handles back to the baseline");
    assert.equal(ex.tls_memory_live_bytes(), bytes0, "live bytes back to the baseline");
  });
}

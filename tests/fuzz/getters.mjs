// Every public getter, read from our module in the form tests/oracle/d2i_oracle.c prints OpenSSL's
// (its G line), twice: through the raw ABI exports (OpenSSL's names) and through the `Session`
// class. Plus setter scripts that build sessions both ways, for the differential tests.
import { prng } from "./corpus.mjs";

const ABSENT = -17;
const hex = (b) => Buffer.from(b).toString("hex");

/** The G-line keys, in the oracle's order. `text` (SSL_SESSION_print) is compared apart. */
export const GETTER_KEYS = [
  "ver",
  "cipher",
  "cname",
  "id",
  "sidctx",
  "mklen",
  "mk",
  "time",
  "timeout",
  "host",
  "alpn",
  "ticket",
  "hasticket",
  "hint",
  "med",
  "mfl",
  "comp",
  "peer",
  "appdata",
  "resumable",
];

function resultBytes(ex, n) {
  const p = ex.result_ptr();
  return new Uint8Array(ex.memory.buffer).slice(p, p + n);
}

/** A byte getter returning a length (or ABSENT) into the result buffer, as hex or "~". */
function abiBytes(ex, n) {
  if (n === ABSENT) return "~";
  if (n < 0) throw new Error(`getter failed with status ${n}`);
  return hex(resultBytes(ex, n));
}

/** Our getters through the raw exports, keyed as the oracle's G line. */
export function abiGetters(ex, h) {
  const g = new Map();
  g.set("ver", String(ex.SSL_SESSION_get_protocol_version(h)));
  const c = ex.SSL_SESSION_get_cipher(h);
  g.set("cipher", c === ABSENT ? "~" : c.toString(16).padStart(4, "0"));
  if (c === ABSENT) g.set("cname", "~");
  else {
    const n = ex.tls_cipher_name(c);
    g.set("cname", n === ABSENT ? "(unknown)" : Buffer.from(resultBytes(ex, n)).toString("latin1"));
  }
  g.set("id", abiBytes(ex, ex.SSL_SESSION_get_id(h)));
  g.set("sidctx", abiBytes(ex, ex.SSL_SESSION_get0_id_context(h)));
  const mklen = ex.SSL_SESSION_get_master_key(h, 0);
  g.set("mklen", String(mklen));
  g.set("mk", abiBytes(ex, ex.SSL_SESSION_get_master_key(h, 512)));
  ex.result_wipe();
  g.set("time", String(ex.SSL_SESSION_get_time(h)));
  g.set("timeout", String(ex.SSL_SESSION_get_timeout(h)));
  g.set("host", abiBytes(ex, ex.SSL_SESSION_get0_hostname(h)));
  g.set("alpn", abiBytes(ex, ex.SSL_SESSION_get0_alpn_selected(h)));
  g.set("ticket", abiBytes(ex, ex.SSL_SESSION_get0_ticket(h)));
  g.set("hasticket", String(ex.SSL_SESSION_has_ticket(h)));
  g.set("hint", String(BigInt.asUintN(64, BigInt(ex.SSL_SESSION_get_ticket_lifetime_hint(h)))));
  g.set("med", String(BigInt.asUintN(32, BigInt(ex.SSL_SESSION_get_max_early_data(h)))));
  g.set("mfl", String(ex.SSL_SESSION_get_max_fragment_length(h)));
  g.set("comp", String(ex.SSL_SESSION_get_compress_id(h)));
  g.set("peer", abiBytes(ex, ex.SSL_SESSION_get0_peer(h)));
  g.set("appdata", abiBytes(ex, ex.SSL_SESSION_get0_ticket_appdata(h)));
  g.set("resumable", String(ex.SSL_SESSION_is_resumable(h)));
  return g;
}

const hexOrNull = (b) => (b === null ? "~" : hex(b));

/** Our getters through the `Session` class (string getters back to bytes as latin1). */
export function apiGetters(s) {
  const g = new Map();
  g.set("ver", String(s.protocolVersion));
  const c = s.cipherSuite;
  g.set("cipher", c === null ? "~" : c.toString(16).padStart(4, "0"));
  g.set("cname", c === null ? "~" : s.cipherName);
  g.set("id", hex(s.id));
  g.set("sidctx", hex(s.sidCtx));
  const mk = s.masterKey;
  g.set("mklen", String(mk.length));
  g.set("mk", hex(mk));
  g.set("time", String(s.time));
  g.set("timeout", String(s.timeout));
  const host = s.hostname;
  g.set("host", host === null ? "~" : Buffer.from(host, "latin1").toString("hex"));
  g.set("alpn", hexOrNull(s.alpn));
  g.set("ticket", hexOrNull(s.ticket));
  g.set("hasticket", s.hasTicket ? "1" : "0");
  g.set("hint", String(s.ticketLifetimeHint));
  g.set("med", String(s.maxEarlyData));
  g.set("mfl", String(s.maxFragmentLength));
  g.set("comp", String(s.compression));
  g.set("peer", hexOrNull(s.peerCertificate));
  g.set("appdata", hexOrNull(s.ticketAppData));
  g.set("resumable", s.resumable ? "1" : "0");
  // The bytes accessors must agree with the latin1 strings.
  for (const [str, bytes] of [
    [host, s.hostnameBytes],
    [s.pskIdentity, s.pskIdentityBytes],
    [s.pskIdentityHint, s.pskIdentityHintBytes],
    [s.srpUsername, s.srpUsernameBytes],
  ]) {
    if (
      (str === null) !== (bytes === null) ||
      (str !== null && Buffer.from(str, "latin1").compare(bytes) !== 0)
    )
      g.set("bytes-accessors", "disagree");
  }
  return g;
}

/**
 * Tallies one comparison: for each key, whether ours equals the oracle's. `tally` maps key ->
 * [agree, disagree]; returns the keys that differ.
 */
export function tallyGetters(tally, oracle, ours, prefix) {
  const diff = [];
  for (const k of [...GETTER_KEYS, ...(ours.has("bytes-accessors") ? ["bytes-accessors"] : [])]) {
    const key = `${prefix}${k}`;
    const t = tally.get(key) ?? [0, 0];
    const same = k === "bytes-accessors" ? false : oracle.get(k) === ours.get(k);
    t[same ? 0 : 1]++;
    tally.set(key, t);
    if (!same) diff.push(`${key}: openssl ${oracle.get(k)?.slice(0, 80)}, ours ${ours.get(k)?.slice(0, 80)}`);
  }
  return diff;
}

// --- setter scripts ------------------------------------------------------------------------------

const SUITES = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0xc02f, 0xc030, 0x009c, 0x002f, 0xcca8];
const ODD_SUITES = [0x0000, 0x00ff, 0x5600, 0xffff, 0x1306, 0xc0ff];
const VERSIONS = [0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0xfeff, 0xfefd, 0x0100, 0, 1, 0x0305, 0x7f1c];

/**
 * `count` random scripts of setter calls, each `[{ op, v }]` where v is a byte array, a bigint or
 * null. `toOracleLine` turns one into d2i_oracle's S-line ops.
 */
export function setterScripts(seed, count) {
  const rnd = prng(seed).next;
  const int = (n) => Math.floor(rnd() * n);
  const bytes = (n, nul = true) =>
    Array.from({ length: n }, () => {
      const b = int(256);
      return nul || b !== 0 ? b : 1;
    });
  const textish = (n) =>
    Array.from({ length: n }, () =>
      rnd() < 0.7 ? 0x61 + int(26) : rnd() < 0.5 ? 0x80 + int(128) : 1 + int(127),
    );
  const time = () =>
    [0n, 1n, -1n, 1700000000n, 2n ** 31n, 2n ** 62n, -(2n ** 62n), BigInt(int(2 ** 31))][int(8)];
  const gens = {
    id: () => bytes([0, 1, 16, 32, 32, 33][int(6)]),
    sidctx: () => bytes([0, 1, 8, 32, 33][int(5)]),
    mk: () => bytes([0, 1, 32, 48, 48, 64, 512, 513][int(8)]),
    host: () => (rnd() < 0.15 ? null : rnd() < 0.1 ? [...textish(3), 0, ...textish(2)] : textish(int(40))),
    alpn: () => (rnd() < 0.2 ? null : bytes(int(12))),
    appdata: () => (rnd() < 0.2 ? null : bytes(int(40))),
    time,
    timeout: () => [0n, 1n, -1n, -300n, 300n, 7200n, 2n ** 62n, BigInt(int(100000))][int(8)],
    ver: () => BigInt(VERSIONS[int(VERSIONS.length)]),
    med: () => BigInt([0, 1, 16384, 2 ** 32 - 1, int(2 ** 32)][int(5)]),
    cipher: () => (rnd() < 0.8 ? SUITES[int(SUITES.length)] : ODD_SUITES[int(ODD_SUITES.length)]),
    dup: () => null,
  };
  const ops = Object.keys(gens);
  const scripts = [];
  for (let i = 0; i < count; i++) {
    const n = int(12);
    const script = [];
    // Most scripts get a cipher and an id, so that i2d writes something and the session resumes.
    if (rnd() < 0.8) script.push({ op: "cipher", v: gens.cipher() });
    if (rnd() < 0.7) script.push({ op: "id", v: gens.id() });
    for (let k = 0; k < n; k++) {
      const op = ops[int(ops.length)];
      script.push({ op, v: gens[op]() });
    }
    scripts.push(script);
  }
  return scripts;
}

/** One script as d2i_oracle's S-line ops. */
export function toOracleLine(script) {
  return script
    .map(({ op, v }) => {
      if (op === "dup") return "dup";
      if (op === "cipher") return `cipher=${v.toString(16).padStart(4, "0")}`;
      if (v === null) return op;
      if (typeof v === "bigint") return `${op}=${v}`;
      return `${op}=${hex(v)}`;
    })
    .join(" ");
}

/**
 * Runs a script on our side through the raw exports. Returns { handle, rets } (the caller frees
 * the handle), with each setter's return value as the oracle prints it.
 */
export function applyScriptAbi(ex, script) {
  let h = ex.SSL_SESSION_new();
  const rets = [];
  const withBytes = (v, fn) => {
    const n = v.length;
    const p = ex.buf_alloc(Math.max(n, 1));
    new Uint8Array(ex.memory.buffer).set(v, p);
    try {
      return fn(p, n);
    } finally {
      ex.buf_free(p);
    }
  };
  for (const { op, v } of script) {
    let r;
    switch (op) {
      case "id":
        r = withBytes(v, (p, n) => ex.SSL_SESSION_set1_id(h, p, n));
        break;
      case "sidctx":
        r = withBytes(v, (p, n) => ex.SSL_SESSION_set1_id_context(h, p, n));
        break;
      case "mk":
        r = withBytes(v, (p, n) => ex.SSL_SESSION_set1_master_key(h, p, n));
        break;
      case "host":
        r =
          v === null
            ? ex.SSL_SESSION_set1_hostname(h, 0, 0, 0)
            : withBytes(v, (p, n) => ex.SSL_SESSION_set1_hostname(h, p, n, 1));
        break;
      case "alpn":
        r =
          v === null
            ? ex.SSL_SESSION_set1_alpn_selected(h, 0, 0)
            : withBytes(v, (p, n) => ex.SSL_SESSION_set1_alpn_selected(h, p, n));
        break;
      case "appdata":
        r =
          v === null
            ? ex.SSL_SESSION_set1_ticket_appdata(h, 0, 0)
            : withBytes(v, (p, n) => ex.SSL_SESSION_set1_ticket_appdata(h, p, n));
        break;
      case "time":
        r = ex.SSL_SESSION_set_time(h, v);
        break;
      case "timeout":
        r = ex.SSL_SESSION_set_timeout(h, v);
        break;
      case "ver":
        r = ex.SSL_SESSION_set_protocol_version(h, Number(BigInt.asIntN(32, v)));
        break;
      case "med":
        r = ex.SSL_SESSION_set_max_early_data(h, Number(v));
        break;
      case "cipher":
        r = ex.SSL_SESSION_set_cipher(h, v);
        if (r === 0) r = "nf";
        break;
      case "dup": {
        const d = ex.SSL_SESSION_dup(h);
        ex.SSL_SESSION_free(h);
        h = d;
        r = d > 0 ? 1 : 0;
        break;
      }
    }
    rets.push(String(r));
  }
  return { handle: h, rets: rets.join(",") };
}

/**
 * The same script through the `Session` class: setters OpenSSL refuses throw RangeError there,
 * which counts as its 0. Returns { session, rets }.
 */
export function applyScriptApi(Session, script) {
  let s = Session.new();
  const rets = [];
  const refused = (fn) => {
    try {
      fn();
      return "1";
    } catch (e) {
      if (e instanceof RangeError) return "0";
      throw e;
    }
  };
  for (const { op, v } of script) {
    let r;
    const u8 = v === null || typeof v === "bigint" || typeof v === "number" ? v : Uint8Array.from(v);
    switch (op) {
      case "id":
        r = refused(() => (s.id = u8));
        break;
      case "sidctx":
        r = refused(() => (s.sidCtx = u8));
        break;
      case "mk":
        r = refused(() => (s.masterKey = u8));
        break;
      case "host":
        r = refused(() => (s.hostname = u8));
        break;
      case "alpn":
        r = refused(() => (s.alpn = u8));
        break;
      case "appdata":
        r = refused(() => (s.ticketAppData = u8));
        break;
      case "time":
        s.time = v;
        r = String(v); // SSL_SESSION_set_time returns t
        break;
      case "timeout":
        r = refused(() => (s.timeout = v));
        break;
      case "ver":
        r = refused(() => (s.protocolVersion = Number(BigInt.asIntN(32, v))));
        break;
      case "med":
        r = refused(() => (s.maxEarlyData = Number(v)));
        break;
      case "cipher":
        r = refused(() => (s.cipherSuite = v));
        if (r === "0") r = "nf";
        break;
      case "dup": {
        const d = s.dup();
        s.free();
        s = d;
        r = "1";
        break;
      }
    }
    rets.push(r);
  }
  return { session: s, rets: rets.join(",") };
}

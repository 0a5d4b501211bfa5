// Differential fuzzing of our d2i/i2d against OpenSSL 3.0's own (tests/oracle/d2i_oracle.c).
//
// For every blob (seeds from real openssl handshakes, hand-built seeds, thousands of mutations, PEM
// variants): OpenSSL's verdict must equal ours. Accepted -> same bytesConsumed and byte-identical
// re-encoding, and every public getter (through the raw exports and through `Session`) and the
// whole SSL_SESSION_print text equal OpenSSL's; rejected -> we throw a TlsSessionError. Anything
// else thrown is a trap. After each rejection a valid session must still decode correctly.
// Sessions built by random setter scripts are compared the same way (setter returns included). Mutations inside the peer certificate ([3])
// are counted apart: our certificate check is structural, OpenSSL's parses X.509.
//
// Disagreements are printed with hex and written to $DER_MISMATCH_FILE (default
// <os tmpdir>/der_mismatches.txt). Without gcc/libssl-dev/openssl the test skips loudly, except under
// CI=true where that is a failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildOracle, haveOpensslCli, runD2iOracle } from "../oracle/build.mjs";
import {
  collectOpensslSeeds,
  synthesizeSeeds,
  mutate,
  pemVariants,
  mutatePem,
  parse,
  encode,
  clone,
  toHex,
} from "./corpus.mjs";
import {
  abiGetters,
  apiGetters,
  tallyGetters,
  setterScripts,
  toOracleLine,
  applyScriptAbi,
  applyScriptApi,
} from "./getters.mjs";
import { CI, requirePrerequisite } from "../prerequisites.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NOW = 1700000000;
// Random mutations per realistic (openssl) seed and per hand-built seed; DER_FUZZ_SCALE multiplies both.
const SCALE = Number(process.env.DER_FUZZ_SCALE ?? 1);
const PER_REAL_SEED = Math.round(1000 * SCALE),
  PER_SYNTH_SEED = Math.round(100 * SCALE);
const MISMATCH_FILE = process.env.DER_MISMATCH_FILE ?? join(tmpdir(), "der_mismatches.txt");

// --- prerequisites -----------------------------------------------------------------------------
let unavailable = null;
try {
  buildOracle("d2i_oracle");
  if (!haveOpensslCli())
    unavailable = "the openssl command-line tool is missing (apt-get install -y openssl)";
} catch (e) {
  unavailable = e.message;
}
let api = null,
  apiMissing = null;
const distEntry = join(root, "dist", "index.js");
if (!existsSync(distEntry)) apiMissing = "dist/index.js is missing (run `npm run build`)";
else {
  try {
    api = await import(pathToFileURL(distEntry).href);
  } catch (e) {
    apiMissing = `dist/index.js failed to load: ${e.message}`;
  }
  if (api && !(api.Session && api.TlsSessionError))
    apiMissing = "dist/index.js exports no Session/TlsSessionError";
}
requirePrerequisite("fuzz/der_differential.test.mjs", unavailable ?? apiMissing);

// --- corpus ------------------------------------------------------------------------------------
async function buildCorpus() {
  const { cert, seeds: real, failures } = await collectOpensslSeeds();
  if (failures.length) console.log(`openssl seed collection failures:\n  ${failures.join("\n  ")}`);
  const synth = synthesizeSeeds(cert);
  // Mutate the realistic seeds and the accepted hand-built ones; the integer tables are seeds only.
  const mutable = [...real, ...synth.filter((s) => !s.name.startsWith("int-"))];
  const items = [];
  for (const s of [...real, ...synth]) items.push({ name: `seed/${s.name}`, der: s.der, inCert: false });
  const truncAll = [
    real.find((s) => s.name.includes("tls13-ticket-sni-alpn"))?.name,
    "typical-tls13",
    "kitchen-sink",
    "ber-all-indef",
  ].filter(Boolean);
  for (const m of mutate(mutable, {
    seed: 0x5e55,
    perSeed: (s) => (s.name.startsWith("openssl-") ? PER_REAL_SEED : PER_SYNTH_SEED),
    fullTruncation: truncAll,
  }))
    items.push(m);
  const pemSources = [...real.slice(0, 2), synth.find((s) => s.name === "typical-tls13")];
  for (const s of pemSources)
    for (const p of pemVariants(s.der, `pem/${s.name}`))
      items.push({ name: p.name, pem: p.pem, inCert: false });
  pemSources.forEach((s, i) => {
    for (const p of mutatePem(s.der, {
      seed: 0x9e3 + i,
      count: Math.round(300 * SCALE),
      tag: `pem/${s.name}/fuzz`,
    })) {
      items.push({ name: p.name, pem: p.pem, inCert: false });
    }
  });
  const reference = real.find((s) => s.name.includes("tls13-ticket-sni-alpn")) ?? real[0] ?? synth[0];
  return { real, synth, items, reference };
}

// --- our side ----------------------------------------------------------------------------------
function ours(item) {
  const { Session, TlsSessionError } = api;
  let s;
  try {
    s = item.pem !== undefined ? Session.fromPEM(item.pem) : Session.fromDER(item.der);
  } catch (e) {
    if (e instanceof TlsSessionError && !/POISON|TRAP/i.test(String(e.code))) {
      return { ok: false, code: e.code, status: e.status, offset: e.offset, message: e.message };
    }
    return { trap: true, error: `${e?.constructor?.name ?? typeof e}: ${e?.message ?? e} ${e?.code ?? ""}` };
  }
  try {
    const r = { ok: true, consumed: item.pem !== undefined ? -1 : s.bytesConsumed, der: toHex(s.toDER()) };
    if (item.getters) {
      r.abi = abiGetters(api.rawExports(), s.handle);
      r.api = apiGetters(s);
      r.text = Buffer.from(api.sessionToText(s, { showSecrets: true }), "latin1");
    }
    return r;
  } catch (e) {
    return {
      trap: !(e instanceof TlsSessionError),
      ok: false,
      reencodeFailed: true,
      error: `toDER threw ${e?.constructor?.name}: ${e?.message}`,
      code: e?.code,
    };
  } finally {
    try {
      s.free();
    } catch {
      /* reported by the reference check */
    }
  }
}

function agree(o, w) {
  if (w.trap) return false;
  if (o.ok !== w.ok) return false;
  if (!o.ok) return true;
  return o.consumed === w.consumed && o.der === w.der;
}

const fmtO = (o) => (o.ok ? `OK consumed=${o.consumed} der=${o.der}` : `ERR ${o.reason}`);
const fmtW = (w) =>
  w.trap
    ? `TRAP ${w.error}`
    : w.ok
      ? `OK consumed=${w.consumed} der=${w.der}`
      : `ERR ${w.code} status=${w.status} offset=${w.offset} (${w.message ?? w.error})`;

/** Which way two verdicts differ, so minimization keeps the same disagreement. */
function kindOf(o, w) {
  if (w.trap) return "trap";
  if (o.ok && !w.ok) return "we-reject";
  if (!o.ok && w.ok) return "we-accept";
  if (o.consumed !== w.consumed) return "consumed";
  return "reencoding";
}

const FIELD_NAMES = ["version", "ssl_version", "cipher", "session_id", "master_key"];
/** Which top-level fields of two re-encodings differ, e.g. "[2] timeout: openssl a2030201ff, ours absent". */
function fieldDiff(oHex, wHex) {
  let a, b;
  try {
    a = parse(Buffer.from(oHex, "hex"));
    b = parse(Buffer.from(wHex, "hex"));
  } catch {
    return { sig: "unparsable", text: "" };
  }
  const keyed = (t) => {
    const m = new Map();
    t.children.forEach((c, i) => {
      m.set(i < 5 && c.cls === 0 ? FIELD_NAMES[i] : `[${c.num}]`, toHex(encode(c)));
    });
    return m;
  };
  const ka = keyed(a),
    kb = keyed(b);
  const diffs = [];
  for (const k of new Set([...ka.keys(), ...kb.keys()])) {
    if (ka.get(k) !== kb.get(k)) diffs.push({ k, o: ka.get(k) ?? "absent", w: kb.get(k) ?? "absent" });
  }
  return {
    sig: diffs.map((d) => `${d.k}${d.o === "absent" ? "+" : d.w === "absent" ? "-" : "~"}`).join(","),
    text: diffs.map((d) => `${d.k}: openssl ${d.o.slice(0, 80)}, ours ${d.w.slice(0, 80)}`).join("; "),
  };
}

/** Shrinks a disagreeing DER blob by removing top-level optional fields while the disagreement stays. */
function minimize(der, kind) {
  let best = der;
  for (let round = 0; round < 30; round++) {
    let tree;
    try {
      tree = parse(best);
    } catch {
      return best;
    }
    if (!tree.children || tree.children.length <= 1) return best;
    const cands = [];
    for (let i = tree.children.length - 1; i >= 0; i--) {
      const t = clone(tree);
      t.children.splice(i, 1);
      cands.push(encode(t));
    }
    const o = runD2iOracle(cands, { now: NOW });
    const hit = cands.findIndex((c, i) => {
      const w = ours({ der: c });
      return !agree(o[i], w) && kindOf(o[i], w) === kind;
    });
    if (hit < 0) return best;
    best = cands[hit];
  }
  return best;
}

/** "key a/n" lines, several to a line. */
function formatTally(tally) {
  const cells = [...tally].map(([k, [a, d]]) => `${k} ${a}/${a + d}`);
  const rows = [];
  for (let i = 0; i < cells.length; i += 6) rows.push("  " + cells.slice(i, i + 6).join(", "));
  return rows.join("\n");
}

const disagreeing = (tally) =>
  [...tally].filter(([, [, d]]) => d > 0).map(([k, [a, d]]) => `${k}: ${d} of ${a + d} differ`);

/** OpenSSL reason -> the TlsSessionError code we expect (a soft check, reported only). */
function expectedCode(reason, inCert) {
  switch (reason) {
    case "unknown ssl version":
      return ["UNKNOWN_SSL_VERSION"];
    case "unsupported ssl version":
      return ["UNSUPPORTED_SSL_VERSION"];
    case "cipher code wrong length":
      return ["CIPHER_CODE_WRONG_LENGTH"];
    case "bad length":
      return ["BAD_LENGTH"];
    case "(none)":
      return ["UNKNOWN_CIPHER", "FIELD_TOO_LONG"];
    default:
      return inCert ? ["ASN1", "BAD_CERTIFICATE"] : ["ASN1", "PEM"];
  }
}

// --- the tests ---------------------------------------------------------------------------------
const corpusP = unavailable ? null : buildCorpus();

test(
  "oracle: real openssl seeds round-trip byte for byte; corpus is large enough",
  {
    skip: !CI && unavailable ? unavailable : false,
  },
  async () => {
    assert.equal(unavailable, null, unavailable ?? "");
    const { real, items } = await corpusP;
    assert.ok(real.length >= 6, `only ${real.length} sessions collected from openssl`);
    const verdicts = runD2iOracle(
      real.map((s) => s.der),
      { now: NOW },
    );
    real.forEach((s, i) => {
      assert.ok(verdicts[i].ok, `${s.name}: ${verdicts[i].reason}`);
      assert.equal(verdicts[i].consumed, s.der.length, s.name);
      assert.equal(verdicts[i].der, toHex(s.der), `${s.name} does not re-encode identically`);
    });
    const mutated = items.filter((x) => !x.name.startsWith("seed/") && !x.name.startsWith("pem/")).length;
    console.log(
      `corpus: ${real.length} openssl seeds, ${items.filter((x) => x.name.startsWith("seed/")).length} seeds in all, ` +
        `${mutated} mutated DER blobs, ${items.filter((x) => x.pem !== undefined).length} PEM variants`,
    );
    assert.ok(mutated >= 2000, `only ${mutated} mutated blobs`);
  },
);

/** Runs every blob through both decoders once; the tests below assert on the result. */
async function compareAll() {
  assert.equal(unavailable, null, unavailable ?? "");
  assert.equal(apiMissing, null, apiMissing ?? "");
  const { items, reference } = await corpusP;
  const t0 = Date.now();
  const oracle = runD2iOracle(
    items.map((x) => (x.pem !== undefined ? { pem: x.pem } : x.der)),
    { now: NOW, getters: true },
  );
  const tOracle = Date.now() - t0;
  const refVerdict = runD2iOracle([reference.der], { now: NOW })[0];
  assert.ok(refVerdict.ok);

  if (typeof api.setClock === "function") api.setClock(NOW);
  /** @type {Record<"outside" | "cert" | "pem" | "seeds", [number, number]>} */
  const stats = { outside: [0, 0], cert: [0, 0], pem: [0, 0], seeds: [0, 0] };
  const mismatches = [];
  // Getters of every blob both sides accepted: key -> [agree, disagree], DER and PEM apart.
  const getterTally = new Map();
  const getterDiffs = [];
  let traps = 0,
    refFailures = 0,
    codeSoft = 0;
  const codeExamples = [];
  const t1 = Date.now();
  try {
    for (let i = 0; i < items.length; i++) {
      const item = items[i],
        o = oracle[i];
      const w = ours({ ...item, getters: o.ok });
      const bucket =
        item.pem !== undefined
          ? "pem"
          : item.name.startsWith("seed/")
            ? "seeds"
            : item.inCert
              ? "cert"
              : "outside";
      const same = agree(o, w);
      stats[bucket][same ? 0 : 1]++;
      if (w.trap) traps++;
      if (same && o.ok) {
        const form = item.pem !== undefined ? "pem " : "der ";
        const d = [
          ...tallyGetters(getterTally, o.getters, w.abi, `${form}abi `),
          ...tallyGetters(getterTally, o.getters, w.api, `${form}api `),
        ];
        const t = getterTally.get(`${form}print`) ?? [0, 0];
        const textSame = o.text.equals(w.text);
        t[textSame ? 0 : 1]++;
        getterTally.set(`${form}print`, t);
        if (!textSame)
          d.push(
            `print: openssl ${JSON.stringify(o.text.toString("latin1"))}\n  ours ${JSON.stringify(w.text.toString("latin1"))}`,
          );
        if (d.length && getterDiffs.length < 40) getterDiffs.push(`${item.name}:\n  ${d.join("\n  ")}`);
      }
      if (!same) mismatches.push({ item, o, w, bucket });
      else if (!o.ok && !expectedCode(o.reason, item.inCert).includes(w.code)) {
        codeSoft++;
        if (codeExamples.length < 15)
          codeExamples.push(`${item.name}: openssl "${o.reason}" -> ours ${w.code}`);
      }
      if (!w.ok || w.trap) {
        // The instance must stay usable: a valid session decodes right after a rejection.
        const r = ours({ der: reference.der });
        if (!r.ok || r.consumed !== refVerdict.consumed || r.der !== refVerdict.der) {
          refFailures++;
          if (refFailures <= 5) console.log(`reference session failed after ${item.name}: ${fmtW(r)}`);
        }
      }
    }
  } catch (e) {
    if (typeof api.setClock === "function") api.setClock(null);
    throw e;
  }
  const tOurs = Date.now() - t1;

  // Report.
  const pct = ([a, d]) => `${a}/${a + d} (${a + d ? ((100 * a) / (a + d)).toFixed(2) : "100.00"}%)`;
  console.log(
    `compared ${items.length} blobs (oracle ${tOracle} ms, ours ${tOurs} ms incl. reference checks)`,
  );
  console.log(
    `agreement: seeds ${pct(stats.seeds)}, mutations outside [3] ${pct(stats.outside)}, ` +
      `mutations inside [3] ${pct(stats.cert)}, PEM ${pct(stats.pem)}`,
  );
  console.log(
    `traps ${traps}, reference-session failures after a rejection ${refFailures}, ` +
      `error-code differences (soft) ${codeSoft}`,
  );
  for (const ex of codeExamples) console.log(`  code: ${ex}`);

  // Group the disagreements by kind and source, minimize one example of each group.
  const groups = new Map();
  for (const m of mismatches) {
    const kind = kindOf(m.o, m.w);
    const what = m.item.name.replace(/^[^/]*\//, "").replace(/[-=@.[].*$/, "");
    const what2 = kind === "reencoding" ? `fields ${fieldDiff(m.o.der, m.w.der).sig}` : what;
    const key = `${m.bucket} ${kind} ${what2} | openssl ${m.o.ok ? "OK" : m.o.reason} | ours ${m.w.trap ? "TRAP" : m.w.ok ? "OK" : m.w.code}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  const lines = [
    `# der_differential: ${mismatches.length} disagreements in ${groups.size} groups ` +
      `(clock fixed at ${NOW}; OpenSSL = system libssl via tests/oracle/d2i_oracle.c)`,
    "",
  ];
  let minimized = 0;
  for (const [key, ms] of groups) {
    const m = ms[0];
    lines.push(`## ${key}  (${ms.length} blobs)`, `name:    ${m.item.name}`);
    if (m.item.pem !== undefined) {
      lines.push(`pem:     ${JSON.stringify(m.item.pem)}`);
    } else {
      lines.push(`blob:    ${toHex(m.item.der)}`);
      if (m.bucket !== "cert" && minimized++ < 80) {
        const small = minimize(m.item.der, kindOf(m.o, m.w));
        if (small.length < m.item.der.length) {
          const so = runD2iOracle([small], { now: NOW })[0];
          lines.push(
            `minimal: ${toHex(small)}`,
            `  openssl: ${fmtO(so)}`,
            `  ours:    ${fmtW(ours({ der: small }))}`,
          );
        }
      }
    }
    lines.push(`openssl: ${fmtO(m.o)}`, `ours:    ${fmtW(m.w)}`);
    if (m.o.ok && m.w.ok && !m.w.trap) lines.push(`diff:    ${fieldDiff(m.o.der, m.w.der).text}`);
    for (const more of ms.slice(1, 3)) lines.push(`also:    ${more.item.name}`);
    lines.push("");
  }
  if (typeof api.setClock === "function") api.setClock(null);
  if (mismatches.length) {
    writeFileSync(MISMATCH_FILE, lines.join("\n"));
    console.log(lines.slice(0, 400).join("\n"));
    console.log(`full list written to ${MISMATCH_FILE}`);
  }

  console.log(`getters of every blob both accepted (agree/total per getter):\n${formatTally(getterTally)}`);
  if (getterDiffs.length)
    console.log(`getter differences (first ${getterDiffs.length}):\n${getterDiffs.join("\n")}`);
  return { stats, traps, refFailures, groups, getterTally, getterDiffs };
}

const skipCompare = !CI && (unavailable || apiMissing) ? (unavailable ?? apiMissing) : false;
let resultP = null;
const results = () => (resultP ??= compareAll());
const groupsOf = (r, bucket) => [...r.groups.keys()].filter((k) => k.startsWith(`${bucket} `)).join("\n  ");

test(
  "no blob traps the module, and a valid session decodes after every rejection",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    const r = await results();
    assert.equal(r.traps, 0, `${r.traps} blobs trapped`);
    assert.equal(
      r.refFailures,
      0,
      `the reference session failed to decode ${r.refFailures} times after a rejection`,
    );
  },
);

test(
  "seeds: same verdict, bytesConsumed and re-encoding as OpenSSL",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    const r = await results();
    assert.equal(
      r.stats.seeds[1],
      0,
      `${r.stats.seeds[1]} seeds disagree with OpenSSL:\n  ${groupsOf(r, "seeds")}`,
    );
  },
);

test(
  "mutated DER (outside the peer certificate): same verdict, bytesConsumed and re-encoding as OpenSSL",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    const r = await results();
    assert.equal(
      r.stats.outside[1],
      0,
      `${r.stats.outside[1]} mutated blobs disagree with OpenSSL:\n  ${groupsOf(r, "outside")}`,
    );
  },
);

test(
  "PEM variants: same verdict and re-encoding as OpenSSL's PEM_read_bio_SSL_SESSION",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    const r = await results();
    assert.equal(
      r.stats.pem[1],
      0,
      `${r.stats.pem[1]} PEM variants disagree with OpenSSL:\n  ${groupsOf(r, "pem")}`,
    );
  },
);

test(
  "mutations inside the peer certificate: same verdict and re-encoding as OpenSSL's d2i_X509 path",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    const r = await results();
    const [a, d] = r.stats.cert;
    assert.ok(a + d > 0, "no mutation landed inside [3]");
    assert.equal(
      d,
      0,
      `${d} of ${a + d} certificate mutations disagree with OpenSSL:\n  ${groupsOf(r, "cert")}`,
    );
  },
);

test(
  "every accepted blob (DER and PEM): every public getter and the whole SSL_SESSION_print text equal OpenSSL's",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    const r = await results();
    const keys = [...r.getterTally.keys()];
    for (const form of ["der", "pem"]) {
      assert.ok(
        keys.some((k) => k.startsWith(`${form} abi `)),
        `no ${form} blob compared`,
      );
      assert.ok(keys.includes(`${form} print`), `no ${form} print compared`);
    }
    const bad = disagreeing(r.getterTally);
    assert.deepEqual(
      bad,
      [],
      `getters differ:\n  ${bad.join("\n  ")}\n${r.getterDiffs.slice(0, 10).join("\n")}`,
    );
  },
);

test(
  "sessions built by setters: setter returns, i2d, every getter and SSL_SESSION_print equal OpenSSL's",
  { skip: skipCompare, timeout: 180_000 },
  async () => {
    assert.equal(unavailable, null, unavailable ?? "");
    assert.equal(apiMissing, null, apiMissing ?? "");
    const scripts = setterScripts(0x5e77e4, Math.round(2000 * SCALE));
    const oracle = runD2iOracle(
      scripts.map((sc) => ({ setters: toOracleLine(sc) })),
      { now: NOW, getters: true },
    );
    const ex = api.rawExports();
    const tally = new Map();
    const diffs = [];
    api.setClock(NOW);
    try {
      scripts.forEach((script, i) => {
        const o = oracle[i];
        assert.ok(o.ok, `oracle refused script ${toOracleLine(script)}: ${o.reason}`);
        const note = (key, same, what) => {
          const t = tally.get(key) ?? [0, 0];
          t[same ? 0 : 1]++;
          tally.set(key, t);
          if (!same && diffs.length < 20) diffs.push(`${toOracleLine(script).slice(0, 300)}\n  ${what}`);
        };
        // Through the raw exports.
        const { handle, rets } = applyScriptAbi(ex, script);
        note(
          "abi setter returns",
          rets === o.getters.get("ret"),
          `rets openssl ${o.getters.get("ret")}, ours ${rets}`,
        );
        const n = ex.i2d_SSL_SESSION(handle);
        const der = n > 0 ? toHex(new Uint8Array(ex.memory.buffer, ex.result_ptr(), n)) : "";
        note("abi i2d", der === o.der, `i2d openssl ${o.der}, ours ${der}`);
        const d = tallyGetters(tally, o.getters, abiGetters(ex, handle), "abi ");
        if (d.length && diffs.length < 20)
          diffs.push(`${toOracleLine(script).slice(0, 300)}\n  ${d.join("\n  ")}`);
        ex.SSL_SESSION_free(handle);
        // Through the Session class.
        const { session, rets: apiRets } = applyScriptApi(api.Session, script);
        note(
          "api setter returns",
          apiRets === o.getters.get("ret"),
          `rets openssl ${o.getters.get("ret")}, ours ${apiRets}`,
        );
        let apiDer = "";
        try {
          apiDer = toHex(session.toDER());
        } catch (e) {
          if (e.code !== "NO_CIPHER") throw e;
        }
        note("api i2d", apiDer === o.der, `i2d openssl ${o.der}, ours ${apiDer}`);
        const d2 = tallyGetters(tally, o.getters, apiGetters(session), "api ");
        if (d2.length && diffs.length < 20)
          diffs.push(`${toOracleLine(script).slice(0, 300)}\n  ${d2.join("\n  ")}`);
        const text = Buffer.from(api.sessionToText(session, { showSecrets: true }), "latin1");
        note(
          "print",
          text.equals(o.text),
          `print openssl ${JSON.stringify(o.text.toString("latin1"))}\n  ours ${JSON.stringify(text.toString("latin1"))}`,
        );
        session.free();
      });
    } finally {
      api.setClock(null);
    }
    console.log(
      `setter-built sessions: ${scripts.length} scripts (agree/total per getter):\n${formatTally(tally)}`,
    );
    const bad = disagreeing(tally);
    assert.deepEqual(bad, [], `setter-built sessions differ:\n  ${bad.join("\n  ")}\n${diffs.join("\n")}`);
  },
);

// Seeded random scenarios in the cache-scenario language (tests/vectors/cache_scenarios/README.md),
// for the differential test between OpenSSL's cache (tests/oracle/cache_oracle.c) and `cache-sim`.
//
// Every generated line is valid: names are only used while the script holds a reference, and the
// generator never changes the id or protocol version of an object once it has been added to the
// cache (that would move the object under a different hash key without rehashing it; OpenSSL's
// lhash then answers by bucket layout, which is not behaviour worth copying). Everything else is
// fair game: colliding short ids, empty ids (`id=`), ids longer than 32 bytes (refused), several
// objects with one name, ties in expiry, negative and huge times and timeouts (including the
// overflow of time + timeout), time/timeout changes on cached objects (re-sorting), re-adds,
// removes of cached, uncached and already removed objects, up_ref/free, flushes in the past, the
// future and at 0, all cache-mode words, sizes 0/1/2/small/negative, and `has` at either version.
//
// Usage as a script: node tests/cache/scenario_gen.mjs [SEED] [COUNT]   (scenarios separated by %%)

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

/** A small deterministic PRNG (xorshift128+ on BigInt-free 32-bit halves, seeded by splitmix32). */
export function makeRng(seed) {
  let s = seed >>> 0 || 0x9e3779b9;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const next = () => {
    // xoshiro128**
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const rng = {
    u32: next,
    /** integer in [0, n) */
    int: (n) => Math.floor((next() / 4294967296) * n),
    chance: (p) => next() / 4294967296 < p,
    pick: (arr) => arr[Math.floor((next() / 4294967296) * arr.length)],
    /** weighted pick from [[weight, value], ...] */
    weighted: (pairs) => {
      const total = pairs.reduce((t, [w]) => t + w, 0);
      let x = (next() / 4294967296) * total;
      for (const [w, v] of pairs) {
        x -= w;
        if (x < 0) return v;
      }
      return pairs[pairs.length - 1][1];
    },
  };
  return rng;
}
function rotl(x, k) {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function hexBytes(rng, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += rng.int(256).toString(16).padStart(2, "0");
  return s;
}

const MODE_WORDS = [
  "off",
  "client",
  "server",
  "both",
  "no_auto_clear",
  "no_internal_lookup",
  "no_internal_store",
  "no_internal",
  "update_time",
];
const VERSIONS = ["tls1.2", "tls1.3"];
const RARE_VERSIONS = ["tls1", "tls1.1", "0x0303", "0x0304", "0xfefd"];
const NAMES = ["A", "B", "C", "D", "E", "F", "G", "H"];

/**
 * One random scenario as an array of lines.
 * @param {ReturnType<typeof makeRng>} rng
 * @param {{ minOps?: number, maxOps?: number }} [opts]
 */
export function generateScenario(rng, { minOps = 20, maxOps = 80 } = {}) {
  const lines = [];
  let clock = rng.weighted([
    [3, 1000],
    [1, 0],
    [1, rng.int(100000)],
    [1, 2147483000],
  ]);
  // Small pools make collisions (same key, different objects) frequent.
  const idPool = Array.from({ length: 2 + rng.int(6) }, () => hexBytes(rng, 1 + rng.int(2)));
  if (rng.chance(0.1)) idPool.push("");
  if (rng.chance(0.3)) idPool.push(hexBytes(rng, 32));
  const timeoutPool = [0, 1, 5, 10, 100, 300, 7200, rng.int(1000)];
  /** objects the script created: { name, refs, added, version } (version null = unknown/weird) */
  const objs = [];
  // Names usable in an op: those whose most recently created object is still held by the script.
  // (When the newest object of a name has been freed but an older one is still held, the oracle
  // resolves the name to the older one; we keep scenarios clear of that corner of the language.)
  const held = () => {
    const latest = new Map();
    for (const o of objs) latest.set(o.name, o);
    return [...latest.values()].filter((o) => o.refs > 0);
  };

  const randTime = () =>
    rng.weighted([
      [10, String(clock)],
      [6, String(clock + rng.int(50) - 10)],
      [2, String(clock + rng.pick([-1, 1, 100, 300, 7200]))],
      [1, "0"],
      [1, String(-rng.int(5000) - 1)],
      [1, (I64_MAX - BigInt(rng.int(10000))).toString()],
      [1, "2147483647"],
      [1, I64_MIN.toString()],
    ]);
  const randTimeout = () =>
    rng.weighted([
      [12, String(rng.pick(timeoutPool))],
      [2, String(-rng.int(10) - 1)],
      [1, I64_MAX.toString()],
      [1, (1n << BigInt(32 + rng.int(30))).toString()],
      [1, "2147483647"],
    ]);
  const randVersion = () =>
    rng.weighted([
      [10, rng.pick(VERSIONS)],
      [1, rng.pick(RARE_VERSIONS)],
    ]);
  const randId = () =>
    rng.weighted([
      [12, rng.pick(idPool)],
      [3, hexBytes(rng, 1 + rng.int(3))],
      [1, ""],
      [1, hexBytes(rng, 32)],
      [1, hexBytes(rng, 33)],
    ]);
  const versionCode = (v) =>
    ({ tls1: 0x301, "tls1.1": 0x302, "tls1.2": 0x303, "tls1.3": 0x304 })[v] ?? parseInt(v, 16);

  /** key=value setters for a new object (or a not yet added one, when ids/versions may change) */
  const creationKeys = (withId) => {
    const keys = [];
    if (withId) keys.push(`id=${randId()}`);
    if (rng.chance(0.4)) keys.push(`version=${randVersion()}`);
    if (rng.chance(0.85)) keys.push(`time=${randTime()}`);
    if (rng.chance(0.85)) keys.push(`timeout=${randTimeout()}`);
    if (rng.chance(0.08)) keys.push(`sidctx=${hexBytes(rng, rng.pick([0, 1, 8, 32, 33]))}`);
    if (rng.chance(0.06)) keys.push(`mk=${hexBytes(rng, rng.pick([0, 1, 48]))}`);
    if (rng.chance(0.06)) keys.push(`mklen=${rng.pick([0, 1, 48, 512, 513])}`);
    // Shuffle a little: setters run in the order written.
    if (keys.length > 2 && rng.chance(0.3)) {
      const i = rng.int(keys.length),
        j = rng.int(keys.length);
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    return keys;
  };
  const versionOf = (keys, fallback) => {
    let v = fallback;
    for (const k of keys) if (k.startsWith("version=")) v = versionCode(k.slice(8));
    return v;
  };

  const nOps = minOps + rng.int(maxOps - minOps + 1);
  // Occasionally start with a small cache, so eviction happens a lot.
  if (rng.chance(0.5)) lines.push(`size ${rng.pick([1, 2, 3, 3, 4, 5, 8])}`);
  while (lines.length < nOps) {
    const live = held();
    const op = rng.weighted([
      [3, "clock"],
      [1, "mode"],
      [2, "size"],
      [1, "getsize"],
      [1, "ctxtimeout"],
      [5, "new"],
      [12, "addshort"],
      [7, "add"],
      [5, "set"],
      [3, "get"],
      [6, "remove"],
      [2, "upref"],
      [4, "free"],
      [3, "flush"],
      [4, "number"],
      [5, "has"],
      [2, "stats"],
      [1, "echo"],
    ]);
    switch (op) {
      case "clock": {
        clock = rng.weighted([
          [8, clock + rng.int(400)],
          [2, clock],
          [1, clock - rng.int(100)],
          [1, rng.int(3000)],
        ]);
        lines.push(`clock ${clock}`);
        break;
      }
      case "mode": {
        const n = rng.int(4);
        const words = Array.from({ length: Math.max(1, n) }, () => rng.pick(MODE_WORDS));
        lines.push(`mode ${words.join(" ")}`);
        break;
      }
      case "size":
        lines.push(
          `size ${rng.weighted([
            [6, rng.pick([0, 1, 2, 3, 4, 5])],
            [2, 2 + rng.int(10)],
            [1, -rng.int(3) - 1],
            [1, 20480],
            [1, 1 + rng.int(100)],
          ])}`,
        );
        break;
      case "getsize":
        lines.push("getsize");
        break;
      case "ctxtimeout":
        lines.push(`ctxtimeout ${rng.pick([0, 1, 300, 7200, -1, 86400])}`);
        break;
      case "new": {
        const name = rng.pick(NAMES);
        const keys = creationKeys(rng.chance(0.95));
        objs.push({ name, refs: 1, added: false, version: versionOf(keys, 0x303) });
        lines.push(`new ${name}${keys.map((k) => " " + k).join("")}`);
        break;
      }
      case "addshort": {
        const keys = creationKeys(true);
        const id = keys.find((k) => k.startsWith("id=")).slice(3);
        objs.push({ name: `id${id}`, refs: 1, added: true, version: versionOf(keys, 0x303) });
        lines.push(`add ${keys.join(" ")}`);
        break;
      }
      case "add": {
        if (!live.length) continue;
        const o = rng.pick(live);
        o.added = true;
        lines.push(`add ${o.name}`);
        break;
      }
      case "set": {
        if (!live.length) continue;
        const o = rng.pick(live);
        let keys;
        if (!o.added && rng.chance(0.3)) {
          keys = creationKeys(rng.chance(0.5));
          o.version = versionOf(keys, o.version);
        } else {
          keys = [];
          if (rng.chance(0.7)) keys.push(`time=${randTime()}`);
          if (rng.chance(0.7) || !keys.length) keys.push(`timeout=${randTimeout()}`);
          if (rng.chance(0.1)) keys.push(`sidctx=${hexBytes(rng, rng.pick([0, 4, 32]))}`);
          if (rng.chance(0.3)) keys.reverse();
        }
        lines.push([`set ${o.name}`, ...keys].join(" "));
        break;
      }
      case "get": {
        if (!live.length) continue;
        lines.push(`get ${rng.pick(live).name}`);
        break;
      }
      case "remove": {
        if (!live.length) continue;
        lines.push(`remove ${rng.pick(live).name}`);
        break;
      }
      case "upref": {
        if (!live.length) continue;
        const o = rng.pick(live);
        o.refs++;
        lines.push(`upref ${o.name}`);
        break;
      }
      case "free": {
        if (!live.length) continue;
        const o = rng.pick(live);
        o.refs--;
        lines.push(`free ${o.name}`);
        break;
      }
      case "flush": {
        const t = rng.weighted([
          [3, clock],
          [3, clock + rng.int(600)],
          [2, clock - rng.int(200)],
          [1, 0],
          [1, -rng.int(1000) - 1],
          [1, I64_MAX.toString()],
          [2, clock + rng.pick([99, 100, 101, 299, 300, 301])],
        ]);
        lines.push(`flush ${t}`);
        break;
      }
      case "number":
        lines.push("number");
        break;
      case "has": {
        const explicit = rng.chance(0.4) ? ` version=${rng.pick(VERSIONS)}` : "";
        if (live.length && rng.chance(0.6)) {
          const o = rng.pick(live);
          const known = [0x301, 0x302, 0x303, 0x304, 0xfefd].includes(o.version);
          lines.push(`has ${o.name}${explicit || (known ? "" : " version=tls1.2")}`);
        } else {
          lines.push(`has id=${rng.chance(0.1) ? hexBytes(rng, 33) : randId()}${explicit}`);
        }
        break;
      }
      case "stats":
        lines.push("stats");
        break;
      case "echo":
        lines.push(`echo step ${lines.length}: ${rng.pick(["checkpoint", "after eviction?", "--"])}`);
        break;
    }
  }
  return lines;
}

/** `count` scenarios from one seed (each an array of lines). */
export function generateScenarios(seed, count, opts) {
  const rng = makeRng(seed);
  return Array.from({ length: count }, () => generateScenario(rng, opts));
}

/** Joins scenarios into one batch input (separated by `%%` lines). */
export function batchText(scenarios) {
  return scenarios.map((s) => s.join("\n") + "\n").join("%%\n");
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const seed = Number(process.argv[2] ?? 1),
    count = Number(process.argv[3] ?? 1);
  process.stdout.write(batchText(generateScenarios(seed, count)));
}

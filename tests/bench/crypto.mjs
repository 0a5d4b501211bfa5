// Crypto bench: ours against node:crypto, WebCrypto (async), @noble/hashes,
// @noble/ciphers, @noble/curves, hash-wasm and @chainsafe/as-sha256, side by side in one run.
// Prints ns/op (or MB/s) per implementation and the ratio to ours (ratio = theirs / ours: above 1
// means we are faster).
//
// `node tests/bench/crypto.mjs` runs it alone; tests/bench/run.mjs calls run().
import nc from "node:crypto";
import { fileURLToPath } from "node:url";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { cbc as nobleCbc, gcm as nobleGcm } from "@noble/ciphers/aes.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { createSHA256, createHMAC } from "hash-wasm";
import * as asSha256 from "@chainsafe/as-sha256";
import * as lib from "../../dist/index.js";
import { BUDGET_MS, measure } from "./measure.mjs";
import { record } from "./targets.mjs";

const subtle = globalThis.crypto.subtle;

async function measureAsync(fn, budgetMs = BUDGET_MS) {
  const warm = process.hrtime.bigint() + BigInt(Math.round((budgetMs * 1e6) / 3));
  while (process.hrtime.bigint() < warm) await fn();
  let iters = 0,
    ns = 0n;
  const budget = BigInt(Math.round(budgetMs * 1e6));
  for (let batch = 16; ns < budget; batch *= 2) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await fn();
    ns += process.hrtime.bigint() - t0;
    iters += batch;
  }
  return Number(ns) / iters;
}

const fmt = (ns) =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(0)} ns`;

/** Records a budgeted figure (tests/bench/targets.mjs) and prints its ratio beside the target. */
function budget(name, f) {
  const v = record("crypto", name, f);
  const r = f.ratio ?? f.ours / f.peer;
  console.log(`  -> ${name}: ${r.toFixed(3)} (${f.what ?? "ours/" + f.peerName}), ${v}`);
}

function report(title, bytes, rows) {
  console.log(`\n${title}`);
  const ours = rows.find((r) => r.name === "ours").ns;
  for (const r of rows) {
    const rate = bytes ? `  ${((bytes / r.ns) * 1e3).toFixed(0).padStart(6)} MB/s` : "";
    const ratio = r.name === "ours" ? "" : `  ${(r.ns / ours).toFixed(2)}x ours`;
    console.log(`  ${r.name.padEnd(22)} ${fmt(r.ns).padStart(10)}/op${rate}${ratio}`);
  }
  return Object.fromEntries(rows.map((r) => [r.name, r.ns]));
}

// The TLS 1.3 key schedule written over an HMAC primitive, for the libraries that have no
// HKDF-Expand-Label: extract = HMAC(salt, ikm); expand-label (L <= HashLen) = HMAC(secret, info | 1).
function label(name, ctx, len) {
  const l = Buffer.from("tls13 " + name);
  return Buffer.concat([
    Buffer.from([len >> 8, len & 255, l.length]),
    l,
    Buffer.from([ctx.length]),
    ctx,
    Buffer.from([1]),
  ]);
}
const ZERO = Buffer.alloc(32),
  EMPTY_HASH = nc.createHash("sha256").update("").digest();
const H = Array.from({ length: 4 }, (_, i) => nc.createHash("sha256").update(`transcript ${i}`).digest());
const PSK = nc.randomBytes(32),
  DHE = nc.randomBytes(32);
const LABELS = {
  binder: label("res binder", EMPTY_HASH, 32),
  cet: label("c e traffic", H[0], 32),
  eem: label("e exp master", H[0], 32),
  derived: label("derived", EMPTY_HASH, 32),
  chs: label("c hs traffic", H[1], 32),
  shs: label("s hs traffic", H[1], 32),
  cap: label("c ap traffic", H[2], 32),
  sap: label("s ap traffic", H[2], 32),
  exp: label("exp master", H[2], 32),
  res: label("res master", H[3], 32),
};
function scheduleWith(mac) {
  const early = mac(ZERO, PSK);
  const out = [early, mac(early, LABELS.binder), mac(early, LABELS.cet), mac(early, LABELS.eem)];
  const hs = mac(mac(early, LABELS.derived), DHE);
  out.push(hs, mac(hs, LABELS.chs), mac(hs, LABELS.shs));
  const ms = mac(mac(hs, LABELS.derived), ZERO);
  out.push(ms, mac(ms, LABELS.cap), mac(ms, LABELS.sap), mac(ms, LABELS.exp), mac(ms, LABELS.res));
  return out;
}
async function scheduleWithAsync(mac) {
  const early = await mac(ZERO, PSK);
  const out = [
    early,
    await mac(early, LABELS.binder),
    await mac(early, LABELS.cet),
    await mac(early, LABELS.eem),
  ];
  const hs = await mac(await mac(early, LABELS.derived), DHE);
  out.push(hs, await mac(hs, LABELS.chs), await mac(hs, LABELS.shs));
  const ms = await mac(await mac(hs, LABELS.derived), ZERO);
  out.push(
    ms,
    await mac(ms, LABELS.cap),
    await mac(ms, LABELS.sap),
    await mac(ms, LABELS.exp),
    await mac(ms, LABELS.res),
  );
  return out;
}
/** @type {[string, Buffer][]} */
const UNIT_LABELS = [
  ["res binder", EMPTY_HASH],
  ["c e traffic", H[0]],
  ["e exp master", H[0]],
  ["derived", EMPTY_HASH],
  ["c hs traffic", H[1]],
  ["s hs traffic", H[1]],
];
/** The unit: one extract and six expand-labels. */
function sevenWith(mac) {
  const s = mac(ZERO, PSK);
  for (const l of [LABELS.binder, LABELS.cet, LABELS.eem, LABELS.derived, LABELS.chs, LABELS.shs]) mac(s, l);
}

export async function run() {
  console.log(
    "# crypto bench: ours (tls-session-wasm) vs node:crypto, WebCrypto, noble, hash-wasm, as-sha256",
  );
  const results = {};
  const d64 = nc.randomBytes(64),
    d16k = nc.randomBytes(16384);
  const hw = await createSHA256();
  const hwMac = await createHMAC(createSHA256(), nc.randomBytes(32));
  const hwSha = (d) => {
    hw.init();
    hw.update(d);
    return hw.digest("binary");
  };

  for (const [name, d] of /** @type {[string, Buffer<ArrayBuffer>][]} */ ([
    ["SHA-256 of 64 B", d64],
    ["SHA-256 of 16 KiB", d16k],
  ])) {
    results[name] = report(name, d.length, [
      { name: "ours", ns: measure(() => lib.sha256(d)) },
      { name: "node:crypto", ns: measure(() => nc.createHash("sha256").update(d).digest()) },
      { name: "WebCrypto (async)", ns: await measureAsync(() => subtle.digest("SHA-256", d)) },
      { name: "@noble/hashes", ns: measure(() => nobleSha256(d)) },
      { name: "hash-wasm", ns: measure(() => hwSha(d)) },
      { name: "@chainsafe/as-sha256", ns: measure(() => asSha256.digest(d)) },
    ]);
  }

  {
    const r = results["SHA-256 of 16 KiB"];
    budget("SHA-256 16 KiB vs hash-wasm", {
      ours: r.ours,
      peer: r["hash-wasm"],
      peerName: "hash-wasm",
      ratio: r["hash-wasm"] / r.ours,
      what: "hash-wasm/ours, times faster",
    });
  }

  const key = nc.randomBytes(32),
    key2 = nc.randomBytes(32);
  const keyed = lib.createHmacKey("sha256", key);
  const wcKey = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  hwMac.init();
  results["HMAC-SHA256 of 64 B"] = report("HMAC-SHA256 of 64 B", 0, [
    // hmac() is stateless (the module keeps no key between calls): the same key or alternating
    // keys cost the same, both rows show it
    { name: "ours", ns: measure(() => lib.hmac("sha256", key, d64)) },
    {
      name: "ours, key changes",
      ns:
        measure(() => {
          lib.hmac("sha256", key, d64);
          lib.hmac("sha256", key2, d64);
        }) / 2,
    },
    { name: "ours, keyed object", ns: measure(() => keyed.mac(d64)) },
    { name: "node:crypto", ns: measure(() => nc.createHmac("sha256", key).update(d64).digest()) },
    { name: "WebCrypto (async)", ns: await measureAsync(() => subtle.sign("HMAC", wcKey, d64)) },
    { name: "@noble/hashes", ns: measure(() => nobleHmac(nobleSha256, key, d64)) },
    {
      name: "hash-wasm",
      ns: measure(() => {
        hwMac.init();
        hwMac.update(d64);
        return hwMac.digest("binary");
      }),
    },
  ]);

  {
    const r = results["HMAC-SHA256 of 64 B"];
    // Two rows: the stateless hmac() (the key changing between calls, the honest cold-key figure)
    // and the keyed object (createHmacKey), which keeps the key's state for its owner.
    budget("HMAC-SHA256 64 B, hmac()", {
      ours: r["ours, key changes"],
      peer: r["node:crypto"],
      peerName: "node:crypto",
    });
    budget("HMAC-SHA256 64 B, keyed object", {
      ours: r["ours, keyed object"],
      peer: r["node:crypto"],
      peerName: "node:crypto",
    });
  }
  keyed.free();

  const nodeMac = (k, m) => nc.createHmac("sha256", k).update(m).digest();
  const nobleMacF = (k, m) => nobleHmac(nobleSha256, k, m);
  const hwMacF = async () => null;
  void hwMacF;
  const wcMac = async (k, m) =>
    new Uint8Array(
      await subtle.sign(
        "HMAC",
        await subtle.importKey("raw", k, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
        m,
      ),
    );
  /** @type {Parameters<typeof lib.tls13.keySchedule>[0]} */
  const input = {
    hash: "sha256",
    psk: PSK,
    dhe: DHE,
    transcript: { clientHello: H[0], serverHello: H[1], serverFinished: H[2], clientFinished: H[3] },
  };
  // cross-check: every implementation computes the same secrets
  const ref = scheduleWith(nodeMac).map((b) => Buffer.from(b).toString("hex"));
  const ks = lib.tls13.keySchedule(input);
  const oursList = [
    ks.earlySecret,
    ks.binderKey,
    ks.clientEarlyTrafficSecret,
    ks.earlyExporterMasterSecret,
    ks.handshakeSecret,
    ks.clientHandshakeTrafficSecret,
    ks.serverHandshakeTrafficSecret,
    ks.masterSecret,
    ks.clientApplicationTrafficSecret,
    ks.serverApplicationTrafficSecret,
    ks.exporterMasterSecret,
    ks.resumptionMasterSecret,
  ].map((b) => Buffer.from(b).toString("hex"));
  if (ref.join() !== oursList.join()) throw new Error("key schedule mismatch between ours and node:crypto");
  results["TLS 1.3 key schedule: extract + 6 expand-label"] = report(
    "TLS 1.3 key schedule: extract + 6 expand-label (the issue's unit)",
    0,
    [
      {
        name: "ours",
        ns: measure(() => {
          const s = lib.hkdfExtract("sha256", ZERO, PSK);
          for (const [l, h] of UNIT_LABELS) lib.hkdfExpandLabel("sha256", s, l, h, 32);
        }),
      },
      { name: "ours (one call, 12 secrets)", ns: measure(() => lib.tls13.keySchedule(input)) },
      { name: "node:crypto", ns: measure(() => sevenWith(nodeMac)) },
      { name: "@noble/hashes", ns: measure(() => sevenWith(nobleMacF)) },
    ],
  );
  results["TLS 1.3 resumption key schedule"] = report(
    "TLS 1.3 resumption key schedule: PSK -> binder -> handshake -> application -> resumption (12 secrets)",
    0,
    [
      { name: "ours", ns: measure(() => lib.tls13.keySchedule(input)) },
      { name: "node:crypto", ns: measure(() => scheduleWith(nodeMac)) },
      { name: "WebCrypto (async)", ns: await measureAsync(() => scheduleWithAsync(wcMac)) },
      { name: "@noble/hashes", ns: measure(() => scheduleWith(nobleMacF)) },
    ],
  );

  {
    const r = results["TLS 1.3 resumption key schedule"];
    budget("TLS 1.3 resumption key schedule", {
      ours: r.ours,
      peer: r["node:crypto"],
      peerName: "node:crypto",
    });
  }

  // A Node-style ticket: name(16) | IV(16) | AES-128-CBC(DER) | HMAC-SHA256(16-byte key) over the rest.
  const aesKey = nc.randomBytes(16),
    macKey = nc.randomBytes(16),
    name = nc.randomBytes(16),
    iv = nc.randomBytes(16);
  const body = lib.aesCbcEncrypt(aesKey, iv, nc.randomBytes(190));
  const signed = Buffer.concat([name, iv, body]);
  const ticket = Buffer.concat([signed, nc.createHmac("sha256", macKey).update(signed).digest()]);
  const openOurs = () => {
    const data = ticket.subarray(0, ticket.length - 32);
    if (!lib.hmacVerify("sha256", macKey, data, ticket.subarray(ticket.length - 32))) throw new Error("mac");
    return lib.aesCbcDecrypt(aesKey, ticket.subarray(16, 32), ticket.subarray(32, ticket.length - 32));
  };
  const openNode = () => {
    const data = ticket.subarray(0, ticket.length - 32);
    if (
      !nc.timingSafeEqual(
        nc.createHmac("sha256", macKey).update(data).digest(),
        ticket.subarray(ticket.length - 32),
      )
    )
      throw new Error("mac");
    const d = nc.createDecipheriv("aes-128-cbc", aesKey, ticket.subarray(16, 32));
    return Buffer.concat([d.update(ticket.subarray(32, ticket.length - 32)), d.final()]);
  };
  const openNoble = () => {
    const data = ticket.subarray(0, ticket.length - 32);
    const mac = nobleHmac(nobleSha256, macKey, data);
    if (Buffer.compare(Buffer.from(mac), ticket.subarray(ticket.length - 32)) !== 0) throw new Error("mac");
    return nobleCbc(aesKey, ticket.subarray(16, 32)).decrypt(ticket.subarray(32, ticket.length - 32));
  };
  const wcAes = await subtle.importKey("raw", aesKey, "AES-CBC", false, ["decrypt"]);
  const wcMacKey = await subtle.importKey("raw", macKey, { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const openWc = async () => {
    const data = ticket.subarray(0, ticket.length - 32);
    if (!(await subtle.verify("HMAC", wcMacKey, ticket.subarray(ticket.length - 32), data)))
      throw new Error("mac");
    return subtle.decrypt(
      { name: "AES-CBC", iv: ticket.subarray(16, 32) },
      wcAes,
      ticket.subarray(32, ticket.length - 32),
    );
  };
  if (Buffer.compare(Buffer.from(openOurs()), openNode()) !== 0) throw new Error("ticket mismatch");
  results["ticket open"] = report(
    `Ticket open: HMAC-SHA256 verify + AES-128-CBC decrypt of a ${ticket.length}-byte ticket`,
    0,
    [
      { name: "ours", ns: measure(openOurs) },
      { name: "node:crypto", ns: measure(openNode) },
      { name: "WebCrypto (async)", ns: await measureAsync(openWc) },
      { name: "@noble (hashes+ciphers)", ns: measure(openNoble) },
    ],
  );

  const gk = nc.randomBytes(16),
    gi = nc.randomBytes(12),
    g1k = nc.randomBytes(1024);
  results["AES-128-GCM seal 1 KiB"] = report("AES-128-GCM seal of 1 KiB", 1024, [
    { name: "ours", ns: measure(() => lib.aesGcmSeal(gk, gi, g1k)) },
    {
      name: "node:crypto",
      ns: measure(() => {
        const c = nc.createCipheriv("aes-128-gcm", gk, gi);
        c.update(g1k);
        c.final();
        return c.getAuthTag();
      }),
    },
    { name: "@noble/ciphers", ns: measure(() => nobleGcm(gk, gi).encrypt(g1k)) },
  ]);

  {
    const r = results["AES-128-GCM seal 1 KiB"];
    budget("AES-128-GCM 1 KiB", {
      ours: r.ours,
      peer: r["node:crypto"],
      peerName: "node:crypto",
      ratio: r["node:crypto"] / r.ours,
      what: "node:crypto/ours, our speed",
    });
  }

  const sk = nc.randomBytes(32),
    pk = lib.x25519PublicKey(nc.randomBytes(32));
  const pkcs8 = Buffer.from("302e020100300506032b656e04220420", "hex"),
    spki = Buffer.from("302a300506032b656e032100", "hex");
  const nPriv = nc.createPrivateKey({ key: Buffer.concat([pkcs8, sk]), format: "der", type: "pkcs8" });
  const nPub = nc.createPublicKey({ key: Buffer.concat([spki, pk]), format: "der", type: "spki" });
  const wPriv = await subtle.importKey("pkcs8", Buffer.concat([pkcs8, sk]), { name: "X25519" }, false, [
    "deriveBits",
  ]);
  const wPub = await subtle.importKey(
    "raw",
    /** @type {Uint8Array<ArrayBuffer>} */ (pk),
    { name: "X25519" },
    false,
    [],
  );
  results["X25519"] = report("X25519 shared secret", 0, [
    { name: "ours", ns: measure(() => lib.x25519(sk, pk), BUDGET_MS) },
    { name: "node:crypto", ns: measure(() => nc.diffieHellman({ privateKey: nPriv, publicKey: nPub })) },
    {
      name: "WebCrypto (async)",
      ns: await measureAsync(() => subtle.deriveBits({ name: "X25519", public: wPub }, wPriv, 256)),
    },
    { name: "@noble/curves", ns: measure(() => nobleX25519.getSharedSecret(sk, pk)) },
  ]);
  {
    const r = results["X25519"];
    budget("X25519", { ours: r.ours, peer: r["node:crypto"], peerName: "node:crypto" });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();

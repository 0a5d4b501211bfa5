// No secret outlives the call that used it. For every crypto call that takes or makes a secret:
//   * linear memory holds no byte that depends on the secret once the call returned (the call is
//     run under two different secrets and under the same one twice; a byte that differs between
//     the first pair but not the second is residue of the secret), and none of the secret's bytes
//     or its obvious derived forms (HMAC pads, keyed HMAC states);
//   * each secret-bearing result has an ArrayBuffer of its own, and a public result made after it
//     (a pooled digest) holds none of it in its buffer.
// Caller-owned keyed objects (createHmacKey, createHmac) may hold key state while they live and
// leave nothing once freed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lib, TLS_HASHES } from "./lib.mjs";
import { hmacForms, indexOf, pieces } from "./forms.mjs";

const ex = lib.rawExports();
const mem = () => new Uint8Array(ex.memory.buffer);

/** Deterministic, secret-looking bytes for `seed` (different seeds share no 8-byte run). */
function bytes(seed, n, salt = "") {
  const out = new Uint8Array(n);
  for (let i = 0, block = 0; i < n; block++) {
    const d = createHash("sha512").update(`${salt}/${seed}/${block}`).digest();
    out.set(d.subarray(0, Math.min(64, n - i)), i);
    i += 64;
  }
  return out;
}

// ---- the checks --------------------------------------------------------------------------------

/** Positions where the two snapshots differ. */
function diff(a, b) {
  const n = Math.min(a.length, b.length);
  const out = [];
  for (let off = 0; off < n; off += 4096) {
    const end = Math.min(n, off + 4096);
    if (Buffer.compare(a.subarray(off, end), b.subarray(off, end)) === 0) continue;
    for (let i = off; i < end; i++) if (a[i] !== b[i]) out.push(i);
  }
  return out;
}

function ranges(positions) {
  const out = [];
  for (const p of positions) {
    const last = out[out.length - 1];
    if (last && p <= last[1] + 16) last[1] = p;
    else out.push([p, p]);
  }
  return out.map(([a, b]) => `${a}..${b}`).join(", ");
}

/**
 * Runs `op(seed)` under secrets 1, 2, 2 and 1 again and fails on bytes of linear memory that
 * follow the secret: equal after both runs of one secret, different between the two secrets.
 * (Counters and queues that move with every call, even with a period of two, do not match that
 * pattern.) `op` returns { secrets: [inputs and outputs that are secret], outputs: [results] }.
 */
function checkCall(name, op, { forms = () => [] } = {}) {
  op(0); // warm-up: areas reach their size
  op(0);
  const r1 = op(1);
  const s1 = mem().slice();
  const r2 = op(2);
  const s2 = mem().slice();
  op(2);
  const s3 = mem().slice();
  op(1);
  const s4 = mem().slice();
  const residue = diff(s1, s2).filter((p) => s1[p] === s4[p] && s2[p] === s3[p]);
  assert.equal(
    residue.length,
    0,
    `${name}: linear memory keeps secret-dependent bytes at ${ranges(residue)}`,
  );
  const now = mem();
  for (const r of [r1, r2])
    for (const s of [...r.secrets, ...r.secrets.flatMap(forms)])
      for (const p of pieces(s))
        assert.equal(indexOf(now, p), -1, `${name}: a secret (or a derived form) is in linear memory`);
  // Secret results: an ArrayBuffer each, holding that result only.
  for (const o of r2.outputs) {
    assert.ok(o instanceof Uint8Array, `${name}: result is a Uint8Array`);
    assert.equal(o.byteOffset, 0, `${name}: a secret result is a view into a shared buffer`);
    assert.equal(o.buffer.byteLength, o.byteLength, `${name}: a secret result shares its ArrayBuffer`);
  }
  // A public result made afterwards comes from the pool: no secret in its buffer.
  const digest = lib.sha256(new Uint8Array([1, 2, 3]));
  const pool = new Uint8Array(digest.buffer);
  for (const s of r2.secrets)
    for (const p of pieces(s)) assert.equal(indexOf(pool, p), -1, `${name}: a secret is in the output pool`);
}

const PUBLIC = bytes("public", 300);
const rand32 = bytes("random", 32),
  rand32b = bytes("random2", 32);

/** @typedef {import("../../dist/index.js").HashName} HashName */
/** @type {[HashName, number][]} */
const hashes = [
  ["sha256", 32],
  ["sha384", 48],
  ["sha512", 64],
];
/** @type {[HashName, number][]} */
const TLS_HASH_LENGTHS = [
  ["sha256", 32],
  ["sha384", 48],
];
const hmacSha256Forms = (k) => (k.length >= 16 ? hmacForms(k) : []);

test("HMAC and HKDF leave no secret in memory or in a shared buffer", () => {
  for (const [h, hl] of hashes) {
    for (const keyLen of [32, 200]) {
      const forms = h === "sha256" ? { forms: (s) => (s.length === keyLen ? hmacSha256Forms(s) : []) } : {};
      checkCall(
        `hmac ${h} key ${keyLen}`,
        (seed) => {
          const key = bytes(seed, keyLen, "k");
          const out = lib.hmac(h, key, PUBLIC.subarray(0, 40));
          return { secrets: [key, out], outputs: [out] };
        },
        forms,
      );
      checkCall(
        `createHmac ${h} key ${keyLen}`,
        (seed) => {
          const key = bytes(seed, keyLen, "k");
          const m = lib.createHmac(h, key);
          m.update(PUBLIC.subarray(0, 100));
          const out = m.digest();
          m.free();
          return { secrets: [key, out], outputs: [out] };
        },
        forms,
      );
      checkCall(
        `createHmacKey ${h} key ${keyLen}, freed`,
        (seed) => {
          const key = bytes(seed, keyLen, "k");
          const m = lib.createHmacKey(h, key);
          const out = m.mac(PUBLIC.subarray(0, 50));
          const big = m.mac(bytes("big", 40000));
          m.free();
          return { secrets: [key, out, big], outputs: [out, big] };
        },
        forms,
      );
      checkCall(`hmacVerify ${h} key ${keyLen}`, (seed) => {
        const key = bytes(seed, keyLen, "k");
        const tag = lib.hmac(h, key, PUBLIC.subarray(0, 40));
        assert.equal(lib.hmacVerify(h, key, PUBLIC.subarray(0, 40), tag), true);
        return { secrets: [key, tag], outputs: [] };
      });
    }
    checkCall(`hkdf ${h}`, (seed) => {
      const ikm = bytes(seed, 32, "ikm");
      const prk = lib.hkdfExtract(h, PUBLIC.subarray(0, 16), ikm);
      const okm = lib.hkdfExpand(h, prk, PUBLIC.subarray(0, 10), 3 * hl + 5);
      const both = lib.hkdf(h, ikm, undefined, undefined, 42);
      return { secrets: [ikm, prk, okm, both], outputs: [prk, okm, both] };
    });
  }
});

test("TLS 1.2 PRF, master secrets, key blocks and Finished leave no secret behind", () => {
  for (const h of TLS_HASHES) {
    checkCall(`tls12 ${h}`, (seed) => {
      const pms = bytes(seed, 48, "pms");
      const ms = lib.tls12.masterSecret(h, pms, rand32, rand32b);
      const ems = lib.tls12.extendedMasterSecret(h, pms, PUBLIC.subarray(0, 32));
      const kb = lib.tls12.keyBlock(h, ms, rand32b, rand32, 104);
      const fin = lib.tls12.finished(h, ms, true, PUBLIC.subarray(0, 32));
      const prf = lib.tls12Prf(h, pms, "test label", PUBLIC.subarray(0, 64), 200);
      return { secrets: [pms, ms, ems, kb, prf], outputs: [ms, ems, kb, fin, prf] };
    });
  }
});

/** A ClientHello whose last extension is pre_shared_key with one identity and a zero binder. */
function clientHello(binderLen) {
  const ext = lib.tls13.pskExtension(new Uint8Array([1, 2, 3]), 1234, binderLen);
  const body = [0x03, 0x03, ...new Uint8Array(32), 0, 0, 2, 0x13, 0x02, 1, 0];
  const msg = new Uint8Array([1, 0, 0, 0, ...body, ext.length >> 8, ext.length & 255, ...ext]);
  const n = msg.length - 4;
  msg[1] = n >> 16;
  msg[2] = (n >> 8) & 255;
  msg[3] = n & 255;
  return msg;
}

test("the TLS 1.3 key schedule, binders and tickets leave no secret behind", () => {
  const nst = lib.tls13.buildNewSessionTicket({
    lifetime: 7200,
    ageAdd: 1,
    nonce: u8of(8),
    ticket: u8of(40),
  });
  for (const [h, hl] of TLS_HASH_LENGTHS) {
    const th = PUBLIC.subarray(0, hl);
    checkCall(`tls13 stages ${h}`, (seed) => {
      const psk = bytes(seed, hl, "psk");
      const dhe = bytes(seed, 32, "dhe");
      const es = lib.tls13.earlySecret(h, psk);
      const hs = lib.tls13.handshakeSecret(h, es, dhe);
      const ms = lib.tls13.masterSecret(h, hs);
      const ts = lib.tls13.deriveSecret(h, hs, "c hs traffic", th);
      const fk = lib.tls13.finishedKey(h, ts);
      const vd = lib.tls13.finishedVerifyData(h, ts, th);
      const { key, iv } = lib.tls13.trafficKeys(h, ts, 16);
      const rpsk = lib.tls13.resumptionPsk(h, ms, PUBLIC.subarray(0, 8));
      const bk = lib.tls13.binderKey(h, psk);
      const label = lib.tls13.expandLabel(h, ms, "exp master", th, 20);
      return {
        secrets: [psk, dhe, es, hs, ms, ts, fk, key, iv, rpsk, bk, label],
        outputs: [es, hs, ms, ts, fk, vd, key, iv, rpsk, bk, label],
      };
    });
    checkCall(`tls13 keySchedule ${h}`, (seed) => {
      const psk = bytes(seed, hl, "psk");
      const dhe = bytes(seed, 32, "dhe");
      const all = lib.tls13.keySchedule({
        hash: h,
        psk,
        dhe,
        transcript: { clientHello: th, serverHello: th, serverFinished: th, clientFinished: th },
      });
      const secrets = Object.values(all);
      return { secrets: [psk, dhe, ...secrets], outputs: secrets };
    });
    checkCall(`tls13 binders ${h}`, (seed) => {
      const psk = bytes(seed, hl, "psk");
      const ch = clientHello(hl);
      const filled = lib.tls13.fillBinder(h, psk, ch);
      assert.equal(lib.tls13.verifyBinder(h, psk, filled), true);
      const binder = lib.tls13.binder(h, psk, filled.subarray(0, filled.length - 3 - hl));
      return { secrets: [psk, binder], outputs: [filled, binder] };
    });
    checkCall(`tls13 sessionFromTicket ${h}`, (seed) => {
      const rms = bytes(seed, hl, "rms");
      const t = lib.tls13.sessionFromTicket(h, rms, nst, 1000);
      return { secrets: [rms, t.psk], outputs: [t.psk] };
    });
  }
});

function u8of(n) {
  return new Uint8Array(n).map((_, i) => i + 1);
}

test("X25519, AES-CBC and AES-GCM leave no key, shared secret or plaintext behind", () => {
  checkCall("x25519", (seed) => {
    const a = bytes(seed, 32, "a");
    const pubA = lib.x25519PublicKey(a);
    const shared = lib.x25519(a, lib.x25519PublicKey(bytes("peer", 32)));
    return { secrets: [a, shared], outputs: [pubA, shared] };
  });
  for (const keyLen of [16, 32]) {
    const iv = PUBLIC.subarray(0, 16);
    checkCall(`aes-cbc ${keyLen}`, (seed) => {
      const key = bytes(seed, keyLen, "aes");
      const plain = bytes(seed, 100, "plain");
      const ct = lib.aesCbcEncrypt(key, iv, plain);
      const back = lib.aesCbcDecrypt(key, iv, ct);
      assert.deepEqual(back, plain);
      return { secrets: [key, plain], outputs: [ct, back] };
    });
    checkCall(`aes-gcm ${keyLen}`, (seed) => {
      const key = bytes(seed, keyLen, "aes");
      const plain = bytes(seed, 100, "plain");
      const sealed = lib.aesGcmSeal(key, iv.subarray(0, 12), plain, PUBLIC.subarray(0, 13));
      const back = lib.aesGcmOpen(key, iv.subarray(0, 12), sealed, PUBLIC.subarray(0, 13));
      assert.deepEqual(back, plain);
      const bad = sealed.slice();
      bad[0] ^= 1;
      assert.throws(() => lib.aesGcmOpen(key, iv.subarray(0, 12), bad, PUBLIC.subarray(0, 13)));
      return { secrets: [key, plain], outputs: [sealed, back] };
    });
  }
});

test("a keyed HMAC object holds its key state while it lives and nothing once freed", () => {
  const key = bytes("live", 32, "k");
  const [, , inner, outer] = hmacForms(key);
  const m = lib.createHmacKey("sha256", key);
  m.mac(PUBLIC);
  assert.notEqual(indexOf(mem(), inner), -1, "the keyed inner state lives in the object");
  assert.equal(indexOf(mem(), key), -1, "the raw key is not kept");
  m.free();
  assert.equal(indexOf(mem(), inner), -1);
  assert.equal(indexOf(mem(), outer), -1);
});

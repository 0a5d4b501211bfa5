// Differential tests against node:crypto: at least 10,000 random inputs per primitive, lengths from
// 0 to several blocks; streaming input split at every position; tampered tags rejected.
import { test } from "node:test";
import assert from "node:assert/strict";
import nc from "node:crypto";
import { lib, hex, HASHES, TLS_HASHES } from "./lib.mjs";

const N = 10000;
// Deterministic inputs (a failure is reproducible): bytes from SHA-256 in counter mode.
let seed = 0;
function rnd(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 32) {
    const b = nc.createHash("sha256").update(`differential ${seed++}`).digest();
    out.set(b.subarray(0, Math.min(32, n - i)), i);
  }
  return out;
}
const rint = (max) => rnd(4).reduce((a, b) => a * 256 + b, 0) % (max + 1);
const B = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length);

test("SHA-256/384/512 one-shot: 10,000 random inputs each, 0 to 600 bytes", () => {
  for (const h of HASHES) {
    for (let i = 0; i < N; i++) {
      const d = rnd(i < 600 ? i : rint(600));
      assert.equal(hex(lib.hash(h, d)), nc.createHash(h).update(d).digest("hex"), `${h} len ${d.length}`);
    }
  }
});

test("SHA-2 streaming: every split of inputs up to 300 bytes, and random multi-part splits", () => {
  for (const h of HASHES) {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 111, 112, 119, 127, 128, 129, 191, 255, 256, 300]) {
      const d = rnd(len);
      const want = nc.createHash(h).update(d).digest("hex");
      for (let i = 0; i <= len; i++) {
        const s = lib.createHash(h);
        s.update(d.subarray(0, i)).update(d.subarray(i));
        assert.equal(hex(s.digest()), want, `${h} len ${len} split ${i}`);
        s.free();
      }
    }
    // the classic trap: 30 then 100 bytes
    const d = rnd(130),
      s = lib.createHash(h);
    s.update(d.subarray(0, 30)).update(d.subarray(30));
    assert.equal(hex(s.digest()), nc.createHash(h).update(d).digest("hex"));
    s.free();
    for (let i = 0; i < 2000; i++) {
      const d = rnd(rint(1200)),
        s = lib.createHash(h);
      let o = 0;
      while (o < d.length) {
        const k = rint(200);
        s.update(d.subarray(o, o + k));
        o += k;
      }
      const c = s.clone();
      assert.equal(hex(s.digest()), nc.createHash(h).update(d).digest("hex"));
      assert.equal(hex(c.digest()), nc.createHash(h).update(d).digest("hex"));
      s.free();
      c.free();
    }
  }
});

test("HMAC-SHA-256/384/512: 10,000 random keys and messages each, streaming and verify", () => {
  for (const h of HASHES) {
    for (let i = 0; i < N; i++) {
      const key = rnd(rint(300)),
        d = rnd(rint(400));
      const want = nc.createHmac(h, key).update(d).digest("hex");
      assert.equal(hex(lib.hmac(h, key, d)), want, `${h} key ${key.length} data ${d.length}`);
      if (key.length) {
        // the module caches the last key's state: keys that differ in one byte or one length must not hit it
        const k2 = key.slice();
        k2[k2.length - 1] ^= 1;
        assert.equal(hex(lib.hmac(h, k2, d)), nc.createHmac(h, k2).update(d).digest("hex"));
        const k3 = key.subarray(0, key.length - 1);
        assert.equal(hex(lib.hmac(h, k3, d)), nc.createHmac(h, k3).update(d).digest("hex"));
        assert.equal(hex(lib.hmac(h, key, d)), want);
      }
      if (i % 10 === 0) {
        const m = lib.createHmac(h, key);
        const cut = rint(d.length);
        m.update(d.subarray(0, cut)).update(d.subarray(cut));
        assert.equal(hex(m.digest()), want);
        m.free();
        const tag = Buffer.from(want, "hex");
        assert.equal(lib.hmacVerify(h, key, d, tag), true);
        tag[rint(tag.length - 1)] ^= 1 << rint(7);
        assert.equal(lib.hmacVerify(h, key, d, tag), false);
      }
    }
  }
});

test("keyed HMAC objects (createHmacKey): every message length 0..300 and random keys, against node:crypto", () => {
  for (const h of HASHES) {
    for (let i = 0; i < 40; i++) {
      const key = rnd(rint(200));
      const k = lib.createHmacKey(h, key);
      for (let n = i; n <= 300; n += 40) {
        const d = rnd(n);
        const want = nc.createHmac(h, key).update(d).digest();
        assert.equal(hex(k.mac(d)), want.toString("hex"), `${h} key ${key.length} data ${n}`);
        assert.equal(k.outputLen, want.length);
      }
      // other keys in between (one-shot hmac, another keyed object) leave this one's state alone
      lib.hmac(h, rnd(32), rnd(10));
      const other = lib.createHmacKey(h, rnd(32));
      const d = rnd(rint(300));
      assert.equal(hex(k.mac(d)), nc.createHmac(h, key).update(d).digest("hex"));
      other.free();
      k.free();
      assert.throws(() => k.mac(d), /freed/);
      k.free(); // twice is a no-op
    }
  }
  // every length around the SHA-256 block and padding boundaries, one key
  const key = rnd(32),
    k = lib.createHmacKey("sha256", key);
  for (let n = 0; n <= 200; n++) {
    const d = rnd(n);
    assert.equal(hex(k.mac(d)), nc.createHmac("sha256", key).update(d).digest("hex"), `length ${n}`);
    assert.equal(hex(lib.hmac("sha256", key, d)), nc.createHmac("sha256", key).update(d).digest("hex"));
  }
  k.free();
  // Wrong arguments on purpose: what a JavaScript caller can pass.
  assert.throws(() => lib.createHmacKey(/** @type {any} */ ("md5"), key), RangeError);
  assert.throws(() => lib.createHmacKey("sha256", /** @type {any} */ ("key")), TypeError);
});

test("HKDF extract/expand and HKDF-Expand-Label: 10,000 random inputs each", () => {
  for (const h of HASHES) {
    const hl = { sha256: 32, sha384: 48, sha512: 64 }[h];
    for (let i = 0; i < N; i++) {
      const ikm = rnd(rint(100)),
        salt = rnd(rint(100)),
        info = rnd(rint(120)),
        L = 1 + rint(i % 50 === 0 ? 255 * hl - 1 : 200);
      const want = Buffer.from(nc.hkdfSync(h, ikm, salt, info, L)).toString("hex");
      const prk = lib.hkdfExtract(h, salt, ikm);
      assert.equal(hex(prk), nc.createHmac(h, salt).update(ikm).digest("hex"));
      assert.equal(hex(lib.hkdfExpand(h, prk, info, L)), want, `${h} L ${L}`);
      if (i % 4 === 0) {
        const label = "x".repeat(rint(40)),
          ctx = rnd(rint(64)),
          len = 1 + rint(100);
        const hkdfLabel = Buffer.concat([
          Buffer.from([len >> 8, len & 255, 6 + label.length]),
          Buffer.from("tls13 " + label),
          Buffer.from([ctx.length]),
          B(ctx),
        ]);
        // node's hkdf extracts first; expand-only is HMAC P_hash, written out here.
        let t = Buffer.alloc(0),
          okm = Buffer.alloc(0);
        for (let c = 1; okm.length < len; c++) {
          t = nc
            .createHmac(h, prk)
            .update(Buffer.concat([t, hkdfLabel, Buffer.from([c])]))
            .digest();
          okm = Buffer.concat([okm, t]);
        }
        assert.equal(hex(lib.hkdfExpandLabel(h, prk, label, ctx, len)), okm.subarray(0, len).toString("hex"));
      }
    }
  }
});

function pHash(h, secret, seed, len) {
  let a = seed,
    out = Buffer.alloc(0);
  while (out.length < len) {
    a = nc.createHmac(h, secret).update(a).digest();
    out = Buffer.concat([
      out,
      nc
        .createHmac(h, secret)
        .update(Buffer.concat([a, seed]))
        .digest(),
    ]);
  }
  return out.subarray(0, len);
}

test("TLS 1.2 PRF (P_SHA256, P_SHA384): 10,000 random inputs each against an HMAC P_hash", () => {
  for (const h of TLS_HASHES) {
    for (let i = 0; i < N; i++) {
      const secret = rnd(rint(100)),
        label = "label " + rint(1000),
        seed = rnd(rint(100)),
        len = rint(200);
      const want = pHash(h, secret, Buffer.concat([Buffer.from(label), B(seed)]), len).toString("hex");
      assert.equal(hex(lib.tls12Prf(h, secret, label, seed, len)), want);
    }
  }
});

test("AES-128/256-CBC with PKCS#7: 10,000 random encryptions and decryptions against node:crypto", () => {
  for (let i = 0; i < N; i++) {
    const key = rnd(i & 1 ? 32 : 16),
      iv = rnd(16),
      pt = rnd(rint(300));
    const alg = key.length === 16 ? "aes-128-cbc" : "aes-256-cbc";
    const c = nc.createCipheriv(alg, key, iv);
    const want = Buffer.concat([c.update(pt), c.final()]);
    const got = lib.aesCbcEncrypt(key, iv, pt);
    assert.equal(hex(got), want.toString("hex"), `${alg} len ${pt.length}`);
    assert.equal(hex(lib.aesCbcDecrypt(key, iv, got)), hex(pt));
    if (i % 4 === 0) {
      // the module caches the last AES key's expansion: a key one bit away must not hit it
      const k2 = key.slice();
      k2[i % key.length] ^= 1;
      const c2 = nc.createCipheriv(alg, k2, iv);
      assert.equal(
        hex(lib.aesCbcEncrypt(k2, iv, pt)),
        Buffer.concat([c2.update(pt), c2.final()]).toString("hex"),
      );
    }
  }
});

test("AES-CBC: bad padding and wrong lengths are rejected", () => {
  const key = rnd(16),
    iv = rnd(16);
  let rejected = 0;
  for (let i = 0; i < 2000; i++) {
    const c = rnd(16 * (1 + rint(4)));
    const d = nc.createDecipheriv("aes-128-cbc", key, iv);
    let ok = true;
    try {
      Buffer.concat([d.update(c), d.final()]);
    } catch {
      ok = false;
    }
    if (ok) assert.doesNotThrow(() => lib.aesCbcDecrypt(key, iv, c));
    else {
      assert.throws(() => lib.aesCbcDecrypt(key, iv, c));
      rejected++;
    }
  }
  assert.ok(rejected > 1000);
  assert.throws(() => lib.aesCbcDecrypt(key, iv, new Uint8Array(15)), RangeError);
  assert.throws(() => lib.aesCbcDecrypt(key, iv, new Uint8Array(0)), RangeError);
});

test("ticket-style AES-CBC + HMAC-SHA256: tampering anywhere is caught by the MAC", () => {
  const aesKey = rnd(16),
    macKey = rnd(16),
    name = rnd(16);
  for (let i = 0; i < 500; i++) {
    const iv = rnd(16),
      body = lib.aesCbcEncrypt(aesKey, iv, rnd(rint(300)));
    const signed = new Uint8Array([...name, ...iv, ...body]);
    const ticket = new Uint8Array([...signed, ...lib.hmac("sha256", macKey, signed)]);
    const t = ticket.slice();
    t[rint(t.length - 1)] ^= 1 << rint(7);
    const mac = t.subarray(t.length - 32),
      data = t.subarray(0, t.length - 32);
    assert.equal(lib.hmacVerify("sha256", macKey, data, mac), false);
    assert.equal(
      lib.hmacVerify(
        "sha256",
        macKey,
        ticket.subarray(0, ticket.length - 32),
        ticket.subarray(ticket.length - 32),
      ),
      true,
    );
  }
});

test("AES-128/256-GCM: 10,000 random seals and opens against node:crypto, tampering rejected", () => {
  for (let i = 0; i < N; i++) {
    const key = rnd(i & 1 ? 32 : 16),
      iv = rnd(i % 97 === 0 ? 1 + rint(64) : 12),
      pt = rnd(rint(300)),
      aad = rnd(rint(i % 3 ? 40 : 0));
    const c = nc.createCipheriv(key.length === 16 ? "aes-128-gcm" : "aes-256-gcm", key, iv);
    c.setAAD(aad);
    const want = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
    const got = lib.aesGcmSeal(key, iv, pt, aad);
    assert.equal(hex(got), want.toString("hex"), `len ${pt.length} iv ${iv.length} aad ${aad.length}`);
    assert.equal(hex(lib.aesGcmOpen(key, iv, got, aad)), hex(pt));
    if (i % 5 === 0) {
      const t = got.slice();
      t[rint(t.length - 1)] ^= 1 << rint(7);
      assert.throws(() => lib.aesGcmOpen(key, iv, t, aad));
      if (aad.length) {
        const a = aad.slice();
        a[0] ^= 1;
        assert.throws(() => lib.aesGcmOpen(key, iv, got, a));
      }
    }
  }
});

test("X25519: 10,000 random scalar/point pairs against node:crypto diffieHellman", () => {
  const pkcs8 = Buffer.from("302e020100300506032b656e04220420", "hex");
  const spki = Buffer.from("302a300506032b656e032100", "hex");
  for (let i = 0; i < N; i++) {
    const a = rnd(32),
      b = rnd(32);
    const pubB = lib.x25519PublicKey(b);
    const priv = nc.createPrivateKey({ key: Buffer.concat([pkcs8, B(a)]), format: "der", type: "pkcs8" });
    const pub = nc.createPublicKey({ key: Buffer.concat([spki, B(pubB)]), format: "der", type: "spki" });
    if (i % 100 === 0) {
      const nodePubB = nc
        .createPublicKey(
          nc.createPrivateKey({ key: Buffer.concat([pkcs8, B(b)]), format: "der", type: "pkcs8" }),
        )
        .export({ format: "der", type: "spki" })
        .subarray(12);
      assert.equal(hex(pubB), nodePubB.toString("hex"));
    }
    const want = nc.diffieHellman({ privateKey: priv, publicKey: pub });
    assert.equal(hex(lib.x25519(a, pubB)), want.toString("hex"));
  }
  // non-canonical u (p <= u < 2^255) reduces mod p: u = p + 9 acts as 9, u = p + 18 as 18
  const le = (n) => {
    const b = new Uint8Array(32);
    for (let i = 0; i < 32; i++) {
      b[i] = Number(n & 255n);
      n >>= 8n;
    }
    return b;
  };
  const P = (1n << 255n) - 19n;
  for (let i = 0; i < 50; i++) {
    const a = rnd(32);
    assert.equal(hex(lib.x25519(a, le(P + 9n))), hex(lib.x25519PublicKey(a)));
    assert.equal(hex(lib.x25519(a, le(P + 18n))), hex(lib.x25519(a, le(18n))));
    assert.throws(() => lib.x25519(a, le(P)), /all zeros/);
    assert.throws(() => lib.x25519(a, le(P + 1n)), /all zeros/);
  }
  // arbitrary (non-canonical, top-bit-set) u coordinates
  for (let i = 0; i < 200; i++) {
    const a = rnd(32),
      u = rnd(32);
    const u2 = u.slice();
    u2[31] &= 0x7f;
    let got;
    try {
      got = hex(lib.x25519(a, u));
    } catch {
      got = "zero";
    }
    let want2;
    try {
      want2 = hex(lib.x25519(a, u2));
    } catch {
      want2 = "zero";
    }
    assert.equal(got, want2, "the top bit of u is ignored");
  }
});

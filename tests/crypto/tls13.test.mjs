// RFC 8448 §3 (simple 1-RTT handshake) and §4 (resumed 0-RTT handshake) reproduced byte for byte:
// every HKDF step of both traces replayed, then the whole chain recomputed from the §3 inputs
// alone (x25519 keys and handshake messages) through to the §4 ClientHello and its binder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lib, vectors, hex, unhex, TLS_HASHES } from "./lib.mjs";

const v = vectors("rfc8448.json");
const s3 = Object.fromEntries(Object.entries(v.named.section3_simple_1rtt).map(([k, x]) => [k, x.hex ?? x]));
const s4 = Object.fromEntries(Object.entries(v.named.section4_resumed_0rtt).map(([k, x]) => [k, x.hex ?? x]));
const { tls13 } = lib;
const H = "sha256";
const cat = (...hs) => unhex(hs.join(""));
const th = (...hs) => lib.sha256(cat(...hs));

/** Parses an HkdfLabel: uint16 length, "tls13 " + label, context. */
function parseInfo(info) {
  const b = unhex(info);
  const len = (b[0] << 8) | b[1];
  const ll = b[2];
  const label = new TextDecoder().decode(b.subarray(3, 3 + ll));
  const cl = b[3 + ll];
  return { len, label: label.replace(/^tls13 /, ""), context: b.subarray(4 + ll, 4 + ll + cl) };
}

test("RFC 8448: every HKDF step of §3 and §4 replayed (Extract, Expand, Expand-Label, Finished, binders)", () => {
  let n = 0;
  for (const st of v.steps) {
    const f = st.fields;
    const what = `§${st.section} ${st.role} ${st.title}`;
    if ("IKM" in f && "secret" in f) {
      assert.equal(hex(lib.hkdfExtract(H, unhex(f.salt), unhex(f.IKM))), f.secret, what);
      n++;
    }
    if ("info" in f && "expanded" in f) {
      const { len, label, context } = parseInfo(f.info);
      assert.equal(hex(lib.hkdfExpand(H, unhex(f.PRK), unhex(f.info), len)), f.expanded, what);
      assert.equal(hex(lib.hkdfExpandLabel(H, unhex(f.PRK), label, context, len)), f.expanded, what);
      if ("hash" in f) assert.equal(hex(context), f.hash, what);
      n++;
    }
    if ("key info" in f) {
      const k = parseInfo(f["key info"]),
        i = parseInfo(f["iv info"]);
      const { key, iv } = tls13.trafficKeys(H, unhex(f.PRK), k.len);
      assert.equal(hex(key), f["key expanded"], what);
      assert.equal(hex(iv), f["iv expanded"], what);
      assert.equal(i.len, 12);
      n++;
    }
    if ("finished" in f) {
      assert.equal(hex(tls13.finishedKey(H, unhex(f.PRK))), f.expanded, what);
      // RFC 8448 lists the transcript hash only for binders ("binder hash"); the Finished
      // messages' transcripts are checked in the chain tests below.
      if ("binder hash" in f) {
        assert.equal(hex(lib.sha256(unhex(f["ClientHello prefix"]))), f["binder hash"], what);
        assert.equal(hex(lib.hmac(H, unhex(f.expanded), unhex(f["binder hash"]))), f.finished, what);
      }
      n++;
    }
  }
  assert.ok(n >= 40, `replayed ${n} steps`);
});

test("RFC 8448 §3: the full handshake's key schedule from its inputs", () => {
  const shared = lib.x25519(unhex(s3.client_x25519_private), unhex(s3.server_x25519_public));
  assert.equal(hex(shared), s3.x25519_shared_secret);
  assert.equal(
    hex(lib.x25519(unhex(s3.server_x25519_private), unhex(s3.client_x25519_public))),
    s3.x25519_shared_secret,
  );
  assert.equal(hex(lib.x25519PublicKey(unhex(s3.client_x25519_private))), s3.client_x25519_public);

  const early = tls13.earlySecret(H);
  assert.equal(hex(early), s3.early_secret);
  assert.equal(
    hex(tls13.deriveSecret(H, early, "derived", lib.sha256(new Uint8Array(0)))),
    s3.derived_for_handshake,
  );
  const hs = tls13.handshakeSecret(H, early, shared);
  assert.equal(hex(hs), s3.handshake_secret);
  const master = tls13.masterSecret(H, hs);
  assert.equal(hex(master), s3.master_secret);

  const hCH = th(s3.client_hello),
    hSH = th(s3.client_hello, s3.server_hello);
  assert.equal(hex(hSH), s3.transcript_hash_ch_sh);
  const hCV = th(
    s3.client_hello,
    s3.server_hello,
    s3.encrypted_extensions,
    s3.certificate,
    s3.certificate_verify,
  );
  const hSF = th(
    s3.client_hello,
    s3.server_hello,
    s3.encrypted_extensions,
    s3.certificate,
    s3.certificate_verify,
    s3.server_finished_message,
  );
  assert.equal(hex(hSF), s3.transcript_hash_ch_server_finished);
  const hCF = th(
    s3.client_hello,
    s3.server_hello,
    s3.encrypted_extensions,
    s3.certificate,
    s3.certificate_verify,
    s3.server_finished_message,
    s3.client_finished_message,
  );
  assert.equal(hex(hCF), s3.transcript_hash_ch_client_finished);

  const ks = tls13.keySchedule({
    hash: H,
    dhe: shared,
    transcript: { clientHello: hCH, serverHello: hSH, serverFinished: hSF, clientFinished: hCF },
  });
  assert.equal(hex(ks.earlySecret), s3.early_secret);
  assert.equal(hex(ks.handshakeSecret), s3.handshake_secret);
  assert.equal(hex(ks.clientHandshakeTrafficSecret), s3.client_handshake_traffic_secret);
  assert.equal(hex(ks.serverHandshakeTrafficSecret), s3.server_handshake_traffic_secret);
  assert.equal(hex(ks.masterSecret), s3.master_secret);
  assert.equal(hex(ks.clientApplicationTrafficSecret), s3.client_application_traffic_secret_0);
  assert.equal(hex(ks.serverApplicationTrafficSecret), s3.server_application_traffic_secret_0);
  assert.equal(hex(ks.exporterMasterSecret), s3.exporter_master_secret);
  assert.equal(hex(ks.resumptionMasterSecret), s3.resumption_master_secret);

  const { key, iv } = tls13.trafficKeys(H, ks.serverHandshakeTrafficSecret, 16);
  assert.equal(hex(key), s3.server_handshake_write_key);
  assert.equal(hex(iv), s3.server_handshake_write_iv);
  assert.equal(hex(tls13.finishedKey(H, ks.serverHandshakeTrafficSecret)), s3.server_finished_key);
  assert.equal(
    hex(tls13.finishedVerifyData(H, ks.serverHandshakeTrafficSecret, hCV)),
    s3.server_finished_verify_data,
  );
  assert.equal(hex(tls13.finishedKey(H, ks.clientHandshakeTrafficSecret)), s3.client_finished_key);
  assert.equal(
    hex(tls13.finishedVerifyData(H, ks.clientHandshakeTrafficSecret, hSF)),
    s3.client_finished_verify_data,
  );

  // The NewSessionTicket: parse, rebuild byte for byte, and the PSK it yields.
  const nst = tls13.parseNewSessionTicket(unhex(s3.new_session_ticket));
  const d = v.named.section3_simple_1rtt.new_session_ticket_decoded;
  assert.equal(nst.lifetime, d.ticket_lifetime);
  assert.equal(nst.ageAdd, d.ticket_age_add);
  assert.equal(hex(nst.nonce), d.ticket_nonce_hex);
  assert.equal(hex(nst.ticket), d.ticket_hex);
  assert.equal(nst.maxEarlyData, 1024);
  assert.equal(hex(tls13.buildNewSessionTicket(nst)), s3.new_session_ticket);
  const psk = tls13.resumptionPsk(H, ks.resumptionMasterSecret, nst.nonce);
  assert.equal(hex(psk), s3.resumption_psk);
  const sess = tls13.sessionFromTicket(H, ks.resumptionMasterSecret, unhex(s3.new_session_ticket), 1000);
  assert.equal(hex(sess.psk), s3.resumption_psk);
  assert.equal(hex(sess.sessionId), hex(lib.sha256(nst.ticket)));
  assert.equal(sess.time, 1000);
});

test("RFC 8448 §4: the resumed ClientHello and its binder from the §3 inputs, then the 0-RTT schedule", () => {
  // Everything the client kept from §3.
  const shared3 = lib.x25519(unhex(s3.client_x25519_private), unhex(s3.server_x25519_public));
  const h3 = [
    s3.client_hello,
    s3.server_hello,
    s3.encrypted_extensions,
    s3.certificate,
    s3.certificate_verify,
    s3.server_finished_message,
  ];
  const ks3 = tls13.keySchedule({
    hash: H,
    dhe: shared3,
    transcript: {
      clientHello: th(s3.client_hello),
      serverHello: th(s3.client_hello, s3.server_hello),
      serverFinished: th(...h3),
      clientFinished: th(...h3, s3.client_finished_message),
    },
  });
  const nst = tls13.parseNewSessionTicket(unhex(s3.new_session_ticket));
  const psk = tls13.resumptionPsk(H, ks3.resumptionMasterSecret, nst.nonce);
  assert.equal(hex(psk), s4.psk);

  // The §4 ClientHello: all but the pre_shared_key extension is given; rebuild that extension from
  // the ticket and an age of 6 ms (RFC 8448 §4 reports obfuscated_ticket_age fad6aacb).
  const full = unhex(s4.client_hello_with_pre_shared_key);
  const ext = tls13.pskExtension(nst.ticket, tls13.obfuscateTicketAge(6, nst.ageAdd), 32);
  const head = full.subarray(0, full.length - ext.length);
  assert.equal(
    hex(full.subarray(full.length - ext.length, full.length - 33)),
    hex(ext.subarray(0, ext.length - 33)),
  );
  const unbound = new Uint8Array(full.length);
  unbound.set(head);
  unbound.set(ext, head.length);
  const filled = tls13.fillBinder(H, psk, unbound);
  assert.equal(hex(filled), s4.client_hello_with_pre_shared_key, "ClientHello byte for byte");
  // the pieces
  const prefix = full.subarray(0, full.length - 35);
  assert.equal(hex(prefix), s4.client_hello_prefix_for_binder);
  assert.equal(hex(lib.sha256(prefix)), s4.binder_transcript_hash);
  assert.equal(hex(tls13.earlySecret(H, psk)), s4.early_secret);
  const bk = tls13.binderKey(H, psk);
  assert.equal(hex(bk), s4.binder_key);
  assert.equal(hex(tls13.finishedKey(H, bk)), s4.binder_finished_key);
  assert.equal(hex(tls13.binder(H, psk, prefix)), s4.binder);
  // server side
  assert.equal(tls13.verifyBinder(H, psk, full), true);
  const bad = full.slice();
  bad[bad.length - 1] ^= 1;
  assert.equal(tls13.verifyBinder(H, psk, bad), false);
  const bad2 = full.slice();
  bad2[100] ^= 1;
  assert.equal(tls13.verifyBinder(H, psk, bad2), false);
  assert.equal(tls13.verifyBinder(H, psk, full, { external: true }), false);

  // 0-RTT and the rest of the resumed handshake.
  const shared = lib.x25519(unhex(s4.client_x25519_private), unhex(s4.server_x25519_public));
  assert.equal(hex(shared), s4.x25519_shared_secret);
  const msgs = [
    s4.client_hello_with_pre_shared_key,
    s4.server_hello,
    s4.encrypted_extensions,
    s4.server_finished_message,
  ];
  const ks = tls13.keySchedule({
    hash: H,
    psk,
    dhe: shared,
    transcript: {
      clientHello: th(msgs[0]),
      serverHello: th(msgs[0], msgs[1]),
      serverFinished: th(...msgs),
      clientFinished: th(...msgs, s4.end_of_early_data, s4.client_finished_message),
    },
  });
  assert.equal(hex(ks.earlySecret), s4.early_secret);
  assert.equal(hex(ks.binderKey), s4.binder_key);
  assert.equal(hex(ks.clientEarlyTrafficSecret), s4.client_early_traffic_secret);
  assert.equal(hex(ks.earlyExporterMasterSecret), s4.early_exporter_master_secret);
  assert.equal(hex(ks.handshakeSecret), s4.handshake_secret);
  assert.equal(hex(ks.clientHandshakeTrafficSecret), s4.client_handshake_traffic_secret);
  assert.equal(hex(ks.serverHandshakeTrafficSecret), s4.server_handshake_traffic_secret);
  assert.equal(hex(ks.masterSecret), s4.master_secret);
  assert.equal(hex(ks.clientApplicationTrafficSecret), s4.client_application_traffic_secret_0);
  assert.equal(hex(ks.serverApplicationTrafficSecret), s4.server_application_traffic_secret_0);
  assert.equal(hex(ks.exporterMasterSecret), s4.exporter_master_secret);
  assert.equal(hex(ks.resumptionMasterSecret), s4.resumption_master_secret);
  const early = tls13.trafficKeys(H, ks.clientEarlyTrafficSecret, 16);
  assert.equal(hex(early.key), s4.client_early_write_key);
  assert.equal(hex(early.iv), s4.client_early_write_iv);
  assert.equal(
    hex(tls13.finishedVerifyData(H, ks.serverHandshakeTrafficSecret, th(msgs[0], msgs[1], msgs[2]))),
    s4.server_finished_verify_data,
  );
  assert.equal(
    hex(tls13.finishedVerifyData(H, ks.clientHandshakeTrafficSecret, th(...msgs, s4.end_of_early_data))),
    s4.client_finished_verify_data,
  );
});

test("RFC 8448 records: AES-128-GCM protected records match (nonce = iv XOR seq, AAD = header)", () => {
  // §3 server: the first protected handshake record uses the server handshake key/iv, sequence 0.
  const step = v.steps.find(
    (s) =>
      s.section === "3" &&
      s.role === "server" &&
      s.title === "send handshake record" &&
      s.fields["complete record"].startsWith("17"),
  );
  const rec = unhex(step.fields["complete record"]);
  const key = unhex(s3.server_handshake_write_key),
    iv = unhex(s3.server_handshake_write_iv);
  const inner = unhex(step.fields.payload + "16");
  const sealed = lib.aesGcmSeal(key, iv, inner, rec.subarray(0, 5));
  assert.equal(hex(sealed), hex(rec.subarray(5)));
  assert.equal(hex(lib.aesGcmOpen(key, iv, rec.subarray(5), rec.subarray(0, 5))), hex(inner));
});

test("binders: SHA-384, external PSKs, HelloRetryRequest prefix, several identities", () => {
  const psk = new Uint8Array(48).fill(7);
  const ext = tls13.pskExtension(new Uint8Array([1, 2, 3]), 1234, 48);
  // A minimal ClientHello: version, random, empty session id, one suite, null compression, one extension.
  const body = [0x03, 0x03, ...new Uint8Array(32), 0, 0, 2, 0x13, 0x02, 1, 0];
  const exts = [...ext];
  const msg = new Uint8Array([1, 0, 0, 0, ...body, exts.length >> 8, exts.length & 255, ...exts]);
  const n = msg.length - 4;
  msg[1] = n >> 16;
  msg[2] = (n >> 8) & 255;
  msg[3] = n & 255;
  for (const external of [false, true]) {
    for (const prefix of [undefined, new Uint8Array([254, 0, 0, 48, ...new Uint8Array(48)])]) {
      const ch = tls13.fillBinder("sha384", psk, msg, { external, prefix });
      assert.equal(tls13.verifyBinder("sha384", psk, ch, { external, prefix }), true);
      assert.equal(tls13.verifyBinder("sha384", psk, ch, { external: !external, prefix }), false);
      const trunc = ch.subarray(0, ch.length - 2 - 1 - 48);
      const want = tls13.binder("sha384", psk, trunc, { external, prefix });
      assert.equal(hex(ch.subarray(ch.length - 48)), hex(want));
    }
  }
  // wrong hash length for the binder slot
  assert.throws(() => tls13.fillBinder("sha256", psk, msg), /binder length/);
  assert.throws(() => tls13.fillBinder("sha384", psk, msg, { index: 1 }), /index/);
});

test("NewSessionTicket: build/parse round trip and malformed messages rejected", () => {
  const t = {
    lifetime: 7200,
    ageAdd: 0xdeadbeef,
    nonce: new Uint8Array(8),
    ticket: new Uint8Array(200).fill(3),
  };
  const m = tls13.buildNewSessionTicket(t);
  const p = tls13.parseNewSessionTicket(m);
  assert.deepEqual(
    { ...p, nonce: hex(p.nonce), ticket: hex(p.ticket) },
    { ...t, nonce: hex(t.nonce), ticket: hex(t.ticket) },
  );
  assert.equal(p.maxEarlyData, undefined);
  for (let cut = 0; cut < m.length; cut++)
    assert.throws(() => tls13.parseNewSessionTicket(m.subarray(0, cut)));
  const trailing = new Uint8Array([...m, 0]);
  assert.throws(() => tls13.parseNewSessionTicket(trailing));
  const s3m = unhex(s3.new_session_ticket);
  // a repeated early_data extension
  const dup = new Uint8Array([
    ...s3m.subarray(0, s3m.length - 10),
    0,
    16,
    0,
    42,
    0,
    4,
    0,
    0,
    4,
    0,
    0,
    42,
    0,
    4,
    0,
    0,
    4,
    0,
  ]);
  const n = dup.length - 4;
  dup[1] = n >> 16;
  dup[2] = (n >> 8) & 255;
  dup[3] = n & 255;
  assert.throws(() => tls13.parseNewSessionTicket(dup), /repeated/);
  assert.equal(tls13.obfuscateTicketAge(0xffffffff, 2), 1);
  assert.equal(tls13.opensslTicketAgeMs(100, 100), 0);
  assert.equal(tls13.opensslTicketAgeMs(105, 100), 4000);
  assert.equal(tls13.opensslTicketAgeMs(99, 100), undefined);
});

test("mutated ClientHellos and NewSessionTickets: rejected or parsed, never a trap, binders never verify", () => {
  const psk = unhex(s4.psk);
  const ch = unhex(s4.client_hello_with_pre_shared_key);
  const nst = unhex(s3.new_session_ticket);
  let seed = 1;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  let verified = 0;
  for (let i = 0; i < 3000; i++) {
    const m = ch.slice();
    const kind = rnd(3);
    let x = m;
    if (kind === 0) m[rnd(m.length)] ^= 1 << rnd(8);
    else if (kind === 1) x = m.subarray(0, rnd(m.length));
    else {
      m[rnd(m.length)] = rnd(256);
      m[rnd(m.length)] = rnd(256);
    }
    try {
      if (lib.tls13.verifyBinder(H, psk, x)) {
        verified++;
        assert.equal(hex(x), hex(ch), "only an unchanged ClientHello verifies");
      }
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), String(e));
      assert.equal(e.name, "TlsSessionError");
    }
    const n = nst.slice();
    n[rnd(n.length)] = rnd(256);
    try {
      lib.tls13.parseNewSessionTicket(n.subarray(0, rnd(2) ? n.length : rnd(n.length)));
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), String(e));
    }
  }
  assert.ok(verified < 50, `${verified} mutations left the ClientHello unchanged`);
});

test("the whole key schedule for SHA-256 and SHA-384 against a node:crypto reference, with and without PSK/DHE", async () => {
  const nc = await import("node:crypto");
  for (const h of TLS_HASHES) {
    const hl = h === "sha256" ? 32 : 48;
    const mac = (k, m) => nc.createHmac(h, k).update(m).digest();
    const expandLabel = (secret, label, ctx, len) => {
      const l = Buffer.from("tls13 " + label);
      const info = Buffer.concat([
        Buffer.from([len >> 8, len & 255, l.length]),
        l,
        Buffer.from([ctx.length]),
        ctx,
      ]);
      let t = Buffer.alloc(0),
        out = Buffer.alloc(0);
      for (let c = 1; out.length < len; c++) {
        t = mac(secret, Buffer.concat([t, info, Buffer.from([c])]));
        out = Buffer.concat([out, t]);
      }
      return out.subarray(0, len);
    };
    const empty = nc.createHash(h).update("").digest(),
      zero = Buffer.alloc(hl);
    for (let i = 0; i < 100; i++) {
      const psk = i % 3 === 0 ? undefined : nc.randomBytes(hl),
        dhe = i % 4 === 1 ? undefined : nc.randomBytes(32);
      const external = i % 2 === 1;
      const t = Array.from({ length: 4 }, () => nc.randomBytes(hl));
      const ks = lib.tls13.keySchedule({
        hash: h,
        psk,
        dhe,
        external,
        transcript: { clientHello: t[0], serverHello: t[1], serverFinished: t[2], clientFinished: t[3] },
      });
      const early = mac(zero, psk ?? zero);
      const hs = mac(expandLabel(early, "derived", empty, hl), dhe ?? zero);
      const ms = mac(expandLabel(hs, "derived", empty, hl), zero);
      const want = {
        earlySecret: early,
        binderKey: expandLabel(early, external ? "ext binder" : "res binder", empty, hl),
        clientEarlyTrafficSecret: expandLabel(early, "c e traffic", t[0], hl),
        earlyExporterMasterSecret: expandLabel(early, "e exp master", t[0], hl),
        handshakeSecret: hs,
        clientHandshakeTrafficSecret: expandLabel(hs, "c hs traffic", t[1], hl),
        serverHandshakeTrafficSecret: expandLabel(hs, "s hs traffic", t[1], hl),
        masterSecret: ms,
        clientApplicationTrafficSecret: expandLabel(ms, "c ap traffic", t[2], hl),
        serverApplicationTrafficSecret: expandLabel(ms, "s ap traffic", t[2], hl),
        exporterMasterSecret: expandLabel(ms, "exp master", t[2], hl),
        resumptionMasterSecret: expandLabel(ms, "res master", t[3], hl),
      };
      for (const [k, v] of Object.entries(want)) assert.equal(hex(ks[k]), v.toString("hex"), `${h} ${k}`);
      if (psk) {
        const nonce = nc.randomBytes(i % 9);
        assert.equal(
          hex(lib.tls13.resumptionPsk(h, ks.resumptionMasterSecret, nonce)),
          expandLabel(ks.resumptionMasterSecret, "resumption", nonce, hl).toString("hex"),
        );
        const trunc = nc.randomBytes(100 + i);
        const fk = expandLabel(want.binderKey, "finished", Buffer.alloc(0), hl);
        assert.equal(
          hex(lib.tls13.binder(h, psk, trunc, { external })),
          mac(fk, nc.createHash(h).update(trunc).digest()).toString("hex"),
        );
      }
      const { key, iv } = lib.tls13.trafficKeys(h, ks.clientHandshakeTrafficSecret, h === "sha256" ? 16 : 32);
      assert.equal(
        hex(key),
        expandLabel(
          ks.clientHandshakeTrafficSecret,
          "key",
          Buffer.alloc(0),
          h === "sha256" ? 16 : 32,
        ).toString("hex"),
      );
      assert.equal(
        hex(iv),
        expandLabel(ks.clientHandshakeTrafficSecret, "iv", Buffer.alloc(0), 12).toString("hex"),
      );
    }
  }
});

test("pre_shared_key with two identities (SHA-256 resumption + SHA-384 external): each binder filled and verified by index", () => {
  const pskA = new Uint8Array(32).fill(1),
    pskB = new Uint8Array(48).fill(2);
  const one = lib.tls13.pskExtensionList([
    { identity: new Uint8Array([9, 9]), obfuscatedTicketAge: 77, binderLength: 32 },
  ]);
  assert.equal(hex(one), hex(lib.tls13.pskExtension(new Uint8Array([9, 9]), 77, 32)));
  const ext = lib.tls13.pskExtensionList([
    { identity: new Uint8Array(50).fill(3), obfuscatedTicketAge: 1, binderLength: 32 },
    { identity: new TextEncoder().encode("client1"), obfuscatedTicketAge: 0, binderLength: 48 },
  ]);
  const body = [0x03, 0x03, ...new Uint8Array(32), 0, 0, 4, 0x13, 0x01, 0x13, 0x02, 1, 0];
  const msg = new Uint8Array([1, 0, 0, 0, ...body, ext.length >> 8, ext.length & 255, ...ext]);
  const n = msg.length - 4;
  msg[1] = n >> 16;
  msg[2] = (n >> 8) & 255;
  msg[3] = n & 255;
  let ch = lib.tls13.fillBinder("sha256", pskA, msg, { index: 0 });
  ch = lib.tls13.fillBinder("sha384", pskB, ch, { index: 1, external: true });
  assert.equal(lib.tls13.verifyBinder("sha256", pskA, ch, { index: 0 }), true);
  assert.equal(lib.tls13.verifyBinder("sha384", pskB, ch, { index: 1, external: true }), true);
  assert.equal(lib.tls13.verifyBinder("sha384", pskB, ch, { index: 1 }), false);
  // the truncated ClientHello excludes the whole binders list, so filling binder 1 left binder 0 valid
  const trunc = ch.subarray(0, ch.length - (2 + 33 + 49));
  assert.equal(
    hex(ch.subarray(ch.length - 49 - 32, ch.length - 49)),
    hex(lib.tls13.binder("sha256", pskA, trunc)),
  );
  assert.throws(() => lib.tls13.fillBinder("sha256", pskA, msg, { index: 2 }), /index/);
  assert.throws(() => lib.tls13.pskExtensionList([]), RangeError);
  assert.throws(
    // @ts-expect-error: an identity must be bytes; the string is the mistake under test
    () => lib.tls13.pskExtensionList([{ identity: "x", obfuscatedTicketAge: 0, binderLength: 32 }]),
    /entries\[0\].identity/,
  );
});

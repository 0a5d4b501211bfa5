// Sessions built from scratch through our API, judged by real OpenSSL:
//   - Session.new() + setters -> toDER() is accepted by `openssl sess_id -inform DER`, every field
//     prints (or, for fields sess_id does not print, sits in the DER as asn1parse shows it) exactly
//     as set, and OpenSSL's own re-encoding of our blob is our blob;
//   - a real session (node:tls TLS 1.2 and 1.3, openssl s_client TLS 1.3) rebuilt field by field into
//     a fresh Session.new() gives the original bytes back and resumes against the real server.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  Interop,
  gate,
  openssl,
  cli,
  pemBody,
  parseSessIdText,
  asn1Fields,
  recordMismatch,
  DIST,
} from "./servers.mjs";

const g = gate("scratch.test.mjs");
const api = g.skip ? null : await import(pathToFileURL(DIST).href);
const hex = (b) => (b === null ? null : Buffer.from(b).toString("hex"));

/** Every field SSL_SESSION carries in DER, copied through our setters into a fresh session. */
function rebuild(src) {
  const s = api.Session.new();
  s.protocolVersion = src.protocolVersion;
  s.cipherSuite = src.cipherSuite;
  s.id = src.id;
  s.sidCtx = src.sidCtx;
  s.masterKey = src.masterKey;
  s.time = src.time;
  s.timeout = src.timeout;
  s.peerCertificate = src.peerCertificate;
  s.verifyResult = src.verifyResult;
  s.hostname = src.hostname;
  s.pskIdentityHint = src.pskIdentityHint;
  s.pskIdentity = src.pskIdentity;
  s.ticketLifetimeHint = src.ticketLifetimeHint;
  s.ticket = src.ticket;
  s.srpUsername = src.srpUsername;
  s.flags = src.flags;
  s.ticketAgeAdd = src.ticketAgeAdd;
  s.maxEarlyData = src.maxEarlyData;
  s.alpn = src.alpn;
  s.maxFragmentLength = src.maxFragmentLength;
  s.ticketAppData = src.ticketAppData;
  s.kexGroup = src.kexGroup;
  assert.equal(src.compression, 0, "compression has no setter; real sessions never use it");
  return s;
}

function rebuiltDer(original) {
  const src = api.Session.fromDER(new Uint8Array(original));
  const s = rebuild(src);
  try {
    return Buffer.from(s.toDER());
  } finally {
    s.free();
    src.free();
  }
}

describe("sessions built from scratch, judged by OpenSSL", { skip: g.skip }, () => {
  let h, ecDer;
  before(() => {
    h = new Interop();
    ecDer = pemBody(readFileSync(h.certs.ec.cert, "latin1"), "CERTIFICATE");
  });
  after(async () => {
    await h?.close();
  });

  /** sess_id's text, its DER re-encoding, asn1parse fields and the certificate it extracts. */
  function judge(der, name, { compareText = true } = {}) {
    const file = h.path(`${name}.der`);
    writeFileSync(file, der);
    const text = openssl(["sess_id", "-inform", "DER", "-in", file, "-text", "-noout"], {
      encoding: "latin1",
    });
    const reDer = openssl(["sess_id", "-inform", "DER", "-in", file, "-outform", "DER"]);
    const certOut = openssl(["sess_id", "-inform", "DER", "-in", file, "-cert"], { encoding: "latin1" });
    const ours = cli(["inspect", "--show-secrets", "--inform", "der", file]);
    assert.equal(ours.status, 0, ours.stderr);
    if (compareText && ours.stdout.toString("latin1") !== text) {
      const pem = openssl(["sess_id", "-inform", "DER", "-in", file], { encoding: "latin1" });
      recordMismatch(
        "scratch",
        name,
        "inspect text vs sess_id -text -noout",
        pem,
        ours.stdout.toString("latin1"),
        text,
      );
      assert.equal(ours.stdout.toString("latin1"), text, "our inspect text differs from sess_id's");
    }
    return {
      text,
      t: parseSessIdText(text),
      reDer,
      a: asn1Fields(der),
      cert: /BEGIN CERTIFICATE/.test(certOut) ? pemBody(certOut, "CERTIFICATE") : null,
    };
  }

  test("TLS 1.3 session with every field set is accepted and prints as set", () => {
    // 192 = 12 full hexdump rows (an 8-byte last row is the open mismatch tested below).
    const id = randomBytes(32),
      sidCtx = Buffer.from("scratch-ctx"),
      psk = randomBytes(48),
      ticket = randomBytes(192);
    const appData = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    const s = api.Session.new();
    s.protocolVersion = 0x0304;
    s.cipherSuite = 0x1302;
    s.id = id;
    s.sidCtx = sidCtx;
    s.masterKey = psk;
    s.time = 1700000000n;
    s.timeout = 86400n;
    s.hostname = "scratch.example";
    s.alpn = "h2";
    s.ticket = ticket;
    s.ticketLifetimeHint = 604800n;
    s.ticketAgeAdd = 0xdeadbeef;
    s.maxEarlyData = 16384;
    s.kexGroup = 29;
    s.maxFragmentLength = 2;
    s.verifyResult = 18;
    s.pskIdentityHint = "hint";
    s.pskIdentity = "identity";
    s.srpUsername = "srp-user";
    s.ticketAppData = appData;
    s.peerCertificate = ecDer;
    assert.equal(s.resumable, true);
    const der = Buffer.from(s.toDER());
    s.free();

    const { t, reDer, a, cert } = judge(der, "scratch13");
    assert.equal(hex(reDer), hex(der), "OpenSSL's re-encoding of our blob differs from our blob");
    assert.equal(t.protocol, "TLSv1.3");
    assert.equal(t.cipher, "TLS_AES_256_GCM_SHA384");
    assert.equal(t.sessionId, hex(id));
    assert.equal(t.sidCtx, hex(sidCtx));
    assert.equal(t.masterKey, hex(psk));
    assert.equal(t.time, 1700000000);
    assert.equal(t.timeout, 86400);
    assert.equal(t.ticket, hex(ticket));
    assert.equal(t.ticketLifetimeHint, 604800);
    assert.equal(t.maxEarlyData, 16384);
    assert.equal(t.verifyResult, 18);
    assert.equal(t.pskIdentityHint, "hint");
    assert.equal(t.pskIdentity, "identity");
    assert.equal(t.srpUsername, "srp-user");
    assert.equal(t.extendedMasterSecret, false);
    // Fields sess_id -text does not print, as OpenSSL's asn1parse delimits them.
    assert.equal(a.str(6).toString(), "scratch.example");
    assert.equal(a.str(16).toString(), "h2");
    assert.equal(a.int(14), 0xdeadbeefn);
    assert.equal(a.int(15), 16384n);
    assert.equal(a.int(17), 2n);
    assert.equal(a.int(19), 29n);
    assert.equal(hex(a.str(18)), hex(appData));
    assert.equal(hex(cert), hex(ecDer), "sess_id -cert does not give back the certificate we set");
  });

  test("TLS 1.2 session with EMS, session id only, is accepted and prints as set", () => {
    const id = randomBytes(32),
      mk = randomBytes(48);
    const s = api.Session.new();
    s.protocolVersion = 0x0303;
    s.cipherSuite = 0xc02f;
    s.id = id;
    s.masterKey = mk;
    s.time = 1600000000;
    s.timeout = 300;
    s.extendedMasterSecret = true;
    s.kexGroup = 23;
    s.verifyResult = 0;
    s.maxFragmentLength = 0;
    const der = Buffer.from(s.toDER());
    s.free();
    const { t, reDer, a, cert } = judge(der, "scratch12");
    assert.equal(hex(reDer), hex(der));
    assert.equal(t.protocol, "TLSv1.2");
    assert.equal(t.cipher, "ECDHE-RSA-AES128-GCM-SHA256");
    assert.equal(t.sessionId, hex(id));
    assert.equal(t.masterKey, hex(mk));
    assert.equal(t.time, 1600000000);
    assert.equal(t.timeout, 300);
    assert.equal(t.verifyResult, 0);
    assert.equal(t.extendedMasterSecret, true);
    assert.equal(t.ticket, null);
    assert.equal(t.maxEarlyData, undefined, "Max Early Data is printed for TLS 1.3 only");
    assert.equal(a.int(19), 23n);
    assert.equal(a.tagged[17], undefined, "a zero MFL mode is omitted");
    assert.equal(cert, null);
  });

  test("a bare Session.new() with only a version and cipher: OpenSSL's defaults (MFL 255, [4] and [19] present)", () => {
    const before = Math.floor(Date.now() / 1000);
    const s = api.Session.new();
    assert.equal(s.resumable, false, "SSL_SESSION_is_resumable of a fresh session is 0");
    assert.throws(
      () => s.toDER(),
      (e) => e instanceof api.TlsSessionError,
      "i2d writes nothing without a cipher",
    );
    s.cipherSuite = 0x1301;
    // With ssl_version still 0 the blob encodes, but OpenSSL's d2i refuses it: so must ours.
    const zeroVersion = Buffer.from(s.toDER());
    const file0 = h.path("bare-v0.der");
    writeFileSync(file0, zeroVersion);
    const o0 = spawnSync("openssl", ["sess_id", "-inform", "DER", "-in", file0, "-noout"], {
      encoding: "latin1",
    });
    assert.notEqual(o0.status, 0, "OpenSSL accepted ssl_version 0");
    assert.match(o0.stderr, /unsupported ssl version/);
    const c0 = cli(["inspect", "--inform", "der", file0]);
    assert.equal(c0.status, 1, "our decoder accepted ssl_version 0, OpenSSL does not");

    s.protocolVersion = 0x0304;
    const der = Buffer.from(s.toDER());
    s.free();
    // (The text of verify code 1 is an open mismatch, tested below: compare the fields, not the text.)
    const { t, reDer, a } = judge(der, "bare", { compareText: false });
    assert.equal(hex(reDer), hex(der));
    assert.equal(a.int(17), 255n);
    assert.ok(a.tagged[4] && a.tagged[4].bytes.length === 0, "[4] sid_ctx is written even when empty");
    assert.ok(a.tagged[19], "[19] kex_group is always written");
    assert.equal(a.int(19), 0n);
    assert.equal(a.int(5), 1n, "SSL_SESSION_new's verify_result is 1");
    assert.equal(t.timeout, 304, "SSL_SESSION_new's timeout is 304");
    assert.ok(t.time >= before && t.time <= before + 5, `time ${t.time} is not now`);
    assert.equal(t.protocol, "TLSv1.3");
    assert.equal(t.sessionId, "");
    assert.equal(t.masterKey, "");
  });

  // Tickets whose length is 8 mod 16 end in an 8-byte hexdump row; BIO_dump puts its "-" after the
  // eighth byte of every row, that one included. Recorded as an interop mismatch (bindings/describe.ts).
  test("ticket hexdump: an 8-byte last row prints like BIO_dump", () => {
    for (const len of [8, 24, 200]) {
      const s = api.Session.new();
      s.protocolVersion = 0x0303;
      s.cipherSuite = 0xc02f;
      s.time = 1700000000;
      s.timeout = 7200;
      s.ticket = new Uint8Array(len).map((_, i) => (i * 37 + 11) & 0xff);
      const der = Buffer.from(s.toDER());
      s.free();
      judge(der, `ticket-${len}`);
    }
  });

  // X509_verify_cert_error_string has a text for every X509_V_ERR code (and "error number N" for
  // others); sess_id prints it after the verify result. Recorded as an interop mismatch.
  test("verify return code texts for codes 0..95 and out-of-range values", () => {
    const wrong = [];
    for (const v of [...Array(96).keys(), -1, 1000, 2147483647, -2147483648]) {
      const s = api.Session.new();
      s.protocolVersion = 0x0303;
      s.cipherSuite = 0xc02f;
      s.time = 1700000000;
      s.timeout = 7200;
      s.verifyResult = v;
      const der = Buffer.from(s.toDER());
      const ours = api.sessionToText(s, { showSecrets: true });
      s.free();
      const theirs = openssl(["sess_id", "-inform", "DER", "-text", "-noout"], {
        input: der,
        encoding: "latin1",
      });
      if (ours !== theirs) {
        wrong.push(v);
        if (wrong.length <= 3)
          recordMismatch(
            "scratch",
            `verify code ${v}`,
            "sessionToText vs sess_id -text -noout",
            openssl(["sess_id", "-inform", "DER"], { input: der, encoding: "latin1" }),
            ours,
            theirs,
          );
      }
    }
    assert.deepEqual(wrong, [], `verify return code text differs for ${wrong.length} codes`);
  });

  test("a real TLS 1.2 session (node:tls, ticket + EMS + ALPN) rebuilt field by field is byte-identical and resumes", async () => {
    const srv = await h.nodeServer({
      maxVersion: "TLSv1.2",
      ticketKeys: randomBytes(48),
      ALPNProtocols: ["h2"],
    });
    const first = await h.nodeClient(srv.port, { ALPNProtocols: ["h2"] });
    assert.equal(first.protocol, "TLSv1.2");
    const rebuilt = rebuiltDer(first.session);
    assert.equal(hex(rebuilt), hex(first.session), "rebuilt session differs from the original");
    const r = await h.nodeClient(srv.port, { session: rebuilt, ALPNProtocols: ["h2"] });
    assert.equal(r.reused, true, "the rebuilt session did not resume");
    // Control: the same rebuild with one master-key byte changed does not resume.
    const src = api.Session.fromDER(new Uint8Array(first.session));
    const bad = rebuild(src);
    const mk = bad.masterKey;
    mk[0] ^= 0x80;
    bad.masterKey = mk;
    const badDer = Buffer.from(bad.toDER());
    bad.free();
    src.free();
    const rb = await h
      .nodeClient(srv.port, { session: badDer, ALPNProtocols: ["h2"] })
      .catch((e) => ({ reused: false, error: e }));
    assert.equal(rb.reused, false, "a wrong master key resumed");
    await srv.stop();
  });

  test("a real TLS 1.3 session (node:tls, ticketKeys) rebuilt field by field is byte-identical and resumes", async () => {
    const srv = await h.nodeServer({ minVersion: "TLSv1.3", ticketKeys: randomBytes(48) });
    const first = await h.nodeClient(srv.port, {});
    assert.equal(first.protocol, "TLSv1.3");
    const rebuilt = rebuiltDer(first.session);
    assert.equal(hex(rebuilt), hex(first.session));
    const r = await h.nodeClient(srv.port, { session: rebuilt });
    assert.equal(r.reused, true);
    await srv.stop();
  });

  test("a real TLS 1.3 session from openssl s_client, rebuilt, resumes with s_client -sess_in", async () => {
    const srv = await h.opensslServer(["-tls1_3", "-alpn", "h2", "-max_early_data", "1024"]);
    const first = await h.opensslClient(srv.port, ["-tls1_3", "-alpn", "h2", "-noservername"]);
    const rebuilt = rebuiltDer(first.der);
    assert.equal(hex(rebuilt), hex(first.der));
    const pemFile = h.path("rebuilt13.pem");
    writeFileSync(pemFile, openssl(["sess_id", "-inform", "DER", "-outform", "PEM"], { input: rebuilt }));
    const again = await h.opensslClient(srv.port, ["-tls1_3", "-alpn", "h2", "-noservername"], {
      sessIn: pemFile,
    });
    assert.match(again.stdout, /Reused, TLSv1\.3/, "s_client did not resume with the rebuilt session");
    // Control: a rebuilt session with a changed PSK is not resumed (OpenSSL fails or does a full handshake).
    const src = api.Session.fromDER(new Uint8Array(first.der));
    const bad = rebuild(src);
    const k = bad.masterKey;
    k[7] ^= 1;
    bad.masterKey = k;
    const badPem = h.path("bad13.pem");
    writeFileSync(badPem, bad.toPEM());
    bad.free();
    src.free();
    let out = "";
    try {
      out = (await h.opensslClient(srv.port, ["-tls1_3", "-noservername"], { sessIn: badPem })).stdout;
    } catch (e) {
      out = e.message;
    }
    assert.doesNotMatch(out, /Reused, TLSv1\.3/);
    await srv.stop();
  });
});

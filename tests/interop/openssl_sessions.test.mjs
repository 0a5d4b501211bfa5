// Interop with real OpenSSL: sessions made by `openssl s_server` + `s_client -sess_out` (and
// server-side sessions from a node:tls server) for TLS 1.1/1.2/1.3, several suites, tickets on and
// off, SNI, ALPN, early data, PSK and client certificates. For each blob:
//   - `tls-session inspect` prints exactly what `openssl sess_id -text -noout` prints;
//   - every key of `tls-session inspect --json --show-secrets` equals what OpenSSL says: the sess_id
//     text for what it shows, the fields `openssl asn1parse` delimits for the rest, `sess_id -cert`
//     for the peer certificate;
//   - `convert --to der` is byte-identical to `openssl sess_id -outform DER`, and `convert --to pem`
//     to `openssl sess_id`'s PEM (and to the file s_client wrote).
// Disagreements are also written, with the input PEM and both outputs, to $INTEROP_MISMATCH_FILE
// (default <os tmpdir>/interop_mismatches.txt).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { constants } from "node:crypto";
import {
  Interop,
  gate,
  openssl,
  cli,
  pemBody,
  parseSessIdText,
  asn1Fields,
  recordMismatch,
} from "./servers.mjs";
import { JSON_KEYS } from "../cli/json_keys.mjs";

const g = gate("openssl_sessions.test.mjs");

/** assert.deepStrictEqual that also records the disagreement. */
function same(name, what, pem, ours, theirs) {
  try {
    assert.deepStrictEqual(ours, theirs, `${name}: ${what}: ours differs from OpenSSL`);
  } catch (e) {
    recordMismatch("openssl_sessions", name, what, pem, ours, theirs);
    throw e;
  }
}

const hex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString("hex"));
const sha256 = (b) => createHash("sha256").update(b).digest("hex");
const certDer = (file) => pemBody(readFileSync(file, "latin1"), "CERTIFICATE");
const num = (v) =>
  typeof v === "bigint" ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v;

/**
 * What OpenSSL says each JSON key should be, for the PEM session in FILE. Keys sess_id -text prints
 * come from its text; the others from the DER as asn1parse delimits it, decoded per ssl_asn1.c.
 */
function opensslView(file) {
  const text = openssl(["sess_id", "-in", file, "-text", "-noout"], { encoding: "latin1" });
  const der = openssl(["sess_id", "-in", file, "-outform", "DER"]);
  const t = parseSessIdText(text);
  const a = asn1Fields(der);
  const certPem = openssl(["sess_id", "-in", file, "-cert"], { encoding: "latin1" });
  const peer = /BEGIN CERTIFICATE/.test(certPem) ? sha256(pemBody(certPem, "CERTIFICATE")) : null;
  const tls13 = a.sslVersion === 0x0304;
  const view = {
    protocol: t.protocol,
    version: a.sslVersion,
    cipher: t.cipher,
    cipherId: a.cipher.toString("hex").toUpperCase(),
    sessionId: t.sessionId,
    sidCtx: t.sidCtx,
    masterKey: t.masterKey,
    time: t.time,
    timeout: t.timeout,
    peerCertificateSha256: peer,
    verifyResult: t.verifyResult,
    hostname: a.str(6)?.toString("latin1") ?? null,
    alpn: hex(a.str(16)),
    alpnText:
      a.str(16) && /^[\x20-\x7e]+$/.test(a.str(16).toString("latin1")) ? a.str(16).toString("latin1") : null,
    ticket: t.ticket,
    ticketLifetimeHint: t.ticketLifetimeHint,
    ticketAgeAdd: num(a.int(14)),
    maxEarlyData: tls13 ? t.maxEarlyData : num(a.int(15)),
    extendedMasterSecret: t.extendedMasterSecret,
    kexGroup: num(a.int(19)),
    maxFragmentLength: num(a.int(17)),
    compression: t.compression,
    pskIdentityHint: t.pskIdentityHint,
    pskIdentity: t.pskIdentity,
    srpUsername: t.srpUsername,
    ticketAppData: hex(a.str(18)),
    // SSL_SESSION_is_resumable on a freshly decoded session: not_resumable is never serialized.
    resumable: a.id.length > 0 || (a.str(10)?.length ?? 0) > 0,
    bytesConsumed: a.total,
  };
  // Cross-checks of the two OpenSSL views against each other (guards the parsers above).
  assert.equal(t.sessionId, hex(a.id), "sess_id text vs asn1parse: session id");
  assert.equal(t.masterKey, hex(a.masterKey), "sess_id text vs asn1parse: master key");
  assert.equal(t.ticket, hex(a.str(10)), "sess_id text vs asn1parse: ticket");
  assert.equal(t.extendedMasterSecret, (a.int(13) & 1n) === 1n, "sess_id text vs asn1parse: EMS flag");
  assert.equal(a.version, 1n);
  return { text, der, view, asn1: a };
}

// --- scenarios ---------------------------------------------------------------------------------
// server/client: extra s_server/s_client args (functions of the cert paths); expect: what OpenSSL's
// own view of the resulting session must show, so a scenario that silently degrades fails.
const SNI_SERVER = (c) => ["-servername", "localhost", "-cert2", c.ec.cert, "-key2", c.ec.key];
const CLIENT_CERT = (c) => ["-cert", c.client.cert, "-key", c.client.key];
const SCENARIOS = [
  {
    name: "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256, ticket, ALPN h2",
    server: () => ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-alpn", "h2"],
    client: () => ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-alpn", "h2", "-noservername"],
    expect: {
      protocol: "TLSv1.2",
      cipher: "ECDHE-ECDSA-AES128-GCM-SHA256",
      alpn: hex(Buffer.from("h2")),
      hasTicket: true,
      verifyResult: 18,
      extendedMasterSecret: true,
    },
  },
  {
    name: "TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305, no ticket (session id), CA-verified",
    cert: "rsa",
    server: () => ["-tls1_2", "-no_ticket", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"],
    client: (c) => [
      "-tls1_2",
      "-cipher",
      "ECDHE-RSA-CHACHA20-POLY1305",
      "-CAfile",
      c.ca.cert,
      "-servername",
      "localhost",
    ],
    expect: {
      protocol: "TLSv1.2",
      cipher: "ECDHE-RSA-CHACHA20-POLY1305",
      hasTicket: false,
      idLength: 32,
      verifyResult: 0,
    },
  },
  {
    name: "TLSv1.2 ECDHE-RSA-AES256-SHA384 (CBC), P-384, no CA (verify 21)",
    cert: "rsa",
    server: () => ["-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA384"],
    client: () => ["-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA384", "-curves", "P-384", "-noservername"],
    expect: {
      protocol: "TLSv1.2",
      cipher: "ECDHE-RSA-AES256-SHA384",
      kexGroup: 24,
      verifyResult: 21,
      hasTicket: true,
    },
  },
  {
    name: "TLSv1.2 SNI acknowledged (hostname stored), no EMS",
    server: (c) => ["-tls1_2", ...SNI_SERVER(c)],
    client: () => ["-tls1_2", "-servername", "localhost", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"],
    expect: { protocol: "TLSv1.2", cipher: "ECDHE-ECDSA-AES256-GCM-SHA384", hostname: "localhost" },
  },
  {
    name: "TLSv1.2 PSK-AES128-GCM-SHA256 with identity and hint",
    nocert: true,
    server: () => [
      "-tls1_2",
      "-nocert",
      "-psk",
      "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      "-psk_hint",
      "hint-from-server",
      "-cipher",
      "PSK-AES128-GCM-SHA256",
    ],
    client: () => [
      "-tls1_2",
      "-psk",
      "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      "-psk_identity",
      "client-identity",
      "-cipher",
      "PSK-AES128-GCM-SHA256",
      "-noservername",
    ],
    expect: {
      protocol: "TLSv1.2",
      cipher: "PSK-AES128-GCM-SHA256",
      pskIdentity: "client-identity",
      pskIdentityHint: "hint-from-server",
      peerCertificateSha256: null,
    },
  },
  {
    name: "TLSv1.1 ECDHE-ECDSA-AES128-SHA (SECLEVEL=0)",
    server: () => ["-tls1_1", "-cipher", "ECDHE-ECDSA-AES128-SHA@SECLEVEL=0"],
    client: () => ["-tls1_1", "-cipher", "ECDHE-ECDSA-AES128-SHA@SECLEVEL=0", "-noservername"],
    expect: { protocol: "TLSv1.1", cipher: "ECDHE-ECDSA-AES128-SHA" },
  },
  {
    name: "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 with a client certificate",
    cert: "rsa",
    server: (c) => ["-tls1_2", "-Verify", "1", "-verifyCAfile", c.ca.cert],
    client: (c) => [
      "-tls1_2",
      "-cipher",
      "ECDHE-RSA-AES128-GCM-SHA256",
      "-CAfile",
      c.ca.cert,
      ...CLIENT_CERT(c),
      "-servername",
      "localhost",
    ],
    expect: { protocol: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", verifyResult: 0, peer: "rsa" },
  },
  {
    name: "TLSv1.3 TLS_AES_128_GCM_SHA256, ticket, ALPN h2",
    server: () => ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-alpn", "h2,http/1.1"],
    client: () => [
      "-tls1_3",
      "-ciphersuites",
      "TLS_AES_128_GCM_SHA256",
      "-alpn",
      "http/1.1",
      "-noservername",
    ],
    expect: {
      protocol: "TLSv1.3",
      cipher: "TLS_AES_128_GCM_SHA256",
      alpn: hex(Buffer.from("http/1.1")),
      hasTicket: true,
      masterKeyLength: 32,
      kexGroup: 29,
    },
  },
  {
    name: "TLSv1.3 TLS_AES_256_GCM_SHA384, SNI acknowledged, P-256",
    server: (c) => ["-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384", ...SNI_SERVER(c)],
    client: () => [
      "-tls1_3",
      "-ciphersuites",
      "TLS_AES_256_GCM_SHA384",
      "-groups",
      "P-256",
      "-servername",
      "localhost",
    ],
    expect: {
      protocol: "TLSv1.3",
      cipher: "TLS_AES_256_GCM_SHA384",
      hostname: "localhost",
      masterKeyLength: 48,
      kexGroup: 23,
    },
  },
  {
    name: "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256, -no_ticket (stateful ticket)",
    cert: "rsa",
    server: () => ["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256", "-no_ticket"],
    client: (c) => [
      "-tls1_3",
      "-ciphersuites",
      "TLS_CHACHA20_POLY1305_SHA256",
      "-CAfile",
      c.ca.cert,
      "-servername",
      "localhost",
    ],
    expect: {
      protocol: "TLSv1.3",
      cipher: "TLS_CHACHA20_POLY1305_SHA256",
      ticketLength: 32,
      verifyResult: 0,
    },
  },
  {
    name: "TLSv1.3 with a client certificate",
    cert: "rsa",
    server: (c) => ["-tls1_3", "-Verify", "1", "-verifyCAfile", c.ca.cert],
    client: (c) => ["-tls1_3", "-CAfile", c.ca.cert, ...CLIENT_CERT(c), "-servername", "localhost"],
    expect: { protocol: "TLSv1.3", verifyResult: 0, peer: "rsa", hasTicket: true },
  },
  {
    name: "TLSv1.3, hostname mismatch (verify 62)",
    server: () => ["-tls1_3"],
    client: (c) => ["-tls1_3", "-CAfile", c.ec.cert, "-verify_hostname", "wrong.example", "-noservername"],
    expect: { protocol: "TLSv1.3", verifyResult: 62 },
  },
  {
    name: "TLSv1.3 early data: ticket allows 16384 bytes",
    server: () => ["-tls1_3", "-max_early_data", "16384", "-early_data"],
    client: () => ["-tls1_3", "-noservername"],
    www: false,
    expect: { protocol: "TLSv1.3", maxEarlyData: 16384 },
    // Second connection: resume with that session and send early data; OpenSSL must accept it.
    resumeWithEarlyData: true,
  },
];

describe("sessions from openssl s_server / s_client", { skip: g.skip }, () => {
  let h;
  const got = new Map();

  before(async () => {
    h = new Interop();
    writeFileSync(h.path("early.txt"), "early data from the interop test\n");
    await Promise.all(
      SCENARIOS.map(async (sc) => {
        try {
          const www = sc.www ?? true;
          const hold = www ? undefined : 1000;
          const srv = await h.opensslServer(sc.server(h.certs), { cert: sc.cert ?? "ec", www });
          const first = await h.opensslClient(srv.port, sc.client(h.certs), { hold });
          const entry = { ...first };
          if (sc.resumeWithEarlyData) {
            const again = await h.opensslClient(
              srv.port,
              [...sc.client(h.certs), "-early_data", h.path("early.txt")],
              { sessIn: first.file, hold },
            );
            entry.resumed = again;
          }
          await srv.stop();
          got.set(sc.name, entry);
        } catch (e) {
          got.set(sc.name, { error: e });
        }
      }),
    );
  });

  after(async () => {
    await h?.close();
  });

  for (const sc of SCENARIOS) {
    test(sc.name, { todo: sc.todo }, () => {
      const s = got.get(sc.name);
      if (s.error) throw s.error;
      const { view } = checkSession(sc.name, s.file, s.pem);
      checkExpectations(sc.name, view, sc.expect, h);
      if (sc.resumeWithEarlyData) {
        assert.match(s.resumed.stdout, /Reused, TLSv1\.3/, "second connection did not resume");
        assert.match(s.resumed.stdout, /Early data was accepted/, "early data was not accepted");
        const r = checkSession(`${sc.name} (after early-data resumption)`, s.resumed.file, s.resumed.pem);
        assert.equal(r.view.maxEarlyData, 16384);
        assert.notEqual(r.view.ticket, view.ticket, "resumption should have brought a new ticket");
      }
    });
  }

  test("server-side sessions from node:tls (client certificate as peer, sid_ctx set)", async () => {
    const caPem = readFileSync(h.certs.ca.cert);
    const clientOpts = { cert: readFileSync(h.certs.client.cert), key: readFileSync(h.certs.client.key) };
    for (const version of ["TLSv1.2", "TLSv1.3"]) {
      const srv = await h.nodeServer(
        {
          cert: "rsa",
          minVersion: version,
          maxVersion: version,
          requestCert: true,
          ca: [caPem],
          rejectUnauthorized: true,
          secureOptions: constants.SSL_OP_NO_TICKET,
          ALPNProtocols: ["h2"],
          sessionIdContext: "interop-ctx",
        },
        { cache: true },
      );
      await h.nodeClient(srv.port, { ...clientOpts, ALPNProtocols: ["h2"] });
      await srv.stop();
      assert.ok(srv.serverSessions.length >= 1, `${version}: the server cached no session`);
      const der = srv.serverSessions.at(-1).der;
      const pemFile = h.path(`node-server-${version}.pem`);
      const pem = openssl(["sess_id", "-inform", "DER", "-outform", "PEM"], {
        input: der,
        encoding: "latin1",
      });
      writeFileSync(pemFile, pem);
      const { view } = checkSession(`node:tls server session ${version}`, pemFile, pem);
      // A server-side session: the peer is the client's certificate, the id the server's, no ticket.
      assert.equal(view.peerCertificateSha256, sha256(certDer(h.certs.client.cert)));
      assert.equal(view.protocol, version);
      assert.equal(view.sessionId.length, 64);
      assert.equal(view.ticket, null);
      assert.notEqual(view.sidCtx, "", "node sets a session id context");
      assert.equal(view.alpn, hex(Buffer.from("h2")));
      // Our DER input path agrees with our PEM input path.
      const viaDer = cli(["inspect", "--show-secrets", "--inform", "der", "-"], { input: der });
      assert.equal(viaDer.status, 0, viaDer.stderr);
      assert.equal(
        viaDer.stdout.toString("latin1"),
        openssl(["sess_id", "-in", pemFile, "-text", "-noout"], { encoding: "latin1" }),
      );
    }
  });
});

/** The four comparisons, on one PEM session file. Returns OpenSSL's view. */
function checkSession(name, file, pem) {
  const o = opensslView(file);

  // 1. text
  const text = cli(["inspect", "--show-secrets", file]);
  assert.equal(text.status, 0, `${name}: inspect failed: ${text.stderr}`);
  same(name, "inspect text vs sess_id -text -noout", pem, text.stdout.toString("latin1"), o.text);

  // 2. JSON, key by key
  const js = cli(["inspect", "--json", "--show-secrets", file]);
  assert.equal(js.status, 0, `${name}: inspect --json failed: ${js.stderr}`);
  const ours = JSON.parse(js.stdout.toString());
  same(name, "inspect --json key set", pem, Object.keys(ours).sort(), [...JSON_KEYS].sort());
  for (const k of JSON_KEYS) same(name, `inspect --json "${k}"`, pem, ours[k], o.view[k]);
  const hidden = JSON.parse(cli(["inspect", "--json", file]).stdout.toString());
  assert.equal(hidden.masterKey, null, "masterKey must be null without --show-secrets");

  // 3. DER, byte for byte
  const der = cli(["convert", "--to", "der", file]);
  assert.equal(der.status, 0, der.stderr);
  same(name, "convert --to der vs sess_id -outform DER", pem, hex(der.stdout), hex(o.der));

  // 4. PEM, byte for byte (against sess_id's PEM and the file s_client wrote)
  const ourPem = cli(["convert", "--to", "pem", file]);
  assert.equal(ourPem.status, 0, ourPem.stderr);
  const theirPem = openssl(["sess_id", "-in", file], { encoding: "latin1" });
  same(name, "convert --to pem vs sess_id PEM", pem, ourPem.stdout.toString("latin1"), theirPem);
  same(name, "convert --to pem vs the original file", pem, ourPem.stdout.toString("latin1"), pem);

  // 5. our DER output decodes back, through stdin, to the same text
  const back = cli(["inspect", "--show-secrets", "--inform", "der", "-"], { input: der.stdout });
  assert.equal(back.status, 0, back.stderr);
  same(name, "inspect of our own DER", pem, back.stdout.toString("latin1"), o.text);
  return o;
}

function checkExpectations(name, view, expect, h) {
  for (const [k, v] of Object.entries(expect)) {
    switch (k) {
      case "hasTicket":
        assert.equal(view.ticket !== null, v, `${name}: ticket presence`);
        break;
      case "ticketLength":
        assert.equal((view.ticket ?? "").length / 2, v, `${name}: ticket length`);
        break;
      case "idLength":
        assert.equal(view.sessionId.length / 2, v, `${name}: session id length`);
        break;
      case "masterKeyLength":
        assert.equal(view.masterKey.length / 2, v, `${name}: master key length`);
        break;
      case "peer":
        assert.equal(
          view.peerCertificateSha256,
          sha256(certDer(h.certs[v].cert)),
          `${name}: peer certificate`,
        );
        break;
      default:
        assert.deepEqual(view[k], v, `${name}: ${k}`);
    }
  }
}

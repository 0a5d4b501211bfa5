// Interop with node:tls (OpenSSL 3.0 inside Node): client sessions from a node:tls server, TLS 1.2
// and 1.3, with stateless tickets (`ticketKeys`) and with server-side session-id caching
// (newSession/resumeSession, tickets off). Each session is decoded by our library and re-encoded;
// the re-encoding must be byte-identical to Node's, and must RESUME when handed back to
// tls.connect({ session }). Controls prove the check can fail: the same session with its master
// key (TLS 1.3: resumption PSK) altered, or with its ticket / id altered, must not resume.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, constants } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Interop, gate, cli, asn1Fields, DIST } from "../interop/servers.mjs";

const g = gate("reencode.test.mjs");
const api = g.skip ? null : await import(pathToFileURL(DIST).href);

/** Connects with SESSION; resolves { ok: true, reused, ... } or { ok: false, error }. */
const HTTP_GET = "GET / HTTP/1.0\r\n\r\n";

async function attempt(h, port, session, extra = {}) {
  try {
    const r = await h.nodeClient(port, { session: Buffer.from(session), ALPNProtocols: ["h2"], ...extra });
    return { ok: true, ...r };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Decodes DER with our library, applies EDIT to the Session, re-encodes. */
function reencode(der, edit) {
  const s = api.Session.fromDER(new Uint8Array(der));
  try {
    assert.equal(s.bytesConsumed, der.length, "decoder consumed the whole blob");
    if (edit) edit(s);
    return Buffer.from(s.toDER());
  } finally {
    s.free();
  }
}

const flip = (b, i = 0) => {
  const c = new Uint8Array(b);
  c[i] ^= 0x01;
  return c;
};

const CONFIGS = [
  { name: "TLS 1.2, ticketKeys", version: "TLSv1.2", tickets: true },
  { name: "TLS 1.2, session-id cache (newSession/resumeSession)", version: "TLSv1.2", tickets: false },
  { name: "TLS 1.3, ticketKeys", version: "TLSv1.3", tickets: true },
  // Node's resumeSession event looks sessions up by the ClientHello's legacy_session_id, which in
  // TLS 1.3 is a random compatibility value: a node:tls server cannot resume TLS 1.3 from an external
  // cache. TLS 1.3 stateful tickets (ticket = the server's session id, looked up in its cache) come
  // from `openssl s_server -no_ticket` instead; the client is still node:tls.
  {
    name: "TLS 1.3, stateful tickets from the session cache (openssl s_server -no_ticket)",
    version: "TLSv1.3",
    tickets: false,
    openssl: true,
  },
];

describe("node:tls sessions re-encoded by us resume", { skip: g.skip }, () => {
  let h;
  before(() => {
    h = new Interop();
  });
  after(async () => {
    await h?.close();
  });

  for (const cfg of CONFIGS) {
    test(cfg.name, async () => {
      const serverOpts = {
        minVersion: cfg.version,
        maxVersion: cfg.version,
        ALPNProtocols: ["h2"],
        ...(cfg.tickets ? { ticketKeys: randomBytes(48) } : { secureOptions: constants.SSL_OP_NO_TICKET }),
      };
      const srv = cfg.openssl
        ? await h.opensslServer(["-tls1_3", "-no_ticket", "-alpn", "h2"])
        : await h.nodeServer(serverOpts, { cache: !cfg.tickets });
      const extra = cfg.openssl ? { request: HTTP_GET } : {};
      const first = await h.nodeClient(srv.port, { ALPNProtocols: ["h2"], ...extra });
      assert.equal(first.protocol, cfg.version);
      assert.equal(first.reused, false);
      assert.ok(first.session, "no session event");
      const original = first.session;

      // What we decode matches what the connection was.
      const s = api.Session.fromDER(new Uint8Array(original));
      try {
        assert.equal(s.protocol, cfg.version);
        assert.equal(s.cipherName, first.cipher, "cipher name differs from the connection's");
        assert.equal(Buffer.from(s.alpn ?? []).toString(), "h2");
        // [6] as OpenSSL's asn1parse sees it (node:tls servers do not acknowledge SNI: absent).
        assert.equal(s.hostname, asn1Fields(original).str(6)?.toString("latin1") ?? null);
        assert.equal(s.resumable, true);
        assert.equal(s.ticket !== null, cfg.tickets || cfg.version === "TLSv1.3", "ticket presence");
        if (!cfg.tickets && !cfg.openssl)
          assert.ok(srv.serverSessions.length >= 1, "the server cached no session");
        if (cfg.openssl)
          assert.equal(s.ticket.length, 32, "a stateful TLS 1.3 ticket is the server's 32-byte session id");
        // TLS 1.2: the 48-byte master secret; TLS 1.3: a PSK as long as the suite's hash.
        assert.equal(s.masterKey.length, cfg.version === "TLSv1.3" && !/SHA384/.test(first.cipher) ? 32 : 48);
      } finally {
        s.free();
      }

      // Our re-encoding, through the API and through the CLI, is Node's bytes exactly.
      const ours = reencode(original);
      assert.equal(
        ours.toString("hex"),
        original.toString("hex"),
        "re-encoding differs from Node's session DER",
      );
      const decoded = api.Session.fromDER(new Uint8Array(original));
      const viaPem = api.Session.fromPEM(decoded.toPEM());
      decoded.free();
      assert.equal(
        Buffer.from(viaPem.toDER()).toString("hex"),
        original.toString("hex"),
        "DER -> PEM -> DER changed the session",
      );
      viaPem.free();
      const viaCli = cli(["convert", "--to", "der", "--inform", "der", "-"], { input: original });
      assert.equal(viaCli.status, 0, viaCli.stderr);
      assert.equal(viaCli.stdout.toString("hex"), original.toString("hex"), "CLI re-encoding differs");

      // It resumes.
      const again = await attempt(h, srv.port, ours, extra);
      assert.ok(again.ok, `resumption with our re-encoded session failed: ${again.error?.message}`);
      assert.equal(again.reused, true, "isSessionReused() is false for our re-encoded session");
      // The CLI's bytes resume too.
      const againCli = await attempt(h, srv.port, viaCli.stdout, extra);
      assert.equal(againCli.ok && againCli.reused, true, "the CLI's re-encoding did not resume");

      // Controls: a wrong master key / PSK must not resume (the handshake fails or falls back).
      const badKey = reencode(original, (x) => {
        x.masterKey = flip(x.masterKey, 5);
      });
      assert.notEqual(badKey.toString("hex"), ours.toString("hex"));
      const bk = await attempt(h, srv.port, badKey, extra);
      assert.ok(
        !(bk.ok && bk.reused),
        "a session with an altered master key resumed: the check proves nothing",
      );
      // ... and neither must an unknown ticket / session id.
      const badRef = reencode(original, (x) => {
        if (x.ticket !== null) x.ticket = flip(x.ticket, x.ticket.length - 1);
        else x.id = flip(x.id, 0);
      });
      const br = await attempt(h, srv.port, badRef, extra);
      assert.ok(br.ok, `an unknown ticket/id should fall back to a full handshake: ${br.error?.message}`);
      assert.equal(br.reused, false, "a session with an altered ticket/id resumed");

      // The server is still fine: the untouched session still resumes afterwards.
      const last = await attempt(h, srv.port, ours, extra);
      assert.equal(last.ok && last.reused, true);
      await srv.stop();
    });
  }

  test("a TLS 1.2 session resumes after a field-by-field trip through our setters (hostname, sid_ctx untouched)", async () => {
    const srv = await h.nodeServer({
      maxVersion: "TLSv1.2",
      ticketKeys: randomBytes(48),
      ALPNProtocols: ["h2"],
    });
    const first = await h.nodeClient(srv.port, { ALPNProtocols: ["h2"] });
    // Set every field to the value it already has: the bytes must not change and it must resume.
    const same = reencode(first.session, (x) => {
      for (const field of [
        "protocolVersion",
        "cipherSuite",
        "id",
        "sidCtx",
        "masterKey",
        "time",
        "timeout",
        "ticket",
        "ticketLifetimeHint",
        "alpn",
        "kexGroup",
        "flags",
        "verifyResult",
        "peerCertificate",
      ]) {
        const value = x[field];
        x[field] = value;
      }
    });
    assert.equal(same.toString("hex"), first.session.toString("hex"));
    const r = await attempt(h, srv.port, same);
    assert.equal(r.ok && r.reused, true);
    await srv.stop();
  });
});

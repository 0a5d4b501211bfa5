// Tickets against the real thing, both ways:
//   * node:tls servers (48-byte `ticketKeys`, AES-128) and OpenSSL 3 (80-byte keys through
//     SSL_CTX_set_tlsext_ticket_keys, tests/oracle/ticket_mint.c over an in-memory BIO pair) mint
//     tickets, TLS 1.2 and 1.3; ours open them and the session inside is the server's.
//   * A ticket we seal, put into the client's session in place of the server's, makes the same
//     server resume (isSessionReused() / SSL_session_reused()); one sealed under another key does not.
//   * The CLI: `tls-session ticket open|seal`.
// Skips loudly without openssl/gcc/libssl-dev, except under CI=true where that fails.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Interop, gate, cli, DIST } from "../interop/servers.mjs";
import { CI, loud } from "../prerequisites.mjs";
import { buildOracle, OracleUnavailableError } from "../oracle/build.mjs";

const g = gate("ticket/interop.test.mjs");
const api = g.skip ? null : await import(pathToFileURL(DIST).href);
const hex = (b) => Buffer.from(b).toString("hex");

let mint = null,
  mintMissing = null;
if (!g.skip) {
  try {
    mint = buildOracle("ticket_mint");
  } catch (e) {
    if (!(e instanceof OracleUnavailableError)) throw e;
    mintMissing = e.message;
    loud(
      "ticket/interop.test.mjs",
      `OpenSSL harness ${CI ? "FAILING (CI=true)" : "SKIPPED"}: ${mintMissing}`,
    );
  }
}

/** A server-side copy of a client session, as a server would seal it: its sid_ctx, no ticket fields. */
function serverSideOf(clientDer, sidCtx) {
  const s = api.Session.fromDER(new Uint8Array(clientDer));
  s.ticket = null;
  s.ticketLifetimeHint = 0;
  s.sidCtx = sidCtx;
  return s;
}

/** The client session with its ticket replaced by TICKET. */
function withTicket(clientDer, ticket) {
  const s = api.Session.fromDER(new Uint8Array(clientDer));
  s.ticket = ticket;
  const der = Buffer.from(s.toDER());
  s.free();
  return der;
}

describe("node:tls tickets (48-byte keys)", { skip: g.skip }, () => {
  let h;
  before(() => {
    h = new Interop();
  });
  after(async () => {
    await h?.close();
  });

  for (const version of ["TLSv1.2", "TLSv1.3"]) {
    test(`${version}: node's ticket opens to the server's session; ours makes node resume`, async () => {
      const ticketKeys = randomBytes(48);
      const srv = await h.nodeServer({
        minVersion: version,
        maxVersion: version,
        ticketKeys,
        ALPNProtocols: ["h2"],
      });
      const serverSessions = [];
      srv.server.on("secureConnection", (sock) => serverSessions.push(sock.getSession()));
      const first = await h.nodeClient(srv.port, { ALPNProtocols: ["h2"] });
      assert.equal(first.protocol, version);
      const client = api.Session.fromDER(new Uint8Array(first.session));
      const server = api.Session.fromDER(new Uint8Array(serverSessions[0]));
      const keys = api.TicketKeys.from(new Uint8Array(ticketKeys), { layout: 48 });
      const ticket = client.ticket;
      assert.ok(ticket && ticket.length > 64, "the client got a stateless ticket");

      const o = api.openTicket(ticket, keys);
      assert.ok(o, `node's ticket refused: ${keys.lastRefusal}`);
      assert.equal(o.renew, false);
      const inside = o.session;
      assert.equal(inside.protocol, version);
      assert.equal(inside.cipherSuite, server.cipherSuite);
      assert.equal(inside.cipherName, first.cipher);
      assert.equal(hex(inside.sidCtx), hex(server.sidCtx), "the server's session id context");
      assert.ok(inside.sidCtx.length > 0);
      assert.equal(Buffer.from(inside.alpn ?? []).toString(), "h2");
      assert.equal(inside.ticket, null, "no ticket inside a ticket");
      assert.equal(
        hex(inside.masterKey),
        hex(client.masterKey),
        "master secret / resumption PSK = the client's",
      );
      if (version === "TLSv1.2") {
        assert.equal(hex(inside.masterKey), hex(server.masterKey), "the server's master secret");
        assert.equal(inside.time, server.time);
        assert.equal(inside.timeout, server.timeout);
        assert.equal(inside.extendedMasterSecret, server.extendedMasterSecret);
      } else {
        assert.equal(inside.ticketAgeAdd, client.ticketAgeAdd, "ticket_age_add = the client's");
        assert.equal(inside.id.length, 32);
        assert.equal(inside.timeout, server.timeout);
      }
      // Opening through the CLI.
      const kf = h.path(`keys-${version}.bin`),
        tf = h.path(`ticket-${version}.bin`);
      writeFileSync(kf, ticketKeys);
      writeFileSync(tf, ticket);
      const c1 = cli(["ticket", "open", "--keys", kf, "--json", tf]);
      assert.equal(c1.status, 0, c1.stderr);
      assert.equal(JSON.parse(c1.stdout.toString()).protocol, version);
      const c2 = cli(["ticket", "open", "--keys", kf, "--raw", tf]);
      assert.equal(c2.status, 0, c2.stderr);
      assert.equal(hex(c2.stdout), hex(inside.toDER()), "--raw writes the plaintext DER");
      const c3 = cli(["ticket", "open", "--keys", kf, tf]);
      assert.equal(c3.status, 0, c3.stderr);
      assert.match(c3.stdout.toString(), /Master-Key|Protocol/);
      const bad = Buffer.from(ticket);
      bad[40] ^= 1;
      writeFileSync(tf + ".bad", bad);
      const c4 = cli(["ticket", "open", "--keys", kf, tf + ".bad"]);
      assert.equal(c4.status, 1);
      assert.match(c4.stderr, /refused/);

      // The other way round: our ticket in the client's session resumes.
      const mine = serverSideOf(first.session, server.sidCtx);
      const sealed = api.sealTicket(mine, keys);
      assert.notEqual(hex(sealed), hex(ticket));
      const again = await h.nodeClient(srv.port, {
        ALPNProtocols: ["h2"],
        session: withTicket(first.session, sealed),
      });
      assert.equal(again.reused, true, "node did not resume with our ticket");
      // ... sealed by the CLI too.
      const sf = h.path(`session-${version}.der`);
      writeFileSync(sf, mine.toDER());
      const c5 = cli(["ticket", "seal", "--keys", kf, sf]);
      assert.equal(c5.status, 0, c5.stderr);
      const viaCli = await h.nodeClient(srv.port, {
        ALPNProtocols: ["h2"],
        session: withTicket(first.session, new Uint8Array(c5.stdout)),
      });
      assert.equal(viaCli.reused, true, "node did not resume with the CLI's ticket");
      // Control: sealed under another key, it does not.
      const other = api.TicketKeys.generate({ layout: 48 });
      const foreign = await h.nodeClient(srv.port, {
        ALPNProtocols: ["h2"],
        session: withTicket(first.session, api.sealTicket(mine, other)),
      });
      assert.equal(foreign.reused, false, "a ticket under a foreign key resumed: the check proves nothing");
      other.free();
      for (const x of [mine, inside, client, server]) x.free();
      keys.free();
      await srv.stop();
    });
  }
});

describe(
  "OpenSSL tickets (80-byte keys, SSL_CTX_set_tlsext_ticket_keys)",
  { skip: g.skip || (!CI && mintMissing) || false },
  () => {
    if (CI && mintMissing) test("OpenSSL harness", () => assert.fail(mintMissing));
    const run = (key, version, input = "\n") => {
      const out = execFileSync(mint, [hex(key), version, "h2"], { input, encoding: "utf8", timeout: 20000 });
      return Object.fromEntries(
        out
          .trim()
          .split("\n")
          .map((l) => l.split(" ")),
      );
    };
    for (const version of ["12", "13"]) {
      test(`TLS 1.${version[1]}: OpenSSL's ticket opens to its session; ours makes OpenSSL resume`, () => {
        const key = randomBytes(80);
        const r = run(key, version);
        const ticket = Buffer.from(r.TICKET, "hex");
        const keys = api.TicketKeys.from(new Uint8Array(key));
        const o = api.openTicket(new Uint8Array(ticket), keys);
        assert.ok(o, `OpenSSL's ticket refused: ${keys.lastRefusal}`);
        const client = api.Session.fromDER(new Uint8Array(Buffer.from(r.CLIENT, "hex")));
        const server = api.Session.fromDER(new Uint8Array(Buffer.from(r.SERVER, "hex")));
        const inside = o.session;
        assert.equal(Buffer.from(inside.sidCtx).toString(), "mint");
        assert.equal(inside.cipherSuite, server.cipherSuite);
        assert.equal(hex(inside.masterKey), hex(client.masterKey));
        if (version === "12") {
          // TLS 1.2: the ticket holds the server's own session, byte for byte.
          assert.equal(hex(inside.toDER()), r.SERVER, "the session in the ticket is not the server's");
        } else {
          assert.equal(inside.ticketAgeAdd, client.ticketAgeAdd);
          assert.equal(Buffer.from(inside.alpn).toString(), "h2");
        }
        // Ours, in the client's session, resumes with OpenSSL.
        const mine = serverSideOf(Buffer.from(r.CLIENT, "hex"), Buffer.from("mint"));
        const sealed = api.sealTicket(mine, keys);
        const der = withTicket(Buffer.from(r.CLIENT, "hex"), sealed);
        assert.equal(
          run(key, version, `RESUME ${hex(der)}\n`).REUSED,
          "1",
          "OpenSSL did not resume with our ticket",
        );
        const other = api.TicketKeys.generate();
        const foreign = withTicket(Buffer.from(r.CLIENT, "hex"), api.sealTicket(mine, other));
        assert.equal(run(key, version, `RESUME ${hex(foreign)}\n`).REUSED, "0", "a foreign ticket resumed");
        other.free();
        for (const x of [mine, inside, client, server]) x.free();
        keys.free();
      });
    }
  },
);

// How a connection ends decides whether its session stays resumable, two separate OpenSSL rules:
//   * the fatal-alert rule: a handshake that fails after the server took a cached session (a bad
//     record, or the client's own fatal alert, right after the ServerHello that echoed it) removes
//     the session (ssl3_send_alert / a fatal alert read). On node:tls the glue applies it when
//     node:tls reports the failure (tlsClientError): `stats().fatalRemoved`;
//   * the close rule: a connection freed while open (SSL_free without SSL_shutdown) removes its
//     session. node:tls never calls SSL_shutdown for a connection the peer reset, so the glue
//     removes the session of a connection reset while the server had not ended it:
//     `stats().uncleanRemoved`.
// Each ending is played against the glue (TLS 1.2, session ids) and against `openssl s_server
// -no_ticket` (OpenSSL's own internal cache), then the session is offered again. The two agree on
// the failed handshakes and on close_notify, and differ where the application's side differs:
// s_server calls SSL_shutdown after a reset (so it keeps the session), and OpenSSL 3 makes a bare
// FIN without close_notify a fatal "unexpected EOF" error, which node:tls ignores and reports as
// a plain 'end' (the glue cannot tell it from close_notify, so it keeps the session).
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import net from "node:net";
import crypto from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SessionCache, attachSessionCache } from "../../dist/index.js";
import { CERT, KEY, listenLocal, serveForTest } from "./helpers.mjs";
import { requirePrerequisite } from "../prerequisites.mjs";

const noOpenssl = requirePrerequisite(
  "bad_endings",
  spawnSync("openssl", ["version"]).status === 0 ? false : "openssl not found",
);

const settle = () => new Promise((r) => setTimeout(r, 150));

/**
 * One client connection offering `session`; resolves once secure with its session and whether it
 * resumed, after ending it as `how` says ("close_notify", "fin": a bare TCP FIN, "reset").
 * @param {number} port
 * @param {Buffer | undefined} session
 * @param {"close_notify" | "fin" | "reset"} how
 * @returns {Promise<{ reused: boolean, session: Buffer }>}
 */
function connection(port, session, how = "close_notify") {
  return new Promise((resolve, reject) => {
    const raw = net.connect(port, "127.0.0.1");
    const s = tls.connect({ socket: raw, servername: "localhost", ca: CERT, session, maxVersion: "TLSv1.2" });
    s.on("error", () => {});
    raw.on("error", () => {});
    s.once("secureConnect", () => {
      s.off("error", reject); // the ending may draw an alert (s_server answers a bare FIN with one)
      const r = { reused: s.isSessionReused(), session: /** @type {Buffer} */ (s.getSession()) };
      setTimeout(() => {
        if (how === "close_notify") s.end();
        else if (how === "fin") raw.end();
        else raw.resetAndDestroy();
        settle().then(() => resolve(r));
      }, 30);
    });
    s.once("error", reject);
  });
}

/**
 * The ClientHello a node:tls client sends when it offers `session`.
 * @param {Buffer} session
 * @returns {Promise<Buffer>}
 */
async function clientHello(session) {
  const sink = net.createServer();
  const port = await listenLocal(sink);
  const got = new Promise((resolve) =>
    sink.once("connection", (sock) => {
      let b = Buffer.alloc(0);
      sock.on("data", (d) => {
        b = Buffer.concat([b, d]);
        if (b.length >= 5 && b.length >= 5 + b.readUInt16BE(3)) {
          resolve(b.subarray(0, 5 + b.readUInt16BE(3)));
          sock.destroy();
        }
      });
    }),
  );
  const c = tls.connect({ port, host: "127.0.0.1", servername: "localhost", session, maxVersion: "TLSv1.2" });
  c.on("error", () => {});
  const hello = await got;
  c.destroy();
  await new Promise((r) => sink.close(r));
  return /** @type {Buffer} */ (hello);
}

/**
 * Sends the ClientHello offering `session` raw; once the ServerHello echoes its session id (the
 * server took the session), answers with `answer` instead of the client's Finished.
 * @param {number} port
 * @param {Buffer} session
 * @param {Buffer} answer
 */
async function failAfterServerHello(port, session, answer) {
  const hello = await clientHello(session);
  const offered = hello.subarray(44, 44 + hello[43]);
  const sock = net.connect(port, "127.0.0.1", () => sock.write(hello));
  sock.on("error", () => {});
  let buf = Buffer.alloc(0);
  const echoed = await new Promise((resolve) => {
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
      resolve(buf[0] === 22 && buf[5] === 2 ? buf.subarray(44, 44 + buf[43]) : Buffer.alloc(0));
      sock.write(answer);
    });
  });
  assert.deepEqual(echoed, offered, "the server took the session (its ServerHello echoes the id)");
  await settle();
  sock.destroy();
}

const BAD_RECORD = Buffer.from([23, 3, 3, 0, 4, 1, 2, 3, 4]);
const CLIENT_ALERT = Buffer.from([21, 3, 3, 0, 2, 2, 40]); // fatal handshake_failure

/**
 * Every ending against the server on `port`: for each, a fresh session that resumes once cleanly,
 * then the ending, then whether the session still resumes. `after(name)` runs after each ending.
 * @param {number} port
 * @param {(name: string) => void} [after]
 */
async function endings(port, after = () => {}) {
  /** @type {Record<string, boolean>} */
  const resumesAfter = {};
  /** @type {[string, (s: Buffer) => Promise<unknown>][]} */
  const cases = [
    ["bad record after ServerHello", (s) => failAfterServerHello(port, s, BAD_RECORD)],
    ["client's fatal alert after ServerHello", (s) => failAfterServerHello(port, s, CLIENT_ALERT)],
    ["reset after the handshake", (s) => connection(port, s, "reset")],
    ["FIN without close_notify", (s) => connection(port, s, "fin")],
    ["close_notify", (s) => connection(port, s, "close_notify")],
  ];
  for (const [name, end] of cases) {
    const { session } = await connection(port, undefined);
    assert.equal((await connection(port, session)).reused, true, `${name}: the control resumes`);
    await end(session);
    after(name);
    resumesAfter[name] = (await connection(port, session)).reused;
  }
  return resumesAfter;
}

test("each ending against the glue: the fatal-alert and the close rules, each on its own", async (t) => {
  const cache = new SessionCache();
  const server = tls.createServer(
    {
      cert: CERT,
      key: KEY,
      sessionIdContext: "bad-endings",
      secureOptions: crypto.constants.SSL_OP_NO_TICKET,
      maxVersion: "TLSv1.2",
    },
    (c) => {
      c.on("error", () => {});
      c.on("end", () => c.end()); // open until the client ends it
      c.write("hi");
    },
  );
  const h = attachSessionCache(server, cache);
  const port = await serveForTest(t, server, h, cache);
  /** @type {Record<string, { fatal: number, unclean: number }>} */
  const removedBy = {};
  let last = { fatal: 0, unclean: 0 };
  const r = await endings(port, (name) => {
    const st = h.stats();
    removedBy[name] = { fatal: st.fatalRemoved - last.fatal, unclean: st.uncleanRemoved - last.unclean };
    last = { fatal: st.fatalRemoved, unclean: st.uncleanRemoved };
  });
  assert.deepEqual(r, {
    "bad record after ServerHello": false,
    "client's fatal alert after ServerHello": false,
    "reset after the handshake": false,
    "FIN without close_notify": true,
    close_notify: true,
  });
  assert.deepEqual(removedBy, {
    "bad record after ServerHello": { fatal: 1, unclean: 0 },
    "client's fatal alert after ServerHello": { fatal: 1, unclean: 0 },
    "reset after the handshake": { fatal: 0, unclean: 1 },
    "FIN without close_notify": { fatal: 0, unclean: 0 },
    close_notify: { fatal: 0, unclean: 0 },
  });
});

test("each ending against openssl s_server -no_ticket, for comparison", { skip: noOpenssl }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bad-endings-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "cert.pem"), CERT);
  writeFileSync(join(dir, "key.pem"), KEY);
  const probe = net.createServer();
  const port = await listenLocal(probe);
  await new Promise((r) => probe.close(r));
  const p = spawn(
    "openssl",
    ["s_server", "-accept", String(port), "-cert", "cert.pem", "-key", "key.pem", "-tls1_2", "-no_ticket"],
    { cwd: dir, stdio: ["pipe", "pipe", "pipe"] },
  );
  t.after(() => p.kill());
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (out += d));
  for (let i = 0; !out.includes("ACCEPT"); i++) {
    assert.ok(i < 200 && p.exitCode === null, `s_server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const r = await endings(port);
  assert.deepEqual(r, {
    "bad record after ServerHello": false, // as the glue: the fatal-alert rule
    "client's fatal alert after ServerHello": false, // as the glue
    "reset after the handshake": true, // s_server shuts the connection down, then frees it
    "FIN without close_notify": false, // OpenSSL 3: unexpected EOF is a fatal error
    close_notify: true, // as the glue
  });
});

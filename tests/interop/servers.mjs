// Interop helpers: throwaway certificates, `openssl s_server` / `s_client` and node:tls servers on
// 127.0.0.1 with ephemeral ports, and the session blobs their clients keep.
//
//   const h = new Interop();              // one temp dir, one set of certs, every child tracked
//   const srv = await h.opensslServer(["-tls1_3", "-alpn", "h2"], { cert: "ec" });
//   const { pem } = await h.opensslClient(srv.port, ["-tls1_3", "-alpn", "h2"]);
//   const ns = await h.nodeServer({ maxVersion: "TLSv1.2", ticketKeys });
//   const { session, reused } = await h.nodeClient(ns.port, { session: der });
//   ...
//   after(() => h.close());               // stops every process by PID, removes the temp dir
//
// Nothing here depends on the library under test: these are the real OpenSSL and Node ends.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { appendFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import tls from "node:tls";
import { test } from "node:test";
import { requirePrerequisite } from "../prerequisites.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(ROOT, "dist", "cli.js");
export const DIST = join(ROOT, "dist", "index.js");
const STEP_TIMEOUT_MS = 10_000;

/**
 * Whether the interop suite can run. Returns null when it can, else the reason it cannot. The caller
 * skips loudly on a reason, or fails under CI=true (see `gate`).
 */
export function missingPrerequisite() {
  const r = spawnSync("openssl", ["version"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    return "the openssl command-line tool is missing (apt-get install -y openssl)";
  if (!/^OpenSSL 3\./.test(r.stdout)) return `openssl is not OpenSSL 3.x: ${r.stdout.trim()}`;
  if (!existsSync(DIST) || !existsSync(CLI))
    return "dist/index.js or dist/cli.js is missing (run `npm run build`)";
  return null;
}

/**
 * Decides for a test file: { skip: false } to run, { skip: "reason" } to skip loudly. Under CI=true a
 * missing prerequisite throws, so the file fails instead of skipping.
 */
export function gate(file) {
  const why = missingPrerequisite();
  if (!why) return { skip: false };
  requirePrerequisite(file, why);
  test(`${file}: interop prerequisites`, { skip: why }, () => {});
  return { skip: why };
}

/** Where disagreements between our output and OpenSSL's are written (input PEM + both outputs). */
export const MISMATCH_FILE = process.env.INTEROP_MISMATCH_FILE ?? join(tmpdir(), "interop_mismatches.txt");

/** Appends one disagreement to MISMATCH_FILE. */
export function recordMismatch(source, name, what, pem, ours, theirs) {
  const show = (v) =>
    typeof v === "string"
      ? v
      : Buffer.isBuffer(v) || v instanceof Uint8Array
        ? Buffer.from(v).toString("hex")
        : JSON.stringify(v, null, 2);
  appendFileSync(
    MISMATCH_FILE,
    `=== ${new Date().toISOString()} ${source} ${name}: ${what}\n--- input\n${pem}\n--- ours\n${show(ours)}\n--- openssl\n${show(theirs)}\n\n`,
  );
}

/**
 * Runs `openssl ARGS` synchronously; throws with its stderr on a non-zero status. Returns stdout: a
 * Buffer, or a string in `encoding`.
 * @param {string[]} args
 * @param {{ input?: string | Uint8Array, encoding?: BufferEncoding | "buffer" }} [_]
 * @returns {any}
 */
export function openssl(args, { input = undefined, encoding = "buffer" } = {}) {
  const r = spawnSync("openssl", args, { input, timeout: STEP_TIMEOUT_MS, maxBuffer: 1 << 24 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return encoding === "buffer" ? r.stdout : r.stdout.toString(encoding);
}

/** Runs our CLI (dist/cli.js) synchronously. Returns { status, stdout (Buffer), stderr (string) }. */
/** @param {string[]} args @param {{ input?: string | Uint8Array }} [_] */
export function cli(args, { input = undefined } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    timeout: STEP_TIMEOUT_MS,
    maxBuffer: 1 << 24,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** The DER inside a PEM block with the given label. */
export function pemBody(text, label = "SSL SESSION PARAMETERS") {
  const m = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`no ${label} PEM block`);
  return Buffer.from(m[1].replace(/\s+/g, ""), "base64");
}

function waitForOutput(proc, re, what) {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(
      () => done(new Error(`${what}: timed out waiting for ${re}; output so far:\n${buf}`)),
      STEP_TIMEOUT_MS,
    );
    const onData = (d) => {
      buf += d.toString("latin1");
      const m = re.exec(buf);
      if (m) done(null, m);
    };
    const onExit = (code) => done(new Error(`${what}: exited (${code}) before ${re}; output:\n${buf}`));
    const done = (err, m) => {
      clearTimeout(timer);
      proc.stdout.off("data", onData);
      proc.stderr.off("data", onData);
      proc.off("exit", onExit);
      if (err) reject(err);
      else resolve(m);
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.on("exit", onExit);
  });
}

/** Runs a child to completion with `input` on stdin; resolves { code, stdout, stderr }. */
function runChild(cmd, args, input, tracker) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    tracker.add(p);
    let stdout = "",
      stderr = "";
    p.stdout.on("data", (d) => (stdout += d.toString("latin1")));
    p.stderr.on("data", (d) => (stderr += d.toString("latin1")));
    p.on("error", reject);
    p.on("close", (code) => {
      tracker.delete(p);
      resolve({ code, stdout, stderr });
    });
    p.stdin.on("error", () => {});
    // A number: keep stdin open that many ms (the `(sleep 1) | s_client` idiom), then close it.
    if (typeof input === "number") setTimeout(() => p.stdin.end(), input);
    else p.stdin.end(input);
  });
}

export class Interop {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "tls-interop-"));
    this.children = new Set();
    this.servers = new Set();
    this.seq = 0;
    this.certs = makeCerts(this.dir);
  }

  path(name) {
    return join(this.dir, name);
  }

  /**
   * Starts `openssl s_server -www` on 127.0.0.1:0 with the EC ("ec") or RSA ("rsa") certificate and
   * extra ARGS. Resolves { port, pid, stop() } once it prints its ACCEPT line. `www: false` leaves
   * out -www (s_server refuses -early_data with it); clients must then use `hold`.
   */
  async opensslServer(args, { cert = "ec", www = true } = {}) {
    const c = this.certs[cert];
    const full = [
      "s_server",
      "-accept",
      "127.0.0.1:0",
      ...(www ? ["-www"] : []),
      "-cert",
      c.cert,
      "-key",
      c.key,
      ...args,
    ];
    // stdin stays an open pipe: without -www, s_server reads it and quits at its end.
    const p = spawn("timeout", ["60", "openssl", ...full], { stdio: ["pipe", "pipe", "pipe"] });
    p.stdin.on("error", () => {});
    this.children.add(p);
    const m = await waitForOutput(p, /ACCEPT 127\.0\.0\.1:(\d+)/, `openssl ${full.join(" ")}`);
    return { port: Number(m[1]), pid: p.pid, stop: () => this.#kill(p) };
  }

  /**
   * Connects `openssl s_client` to PORT, sends one HTTP request (the -www server answers and closes,
   * so every TLS 1.3 ticket has been read by then) and resolves with the last session the client saved
   * through -sess_out: { pem, der, file, stdout, stderr }. With `hold: ms` (for a server without
   * -www) the client instead keeps stdin open that long, reading what the server sends, then closes.
   */
  /** @param {number} port @param {string[]} args @param {{ sessIn?: string, hold?: number }} [_] */
  async opensslClient(port, args, { sessIn = undefined, hold = undefined } = {}) {
    const file = this.path(`sess-${++this.seq}.pem`);
    const full = [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      ...(hold ? [] : ["-ign_eof"]),
      "-sess_out",
      file,
      ...args,
    ];
    if (sessIn) full.push("-sess_in", sessIn);
    const r = await runChild(
      "timeout",
      [String(STEP_TIMEOUT_MS / 1000), "openssl", ...full],
      hold ? hold : "GET / HTTP/1.0\r\n\r\n",
      this.children,
    );
    if (!existsSync(file))
      throw new Error(
        `openssl ${full.join(" ")} wrote no session (exit ${r.code}):\n${r.stdout}\n${r.stderr}`,
      );
    const pem = readFileSync(file, "latin1");
    return { pem, der: pemBody(pem), file, stdout: r.stdout, stderr: r.stderr };
  }

  /**
   * A node:tls server on 127.0.0.1:0 that answers "ok\n" and closes. OPTS go to tls.createServer
   * (cert and key default to the EC pair). With `cache: true` it keeps sessions by id through the
   * newSession/resumeSession events (the server-side session DER is collected in `serverSessions`).
   */
  async nodeServer(opts = {}, { cache = false } = {}) {
    const { cert = "ec", ...rest } = opts;
    const c = this.certs[cert];
    const server = tls.createServer(
      { cert: readFileSync(c.cert), key: readFileSync(c.key), ...rest },
      (sock) => {
        sock.on("error", () => {});
        sock.end("ok\n");
      },
    );
    server.on("tlsClientError", () => {});
    const store = new Map();
    const serverSessions = [];
    if (cache) {
      server.on("newSession", (id, data, cb) => {
        store.set(id.toString("hex"), data);
        serverSessions.push({ id: Buffer.from(id), der: Buffer.from(data) });
        cb();
      });
      server.on("resumeSession", (id, cb) => cb(null, store.get(id.toString("hex")) ?? null));
    }
    await new Promise((res, rej) => {
      server.once("error", rej);
      server.listen(0, "127.0.0.1", () => res(undefined));
    });
    this.servers.add(server);
    return {
      port: /** @type {import("node:net").AddressInfo} */ (server.address()).port,
      server,
      store,
      serverSessions,
      stop: () =>
        new Promise((res) => {
          this.servers.delete(server);
          server.close(() => res());
        }),
    };
  }

  /**
   * One node:tls client connection to PORT (servername "localhost", trusting our CA and the EC cert
   * unless OPTS say otherwise; `request` is written once connected, e.g. for `s_server -www`).
   * Reads the server's reply to the end, then resolves
   * { sessions (every `session` event's DER), session (the last), reused, protocol, cipher, alpn }.
   * Rejects if the handshake fails.
   */
  nodeClient(port, opts = {}) {
    const { request, ...tlsOpts } = opts;
    return new Promise((resolve, reject) => {
      const sessions = [];
      const sock = tls.connect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        ca: [
          readFileSync(this.certs.ca.cert),
          readFileSync(this.certs.ec.cert),
          readFileSync(this.certs.rsa.cert),
        ],
        ...tlsOpts,
      });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error("node client timed out"));
      }, STEP_TIMEOUT_MS);
      let info = null;
      sock.on("session", (s) => sessions.push(Buffer.from(s)));
      sock.on("secureConnect", () => {
        info = {
          reused: sock.isSessionReused(),
          protocol: sock.getProtocol(),
          cipher: sock.getCipher()?.name,
          alpn: sock.alpnProtocol,
        };
        if (request !== undefined) sock.write(request);
      });
      sock.on("data", () => {});
      sock.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.on("close", () => {
        clearTimeout(timer);
        if (!info) return reject(new Error("connection closed before the handshake finished"));
        // A 1.2 session-id/ticket session may come only from getSession() if no event fired.
        resolve({ ...info, sessions, session: sessions.at(-1) ?? null });
      });
    });
  }

  #kill(p) {
    return new Promise((res) => {
      if (p.exitCode !== null || p.signalCode !== null) {
        this.children.delete(p);
        return res();
      }
      p.once("exit", () => {
        this.children.delete(p);
        res();
      });
      try {
        process.kill(p.pid, "SIGTERM");
      } catch {
        this.children.delete(p);
        res();
      }
    });
  }

  /** Stops every child process by PID and every node server, then removes the temp dir. */
  async close() {
    await Promise.all([...this.children].map((p) => this.#kill(p)));
    await Promise.all([...this.servers].map((s) => new Promise((res) => s.close(() => res()))));
    this.servers.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Throwaway certificates made by `openssl req` in DIR: a self-signed EC P-256 server cert ("ec"), a
 * CA ("ca"), an RSA-2048 server cert signed by the CA ("rsa") and a client cert signed by the CA
 * ("client"). Each entry is { cert, key } paths; the CN of both server certs is localhost.
 */
export function makeCerts(dir) {
  const p = (n) => join(dir, n);
  const ext = p("ext.cnf");
  writeFileSync(
    ext,
    [
      "[srv]",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "basicConstraints=CA:FALSE",
      "[cli]",
      "extendedKeyUsage=clientAuth",
      "basicConstraints=CA:FALSE",
      "[ca]",
      "basicConstraints=critical,CA:TRUE",
      "keyUsage=critical,keyCertSign,cRLSign",
      "",
    ].join("\n"),
  );
  const req = (args) => openssl(["req", "-nodes", "-days", "2", ...args]);
  req([
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-keyout",
    p("ec.key"),
    "-out",
    p("ec.crt"),
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ]);
  req([
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-keyout",
    p("ca.key"),
    "-out",
    p("ca.crt"),
    "-subj",
    "/CN=interop test CA",
    "-extensions",
    "ca",
    "-config",
    caConfig(dir),
  ]);
  const signed = (name, keyArgs, cn, section) => {
    req(["-new", ...keyArgs, "-keyout", p(`${name}.key`), "-out", p(`${name}.csr`), "-subj", `/CN=${cn}`]);
    openssl([
      "x509",
      "-req",
      "-in",
      p(`${name}.csr`),
      "-CA",
      p("ca.crt"),
      "-CAkey",
      p("ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      ext,
      "-extensions",
      section,
      "-out",
      p(`${name}.crt`),
    ]);
  };
  signed("rsa", ["-newkey", "rsa:2048"], "localhost", "srv");
  signed("client", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "interop client", "cli");
  const pair = (n) => ({ cert: p(`${n}.crt`), key: p(`${n}.key`) });
  return { ec: pair("ec"), rsa: pair("rsa"), ca: pair("ca"), client: pair("client") };
}

function caConfig(dir) {
  const f = join(dir, "ca.cnf");
  writeFileSync(
    f,
    [
      "[req]",
      "distinguished_name=dn",
      "[dn]",
      "[ca]",
      "basicConstraints=critical,CA:TRUE",
      "keyUsage=critical,keyCertSign,cRLSign",
      "subjectKeyIdentifier=hash",
      "",
    ].join("\n"),
  );
  return f;
}

// ---------------------------------------------------------------------------------------------
// What OpenSSL itself says about a session blob

/**
 * Parses `openssl sess_id -text -noout` output into a plain object with the keys of our
 * `inspect --json` that SSL_SESSION_print shows (absent lines give their implied values).
 */
export function parseSessIdText(text) {
  const lines = text.split("\n");
  const get = (label) => {
    const l = lines.find((x) => x.startsWith(`    ${label}`));
    return l === undefined ? undefined : l.slice(l.indexOf(":") + 1).replace(/^ /, "");
  };
  const none = (v) => (v === undefined || v === "None" ? null : v);
  const hexOf = (v) => (v ?? "").toLowerCase();
  const out = {
    protocol: get("Protocol  :"),
    cipher: get("Cipher    :"),
    sessionId: hexOf(get("Session-ID:")),
    sidCtx: hexOf(get("Session-ID-ctx:")),
    masterKey: hexOf(get("Master-Key:") ?? get("Resumption PSK:")),
    pskIdentity: none(get("PSK identity:")),
    pskIdentityHint: none(get("PSK identity hint:")),
    srpUsername: none(get("SRP username:")),
    ticketLifetimeHint: 0,
    ticket: null,
    compression: 0,
    time: 0,
    timeout: 0,
    verifyResult: undefined,
    extendedMasterSecret: undefined,
  };
  const hint = get("TLS session ticket lifetime hint:");
  if (hint !== undefined) out.ticketLifetimeHint = Number(/^(\d+) \(seconds\)$/.exec(hint)[1]);
  const ti = lines.indexOf("    TLS session ticket:");
  if (ti >= 0) {
    let hex = "";
    for (let i = ti + 1; i < lines.length; i++) {
      const m = /^\s+[0-9a-f]{4} - (.{48})/.exec(lines[i]);
      if (!m) break;
      hex += (m[1].match(/[0-9a-f]{2}/g) ?? []).join("");
    }
    out.ticket = hex;
  }
  const comp = get("Compression:");
  if (comp !== undefined) out.compression = Number(comp.trim().split(" ")[0]);
  const st = get("Start Time:");
  if (st !== undefined) out.time = Number(st);
  const to = get("Timeout   :");
  if (to !== undefined) out.timeout = Number(/^(-?\d+) \(sec\)$/.exec(to)[1]);
  const vr = /^(-?\d+) \((.*)\)$/.exec(get("Verify return code:") ?? "");
  if (vr) {
    out.verifyResult = Number(vr[1]);
    out.verifyText = vr[2];
  }
  const ems = get("Extended master secret:");
  if (ems !== undefined) out.extendedMasterSecret = ems === "yes";
  const med = get("Max Early Data:");
  if (med !== undefined) out.maxEarlyData = Number(med);
  return out;
}

const bigOf = (b) => {
  if (b.length === 0) return 0n;
  let v = BigInt(`0x${Buffer.from(b).toString("hex")}`);
  if (b[0] & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
};

/**
 * The fields of a session DER as `openssl asn1parse` delimits them: { version, sslVersion, cipher,
 * id, masterKey (Buffers/BigInts), tagged: { n: { bytes (contents), tlv (whole inner TLV) } },
 * total (bytes of the outer SEQUENCE) }. Values are sliced from DER at the offsets OpenSSL reports.
 */
export function asn1Fields(der) {
  const text = openssl(["asn1parse", "-inform", "DER"], { input: der, encoding: "latin1" });
  const rows = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(prim|cons):\s*(.*?)\s*(?::(.*))?$/.exec(line);
    if (!m) continue;
    const [off, depth, hl, len] = [1, 2, 3, 4].map((i) => Number(m[i]));
    rows.push({
      off,
      depth,
      hl,
      len,
      type: m[6].trim(),
      bytes: Buffer.from(der.subarray(off + hl, off + hl + len)),
      tlv: Buffer.from(der.subarray(off, off + hl + len)),
    });
  }
  if (!rows.length || rows[0].depth !== 0 || rows[0].type !== "SEQUENCE")
    throw new Error(`asn1parse: not a SEQUENCE:\n${text}`);
  const untagged = [],
    tagged = {};
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.depth !== 1) continue;
    const ct = /^cont \[ (\d+) \]$/.exec(r.type);
    if (ct) {
      const inner = rows[i + 1];
      tagged[Number(ct[1])] =
        inner && inner.depth === 2
          ? { bytes: inner.bytes, tlv: inner.tlv, type: inner.type }
          : { bytes: r.bytes, tlv: r.tlv, type: r.type };
    } else untagged.push(r);
  }
  const int = (n) => (tagged[n] ? bigOf(tagged[n].bytes) : 0n);
  const str = (n) => (tagged[n] ? tagged[n].bytes : null);
  return {
    total: rows[0].hl + rows[0].len,
    version: bigOf(untagged[0].bytes),
    sslVersion: Number(bigOf(untagged[1].bytes)),
    cipher: untagged[2].bytes,
    id: untagged[3].bytes,
    masterKey: untagged[4].bytes,
    tagged,
    int,
    str,
  };
}

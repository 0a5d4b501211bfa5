// TLS 1.3 resumption through our cache with clients nobody here wrote: `openssl s_client`
// (-sess_out / -sess_in, and -no_middlebox, which sends an empty legacy session id) and curl (which
// keeps sessions between the URLs of one run). The server is node:tls with attachSessionCache.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import crypto from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SessionCache, attachSessionCache } from "../../dist/index.js";
import { CERT, KEY, serveForTest } from "./helpers.mjs";
import { requirePrerequisite } from "../prerequisites.mjs";

const has = (cmd, arg) => spawnSync(cmd, [arg], { encoding: "utf8" }).status === 0;
const noOpenssl = requirePrerequisite(
  "tls13_interop",
  has("openssl", "version") ? false : "openssl not found",
);
const noCurl = requirePrerequisite(
  "tls13_interop",
  has("curl", "--version") ? false : "curl not found (apt-get install -y curl)",
);

async function httpServer(t) {
  const cache = new SessionCache();
  const server = tls.createServer(
    { cert: CERT, key: KEY, secureOptions: crypto.constants.SSL_OP_NO_TICKET },
    (c) => {
      c.on("error", () => {});
      c.once("data", () => c.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"));
    },
  );
  const reused = [];
  server.on("secureConnection", (s) => reused.push(s.isSessionReused()));
  const h = attachSessionCache(server, cache);
  const port = await serveForTest(t, server, h, cache);
  return { port, h, cache, reused };
}

/** One s_client run: sends a request, reads to the end; resolves with its output. */
function sClient(port, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      "openssl",
      ["s_client", "-connect", `127.0.0.1:${port}`, "-tls1_3", "-ign_eof", ...args],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("close", () => resolve(out));
    p.stdin.end("GET / HTTP/1.0\r\n\r\n");
  });
}

test(
  "openssl s_client: -sess_out then -sess_in resumes TLS 1.3 once; -no_middlebox falls back without spending",
  { skip: noOpenssl },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "tls13-interop-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { port, h, cache } = await httpServer(t);
    const sess = join(dir, "sess.pem");
    const first = await sClient(port, ["-sess_out", sess]);
    assert.match(first, /^New, TLSv1\.3/m);
    assert.ok(existsSync(sess), "s_client saved its session");
    const noMb = await sClient(port, ["-sess_in", sess, "-no_middlebox"]);
    assert.match(noMb, /^New, TLSv1\.3/m, "an empty legacy session id: Node never asks, a full handshake");
    assert.equal(h.stats().tls13Offered, 0, "nothing handed over, nothing spent");
    const second = await sClient(port, ["-sess_in", sess]);
    assert.match(second, /^Reused, TLSv1\.3/m, "s_client's ticket resumes through our cache");
    assert.equal(cache.stats().hits, 1);
    const third = await sClient(port, ["-sess_in", sess]);
    assert.match(third, /^New, TLSv1\.3/m, "single use: the same ticket a second time is refused");
    assert.equal(h.stats().tls13Spent, 1);
  },
);

test("curl: the second URL of a run resumes TLS 1.3 through our cache", { skip: noCurl }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tls13-curl-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ca = join(dir, "ca.pem");
  writeFileSync(ca, CERT);
  const { port, h, reused } = await httpServer(t);
  const url = `https://localhost:${port}/`;
  const r = await new Promise((resolve) => {
    const p = spawn(
      "curl",
      ["-sS", "--tlsv1.3", "--cacert", ca, "--resolve", `localhost:${port}:127.0.0.1`, url, url, url],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => resolve({ code, out }));
  });
  assert.equal(r.code, 0, r.out);
  assert.equal(r.out, "hihihi");
  assert.deepEqual(reused, [false, true, true], "curl resumes the 2nd and 3rd connections");
  assert.equal(h.stats().tls13Spent, 2);
});

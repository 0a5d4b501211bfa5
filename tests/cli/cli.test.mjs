// The tls-session CLI: inspect / convert on every input form, errors, exit statuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Session } from "../../dist/index.js";
import { JSON_KEYS } from "./json_keys.mjs";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const run = (args, input) => spawnSync(process.execPath, [cli, ...args], { input, encoding: "buffer" });

function sample() {
  const s = Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1302;
  s.id = new Uint8Array(32).fill(0x11);
  s.masterKey = new Uint8Array(48).fill(0x22);
  s.hostname = "example.com";
  s.alpn = "h2";
  s.ticket = new Uint8Array(20).fill(0x33);
  s.time = 1700000000;
  s.timeout = 7200;
  s.ticketLifetimeHint = 2n ** 60n;
  const der = s.toDER();
  s.free();
  return der;
}

test("inspect --json prints exactly the documented keys, secrets only on request", () => {
  const der = sample();
  const r = run(["inspect", "--json", "-"], der);
  assert.equal(r.status, 0, r.stderr.toString());
  const j = JSON.parse(r.stdout.toString());
  assert.deepEqual(Object.keys(j), JSON_KEYS);
  assert.equal(j.protocol, "TLSv1.3");
  assert.equal(j.cipher, "TLS_AES_256_GCM_SHA384");
  assert.equal(j.cipherId, "1302");
  assert.equal(j.masterKey, null);
  assert.equal(j.ticketLifetimeHint, (2n ** 60n).toString(), "beyond 2^53: a decimal string");
  assert.equal(j.alpn, "6832");
  assert.equal(j.alpnText, "h2");
  assert.equal(j.bytesConsumed, der.length);
  const secret = JSON.parse(run(["inspect", "--json", "--show-secrets", "-"], der).stdout.toString());
  assert.equal(secret.masterKey, "22".repeat(48));
});

test("PEM, DER and bare base64 are detected; convert re-encodes", () => {
  const der = sample();
  const pem = run(["convert", "--to", "pem", "-"], der);
  assert.equal(pem.status, 0);
  assert.match(pem.stdout.toString(), /^-----BEGIN SSL SESSION PARAMETERS-----/);
  const back = run(["convert", "--to", "der", "-"], pem.stdout);
  assert.deepEqual(new Uint8Array(back.stdout), der);
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{60})/g, "$1\n");
  const fromB64 = run(["convert", "--to", "der", "-"], Buffer.from(b64));
  assert.deepEqual(new Uint8Array(fromB64.stdout), der);
  const forced = run(["inspect", "--inform", "der", "-"], pem.stdout);
  assert.equal(forced.status, 1, "--inform der refuses PEM text");
});

test("--now fixes the clock the decoder uses for an absent time", () => {
  const minimal = Uint8Array.from([
    0x30, 0x0f, 0x02, 0x01, 0x01, 0x02, 0x02, 0x03, 0x03, 0x04, 0x02, 0xc0, 0x2f, 0x04, 0x00, 0x04, 0x00,
  ]);
  const a = JSON.parse(run(["inspect", "--json", "--now", "1234", "-"], minimal).stdout.toString());
  assert.equal(a.time, 1234);
  assert.equal(a.timeout, 3);
});

test("bad input: exit 1 and one line on stderr naming the fault and its offset; bad usage: exit 2", () => {
  const der = sample();
  const cut = der.subarray(0, 40);
  const r = run(["inspect", "-"], cut);
  assert.equal(r.status, 1);
  const err = r.stderr.toString().trimEnd();
  assert.equal(err.split("\n").length, 1, err);
  assert.match(err, /ASN1: .* \(at byte \d+\)/);
  const v2 = Uint8Array.from(der);
  v2[der[1] & 0x80 ? 2 + (der[1] & 0x7f) + 2 : 4] = 2; // version INTEGER 1 -> 2
  const r2 = run(["inspect", "-"], v2);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr.toString(), /UNKNOWN_SSL_VERSION/);
  const usage = run(["frobnicate", "-"], Buffer.alloc(0));
  assert.equal(usage.status, 2);
  const missing = run(["inspect", "/nonexistent/file"]);
  assert.equal(missing.status, 1);
});

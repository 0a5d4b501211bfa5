// The CLI's conventions: help for every command, --version, unknown commands refused by name, no
// stack trace for any user mistake, secrets hidden in human output unless --show-secrets,
// negative option values, decoding hints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Session, TicketKeys } from "../../dist/index.js";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const run = (args, input) => {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: "buffer" });
  return { status: r.status, stdout: r.stdout, out: r.stdout.toString(), err: r.stderr.toString() };
};
const noStack = (r) => assert.doesNotMatch(r.err, /\n\s+at |Error:.*\n.*node:/, r.err);

const MASTER = new Uint8Array(48).fill(0xab);
function sample(version = 0x0303) {
  const s = Session.new();
  s.protocolVersion = version;
  s.cipherSuite = version === 0x0304 ? 0x1301 : 0xc02f;
  s.id = new Uint8Array(32).fill(0x11);
  s.masterKey = MASTER;
  s.hostname = "example.com";
  s.alpn = "h2";
  s.time = 1700000000;
  s.timeout = 7200;
  const der = s.toDER();
  s.free();
  return der;
}
const masterHex = Buffer.from(MASTER).toString("hex");

test("--help and -h exit 0 on stdout, for the tool and for every command; --version", () => {
  for (const args of [["--help"], ["-h"], ["help"]]) {
    const r = run(args);
    assert.equal(r.status, 0, args.join(" "));
    for (const c of ["inspect", "convert", "cache-sim", "ticket open", "ticket seal"])
      assert.match(r.out, new RegExp(c));
    assert.equal(r.err, "");
  }
  for (const c of [["inspect"], ["convert"], ["cache-sim"], ["ticket", "open"], ["ticket", "seal"]]) {
    for (const h of ["--help", "-h"]) {
      const r = run([...c, h]);
      assert.equal(r.status, 0, `${c.join(" ")} ${h}: ${r.err}`);
      assert.match(r.out, new RegExp(`^usage: tls-session ${c.join(" ")} `));
      assert.equal(r.err, "");
    }
    const viaHelp = run(["help", ...c]);
    assert.equal(viaHelp.status, 0);
    assert.equal(viaHelp.out, run([...c, "--help"]).out);
  }
  assert.match(run(["inspect", "--help"]).out, /--show-secrets/);
  const v = run(["--version"]);
  assert.equal(v.status, 0);
  assert.equal(v.out, `tls-session ${pkg.version}\n`);
});

test("an unknown command, option or missing argument is refused by name, exit 2, no stack", () => {
  /** @type {[string[], RegExp][]} */
  const cases = [
    [["frobnicate"], /unknown command "frobnicate"/],
    [
      ["session.pem"],
      /unknown command "session\.pem" \(to inspect a file: tls-session inspect session\.pem\)/,
    ],
    [["ticket", "frob"], /unknown ticket command "frob"/],
    [["help", "frob"], /no command named "frob"/],
    [["inspect", "--bogus", "-"], /unknown option --bogus for inspect/],
    [["inspect"], /inspect needs a FILE/],
    [["inspect", "a", "b"], /inspect takes one FILE, not 2/],
    [["convert", "-"], /convert needs --to der or --to pem/],
    [["convert", "--to"], /--to needs a value/],
    [["inspect", "--inform", "xml", "-"], /--inform must be der, pem or auto/],
    [["inspect", "--now", "soon", "-"], /--now must be an integer/],
    [["ticket", "open", "-"], /--keys KEYFILE is required/],
    [["--frob"], /unknown option --frob/],
  ];
  for (const [args, re] of cases) {
    const r = run(args, Buffer.alloc(0));
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, re, args.join(" "));
    assert.match(r.err, /usage: /);
    assert.equal(r.out, "");
    noStack(r);
  }
  const bare = run([]);
  assert.equal(bare.status, 2);
  assert.match(bare.err, /^usage: /);
});

test("bad input files: exit 1, one line, no stack", () => {
  for (const args of [
    ["inspect", "/nonexistent/file"],
    ["inspect", "/"],
    ["ticket", "open", "--keys", "/nonexistent", "-"],
  ]) {
    const r = run(args, Buffer.alloc(0));
    assert.equal(r.status, 1, `${args.join(" ")}: ${r.err}`);
    assert.equal(r.err.trimEnd().split("\n").length, 1, r.err);
    noStack(r);
  }
});

test("cache-sim: script errors are reported in the trace and on stderr, exit 1, no stack", () => {
  const script = ["clock abc", "has", "new a mklen=-1", "new b time=12x", "size 1e3", "frob", "clock 5"].join(
    "\n",
  );
  const r = run(["cache-sim", "-"], Buffer.from(script));
  assert.equal(r.status, 1, r.err);
  noStack(r);
  const errors = r.out.split("\n").filter((l) => l.startsWith("= error"));
  assert.deepEqual(errors, [
    "= error bad number abc for clock",
    "= error has needs an argument",
    "= error bad length -1 for mklen",
    "= error bad number 12x for time",
    "= error bad number 1e3 for size",
    "= error unknown op frob",
  ]);
  assert.match(r.out, /> clock 5\n= 5\n/, "the scenario goes on after an error");
  assert.match(
    r.err,
    /^tls-session: cache-sim: 6 lines could not run \(first: line 1: bad number abc for clock\)\n$/,
  );
  const ok = run(["cache-sim", "-"], Buffer.from("clock 5\nnumber\n"));
  assert.equal(ok.status, 0, ok.err);
  assert.equal(ok.err, "");
});

test("secrets are hidden in human output by default; byte outputs stay whole", () => {
  for (const version of [0x0303, 0x0304]) {
    const der = sample(version);
    const label = version === 0x0304 ? "Resumption PSK" : "Master-Key";
    const text = run(["inspect", "-"], der);
    assert.equal(text.status, 0, text.err);
    assert.match(text.out, new RegExp(`    ${label}: \\(hidden\\)\\n`));
    assert.doesNotMatch(text.out.toLowerCase(), new RegExp(masterHex));
    const shown = run(["inspect", "--show-secrets", "-"], der);
    assert.match(shown.out, new RegExp(`    ${label}: ${masterHex.toUpperCase()}\\n`));
    assert.equal(shown.out.replace(masterHex.toUpperCase(), "(hidden)"), text.out, "only that line differs");
    assert.doesNotMatch(run(["inspect", "--json", "-"], der).out, new RegExp(masterHex));
    const conv = run(["convert", "--to", "der", "-"], der);
    assert.deepEqual(new Uint8Array(conv.stdout), der, "convert writes the session itself");
  }
  // ticket open: text and JSON hide the secret; --show-secrets shows it; --raw is the session DER.
  const dir = mkdtempSync(join(tmpdir(), "tls-session-cli-"));
  try {
    const keys = TicketKeys.generate({ layout: 48 });
    const kf = join(dir, "keys.bin"),
      tf = join(dir, "ticket.bin");
    writeFileSync(kf, keys.export());
    const s = Session.fromDER(sample());
    writeFileSync(tf, keys.seal(s));
    const plain = s.toDER();
    s.free();
    keys.free();
    const text = run(["ticket", "open", "--keys", kf, tf]);
    assert.equal(text.status, 0, text.err);
    assert.match(text.out, /Master-Key: \(hidden\)/);
    assert.doesNotMatch(text.out.toLowerCase(), new RegExp(masterHex));
    assert.match(
      run(["ticket", "open", "--keys", kf, "--show-secrets", tf]).out,
      new RegExp(masterHex.toUpperCase()),
    );
    assert.equal(JSON.parse(run(["ticket", "open", "--keys", kf, "--json", tf]).out).masterKey, null);
    assert.equal(
      JSON.parse(run(["ticket", "open", "--keys", kf, "--json", "--show-secrets", tf]).out).masterKey,
      masterHex,
    );
    const raw = run(["ticket", "open", "--keys", kf, "--raw", tf]);
    assert.deepEqual(new Uint8Array(raw.stdout), plain);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("negative numbers work as option values: --now -5, --now=-5", () => {
  const minimal = Uint8Array.from([
    0x30, 0x0f, 0x02, 0x01, 0x01, 0x02, 0x02, 0x03, 0x03, 0x04, 0x02, 0xc0, 0x2f, 0x04, 0x00, 0x04, 0x00,
  ]);
  for (const args of [["--now", "-5"], ["--now=-5"]]) {
    const r = run(["inspect", "--json", ...args, "-"], minimal);
    assert.equal(r.status, 0, r.err);
    assert.equal(JSON.parse(r.out).time, -5);
  }
  const dir = mkdtempSync(join(tmpdir(), "tls-session-cli-"));
  try {
    const out = join(dir, "s.pem");
    const r = run(["convert", "--to", "pem", "-o", out, "--now", "-7", "-"], minimal);
    assert.equal(r.status, 0, r.err);
    assert.match(readFileSync(out, "latin1"), /^-----BEGIN SSL SESSION PARAMETERS-----/);
    const toStdout = run(["convert", "--to", "der", "-o", "-", "-"], minimal);
    assert.equal(toStdout.status, 0, toStdout.err);
    assert.equal(toStdout.stdout[0], 0x30, "-o - writes to standard output");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("decoding errors give a hint: the input's real form, or how many bytes are missing", () => {
  const der = sample();
  const s = Session.fromDER(der);
  const pem = Buffer.from(s.toPEM());
  s.free();
  /** @type {[string[], Uint8Array, RegExp][]} */
  const cases = [
    [["inspect", "--inform", "der", "-"], pem, /this looks like PEM, try --inform pem/],
    [["inspect", "--inform", "pem", "-"], der, /this looks like DER, try --inform der/],
    [["inspect", "-"], der.subarray(0, 40), new RegExp(`truncated: ${der.length - 40} more bytes needed`)],
    [
      ["inspect", "-"],
      Buffer.from(Buffer.from(der.subarray(0, 60)).toString("base64")),
      new RegExp(`truncated: ${der.length - 60} more bytes needed`),
    ],
  ];
  for (const [args, input, re] of cases) {
    const r = run(args, input);
    assert.equal(r.status, 1, r.err);
    assert.match(r.err, re);
    assert.equal(r.err.trimEnd().split("\n").length, 1);
    noStack(r);
  }
});

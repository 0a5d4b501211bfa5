// Certificates nested as deep as the input likes. OpenSSL skips an indefinite-length ANY value
// (an AlgorithmIdentifier's parameters) by counting the end-of-contents markers it still expects,
// so `openssl sess_id` accepts a session whose peer certificate nests 100,000 levels there. Our
// decoder must give the same verdicts, re-encode the same bytes, and use bounded stack whatever
// the depth. Needs the openssl CLI (a failure under CI=true).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, TlsSessionError } from "../../dist/index.js";
import { haveOpensslCli } from "../oracle/build.mjs";
import { makeCert, parse, encode, session } from "./corpus.mjs";
import { requirePrerequisite } from "../prerequisites.mjs";

const missing = haveOpensslCli()
  ? false
  : "the openssl command-line tool is missing (apt-get install -y openssl)";
const skip = requirePrerequisite("deep_nesting.test.mjs", missing);
const dir = skip ? null : mkdtempSync(join(tmpdir(), "tls-session-deep-"));
const cert = skip ? null : makeCert(dir).der;

/** `openssl sess_id -inform DER -outform DER` on `der`: the re-encoding, or null when it refuses. */
function opensslReencode(der) {
  const inp = join(dir, "in.der"),
    out = join(dir, "out.der");
  writeFileSync(inp, der);
  rmSync(out, { force: true });
  const r = spawnSync("openssl", ["sess_id", "-inform", "DER", "-outform", "DER", "-in", inp, "-out", out], {
    encoding: "latin1",
  });
  if (r.error) throw r.error;
  return r.status === 0 ? new Uint8Array(readFileSync(out)) : null;
}

/** Ours: the re-encoding, or null when fromDER refuses with a TlsSessionError. */
function ourReencode(der) {
  let s;
  try {
    s = Session.fromDER(der);
  } catch (e) {
    if (e instanceof TlsSessionError) return null;
    throw e;
  }
  try {
    return s.toDER();
  } finally {
    s.free();
  }
}

/** `depth` indefinite-length SEQUENCEs, one inside the other; `eocs` end-of-contents markers. */
function nested(depth, eocs = depth, inner = new Uint8Array(0)) {
  const b = new Uint8Array(depth * 2 + inner.length + eocs * 2);
  for (let i = 0; i < depth; i++) {
    b[2 * i] = 0x30;
    b[2 * i + 1] = 0x80;
  }
  b.set(inner, depth * 2);
  return b;
}

/**
 * The test certificate with `params` as the parameters of an AlgorithmIdentifier: the TBS
 * signature field (kept verbatim) or the outer signatureAlgorithm (re-encoded).
 */
function certWith(params, where) {
  const c = parse(cert);
  const tbs = c.children[0];
  const alg = where === "tbs" ? tbs.children[tbs.children[0].cls === 2 ? 2 : 1] : c.children[1];
  alg.children = [alg.children[0], { raw: params }];
  return encode(c);
}

const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));

const sessionWith = (certDer) =>
  encode(
    session({
      sslVersion: 0x0304,
      cipher: [0x13, 0x01],
      time: 1700000000,
      timeout: 7200,
      verifyResult: 18,
      peer: certDer,
    }),
  );

for (const where of ["tbs", "outer"]) {
  test(
    `a certificate nested 100,000 deep (${where} AlgorithmIdentifier): accepted as OpenSSL does`,
    { skip },
    () => {
      const der = sessionWith(certWith(nested(100000), where));
      assert.ok(der.length > 400000);
      const theirs = opensslReencode(der);
      assert.ok(theirs, "openssl sess_id accepts it");
      const ours = ourReencode(der);
      assert.ok(ours, "we accept it");
      assert.ok(same(ours, theirs), "same re-encoding");
      const s = Session.fromDER(der);
      assert.equal(s.bytesConsumed, der.length);
      assert.ok(same(s.peerCertificate, certWith(nested(100000), where)), "the certificate as given");
      s.free();
    },
  );
}

test("deep nesting: the verdicts on near misses equal OpenSSL's", { skip }, () => {
  const cases = {
    "one end-of-contents short": nested(50000, 49999),
    "one end-of-contents too many": nested(50000, 50001),
    "definite element inside": nested(50000, 50000, new Uint8Array([0x04, 0x02, 0xaa, 0xbb])),
    "definite SEQUENCE holding EOC bytes inside": nested(30000, 30000, new Uint8Array([0x30, 0x02, 0, 0])),
    "a truncated header at the bottom": nested(30000, 30000, new Uint8Array([0x04])),
    "indefinite primitive at the bottom": nested(30000, 30001, new Uint8Array([0x04, 0x80])),
    "context tag, constructed, indefinite": (() => {
      const b = nested(40000);
      for (let i = 0; i < 40000; i += 3) b[2 * i] = 0xa1;
      return b;
    })(),
  };
  const verdicts = new Set();
  for (const [name, params] of Object.entries(cases)) {
    for (const where of ["tbs", "outer"]) {
      const der = sessionWith(certWith(params, where));
      const theirs = opensslReencode(der),
        ours = ourReencode(der);
      assert.equal(
        ours === null,
        theirs === null,
        `${name} (${where}): OpenSSL ${theirs ? "accepts" : "refuses"}`,
      );
      if (ours) assert.ok(same(ours, theirs), `${name} (${where}): same re-encoding`);
      verdicts.add(ours !== null);
    }
  }
  assert.equal(verdicts.size, 2, "both verdicts occur");
});

test("deep nesting: a valid session still decodes after the refusals", { skip }, () => {
  const der = sessionWith(cert);
  assert.ok(same(ourReencode(der), opensslReencode(der)));
});

test.after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

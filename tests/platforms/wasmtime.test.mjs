// A non-JS host: examples/python/host.py drives the raw ABI with Python's wasmtime (venv in
// .venv, made by .ci/run): decode a session blob (PEM and DER), cache it, read it back. Its JSON
// output is checked against the JavaScript bindings' view of the same session.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, dist, findProgram, missing } from "./util.mjs";
import { SESSION_DER_HEX, FIXED_NOW } from "./smoke.mjs";

const python = join(root, ".venv/bin/python");
const host = join(root, "examples/python/host.py");

test("python wasmtime host: decode, cache, read back through the raw ABI", { timeout: 60000 }, async (t) => {
  const why = findProgram(python, ["-c", "import wasmtime"]);
  if (why)
    return missing(
      t,
      "python wasmtime (.venv: python3 -m venv .venv && .venv/bin/pip install wasmtime)",
      why,
    );
  const lib = await import("tls-session-wasm");
  const der = Buffer.from(SESSION_DER_HEX, "hex");
  const s = lib.Session.fromDER(der);
  const pem = s.toPEM();
  const json = lib.sessionToJSON(s);
  s.free();
  const dir = mkdtempSync(join(tmpdir(), "tls-session-py-"));
  try {
    writeFileSync(join(dir, "s.pem"), pem);
    writeFileSync(join(dir, "s.der"), der);
    const outputs = [];
    for (const f of ["s.pem", "s.der"]) {
      const r = spawnSync(
        python,
        [host, join(dist, "tls_session.wasm"), join(dir, f), "--now", String(FIXED_NOW)],
        { encoding: "utf8", timeout: 25000 },
      );
      assert.equal(r.status, 0, `host.py ${f} failed: ${r.stderr}`);
      outputs.push(JSON.parse(r.stdout));
    }
    assert.deepEqual(outputs[0], outputs[1], "PEM and DER give the same result");
    const out = outputs[0];
    assert.deepEqual(out.imports, [
      "wasi_snapshot_preview1.clock_time_get",
      "wasi_snapshot_preview1.random_get",
    ]);
    assert.deepEqual(out.session, {
      protocolVersion: json.version,
      cipher: json.cipher,
      cipherId: json.cipherId,
      sessionId: json.sessionId,
      hostname: json.hostname,
      alpn: json.alpn,
      time: json.time,
      timeout: json.timeout,
      der: SESSION_DER_HEX,
    });
    assert.deepEqual(out.cache, {
      added: 1,
      hasAfterAdd: 1,
      number: 1,
      sameObject: true,
      roundTripIdentical: true,
      removed: 1,
      hasAfterRemove: 0,
    });
    // The client's side of SSL_set_session: offered (+1), replaced and released by newSession
    // when the server did not resume, the new session cached client side.
    assert.deepEqual(out.client, {
      offeredReferencesWhileOffered: 2,
      offeredReferencesAfterNewSession: 1,
      sessionIsNew: true,
      reused: 0,
      newSessionResumable: 1,
      clientCacheNumber: 1,
    });
    assert.equal(out.newSessionTime, FIXED_NOW, "the host's injected clock");
    assert.equal(out.referencesLeft, 0);
    assert.equal(out.handlesLive, 0, "nothing leaked");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Fatal alerts, side by side with libssl (tests/oracle/fatal_alert_oracle.c): a TLS 1.2 handshake
// that fails for want of a shared cipher (the server's alert comes before its ServerHello) and one
// the client aborts after the server's Certificate (by then the client has a new session, because
// the server did not resume). Our side drives the same steps through Connection's handshake hooks
// and Connection.fatalAlert() on whichever side sends or receives the alert; every observation
// must equal libssl's. Last, a session marked not resumable while it stays cached: libssl (and so
// this module) still resumes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { buildOracle } from "../oracle/build.mjs";
import { requirePrerequisite } from "../prerequisites.mjs";
import { SessionCache, Connection, CacheMode, SENT_SHUTDOWN } from "../../dist/index.js";

let oracle = null,
  missing = null;
try {
  oracle = buildOracle("fatal_alert_oracle");
} catch (e) {
  missing = e.message;
}
requirePrerequisite("fuzz/fatal_alert.test.mjs", missing);

const TLS12 = 0x0303;
const sidCtx = new TextEncoder().encode("fatal");

/** One side's session after its handshake got as far as the session: cipher and key filled in. */
function fill(conn, id) {
  const s = conn.getSession();
  s.cipherSuite = 0xc02b; // ECDHE-ECDSA-AES128-GCM-SHA256
  s.masterKey = new Uint8Array(48).fill(7);
  if (id) s.id = id;
  return s;
}

function ours() {
  const out = [];
  const scache = new SessionCache();
  const ccache = new SessionCache({ mode: CacheMode.CLIENT });
  for (const name of ["no-shared-cipher", "peer-abort"]) {
    const put = (k, v) => out.push(`${name} ${k} ${v}`);
    // A good handshake first: C1 on the client (cached there), S1 on the server.
    ccache.flush(0);
    const s1 = new Connection(scache, { server: true });
    s1.sidCtx = sidCtx;
    const c1conn = new Connection(ccache);
    s1.handshakeStart(TLS12);
    c1conn.handshakeStart(TLS12);
    assert.equal(s1.serverResume(new Uint8Array(0)), "miss");
    s1.newSession(true);
    const S1 = fill(s1);
    c1conn.newSession();
    fill(c1conn, S1.id).free();
    c1conn.setReused(false);
    s1.handshakeDone();
    c1conn.handshakeDone();
    const c1 = c1conn.getSession();
    S1.free();
    s1.shutdown = SENT_SHUTDOWN;
    c1conn.shutdown = SENT_SHUTDOWN;
    s1.free();
    c1conn.free();
    put("offered-resumable-before", c1.resumable ? 1 : 0);
    put("client-cached-before", ccache.size);

    // The failing handshake: the server's cache is flushed, the client offers C1.
    scache.flush(0);
    const s = new Connection(scache, { server: true });
    s.sidCtx = sidCtx;
    const c = new Connection(ccache);
    c.setSession(c1);
    c.handshakeStart(TLS12);
    s.handshakeStart(TLS12);
    assert.equal(s.serverResume(c1.id), "miss");
    s.newSession(true);
    fill(s).free();
    if (name === "no-shared-cipher") {
      s.fatalAlert(); // the server sends handshake_failure
      c.fatalAlert(); // the client reads it
    } else {
      // ServerHello: not resumed, so the client host makes a new session (docs/ABI.md).
      c.setReused(false);
      c.newSession();
      const sid = s.getSession();
      fill(c, sid.id).free();
      sid.free();
      c.fatalAlert(); // the client rejects the certificate and sends an alert
      s.fatalAlert(); // the server reads it
    }
    const cs = c.getSession(),
      ss = s.getSession();
    put("offered-resumable", c1.resumable ? 1 : 0);
    put("client-new-session", cs.handle !== c1.handle ? 1 : 0);
    put("client-session-resumable", cs.resumable ? 1 : 0);
    put("client-session-id-len", cs.id.length);
    put("server-session-resumable", ss.resumable ? 1 : 0);
    put("server-session-id-len", ss.id.length);
    c.free();
    s.free();
    put("client-cached", ccache.size);
    put("server-cached", scache.size);
    put("offered-resumable-after-free", c1.resumable ? 1 : 0);
    cs.free();
    ss.free();
    c1.free();
  }
  {
    // S1 stays cached on the server but is marked not resumable (remove on another cache finds
    // nothing there); the client offers it.
    const n = "not-resumable-cached";
    const put = (k, v) => out.push(`${n} ${k} ${v}`);
    scache.flush(0);
    ccache.flush(0);
    const other = new SessionCache();
    const s1 = new Connection(scache, { server: true });
    s1.sidCtx = sidCtx;
    s1.handshakeStart(TLS12);
    s1.serverResume(new Uint8Array(0));
    s1.newSession(true);
    const S1 = fill(s1);
    s1.handshakeDone();
    s1.shutdown = SENT_SHUTDOWN;
    s1.free();
    put("removed-elsewhere", other.remove(S1) ? 1 : 0);
    put("cached-resumable", S1.resumable ? 1 : 0);
    put("server-cached", scache.size);
    const hitsBefore = scache.stats().hits;
    const s = new Connection(scache, { server: true });
    s.sidCtx = sidCtx;
    s.handshakeStart(TLS12);
    put("reused", s.serverResume(S1.id) === null ? 1 : 0);
    s.handshakeDone();
    put("hits", scache.stats().hits - hitsBefore);
    s.shutdown = SENT_SHUTDOWN;
    s.free();
    S1.free();
    other.free();
  }
  scache.free();
  ccache.free();
  return out;
}

test("fatal alerts: the sessions of a failed handshake leave the cache and stop resuming; a not-resumable cached session resumes; as in libssl", () => {
  assert.equal(missing, null, missing ?? "");
  const theirs = execFileSync(oracle, { encoding: "utf8" }).trim().split("\n");
  const mine = ours();
  const width = Math.max(...theirs.map((l) => l.length));
  console.log(
    `${"libssl".padEnd(width)} | ours\n` +
      theirs.map((l, i) => `${l.padEnd(width)} | ${mine[i] ?? "(missing)"}`).join("\n"),
  );
  assert.deepEqual(mine, theirs);
  // The point of the exercise, spelled out.
  assert.ok(theirs.includes("no-shared-cipher offered-resumable 0"));
  assert.ok(theirs.includes("peer-abort server-session-resumable 0"));
});

test("without fatalAlert, the same failed handshake would leave both sessions resumable", () => {
  const cache = new SessionCache({ mode: CacheMode.CLIENT });
  const c = new Connection(cache);
  c.handshakeStart(TLS12);
  c.newSession();
  const s = fill(c, new Uint8Array(32).fill(1));
  assert.equal(s.resumable, true);
  c.fatalAlert();
  assert.equal(s.resumable, false);
  // A second alert on the same connection changes nothing more.
  assert.equal(c.fatalAlert(), false);
  s.free();
  c.free();
  cache.free();
});

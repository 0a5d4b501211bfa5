// A fleet of two node:tls server processes (tests/node/fleet_server.mjs) sharing sessions through a real
// redis-server (behind a TCP proxy the test can slow down) and ticket keys through a shared secret.
// What resumes across servers, what the counters say, and what happens when Redis is slow or down.
//
// TLS 1.3 stateful tickets live in Redis only and are claimed with GETDEL: one resumption, anywhere.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { redisSkip, startRedis, startProxy } from "../stores/redis.mjs";
import { startFleetServer, connect } from "./fleet_procs.mjs";
import { startFirstFlightProxy, replay } from "./helpers.mjs";
import { Session } from "../../dist/index.js";

const skip = redisSkip();
// Generous for a loaded machine: a lookup that misses it makes an outage the later tests would count.
const TIMEOUT_MS = 250;
const REVALIDATE_MS = 300;
/** @type {import("node:tls").ConnectionOptions} */
const TLS12 = { maxVersion: "TLSv1.2" };
const idOf = (der) => {
  const s = Session.fromDER(new Uint8Array(der));
  try {
    return Buffer.from(s.id).toString("hex");
  } finally {
    s.free();
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("a fleet of two servers over Redis", { skip }, () => {
  let redis, proxy, A, B;
  const secret = crypto.randomBytes(32).toString("hex");

  before(async () => {
    redis = await startRedis();
    proxy = await startProxy(redis.port);
    const config = {
      redisPort: proxy.port,
      secret,
      timeoutMs: TIMEOUT_MS,
      retryAfterMs: 200,
      sealKey: crypto.randomBytes(32).toString("hex"),
      revalidateAfterMs: REVALIDATE_MS,
    };
    [A, B] = await Promise.all([startFleetServer(config), startFleetServer(config)]);
  });
  after(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
    await proxy?.close();
    await redis?.stop();
  });

  test("TLS 1.2 session id: made on A, resumed on B through the store, counted in B's stats", async () => {
    const first = await connect(A.ports.ids, TLS12);
    assert.equal(first.reused, false);
    const before = (await B.ask("stats")).stats;
    const atB = await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] });
    assert.equal(atB.reused, true, "B resumes A's session");
    const after = (await B.ask("stats")).stats;
    assert.equal(after.storeHits, before.storeHits + 1);
    assert.equal(after.localHits, before.localHits);
    // Now in B's own cache: the next resumption on B is a local hit.
    assert.equal((await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] })).reused, true);
    assert.equal((await B.ask("stats")).stats.localHits, before.localHits + 1);
    assert.equal((await A.ask("stats")).stats.storeWrites >= 1, true);
  });

  test("TLS 1.3 stateful: made on A, resumed once on B through Redis, then nowhere; replays select no PSK", async () => {
    const first = await connect(A.ports.ids);
    assert.equal(first.version, "TLSv1.3");
    assert.equal(first.sessions.length, 2);
    const before = (await B.ask("stats")).stats;
    const capture = await startFirstFlightProxy(B.ports.ids);
    try {
      const atB = await connect(capture.port, { session: first.sessions[0] });
      assert.equal(atB.reused, true, "B resumes A's TLS 1.3 session");
      const after = (await B.ask("stats")).stats;
      assert.equal(after.storeHits, before.storeHits + 1);
      assert.equal(after.tls13Spent, before.tls13Spent + 1);
      for (const port of [A.ports.ids, B.ports.ids]) {
        assert.equal((await connect(port, { session: first.sessions[0] })).reused, false, "single use");
        const r = await replay(port, capture.flights[0]);
        assert.equal(r.serverHello, true);
        assert.equal(r.psk, false, "the replayed ClientHello gets no pre_shared_key");
      }
      assert.equal(
        (await connect(A.ports.ids, { session: first.sessions[1] })).reused,
        true,
        "the 2nd ticket",
      );
    } finally {
      await capture.close();
    }
  });

  test("TLS 1.3: one ticket offered to A and B at the same moment resumes at most once (GETDEL)", async () => {
    for (let i = 0; i < 5; i++) {
      const first = await connect(A.ports.ids);
      const rs = await Promise.all(
        [A.ports.ids, B.ports.ids, A.ports.ids, B.ports.ids].map((p) =>
          connect(p, { session: first.sessions[0] }),
        ),
      );
      assert.equal(rs.filter((r) => r.reused).length, 1, "exactly one of four");
    }
  });

  test("cross-server invalidation: a copy pulled into B stops resuming within the revalidation bound", async () => {
    const first = await connect(A.ports.ids, TLS12);
    assert.equal((await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] })).reused, true);
    await A.ask("remove", { id: idOf(first.sessions[0]) }); // gone from A and from Redis
    await sleep(REVALIDATE_MS + 50);
    const before = (await B.ask("stats")).stats;
    assert.equal((await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] })).reused, false);
    assert.equal((await B.ask("stats")).stats.invalidated, before.invalidated + 1, "B dropped its copy");
  });

  test("tickets: TLS 1.2 and TLS 1.3 tickets made on A open on B (one derived key, no coordination)", async () => {
    assert.equal((await A.ask("stats")).keyName, (await B.ask("stats")).keyName);
    for (const maxVersion of /** @type {const} */ (["TLSv1.2", "TLSv1.3"])) {
      const first = await connect(A.ports.tickets, { maxVersion, minVersion: maxVersion });
      assert.equal(first.version, maxVersion);
      const atB = await connect(B.ports.tickets, {
        maxVersion,
        minVersion: maxVersion,
        session: first.sessions.at(-1),
      });
      assert.equal(atB.reused, true, `${maxVersion} ticket from A resumes on B`);
    }
  });

  test("tickets: a server deriving from another secret does not open them (the control)", async () => {
    const C = await startFleetServer({
      redisPort: proxy.port,
      secret: crypto.randomBytes(32).toString("hex"),
      useStore: false,
    });
    try {
      for (const maxVersion of /** @type {const} */ (["TLSv1.2", "TLSv1.3"])) {
        const first = await connect(A.ports.tickets, { maxVersion, minVersion: maxVersion });
        const atC = await connect(C.ports.tickets, {
          maxVersion,
          minVersion: maxVersion,
          session: first.sessions.at(-1),
        });
        assert.equal(atC.reused, false, `${maxVersion}: C cannot open A's ticket`);
      }
    } finally {
      await C.stop();
    }
  });

  test("a session removed on A no longer resumes on B", async () => {
    const first = await connect(A.ports.ids, TLS12);
    await A.ask("remove", { id: idOf(first.sessions[0]) });
    const before = (await B.ask("stats")).stats;
    assert.equal((await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] })).reused, false);
    assert.equal((await B.ask("stats")).stats.storeMisses, before.storeMisses + 1);
    assert.equal(
      (await connect(A.ports.ids, { ...TLS12, session: first.sessions[0] })).reused,
      false,
      "nor on A",
    );
  });

  test("a slow Redis never stalls a handshake beyond the bound", async () => {
    proxy.delayMs = 1500;
    try {
      const times = [];
      for (let i = 0; i < 4; i++) {
        const first = await connect(A.ports.ids, TLS12); // A's write waits at most the bound
        const atB = await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] });
        assert.equal(atB.reused, false, "B's lookup timed out: a full handshake");
        times.push(first.ms, atB.ms);
      }
      const worst = Math.max(...times);
      assert.ok(
        worst < TIMEOUT_MS + 400,
        `worst handshake ${worst.toFixed(0)} ms, bound ${TIMEOUT_MS} ms (+ slack), Redis delay 1500 ms`,
      );
      const st = (await B.ask("stats")).stats;
      assert.ok(st.storeTimeouts >= 1, "the timeout is counted");
      assert.ok(st.storeSkipped >= 1, "while the outage rests, the store is not asked");
    } finally {
      proxy.delayMs = 0;
    }
    await untilResumes();
    const { logs } = await B.ask("stats");
    assert.equal(logs.filter((l) => /unavailable/.test(l)).length, 1, "logged once per outage");
    assert.match(logs.at(-1), /back/);
  });

  /** Makes sessions on A until one resumes on B (the store is back), within 10 s. */
  async function untilResumes() {
    const deadline = Date.now() + 10000;
    for (;;) {
      const first = await connect(A.ports.ids, TLS12);
      if ((await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] })).reused) return;
      if (Date.now() > deadline) throw new Error("resumption through the store did not come back");
      await sleep(100);
    }
  }

  test("Redis stopped mid-run, then restarted: every connection completes, fallbacks counted, resumption returns", async () => {
    const mine = await connect(A.ports.ids, TLS12); // cached on A before the outage
    const outagesBefore = (await B.ask("stats")).stats.outages;
    await redis.stop();
    let completed = 0;
    for (let i = 0; i < 8; i++) {
      const first = await connect(A.ports.ids, TLS12);
      const atB = await connect(B.ports.ids, { ...TLS12, session: first.sessions[0] });
      assert.equal(atB.reused, false);
      completed += 2;
      if (i % 3 === 0) await sleep(120);
    }
    assert.equal(completed, 16, "every connection completed");
    assert.equal(
      (await connect(A.ports.ids, { ...TLS12, session: mine.sessions[0] })).reused,
      true,
      "what A had cached still resumes on A during the outage",
    );
    const st = (await B.ask("stats")).stats;
    assert.equal(st.outages, outagesBefore + 1, "one outage");
    assert.ok(st.storeErrors >= 1 && st.storeErrors + st.storeSkipped >= 8, "each lookup fell back, counted");
    redis = await startRedis(redis.port);
    await untilResumes();
    const { logs, stats } = await B.ask("stats");
    assert.equal(
      logs.filter((l) => /unavailable/.test(l)).length,
      2,
      "logged once per outage (two outages so far)",
    );
    assert.match(logs.at(-1), /back/);
    assert.ok(stats.storeHits >= 2);
  });
});

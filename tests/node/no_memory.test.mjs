// NO_MEMORY through a real node:tls server: with the module's memory limit set below what it
// already holds, the glue answers every handshake as a full one, counts it, and never crashes;
// once the limit is raised the stored session resumes again.
import { test } from "node:test";
import assert from "node:assert/strict";
import tls from "node:tls";
import crypto from "node:crypto";
import {
  SessionCache,
  attachSessionCache,
  setMemoryLimit,
  getMemoryLimit,
  rawExports,
} from "../../dist/index.js";
import { CERT, KEY, connect, listenLocal } from "./helpers.mjs";

// The client presents a certificate, which the server's session keeps: its DER (about 700
// bytes) needs a result buffer larger than the module's static 256 bytes, so handing a session
// over must allocate.
const CLIENT = { cert: CERT, key: KEY };

test("a memory limit below use: full handshakes, counted as noMemory, no crash; resumes once raised", async (t) => {
  const limit = getMemoryLimit();
  const cache = new SessionCache();
  const server = tls.createServer(
    {
      cert: CERT,
      key: KEY,
      ca: CERT,
      requestCert: true,
      rejectUnauthorized: false,
      secureOptions: crypto.constants.SSL_OP_NO_TICKET,
      maxVersion: "TLSv1.2",
    },
    (s) => s.end("hi"),
  );
  const logged = [];
  const detach = attachSessionCache(server, cache, { log: (m) => logged.push(m) });
  const port = await listenLocal(server);
  t.after(
    () =>
      new Promise((r) => {
        setMemoryLimit(limit);
        detach();
        cache.free();
        server.close(() => r(undefined));
      }),
  );

  const first = await connect(port, CLIENT);
  assert.equal(first.reused, false);
  assert.equal(cache.size, 1, "stored");
  const der = first.sessions[0];
  assert.equal((await connect(port, { ...CLIENT, session: der })).reused, true, "resumes normally");

  rawExports().tls_memory_trim(); // the result buffer back to its static 256 bytes
  setMemoryLimit(1024);
  const before = detach.stats();
  const offered = await connect(port, { ...CLIENT, session: der });
  assert.equal(offered.reused, false, "no memory to hand the session over: a full handshake");
  const fresh = await connect(port, CLIENT);
  assert.equal(fresh.reused, false, "a new client completes its handshake");
  const st = detach.stats();
  assert.ok(st.noMemory >= 3, `resume, newSession, newSession counted (${st.noMemory})`);
  assert.ok(st.refused - before.refused >= 1, "the offered session was refused");
  assert.equal(st.errors - before.errors, st.noMemory, "every error was a NO_MEMORY");
  assert.equal(st.stored, before.stored, "nothing stored without memory");
  assert.equal(st.resumed, before.resumed);
  assert.ok(logged.length >= 1 && /memory/i.test(logged[0]), "logged (rate-limited)");

  setMemoryLimit(limit);
  assert.equal((await connect(port, { ...CLIENT, session: der })).reused, true, "resumes once raised");
  assert.equal(cache.size, 1);
});

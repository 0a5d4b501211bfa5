// Shared helpers of the node:tls glue tests: the demo's throwaway localhost certificate, a server
// with our cache or fleet attached, and a client connection read to the end.
import tls from "node:tls";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The demo's throwaway localhost certificate (bindings/demo/credentials.ts), read as text.
const credentials = readFileSync(
  fileURLToPath(new URL("../../bindings/demo/credentials.ts", import.meta.url)),
  "utf8",
);
const pem = (label) => new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`).exec(credentials)[0];
export const CERT = pem("CERTIFICATE");
export const KEY = pem("PRIVATE KEY");

/**
 * Listens on a free port of 127.0.0.1 and resolves to that port.
 * @param {import("node:net").Server} server
 */
export async function listenLocal(server) {
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  return /** @type {import("node:net").AddressInfo} */ (server.address()).port;
}

/**
 * Listens on a free local port and, when the test ends, detaches the glue, frees `cache` (when
 * given: the caches the test made) and closes the server. Resolves to the port.
 * @param {import("node:test").TestContext} t
 * @param {import("node:net").Server} server
 * @param {{ detach(): void }} glue what attachSessionCache or attachFleet returned
 * @param {{ free(): void } | null} [cache]
 */
export async function serveForTest(t, server, glue, cache = null) {
  const port = await listenLocal(server);
  t.after(
    () =>
      new Promise((r) => {
        glue.detach();
        cache?.free();
        server.close(() => r(undefined));
      }),
  );
  return port;
}

/**
 * One connection read to the end: whether it resumed, its version, the sessions it got, its time.
 * @param {number} port
 * @param {import("node:tls").ConnectionOptions} [opts]
 * @param {{ connect(o: import("node:tls").ConnectionOptions): import("node:tls").TLSSocket }} [store]
 * @returns {Promise<{ reused: boolean, version: string, sessions: Buffer[], ms: number }>}
 */
export function connect(port, opts = {}, store) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const options = { host: "127.0.0.1", port, ca: CERT, servername: "localhost", ...opts };
    const socket = store ? store.connect(options) : tls.connect(options);
    const sessions = [];
    socket.on("session", (s) => sessions.push(s));
    socket.once("secureConnect", () => {
      const ms = performance.now() - t0;
      const reused = socket.isSessionReused();
      const version = socket.getProtocol();
      socket.on("data", () => {});
      socket.once("end", () => {
        socket.end();
        // TLS 1.3 tickets may arrive with the first data: wait a tick for the last one.
        setImmediate(() => resolve({ reused, version, sessions, ms }));
      });
    });
    socket.once("error", reject);
  });
}

/** The length of the first TLS record in `buf`, or -1 when its header is incomplete. */
function recordEnd(buf) {
  return buf.length < 5 ? -1 : 5 + buf.readUInt16BE(3);
}

/**
 * A TCP proxy in front of `port` that holds the client's first record (its ClientHello), hands it
 * to `first(bytes)` (which returns the chunks to send instead, each written after `gapMs`), then
 * relays everything. `flights` keeps every first record seen.
 */
export async function startFirstFlightProxy(port, first = (b) => [b], gapMs = 5) {
  const net = await import("node:net");
  const sockets = new Set();
  const flights = [];
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const up = net.connect(port, "127.0.0.1");
    up.setNoDelay(true);
    sockets.add(client).add(up);
    let held = Buffer.alloc(0),
      passed = false;
    client.on("data", async (d) => {
      if (passed) return void up.write(d);
      held = Buffer.concat([held, d]);
      const end = recordEnd(held);
      if (end < 0 || held.length < end) return;
      passed = true;
      flights.push(held.subarray(0, end));
      client.pause();
      for (const chunk of first(held.subarray(0, end))) {
        up.write(chunk);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      if (held.length > end) up.write(held.subarray(end));
      client.resume();
    });
    up.on("data", (d) => client.write(d));
    const end = () => {
      client.destroy();
      up.destroy();
    };
    client.on("error", end).on("close", end);
    up.on("error", end).on("close", end);
  });
  return {
    port: await listenLocal(server),
    flights,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}

/**
 * Sends raw bytes (a captured ClientHello) and reads the server's first handshake message:
 * { serverHello: true, hrr, psk } where `psk` says whether the ServerHello selected a
 * pre_shared_key, or { alert } / { closed }.
 */
export async function replay(port, bytes) {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => s.write(bytes));
    let buf = Buffer.alloc(0);
    const done = (v) => {
      s.destroy();
      resolve(v);
    };
    s.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const end = recordEnd(buf);
      if (end < 0 || buf.length < end) return;
      if (buf[0] === 21) return done({ alert: buf[6] });
      if (buf[0] !== 22 || buf[5] !== 2) return done({ other: buf[0] });
      done(parseServerHello(buf.subarray(9, end)));
    });
    s.on("error", () => done({ closed: true }));
    s.on("close", () => done({ closed: true }));
    s.setTimeout(3000, () => done({ timeout: true }));
  });
}

const HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

/** The extensions of a ServerHello body: which ones it has. */
export function parseServerHello(b) {
  let p = 2;
  const hrr = b.subarray(p, p + 32).toString("hex") === HRR_RANDOM;
  p += 32;
  p += 1 + b[p]; // legacy_session_id_echo
  p += 3; // cipher_suite, compression
  const end = p + 2 + b.readUInt16BE(p);
  p += 2;
  const types = [];
  while (p + 4 <= end) {
    types.push(b.readUInt16BE(p));
    p += 4 + b.readUInt16BE(p + 2);
  }
  return { serverHello: true, hrr, psk: types.includes(41), extensions: types };
}

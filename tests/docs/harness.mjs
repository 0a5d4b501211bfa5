// Runs one code block of the documentation (already compiled to ESM by docs.test.mjs) with what
// the documentation leaves to the reader: `cert`, `key`, `STORE_KEY`, `FLEET_SECRET`, `REDIS_URL`,
// `pemText`, `session`, `onConnection`, `log`. Servers a block starts on port 8443 get a free port
// instead, and connections to 8443 go to the server the block started (or to one the harness runs).
// Exits 0 once the block finished and nothing failed soon after; 1 on any error.
//   node tests/docs/harness.mjs BLOCK.mjs
import net from "node:net";
import tls from "node:tls";
import { syncBuiltinESMExports } from "node:module";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Session } from "tls-session-wasm";

const DOC_PORT = 8443;
const creds = readFileSync(new URL("../../bindings/demo/credentials.ts", import.meta.url), "utf8");
const pemOf = (label) =>
  new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`).exec(creds)[0];

// A server for blocks that connect without starting one: node:tls with its own tickets.
const fallback = tls.createServer({ cert: pemOf("CERTIFICATE"), key: pemOf("PRIVATE KEY") }, (s) =>
  s.end("hello\n"),
);
await new Promise((r) => fallback.listen(0, "127.0.0.1", () => r(undefined)));
/** @param {net.Server} s */
const portOf = (s) => /** @type {net.AddressInfo} */ (s.address()).port;
fallback.unref();
let docServerPort = null;

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const wantsDocPort = args[0] === DOC_PORT || args[0]?.port === DOC_PORT;
  if (wantsDocPort) {
    args[0] = typeof args[0] === "object" ? { ...args[0], port: 0 } : 0;
    this.once("listening", () => {
      docServerPort = portOf(this);
    });
    this.unref();
  }
  return listen.apply(this, args);
};
const connect = tls.connect;
tls.connect = function (...args) {
  const o = args.find((a) => a && typeof a === "object");
  if (o && Number(o.port) === DOC_PORT) o.port = docServerPort ?? portOf(fallback);
  return connect.apply(this, args);
};
syncBuiltinESMExports();

function samplePem() {
  const s = Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1301;
  s.id = randomBytes(32);
  s.masterKey = randomBytes(32);
  s.hostname = "example.com";
  s.alpn = "h2";
  s.time = Math.floor(Date.now() / 1000);
  s.timeout = 7200;
  s.ticket = randomBytes(64);
  try {
    return s.toPEM();
  } finally {
    s.free();
  }
}
function sampleSession() {
  const s = Session.new();
  s.protocolVersion = 0x0303;
  s.cipherSuite = 0xc02f;
  s.id = randomBytes(32);
  s.masterKey = randomBytes(48);
  s.time = Math.floor(Date.now() / 1000);
  s.timeout = 300;
  return s;
}

Object.assign(globalThis, {
  cert: pemOf("CERTIFICATE"),
  key: pemOf("PRIVATE KEY"),
  STORE_KEY: randomBytes(32),
  FLEET_SECRET: randomBytes(32),
  REDIS_URL: process.env.DOC_REDIS_URL ?? "redis://127.0.0.1:1",
  pemText: samplePem(),
  session: sampleSession(),
  onConnection: (socket) => socket.end("hello\n"),
  log: () => {},
});

let failed = false;
const fail = (e) => {
  failed = true;
  console.error(e);
  process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
await import(pathToFileURL(process.argv[2]).href);
// Let what the block started settle (late errors are failures), then end: servers stay up otherwise.
setTimeout(() => process.exit(failed ? 1 : 0), 300);

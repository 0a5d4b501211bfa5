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

/** One connection read to the end: whether it resumed, its version, the sessions it got, its time. */
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

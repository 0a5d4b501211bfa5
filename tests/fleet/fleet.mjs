// Test helpers: fleet server processes (tests/fleet/server.mjs) and TLS clients.
import { fork } from "node:child_process";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const credentials = readFileSync(
  fileURLToPath(new URL("../../bindings/demo/credentials.ts", import.meta.url)),
  "utf8",
);
export const CERT = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(credentials)[0];

/** Forks one fleet server; resolves when it listens. `ask(cmd, args)` talks to it over IPC. */
export async function startFleetServer(config) {
  const child = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), [], {
    env: { ...process.env, FLEET_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const ready = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`fleet server exited with ${code}`)));
    child.on("message", (m) => {
      if (m.ready) resolve(m);
    });
  });
  let next = 1;
  const pending = new Map();
  child.on("message", (m) => {
    if (m.re && pending.has(m.re)) {
      pending.get(m.re)(m);
      pending.delete(m.re);
    }
  });
  const ask = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const re = next++;
      pending.set(re, (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      child.send({ cmd, re, ...args });
    });
  return {
    ports: ready.ports,
    pid: child.pid,
    ask,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
      await exited;
    },
  };
}

/** One connection read to the end: whether it resumed, its version, the sessions it got, its time. */
export function connect(port, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = tls.connect({ host: "127.0.0.1", port, ca: CERT, servername: "localhost", ...opts });
    const sessions = [];
    socket.on("session", (s) => sessions.push(s));
    socket.once("secureConnect", () => {
      const ms = performance.now() - t0;
      const reused = socket.isSessionReused();
      const version = socket.getProtocol();
      socket.on("data", () => {});
      socket.once("end", () => {
        socket.end();
        resolve({ reused, version, sessions, ms });
      });
    });
    socket.once("error", reject);
  });
}

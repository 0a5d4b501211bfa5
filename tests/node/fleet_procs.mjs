// Test helpers: fleet server processes (fleet_server.mjs) and TLS clients.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Forks one fleet server; resolves when it listens. `ask(cmd, args)` talks to it over IPC. */
export async function startFleetServer(config) {
  const child = fork(fileURLToPath(new URL("./fleet_server.mjs", import.meta.url)), [], {
    env: { ...process.env, FLEET_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const ready = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`fleet server exited with ${code}`)));
    child.on("message", (/** @type {any} */ m) => {
      if (m.ready) resolve(m);
    });
  });
  let next = 1;
  const pending = new Map();
  child.on("message", (/** @type {any} */ m) => {
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

export { connect, CERT } from "./helpers.mjs";

// Builds the C harnesses of tests/oracle/ (linked with the system libssl) into tests/oracle/bin/.
// A binary is rebuilt only when its .c file is newer. Used by the differential fuzz test and the bench.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Thrown when the machine lacks what the harnesses need; callers decide whether that skips or fails. */
export class OracleUnavailableError extends Error {
  constructor(message) {
    super(message);
    this.name = "OracleUnavailableError";
  }
}

function which(cmd) {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
  return !r.error;
}

/**
 * Returns the path of tests/oracle/bin/<name>, compiling tests/oracle/<name>.c first if the binary is
 * missing or older than its source or tests/oracle/harness.h. Throws OracleUnavailableError if gcc or libssl-dev is missing.
 */
export function buildOracle(name) {
  const src = join(here, `${name}.c`);
  const binDir = join(here, "bin");
  const out = join(binDir, name);
  if (!existsSync(src)) throw new Error(`buildOracle: no source ${src}`);
  const header = join(here, "harness.h");
  const newest = Math.max(statSync(src).mtimeMs, existsSync(header) ? statSync(header).mtimeMs : 0);
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return out;

  if (!which("gcc")) {
    throw new OracleUnavailableError(
      "gcc not found: the OpenSSL oracle needs gcc and libssl-dev (apt-get install -y gcc libssl-dev)",
    );
  }
  mkdirSync(binDir, { recursive: true });
  // -rdynamic exports the harness's own time() so libssl's time(NULL) calls use the fixed clock.
  const args = ["-O2", "-Wall", "-rdynamic", "-o", out, src, "-lssl", "-lcrypto"];
  const r = spawnSync("gcc", args, { encoding: "utf8" });
  if (r.status !== 0) {
    const log = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (/openssl\/\w+\.h: No such file|cannot find -l(ssl|crypto)/.test(log)) {
      throw new OracleUnavailableError(
        `libssl-dev not found (apt-get install -y libssl-dev); gcc said:\n${log}`,
      );
    }
    throw new Error(`gcc failed building ${name}:\n${log}`);
  }
  return out;
}

/** True if the `openssl` command-line tool runs. */
export function haveOpensslCli() {
  const r = spawnSync("openssl", ["version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

/**
 * One verdict of the d2i oracle (see runD2iOracle).
 * @typedef {{
 *   ok: boolean,
 *   consumed?: number,
 *   der?: string,
 *   reason?: string,
 *   getters?: Map<string, string>,
 *   text?: Buffer,
 * }} D2iVerdict
 */

/**
 * Runs the d2i oracle over many blobs in one process. `items` are Uint8Arrays (DER),
 * `{ pem: string }` or `{ setters: string }` (an S line: SSL_SESSION_new and setters, see
 * d2i_oracle.c). Returns one verdict per item: `{ ok: true, consumed, der: hex }` or
 * `{ ok: false, reason }`. With `getters`, an accepted item also carries `getters` (a Map of
 * every public getter's value as the oracle prints it) and `text` (SSL_SESSION_print's bytes).
 * @param {(Uint8Array | { pem?: string, setters?: string })[]} items
 * @param {{ now?: number, getters?: boolean }} [opts]
 * @returns {D2iVerdict[]}
 */
export function runD2iOracle(items, { now = 1700000000, getters = false } = {}) {
  const bin = buildOracle("d2i_oracle");
  const input =
    items
      .map((it) =>
        it instanceof Uint8Array
          ? Buffer.from(it).toString("hex")
          : it.setters !== undefined
            ? `S ${it.setters}`
            : `P ${Buffer.from(it.pem, "latin1").toString("hex")}`,
      )
      .join("\n") + "\n";
  const args = ["--now", String(now)];
  if (getters) args.push("--getters");
  const stdout = execFileSync(bin, args, { input, encoding: "utf8", maxBuffer: 1 << 30 });
  const lines = stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith("OK ")) {
      const [, consumed, der] = l.split(" ");
      /** @type {D2iVerdict} */
      const v = { ok: true, consumed: Number(consumed), der: der === "-" ? "" : der };
      if (getters) {
        const g = lines[++i] ?? "",
          t = lines[++i] ?? "";
        if (!g.startsWith("G ") || !t.startsWith("T "))
          throw new Error(`d2i_oracle: getter lines missing after item ${out.length}`);
        v.getters = new Map(
          g
            .slice(2)
            .split(" ")
            .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
        );
        v.text = Buffer.from(t.slice(2), "hex");
      }
      out.push(v);
    } else if (l.startsWith("ERR ")) out.push({ ok: false, reason: l.slice(4) });
    else throw new Error(`d2i_oracle: unexpected line ${JSON.stringify(l.slice(0, 80))}`);
  }
  if (out.length !== items.length) {
    throw new Error(`d2i_oracle answered ${out.length} records for ${items.length} blobs`);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const n of process.argv.slice(2).length ? process.argv.slice(2) : ["d2i_oracle"]) {
    console.log(buildOracle(n));
  }
}

// `tls-session`: inspect and convert OpenSSL session blobs, like `openssl sess_id`.
//
//   tls-session inspect [--json] [--show-secrets] [--inform der|pem|auto] [--now T] FILE|-
//   tls-session convert --to der|pem [--inform der|pem|auto] [--now T] [-o OUT] FILE|-
//
// Exit status 0 on success, 1 on bad input (one line on stderr saying what and where),
// 2 on bad usage.

import { writeFileSync } from "node:fs";
import { TlsSessionError, sessionToJSON, sessionToText } from "../index.js";
import { readInput, decodeInput, type InputForm } from "./input.js";
import { CacheSim } from "./cache_sim.js";
import { runTicket } from "./ticket.js";

const USAGE = `usage:
  tls-session cache-sim FILE|-
  tls-session ticket open --keys KEYFILE [--json] [--raw] TICKETFILE
  tls-session ticket seal --keys KEYFILE SESSIONFILE
  tls-session inspect [--json] [--show-secrets] [--inform der|pem|auto] [--now T] FILE|-
  tls-session convert --to der|pem [--inform der|pem|auto] [--now T] [-o OUT] FILE|-`;

class UsageError extends Error {}

interface Args {
  command: string;
  file: string;
  flags: Map<string, string | true>;
}

const VALUED = new Set(["--inform", "--now", "--to", "-o"]);
const BOOLEAN = new Set(["--json", "--show-secrets"]);

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help") throw new UsageError("");
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (VALUED.has(a)) {
      if (i + 1 >= rest.length) throw new UsageError(`${a} needs a value`);
      flags.set(a, rest[++i]);
    } else if (BOOLEAN.has(a)) flags.set(a, true);
    else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError("give exactly one FILE (or - for standard input)");
  return { command, file: positional[0], flags };
}

function inform(args: Args): InputForm {
  const v = args.flags.get("--inform") ?? "auto";
  if (v !== "der" && v !== "pem" && v !== "auto") throw new UsageError("--inform must be der, pem or auto");
  return v;
}

function now(args: Args): bigint | undefined {
  const v = args.flags.get("--now");
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^-?\d+$/.test(v))
    throw new UsageError("--now must be an integer (seconds since the epoch)");
  return BigInt(v);
}

function run(argv: string[]): number {
  if (argv[0] === "ticket") return runTicket(argv.slice(1));
  if (argv[0] === "cache-sim") {
    if (argv.length !== 2) throw new UsageError("cache-sim takes one FILE (or -)");
    const sim = new CacheSim();
    sim.run(new TextDecoder().decode(readInput(argv[1])));
    process.stdout.write(sim.out.join("\n") + "\n");
    return 0;
  }
  const args = parseArgs(argv);
  if (args.command !== "inspect" && args.command !== "convert")
    throw new UsageError(`unknown command ${args.command}`);
  const form = inform(args);
  const clock = now(args);
  let to: string | undefined;
  if (args.command === "convert") {
    const t = args.flags.get("--to");
    if (t !== "der" && t !== "pem") throw new UsageError("convert needs --to der or --to pem");
    to = t;
  }
  const bytes = readInput(args.file);
  const session = decodeInput(bytes, form, clock);
  try {
    if (args.command === "inspect") {
      if (args.flags.has("--json")) {
        process.stdout.write(
          JSON.stringify(sessionToJSON(session, { showSecrets: args.flags.has("--show-secrets") }), null, 2) +
            "\n",
        );
      } else {
        process.stdout.write(sessionToText(session));
      }
    } else {
      const out: Uint8Array | string = to === "pem" ? session.toPEM() : session.toDER();
      const target = args.flags.get("-o");
      if (typeof target === "string" && target !== "-") writeFileSync(target, out);
      else process.stdout.write(out);
    }
  } finally {
    session.free();
  }
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    if (e.message) process.stderr.write(`tls-session: ${e.message}\n`);
    process.stderr.write(USAGE + "\n");
    process.exitCode = 2;
  } else if (e instanceof TlsSessionError) {
    process.stderr.write(`tls-session: ${e.code}: ${e.message}\n`);
    process.exitCode = 1;
  } else if (
    e instanceof Error &&
    "code" in e &&
    typeof (e as any).code === "string" &&
    (e as any).code.startsWith("E")
  ) {
    process.stderr.write(`tls-session: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}

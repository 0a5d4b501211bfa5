// `tls-session`: inspect and convert OpenSSL session blobs, like `openssl sess_id`; run cache
// scenarios; open and seal tickets. `tls-session --help` lists the commands, `tls-session
// COMMAND --help` explains one.
//
// Exit status 0 on success, 1 on bad input (one line on stderr saying what and where),
// 2 on bad usage. A user's mistake never prints a stack trace.

import { writeFileSync } from "node:fs";
import { TlsSessionError, sessionToJSON, sessionToText } from "../index.js";
import { readInput, decodeInput, type InputForm } from "./input.js";
import { CacheSim } from "./cache_sim.js";
import { runTicket } from "./ticket.js";
import { COMMANDS, USAGE, UsageError, findCommand, helpOf, parseCommand, type Parsed } from "./args.js";

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "unknown";

function inform(p: Parsed): InputForm {
  const v = p.values.inform ?? "auto";
  if (v !== "der" && v !== "pem" && v !== "auto") throw new UsageError("--inform must be der, pem or auto");
  return v;
}

function now(p: Parsed): bigint | undefined {
  const v = p.values.now;
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^-?\d+$/.test(v))
    throw new UsageError("--now must be an integer (seconds since the epoch)");
  return BigInt(v);
}

function inspect(p: Parsed): number {
  const form = inform(p);
  const clock = now(p);
  const session = decodeInput(readInput(p.positionals[0]), form, clock);
  try {
    const showSecrets = p.values["show-secrets"] === true;
    if (p.values.json) {
      process.stdout.write(JSON.stringify(sessionToJSON(session, { showSecrets }), null, 2) + "\n");
    } else {
      process.stdout.write(sessionToText(session, { showSecrets }));
    }
  } finally {
    session.free();
  }
  return 0;
}

function convert(p: Parsed): number {
  const to = p.values.to;
  if (to !== "der" && to !== "pem") throw new UsageError("convert needs --to der or --to pem");
  const form = inform(p);
  const clock = now(p);
  const session = decodeInput(readInput(p.positionals[0]), form, clock);
  try {
    const out: Uint8Array | string = to === "pem" ? session.toPEM() : session.toDER();
    const target = p.values.out;
    if (typeof target === "string" && target !== "-") writeFileSync(target, out);
    else process.stdout.write(out);
  } finally {
    session.free();
  }
  return 0;
}

function cacheSim(p: Parsed): number {
  const sim = new CacheSim();
  sim.run(new TextDecoder().decode(readInput(p.positionals[0])));
  process.stdout.write(sim.out.join("\n") + "\n");
  if (sim.errors.length === 0) return 0;
  const [first] = sim.errors;
  process.stderr.write(
    `tls-session: cache-sim: ${sim.errors.length} line${sim.errors.length === 1 ? "" : "s"} could not run ` +
      `(first: line ${first.line}: ${first.message})\n`,
  );
  return 1;
}

function run(argv: string[]): number {
  const [first] = argv;
  if (first === undefined) {
    process.stderr.write(USAGE + "\n");
    return 2;
  }
  if (first === "-h" || first === "--help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (first === "--version" || first === "-V" || first === "version") {
    process.stdout.write(`tls-session ${VERSION}\n`);
    return 0;
  }
  if (first === "help") {
    if (argv.length === 1) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    const found = findCommand(argv.slice(1));
    if (!found) throw new UsageError(`no command named ${JSON.stringify(argv.slice(1).join(" "))}`);
    process.stdout.write(helpOf(found.command));
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    if (first === "ticket") {
      if (argv.length === 1 || argv[1] === "-h" || argv[1] === "--help") {
        const text = COMMANDS.filter((c) => c.name.startsWith("ticket "))
          .map(helpOf)
          .join("\n");
        (argv.length === 1 ? process.stderr : process.stdout).write(text);
        return argv.length === 1 ? 2 : 0;
      }
      throw new UsageError(`unknown ticket command ${JSON.stringify(argv[1])} (open or seal)`);
    }
    if (first.startsWith("-")) throw new UsageError(`unknown option ${first} (give a command first)`);
    const guess = /[./\\]/.test(first) ? ` (to inspect a file: tls-session inspect ${first})` : "";
    throw new UsageError(`unknown command ${JSON.stringify(first)}${guess}`);
  }
  const { command, rest } = found;
  const parsed = parseCommand(command, rest);
  if (parsed.help) {
    process.stdout.write(helpOf(command));
    return 0;
  }
  try {
    switch (command.name) {
      case "inspect":
        return inspect(parsed);
      case "convert":
        return convert(parsed);
      case "cache-sim":
        return cacheSim(parsed);
      default:
        return runTicket(command.name === "ticket open" ? "open" : "seal", parsed);
    }
  } catch (e) {
    if (e instanceof UsageError && e.command === undefined) throw new UsageError(e.message, command.name);
    throw e;
  }
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`tls-session: ${e.message}\n`);
    const found = e.command ? COMMANDS.find((c) => c.name === e.command) : undefined;
    process.stderr.write(
      found ? `usage: ${found.synopsis}\n(tls-session ${found.name} --help explains it)\n` : `${USAGE}\n`,
    );
    process.exitCode = 2;
  } else if (e instanceof TlsSessionError) {
    process.stderr.write(`tls-session: ${e.code}: ${e.message}\n`);
    process.exitCode = 1;
  } else if (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === "string" &&
    ((e as NodeJS.ErrnoException).code ?? "").startsWith("E")
  ) {
    process.stderr.write(`tls-session: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write("tls-session: internal error (please report it):\n");
    throw e;
  }
}

// The command line: one `node:util` parseArgs for every command, its help texts, and the errors
// a user can make (UsageError: exit 2, one line and a pointer to the help; no stack trace).

import { parseArgs } from "node:util";

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

type OptionSpec = { type: "string" | "boolean"; short?: string };

interface Command {
  /** "inspect", "ticket open", ... */
  name: string;
  synopsis: string;
  /** What it does, and its options, one per line. */
  help: string;
  options: Record<string, OptionSpec>;
  /** How many positional arguments (FILE, -). */
  positionals: number;
}

const INFORM = "  --inform der|pem|auto  the input's form (default auto: PEM, DER or bare base64)";
const NOW =
  "  --now T                 seconds since the epoch the decoder takes as now, for a session\n" +
  "                          without a time (default: the clock); negative values work (--now -5)";

export const COMMANDS: Command[] = [
  {
    name: "inspect",
    synopsis: "tls-session inspect [--json] [--show-secrets] [--inform der|pem|auto] [--now T] FILE|-",
    help:
      "Prints a session blob as `openssl sess_id -text -noout` does, or with --json as one object.\n" +
      "The master key / resumption PSK is hidden unless --show-secrets is given; with it the text\n" +
      "is identical to OpenSSL's.\n\n" +
      "  --json                  one JSON object (keys: see the README)\n" +
      "  --show-secrets          print the master key / resumption PSK\n" +
      `${INFORM}\n${NOW}`,
    options: {
      json: { type: "boolean" },
      "show-secrets": { type: "boolean" },
      inform: { type: "string" },
      now: { type: "string" },
    },
    positionals: 1,
  },
  {
    name: "convert",
    synopsis: "tls-session convert --to der|pem [--inform der|pem|auto] [--now T] [-o OUT] FILE|-",
    help:
      "Decodes a session blob and writes it again, as DER or PEM (never passes bytes through).\n" +
      "The output is the session itself, secrets included.\n\n" +
      "  --to der|pem            the output form (required)\n" +
      "  -o, --out OUT           write to OUT instead of standard output\n" +
      `${INFORM}\n${NOW}`,
    options: {
      to: { type: "string" },
      out: { type: "string", short: "o" },
      inform: { type: "string" },
      now: { type: "string" },
    },
    positionals: 1,
  },
  {
    name: "cache-sim",
    synopsis: "tls-session cache-sim FILE|-",
    help:
      "Replays what OpenSSL 3.0's session cache would do: runs a cache scenario (the language of\n" +
      "tests/vectors/cache_scenarios/README.md) against the session cache and prints its full\n" +
      "trace, with OpenSSL's return values, every callback and every reference drop (RELEASE),\n" +
      "frees included. A line that cannot run prints `= error MESSAGE` in the trace, the scenario\n" +
      "goes on, and the exit status is 1.",
    options: {},
    positionals: 1,
  },
  {
    name: "ticket open",
    synopsis: "tls-session ticket open --keys KEYFILE [--json | --raw] [--show-secrets] TICKETFILE|-",
    help:
      "Opens a session ticket with a raw key file (48 bytes: Node's ticketKeys, BoringSSL; 80 bytes:\n" +
      "OpenSSL's SSL_CTX_set_tlsext_ticket_keys) and prints the session inside as `inspect` does.\n" +
      "A ticket that does not open exits 1 with the reason.\n\n" +
      "  --keys KEYFILE          the key file (required)\n" +
      "  --json                  one JSON object, as `inspect --json`\n" +
      "  --raw                   write the session's DER itself (secrets included)\n" +
      "  --show-secrets          print the master key / resumption PSK",
    options: {
      keys: { type: "string" },
      json: { type: "boolean" },
      raw: { type: "boolean" },
      "show-secrets": { type: "boolean" },
    },
    positionals: 1,
  },
  {
    name: "ticket seal",
    synopsis: "tls-session ticket seal --keys KEYFILE SESSIONFILE|-",
    help:
      "Seals a session (PEM, DER or base64) into a ticket with a raw key file and writes the\n" +
      "ticket's bytes to standard output.\n\n" +
      "  --keys KEYFILE          the key file (required)",
    options: { keys: { type: "string" } },
    positionals: 1,
  },
];

export const USAGE =
  "usage: tls-session COMMAND [OPTIONS] FILE|-\n\n" +
  COMMANDS.map((c) => "  " + c.synopsis).join("\n") +
  "\n  tls-session help [COMMAND]    (or COMMAND --help)\n  tls-session --version\n\n" +
  "FILE - reads standard input. Exit status: 0 ok, 1 bad input, 2 bad usage.";

export function helpOf(c: Command): string {
  return `usage: ${c.synopsis}\n\n${c.help}\n`;
}

export function findCommand(words: string[]): { command: Command; rest: string[] } | null {
  for (const c of COMMANDS) {
    const parts = c.name.split(" ");
    if (parts.every((p, i) => words[i] === p)) return { command: c, rest: words.slice(parts.length) };
  }
  return null;
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses a command's arguments. A value option takes the next argument whatever it looks like, so
 * `--now -5` and `-o -` work (parseArgs on Node 20 refuses a value starting with "-" in strict mode).
 */
export function parseCommand(c: Command, argv: string[]): Parsed {
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(c.options)) if (spec.short) byShort.set(spec.short, name);
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      joined.push(...argv.slice(i));
      break;
    }
    const name = a.startsWith("--")
      ? a.slice(2)
      : a.length === 2 && a[0] === "-"
        ? byShort.get(a[1])
        : undefined;
    if (name !== undefined && c.options[name]?.type === "string") {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`, c.name);
      joined.push(`--${name}=${argv[++i]}`);
    } else joined.push(a);
  }
  let r: { values: Record<string, unknown>; positionals: string[] };
  try {
    r = parseArgs({
      args: joined,
      options: { ...c.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const m = /'(-[^' ]*)/.exec((e as Error).message);
    const opt = m ? m[1] : "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new UsageError(`unknown option ${opt} for ${c.name}`, c.name);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
      throw new UsageError(
        c.options[opt.replace(/^-+/, "")]?.type === "boolean"
          ? `${opt} takes no value`
          : `${opt} needs a value`,
        c.name,
      );
    throw new UsageError((e as Error).message, c.name);
  }
  const values = r.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  if (!help && r.positionals.length !== c.positionals)
    throw new UsageError(
      r.positionals.length === 0
        ? `${c.name} needs a FILE (or - for standard input)`
        : `${c.name} takes one FILE, not ${r.positionals.length}: ${r.positionals.join(" ")}`,
      c.name,
    );
  return { values, positionals: r.positionals, help };
}

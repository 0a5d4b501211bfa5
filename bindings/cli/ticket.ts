// `tls-session ticket ...`: open and seal session tickets with a raw key file.
//
//   tls-session ticket open --keys KEYFILE [--json] [--raw] TICKETFILE|-
//   tls-session ticket seal --keys KEYFILE SESSIONFILE|-
//
// KEYFILE holds the raw key bytes: 48 (Node's ticketKeys, BoringSSL: AES-128) or 80 (OpenSSL's
// SSL_CTX_set_tlsext_ticket_keys: AES-256), the layout chosen by length. `open` prints the session
// inside as `inspect` does (or, with --raw, writes the plaintext DER itself to stdout); a ticket that
// does not open exits 1 with "refused" on stderr. `seal` writes the ticket bytes to stdout.
// Exit status: 0 ok, 1 refused or bad input, 2 bad usage.

import { readFileSync } from "node:fs";
import { TicketKeys, sessionToJSON, sessionToText } from "../index.js";
import { readInput, decodeInput } from "./input.js";

const USAGE = `usage:
  tls-session ticket open --keys KEYFILE [--json] [--raw] TICKETFILE|-
  tls-session ticket seal --keys KEYFILE SESSIONFILE|-`;

function usage(message: string): number {
  if (message) process.stderr.write(`tls-session: ${message}\n`);
  process.stderr.write(USAGE + "\n");
  return 2;
}

/** Runs `ticket ...` (argv without the leading "ticket"); returns the exit status. */
export function runTicket(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub !== "open" && sub !== "seal") return usage(sub ? `unknown ticket command ${sub}` : "");
  let keyFile: string | undefined;
  let json = false,
    raw = false;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--keys") {
      if (i + 1 >= rest.length) return usage("--keys needs a value");
      keyFile = rest[++i];
    } else if (a === "--json" && sub === "open") json = true;
    else if (a === "--raw" && sub === "open") raw = true;
    else if (a.startsWith("-") && a !== "-") return usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (!keyFile) return usage("--keys KEYFILE is required");
  if (positional.length !== 1) return usage("give exactly one FILE (or - for standard input)");
  if (json && raw) return usage("--json and --raw exclude each other");
  const keyBytes = new Uint8Array(readFileSync(keyFile));
  if (keyBytes.length !== 48 && keyBytes.length !== 80) {
    process.stderr.write(
      `tls-session: ${keyFile}: a key file holds 48 (Node, BoringSSL) or 80 (OpenSSL) bytes, not ${keyBytes.length}\n`,
    );
    return 1;
  }
  const keys = TicketKeys.from(keyBytes, { layout: keyBytes.length as 48 | 80 });
  keyBytes.fill(0);
  try {
    const input = readInput(positional[0]);
    if (sub === "seal") {
      const session = decodeInput(input, "auto");
      try {
        process.stdout.write(keys.seal(session));
      } finally {
        session.free();
      }
      return 0;
    }
    if (raw) {
      const der = keys.openRaw(input);
      if (!der) {
        process.stderr.write(`tls-session: refused (${keys.lastRefusal})\n`);
        return 1;
      }
      process.stdout.write(der);
      return 0;
    }
    const opened = keys.open(input);
    if (!opened) {
      process.stderr.write(`tls-session: refused (${keys.lastRefusal})\n`);
      return 1;
    }
    try {
      if (json)
        process.stdout.write(
          JSON.stringify(sessionToJSON(opened.session, { showSecrets: false }), null, 2) + "\n",
        );
      else process.stdout.write(sessionToText(opened.session));
    } finally {
      opened.session.free();
    }
    return 0;
  } finally {
    keys.free();
  }
}

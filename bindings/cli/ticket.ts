// `tls-session ticket open|seal`: open and seal session tickets with a raw key file.
//
// KEYFILE holds the raw key bytes: 48 (Node's ticketKeys, BoringSSL: AES-128) or 80 (OpenSSL's
// SSL_CTX_set_tlsext_ticket_keys: AES-256), the layout chosen by length. `open` prints the session
// inside as `inspect` does (secrets hidden unless --show-secrets), or with --raw writes the
// plaintext DER itself to stdout; a ticket that does not open exits 1 with "refused" on stderr.
// `seal` writes the ticket bytes to stdout.

import { readFileSync } from "node:fs";
import { TicketKeys, sessionToJSON, sessionToText } from "../index.js";
import { readInput, decodeInput } from "./input.js";
import { UsageError, type Parsed } from "./args.js";

/** Runs `ticket open` or `ticket seal` with parsed arguments; returns the exit status. */
export function runTicket(sub: "open" | "seal", p: Parsed): number {
  const keyFile = p.values.keys;
  if (typeof keyFile !== "string") throw new UsageError("--keys KEYFILE is required");
  const json = p.values.json === true,
    raw = p.values.raw === true,
    showSecrets = p.values["show-secrets"] === true;
  if (json && raw) throw new UsageError("--json and --raw exclude each other");
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
    const input = readInput(p.positionals[0]);
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
        process.stdout.write(JSON.stringify(sessionToJSON(opened.session, { showSecrets }), null, 2) + "\n");
      else process.stdout.write(sessionToText(opened.session, { showSecrets }));
    } finally {
      opened.session.free();
    }
    return 0;
  } finally {
    keys.free();
  }
}

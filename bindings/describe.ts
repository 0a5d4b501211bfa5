// The session as data: the JSON object of `tls-session inspect --json`, and the text of
// `openssl sess_id -text` (SSL_SESSION_print), for the CLI and the web page alike.

import { type Session, PROTOCOL_NAMES } from "./session.js";
import { wasm } from "./load.js";
import { SessionInt } from "./abi.js";
import { sha256 } from "./crypto.js";
import { VERIFY_TEXT } from "./verify_texts.js";

const hex = (b: Uint8Array | null): string | null =>
  b === null ? null : Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** 64-bit values print as numbers while exact, as decimal strings beyond 2^53. */
const num = (v: bigint): number | string =>
  v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();

export interface SessionJSON {
  protocol: string;
  version: number;
  cipher: string | null;
  cipherId: string | null;
  sessionId: string;
  sidCtx: string;
  masterKey: string | null;
  time: number | string;
  timeout: number | string;
  peerCertificateSha256: string | null;
  verifyResult: number;
  hostname: string | null;
  alpn: string | null;
  /** The ALPN protocol as text ("h2") when every byte is printable ASCII, else null. */
  alpnText: string | null;
  ticket: string | null;
  ticketLifetimeHint: number | string;
  ticketAgeAdd: number;
  maxEarlyData: number;
  extendedMasterSecret: boolean;
  kexGroup: number;
  maxFragmentLength: number;
  compression: number;
  pskIdentityHint: string | null;
  pskIdentity: string | null;
  srpUsername: string | null;
  ticketAppData: string | null;
  resumable: boolean;
  bytesConsumed: number;
}

/** The ALPN protocol id as text when every byte is printable ASCII ("h2", "http/1.1"), else null. */
export function alpnText(alpn: Uint8Array | null): string | null {
  if (alpn === null || alpn.length === 0) return null;
  for (const c of alpn) if (c < 0x20 || c > 0x7e) return null;
  return String.fromCharCode(...alpn);
}

export interface DescribeOptions {
  /** Include the master key (TLS 1.2) / resumption PSK (TLS 1.3). Default false. */
  showSecrets?: boolean;
}

/** The session as plain data (`tls-session inspect --json`); the master key only with `showSecrets`. */
export function sessionToJSON(s: Session, opts: DescribeOptions = {}): SessionJSON {
  const suite = s.cipherSuite;
  const alpn = s.alpn;
  const peer = s.peerCertificate;
  return {
    protocol: s.protocol,
    version: s.protocolVersion,
    cipher: s.cipherName,
    cipherId: suite === null ? null : suite.toString(16).toUpperCase().padStart(4, "0"),
    sessionId: hex(s.id)!,
    sidCtx: hex(s.sidCtx)!,
    masterKey: opts.showSecrets ? hex(s.masterKey) : null,
    time: num(s.time),
    timeout: num(s.timeout),
    peerCertificateSha256: peer === null ? null : hex(sha256(peer)),
    verifyResult: s.verifyResult,
    hostname: s.hostname,
    alpn: hex(alpn),
    alpnText: alpnText(alpn),
    ticket: hex(s.ticket),
    ticketLifetimeHint: num(s.ticketLifetimeHint),
    ticketAgeAdd: s.ticketAgeAdd,
    maxEarlyData: s.maxEarlyData,
    extendedMasterSecret: s.extendedMasterSecret,
    kexGroup: s.kexGroup,
    maxFragmentLength: s.maxFragmentLength,
    compression: s.compression,
    pskIdentityHint: s.pskIdentityHint,
    pskIdentity: s.pskIdentity,
    srpUsername: s.srpUsername,
    ticketAppData: hex(s.ticketAppData),
    resumable: s.resumable,
    bytesConsumed: s.bytesConsumed,
  };
}

const upperHex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, "0")).join("");

/** The hexdump BIO_dump_indent writes for the ticket: 16 bytes a line, offset, hex, ASCII. */
function dump(b: Uint8Array, indent: number): string {
  let out = "";
  for (let off = 0; off < b.length; off += 16) {
    const row = b.subarray(off, off + 16);
    let line = " ".repeat(indent) + off.toString(16).padStart(4, "0") + " - ";
    for (let i = 0; i < 16; i++) {
      if (i < row.length) line += row[i].toString(16).padStart(2, "0") + (i === 7 ? "-" : " ");
      else line += "   ";
    }
    line += "  ";
    for (const c of row) line += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : ".";
    out += line + "\n";
  }
  return out;
}

/**
 * The text of SSL_SESSION_print (what `openssl sess_id -text -noout` shows). The master key line
 * reads "(hidden)" unless `showSecrets` is given; with it the text is OpenSSL's byte for byte (as
 * latin1). libssl 3.0 writes it in pieces and stops at the first piece that writes nothing, so an
 * empty PSK identity, hint or SRP username (or an empty ticket) ends the text after its label.
 */
export function sessionToText(s: Session, opts: DescribeOptions = {}): string {
  const tls13 = s.protocolVersion === 0x0304;
  const suite = s.cipherSuite;
  const cString = (v: string | null) => {
    if (v === null) return "None";
    const nul = v.indexOf("\0");
    return nul < 0 ? v : v.slice(0, nul);
  };
  let t = "SSL-Session:\n";
  t += `    Protocol  : ${PROTOCOL_NAMES[s.protocolVersion] ?? "unknown"}\n`;
  if (suite === null) t += "    Cipher    : 0000\n";
  else t += `    Cipher    : ${s.cipherName ?? suite.toString(16).toUpperCase().padStart(4, "0")}\n`;
  t += `    Session-ID: ${upperHex(s.id)}`;
  t += `\n    Session-ID-ctx: ${upperHex(s.sidCtx)}`;
  t += `\n    ${tls13 ? "Resumption PSK" : "Master-Key"}: ${opts.showSecrets ? upperHex(s.masterKey) : "(hidden)"}`;
  for (const [label, v] of [
    ["PSK identity", s.pskIdentity],
    ["PSK identity hint", s.pskIdentityHint],
    ["SRP username", s.srpUsername],
  ] as const) {
    t += `\n    ${label}: `;
    const text = cString(v);
    if (text === "") return t;
    t += text;
  }
  const hint = BigInt.asIntN(64, s.ticketLifetimeHint); // printed with %ld
  if (hint !== 0n) t += `\n    TLS session ticket lifetime hint: ${hint} (seconds)`;
  const ticket = s.ticket;
  if (ticket !== null) {
    t += "\n    TLS session ticket:\n";
    if (ticket.length === 0) return t;
    t += dump(ticket, 4);
  }
  if (s.compression !== 0) t += `\n    Compression: ${s.compression}`;
  if (s.time !== 0n) t += `\n    Start Time: ${s.time}`;
  if (s.timeout !== 0n) t += `\n    Timeout   : ${s.timeout} (sec)`;
  t += "\n";
  const h = s.handle;
  const v = BigInt.asIntN(64, BigInt(wasm().tls_session_get_int(h, SessionInt.VERIFY_RESULT))); // a C long
  const known = v >= -(2n ** 31n) && v < 2n ** 31n ? VERIFY_TEXT[Number(v)] : undefined;
  t += `    Verify return code: ${v} (${known ?? "unknown certificate verification error"})\n`;
  t += `    Extended master secret: ${s.extendedMasterSecret ? "yes" : "no"}\n`;
  if (tls13) t += `    Max Early Data: ${s.maxEarlyData}\n`;
  return t;
}

// Reading a session blob given on the command line: PEM, DER or bare base64.

import { readFileSync } from "node:fs";
import { Session, TlsSessionError } from "../index.js";

export type InputForm = "der" | "pem" | "auto";

export function readInput(file: string): Uint8Array {
  return new Uint8Array(file === "-" ? readFileSync(0) : readFileSync(file));
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Which form `bytes` are in, when the user did not say. */
function detectForm(bytes: Uint8Array): "der" | "pem" | "base64" {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  if (head.includes("-----BEGIN ")) return "pem";
  if (bytes.length > 0 && bytes[0] === 0x30) return "der";
  if (BASE64_TEXT.test(head)) return "base64";
  return "der";
}

/** How many bytes the outer DER SEQUENCE says it holds beyond those given, or 0. */
function missingBytes(der: Uint8Array): number {
  if (der.length < 2 || der[0] !== 0x30) return 0;
  let len = der[1],
    head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) return 0;
    if (der.length < 2 + n) return 2 + n - der.length;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i];
    head = 2 + n;
  }
  return Math.max(0, head + len - der.length);
}

/** The DER inside a PEM block or bare base64 text, as far as it decodes; null if none. */
function innerDer(bytes: Uint8Array): Uint8Array | null {
  const text = new TextDecoder("latin1").decode(bytes);
  const m = /-----BEGIN [^-]+-----([\s\S]*?)(-----END|$)/.exec(text);
  const body = (m ? m[1] : text).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*=*$/.test(body) || body.length === 0) return null;
  return new Uint8Array(Buffer.from(body, "base64"));
}

/** A hint for a decoding failure: the input's real form, or how much of it is missing. */
function decodeHint(bytes: Uint8Array, form: InputForm): string | null {
  const detected = detectForm(bytes);
  if (form === "der" && detected === "pem") return "this looks like PEM, try --inform pem";
  if (form === "der" && detected === "base64") return "this looks like base64 text, leave --inform out";
  if (form === "pem" && detected === "der") return "this looks like DER, try --inform der";
  const der = detected === "der" ? bytes : innerDer(bytes);
  const missing = der === null ? 0 : missingBytes(der);
  if (missing > 0) return `truncated: ${missing} more byte${missing === 1 ? "" : "s"} needed`;
  return null;
}

export function decodeInput(bytes: Uint8Array, form: InputForm, now?: bigint): Session {
  try {
    return decodeAs(bytes, form, now);
  } catch (e) {
    if (!(e instanceof TlsSessionError)) throw e;
    const hint = decodeHint(bytes, form);
    if (hint === null) throw e;
    throw new TlsSessionError(e.code, `${e.message}; ${hint}`, e.status);
  }
}

function decodeAs(bytes: Uint8Array, form: InputForm, now?: bigint): Session {
  const opts = now === undefined ? undefined : { now };
  const f = form === "auto" ? detectForm(bytes) : form;
  if (f === "pem") return Session.fromPEM(bytes, opts);
  if (f === "base64") {
    const text = new TextDecoder().decode(bytes).replace(/\s+/g, "");
    let der: Uint8Array;
    try {
      der = new Uint8Array(Buffer.from(text, "base64"));
    } catch {
      throw new TlsSessionError("PEM", "input is not valid base64");
    }
    return Session.fromDER(der, opts);
  }
  return Session.fromDER(bytes, opts);
}

// Reading a session blob given on the command line: PEM, DER or bare base64.

import { readFileSync } from "node:fs";
import { Session, TlsSessionError } from "../index.js";

export type InputForm = "der" | "pem" | "auto";

export function readInput(file: string): Uint8Array {
  return new Uint8Array(file === "-" ? readFileSync(0) : readFileSync(file));
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Which form `bytes` are in, when the user did not say. */
export function detectForm(bytes: Uint8Array): "der" | "pem" | "base64" {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  if (head.includes("-----BEGIN ")) return "pem";
  if (bytes.length > 0 && bytes[0] === 0x30) return "der";
  if (BASE64_TEXT.test(head)) return "base64";
  return "der";
}

export function decodeInput(bytes: Uint8Array, form: InputForm, now?: bigint): Session {
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

// PEM armour for sessions (PEM_read/write_bio_SSL_SESSION), label "SSL SESSION PARAMETERS".
// Reading skips text before the BEGIN line and other PEM blocks, ignores RFC 1421 header lines
// ("Name: value") and takes the base64 body up to the matching END line.

import { base64Decode, base64EncodedSize, base64EncodeLines } from "../util/base64";

const BEGIN = "-----BEGIN SSL SESSION PARAMETERS-----";
const END = "-----END SSL SESSION PARAMETERS-----";

function matches(p: usize, left: usize, s: string): bool {
  const n = <usize>s.length;
  if (left < n) return false;
  for (let i: usize = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(<i32>i)) return false;
  return true;
}

function lineEnd(p: usize, end: usize): usize {
  while (p < end && load<u8>(p) != 10) p++;
  return p;
}

/** Where the body of the last findPem lies, and where the armour failed. */
export let pemBody: usize = 0;
export let pemBodyLen: usize = 0;
export let pemErrorAt: i32 = -1;

/**
 * Locates the session block in n bytes of text at p. Returns 1 when found (body in pemBody),
 * 0 when there is no BEGIN line, -1 when the block is not terminated.
 */
export function findPem(p: usize, n: usize): i32 {
  const end = p + n;
  let q = p;
  while (q < end) {
    if (matches(q, end - q, BEGIN)) {
      let line = lineEnd(q, end) + 1;
      // Skip header lines (those containing ':') and the blank line after them.
      let bodyStart = line;
      while (line < end) {
        const le = lineEnd(line, end);
        let colon = false;
        for (let c = line; c < le; c++) if (load<u8>(c) == 58) { colon = true; break; }
        if (!colon) break;
        line = le + 1;
        bodyStart = line;
      }
      let r = bodyStart;
      while (r < end) {
        if (matches(r, end - r, END)) {
          pemBody = bodyStart;
          pemBodyLen = r - bodyStart;
          return 1;
        }
        r = lineEnd(r, end) + 1;
      }
      pemErrorAt = <i32>(q - p);
      return -1;
    }
    q = lineEnd(q, end) + 1;
  }
  pemErrorAt = 0;
  return 0;
}

/** Decodes the body found by findPem into dst (room for pemBodyLen * 3 / 4). Length or < 0. */
export function decodePemBody(dst: usize): i32 {
  return base64Decode(pemBody, pemBodyLen, dst);
}

export function pemEncodedSize(derLen: usize): usize {
  return <usize>BEGIN.length + 1 + base64EncodedSize(derLen) + <usize>END.length + 1;
}

function putAscii(dst: usize, s: string): usize {
  for (let i = 0; i < s.length; i++) store<u8>(dst + <usize>i, <u8>s.charCodeAt(i));
  return <usize>s.length;
}

/** Writes the PEM text for derLen bytes of DER. Returns the bytes written. */
export function encodePem(der: usize, derLen: usize, dst: usize): usize {
  let o = putAscii(dst, BEGIN);
  store<u8>(dst + o++, 10);
  o += base64EncodeLines(der, derLen, dst + o);
  o += putAscii(dst + o, END);
  store<u8>(dst + o++, 10);
  return o;
}

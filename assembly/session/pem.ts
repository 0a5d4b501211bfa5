// PEM armour for sessions (PEM_read/write_bio_SSL_SESSION), label "SSL SESSION PARAMETERS",
// read as OpenSSL 3.0's PEM reader does:
//   - text before the BEGIN line, and PEM blocks with other labels, are skipped;
//   - a BEGIN line must be exactly "-----BEGIN <label>-----" (trailing blanks and CR allowed);
//   - RFC 1421 header lines ("Proc-Type: 4,ENCRYPTED", or any "Name: value") are refused: a
//     session is never encrypted, and OpenSSL fails on them too;
//   - the body ends at the first line that starts with "-", which must be the matching END line;
//   - trailing blanks of body lines are dropped; in the base64 text a "-" ends the data.

import { base64Decode, base64EncodedSize, base64EncodeLines } from "../util/base64";
import { alloc, release } from "../util/alloc";

const BEGIN = "-----BEGIN SSL SESSION PARAMETERS-----";
const END = "-----END SSL SESSION PARAMETERS-----";
const BEGIN_PREFIX = "-----BEGIN ";
const DASHES = "-----";

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

/** The end of a line's content once trailing blanks and CR are dropped. */
function trimmedEnd(p: usize, le: usize): usize {
  while (le > p) {
    const c = load<u8>(le - 1);
    if (c != 32 && c != 9 && c != 13) break;
    le--;
  }
  return le;
}

/** True when [p, le) is exactly `s` once trailing blanks are dropped. */
function lineIs(p: usize, le: usize, s: string): bool {
  const t = trimmedEnd(p, le);
  return t - p == <usize>s.length && matches(p, t - p, s);
}

/** Where the body of the last findPem lies, and where the armour failed. */
let pemBody: usize = 0;
export let pemBodyLen: usize = 0;
export let pemErrorAt: i32 = -1;
export let pemError: string = "";

function pemFail(at: usize, base: usize, why: string): i32 {
  pemErrorAt = <i32>(at - base);
  pemError = why;
  return -1;
}

/**
 * Locates the session block in n bytes of text at p. Returns 1 when found (body in pemBody),
 * or -1 with pemError / pemErrorAt saying what is wrong and where.
 */
export function findPem(p: usize, n: usize): i32 {
  const end = p + n;
  let q = p;
  while (q < end) {
    const le = lineEnd(q, end);
    const t = trimmedEnd(q, le);
    const isStart =
      matches(q, le - q, BEGIN_PREFIX) &&
      t - q >= <usize>(BEGIN_PREFIX.length + DASHES.length) &&
      matches(t - DASHES.length, DASHES.length, DASHES);
    if (!isStart || !lineIs(q, le, BEGIN)) {
      // Not a start line, or a block with another label: keep looking.
      q = le + 1;
      continue;
    }
    let line = le + 1;
    if (line < end) {
      const fe = lineEnd(line, end);
      for (let c = line; c < fe; c++) {
        if (load<u8>(c) == 58) return pemFail(line, p, "PEM header lines (encryption) are not supported");
      }
    }
    const bodyStart = line;
    while (line < end) {
      const e = lineEnd(line, end);
      if (load<u8>(line) == 45) {
        if (!lineIs(line, e, END)) return pemFail(line, p, "bad END line");
        pemBody = bodyStart;
        pemBodyLen = line - bodyStart;
        return 1;
      }
      line = e + 1;
    }
    return pemFail(q, p, 'no "END SSL SESSION PARAMETERS" line');
  }
  return pemFail(p, p, 'no "BEGIN SSL SESSION PARAMETERS" line');
}

/**
 * Decodes the body found by findPem into dst (room for pemBodyLen * 3 / 4), as OpenSSL's reader
 * does: each line first loses its trailing bytes that are <= 0x20 as a signed C char (blanks,
 * controls and every byte >= 0x80), then the text goes through the base64 decoder (blanks
 * skipped, "-" ends the data). Returns the length, < 0 for bad base64, or i32.MIN_VALUE when
 * out of memory.
 */
export function decodePemBody(dst: usize): i32 {
  const clean = alloc(pemBodyLen + 1);
  if (!clean) return i32.MIN_VALUE;
  let n: usize = 0;
  const end = pemBody + pemBodyLen;
  let q = pemBody;
  while (q < end) {
    const le = lineEnd(q, end);
    let t = le;
    while (t > q && <i8>load<u8>(t - 1) <= 0x20) t--;
    for (let c = q; c < t; c++) store<u8>(clean + n++, load<u8>(c));
    store<u8>(clean + n++, 10);
    q = le + 1;
  }
  const r = base64Decode(clean, n, dst);
  wipeAndRelease(clean, pemBodyLen + 1);
  return r;
}

function wipeAndRelease(p: usize, n: usize): void {
  memory.fill(p, 0, n);
  release(p, n);
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

// Unit tests of the session layer and the DER reader/writer, compiled with the module's code.
import { Cursor, IntKind, decodeInt, header } from "../../assembly/session/der/reader";
import { intContentSize, writeInt, lengthSize } from "../../assembly/session/der/writer";
import {
  sessionNew,
  sessionDestroy,
  sessionDup,
  sessionIsResumable,
  NEW_SESSION_TIMEOUT,
} from "../../assembly/session/session";
import { setId, setMasterKey, setTime, setTimeout } from "../../assembly/session/accessors";
import { cipherIndex, cipherName } from "../../assembly/session/ciphers";
import { base64Decode } from "../../assembly/util/base64";
import { getLiveBytes } from "../../assembly/util/alloc";

function bytes(a: u8[]): usize {
  const p = heap.alloc(a.length);
  for (let i = 0; i < a.length; i++) store<u8>(p + i, a[i]);
  return p;
}

describe("INTEGER decoding (x_int64.c rules)", () => {
  it("reads minimal values and a zero-length INTEGER as 0", () => {
    const c = Cursor.start();
    expect(decodeInt(c, bytes([0x7f]), 1, IntKind.UINT32)).toBe(true);
    expect(c.int).toBe(127);
    expect(decodeInt(c, bytes([0x00, 0x80]), 2, IntKind.UINT32)).toBe(true);
    expect(c.int).toBe(128);
    expect(decodeInt(c, 0, 0, IntKind.INT64)).toBe(true);
    expect(c.int).toBe(0);
  });
  it("refuses redundant padding", () => {
    const c = Cursor.start();
    expect(decodeInt(c, bytes([0x00, 0x7f]), 2, IntKind.UINT64)).toBe(false);
    expect(decodeInt(c, bytes([0xff, 0x80]), 2, IntKind.INT64)).toBe(false);
  });
  it("checks each kind's range", () => {
    const c = Cursor.start();
    expect(decodeInt(c, bytes([0xff]), 1, IntKind.UINT32)).toBe(false); // negative unsigned
    expect(decodeInt(c, bytes([0x01, 0x00, 0x00, 0x00, 0x00]), 5, IntKind.UINT32)).toBe(false);
    expect(decodeInt(c, bytes([0x00, 0x80, 0x00, 0x00, 0x00]), 5, IntKind.INT32)).toBe(false);
    expect(decodeInt(c, bytes([0x80, 0x00, 0x00, 0x00]), 4, IntKind.INT32)).toBe(true);
    expect(<i32>c.int).toBe(i32.MIN_VALUE);
    expect(
      decodeInt(c, bytes([0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 9, IntKind.INT64),
    ).toBe(true);
    // -(2^63 + 1) wraps, as OpenSSL's 0 - utmp does
    expect(<i64>c.int).toBe(i64.MAX_VALUE);
    expect(
      decodeInt(c, bytes([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 9, IntKind.UINT64),
    ).toBe(true);
    expect(c.int).toBe(u64.MAX_VALUE);
  });
});

describe("DER writer", () => {
  it("writes minimal two's complement", () => {
    expect(intContentSize(0, false)).toBe(1);
    expect(intContentSize(0x80, false)).toBe(2);
    expect(intContentSize(0xc74161, false)).toBe(4);
    expect(intContentSize(<u64>-1, true)).toBe(1);
    expect(intContentSize(<u64>-129, true)).toBe(2);
    expect(intContentSize(u64.MAX_VALUE, false)).toBe(9);
    const p = heap.alloc(16);
    expect(writeInt(p, 0x02, 0x1c20, false)).toBe(4);
    expect(load<u32>(p)).toBe(0x201c0202);
  });
  it("sizes long-form lengths", () => {
    expect(lengthSize(127)).toBe(1);
    expect(lengthSize(128)).toBe(2);
    expect(lengthSize(256)).toBe(3);
  });
});

describe("BER headers (ASN1_get_object)", () => {
  it("accepts non-minimal long forms and indefinite constructed lengths", () => {
    const c = Cursor.start();
    expect(header(c, bytes([0x04, 0x82, 0x00, 0x01, 0xaa]), 5, 4, 0, false)).toBe(1);
    expect(c.length).toBe(1);
    expect(header(c, bytes([0x30, 0x80, 0x00, 0x00]), 4, 16, 0, false)).toBe(1);
    expect(c.indefinite).toBe(true);
  });
  it("refuses an indefinite primitive and long-form octets cut short; accepts octets ending the window", () => {
    const c = Cursor.start();
    expect(header(c, bytes([0x04, 0x80, 0x00, 0x00]), 4, 4, 0, false)).toBe(0);
    // libssl 3.0.22: the length octets may end exactly at the window's end (3.0.19 wanted one more byte).
    expect(header(c, bytes([0x04, 0x81, 0x00]), 3, 4, 0, false)).toBe(1);
    expect(header(c, bytes([0x04, 0x82, 0x00, 0x00]), 4, 4, 0, false)).toBe(1);
    expect(header(c, bytes([0x04, 0x82, 0x00]), 3, 4, 0, false)).toBe(0);
    expect(header(c, bytes([0x04, 0x81]), 2, 4, 0, false)).toBe(0);
    expect(header(c, bytes([0x04, 0x05, 0x00]), 3, 4, 0, false)).toBe(0);
  });
});

describe("SSL_SESSION", () => {
  it("has OpenSSL's new-session defaults and frees back to the baseline", () => {
    const before = getLiveBytes();
    const s = sessionNew()!;
    expect(s.refs).toBe(1);
    expect(s.timeout).toBe(NEW_SESSION_TIMEOUT);
    expect(s.verifyResult).toBe(1);
    expect(s.maxFragmentLenMode).toBe(255);
    expect(sessionIsResumable(s)).toBe(false);
    expect(setId(s, bytes([1, 2, 3]), 3)).toBe(1);
    expect(setId(s, 0, 33)).toBe(0);
    expect(sessionIsResumable(s)).toBe(true);
    expect(setMasterKey(s, bytes([9, 9]), 2)).toBe(1);
    expect(setMasterKey(s, 0, 513)).toBe(0);
    expect(setTime(s, 1000)).toBe(1000);
    expect(setTimeout(s, -1)).toBe(0);
    expect(setTimeout(s, 10)).toBe(1);
    expect(s.calcTimeout).toBe(1010);
    const d = sessionDup(s)!;
    expect(d.masterKeyLength).toBe(2);
    expect(d.masterKey).not.toBe(s.masterKey);
    sessionDestroy(d);
    sessionDestroy(s);
    expect(getLiveBytes()).toBe(before);
  });
});

describe("cipher table", () => {
  it("knows OpenSSL's suites by code, with their names", () => {
    expect(cipherIndex(0x1301)).toBeGreaterThanOrEqual(0);
    expect(cipherName(cipherIndex(0xc02f))).toBe("ECDHE-RSA-AES128-GCM-SHA256");
    expect(cipherIndex(0x0000)).toBe(-1);
    expect(cipherName(cipherIndex(0x1302))).toBe("TLS_AES_256_GCM_SHA384");
  });
});

describe("base64", () => {
  it("decodes with whitespace and stops at '-'", () => {
    const text = "aGVs\nbG8=-garbage";
    const p = heap.alloc(text.length);
    for (let i = 0; i < text.length; i++) store<u8>(p + i, <u8>text.charCodeAt(i));
    const out = heap.alloc(16);
    expect(base64Decode(p, text.length, out)).toBe(5);
    expect(load<u8>(out, 4)).toBe(0x6f);
    expect(base64Decode(p, 3, out)).toBeLessThan(0);
  });
});

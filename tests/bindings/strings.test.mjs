// The C-string fields are bytes: strings map each byte to U+0000-U+00FF both ways, JSON keeps
// every byte, and the *Bytes getters give them raw. SSL_SESSION_get_max_fragment_length reads
// the stored UNSPECIFIED (255) as 0, as libssl 3.0 does, while i2d keeps writing 255.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Session, sessionToJSON, sessionToText, rawExports } from "../../dist/index.js";

const FIELDS = ["hostname", "pskIdentity", "pskIdentityHint", "srpUsername"];

test("non-UTF-8 bytes in the C-string fields survive the getters and the JSON exactly", () => {
  const s = Session.new();
  try {
    s.cipherSuite = 0x1301;
    s.protocolVersion = 0x0304;
    const raw = Uint8Array.from([0xff, 0xfe, 0x41, 0x80, 0xc3, 0x28]);
    for (const f of FIELDS) s[f] = raw;
    const back = Session.fromDER(s.toDER());
    try {
      const json = JSON.parse(JSON.stringify(sessionToJSON(back)));
      for (const f of FIELDS) {
        assert.equal(back[f], "\xff\xfeA\x80\xc3(", f);
        assert.deepEqual(back[`${f}Bytes`], raw, `${f}Bytes`);
        assert.deepEqual(new Uint8Array(Buffer.from(json[f], "latin1")), raw, `JSON ${f}`);
      }
      // A string of U+0000-U+00FF sets exactly those bytes; anything above is refused.
      back.hostname = "\xe9x";
      assert.deepEqual(back.hostnameBytes, Uint8Array.from([0xe9, 0x78]));
      assert.throws(() => (back.pskIdentity = "\u0100"), RangeError);
      // ASCII is unchanged.
      back.hostname = "example.com";
      assert.equal(sessionToJSON(back).hostname, "example.com");
      // SSL_SESSION_set1_hostname takes a C string: it ends at the first NUL.
      back.hostname = "a\0b";
      assert.equal(back.hostname, "a");
    } finally {
      back.free();
    }
  } finally {
    s.free();
  }
});

test("an empty PSK identity ends SSL_SESSION_print's text after its label, as libssl's does", () => {
  const s = Session.new();
  try {
    s.cipherSuite = 0xc02f;
    s.pskIdentity = "";
    assert.ok(sessionToText(s).endsWith("    PSK identity: "));
  } finally {
    s.free();
  }
});

test("maxFragmentLength reads 255 (unspecified) as 0; DER keeps [17] 255", () => {
  const s = Session.new();
  try {
    s.cipherSuite = 0x1301;
    assert.equal(s.maxFragmentLength, 0);
    assert.equal(rawExports().SSL_SESSION_get_max_fragment_length(s.handle), 0);
    assert.match(Buffer.from(s.toDER()).toString("hex"), /b104020200ff/);
    s.maxFragmentLength = 2;
    assert.equal(s.maxFragmentLength, 2);
    assert.equal(sessionToJSON(s).maxFragmentLength, 2);
  } finally {
    s.free();
  }
});

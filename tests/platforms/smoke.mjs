// The one smoke test every runtime runs (Node ESM and CJS, Deno, workerd, Chromium): decode a
// fixed session, re-encode it, cache it, check the TLS 1.3 crypto and a ticket against RFC 8448,
// all under an injected clock. It takes the package's API object (already initialised) and
// returns plain JSON; every runtime must return exactly the same JSON. No I/O, no platform APIs.

/** A TLS 1.3 session (TLS_AES_128_GCM_SHA256, hostname, ALPN, a ticket) as i2d_SSL_SESSION writes it. */
export const SESSION_DER_HEX =
  "3081d8020101020203040402130104200102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" +
  "0420a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfa10602046553f100a20402021c20" +
  "a40b0409736d6f6b652d637478a503020101a60e040c6578616d706c652e74657374a90402021c20aa32043000070e15" +
  "1c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b4249ae060204" +
  "12345678af0402024000b00404026832b104020200ffb303020100";

/** The same session without its time field [1]: the decoder fills in "now". */
export const SESSION_NO_TIME_DER_HEX = SESSION_DER_HEX.replace("3081d8", "3081d0").replace(
  "a10602046553f100",
  "",
);

/** The session's own start time ([1] in SESSION_DER_HEX): tickets are sealed and opened within its lifetime. */
const SESSION_TIME = 1700000000;

/** The injected clock (seconds since the epoch). */
export const FIXED_NOW = 1750000000;

// RFC 8448 section 3 (simple 1-RTT handshake), SHA-256.
const RFC8448 = {
  clientPrivate: "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005",
  serverPublic: "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f",
  sharedSecret: "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d",
  earlySecret: "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a",
  handshakeSecret: "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac",
  transcriptChSh: "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8",
  clientHsTraffic: "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
  serverHsTraffic: "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
  masterSecret: "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919",
  serverHsKey: "3fce516009c21727d0f2e4e86ee403bc",
  serverHsIv: "5d313eb2671276ee13000b30",
  resumptionMasterSecret: "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c",
  newSessionTicket:
    "040000c90000001efad6aac502000000b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b" +
    "0070ad3c498883c9367c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db27" +
    "9cce145077d454a3664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40d" +
    "da721470f9fbf297b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d35700" +
    "08002a000400000400",
  resumptionPsk: "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3",
};

const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Runs the smoke test with `lib` (the package's exports, initialised). Returns JSON-able data. */
export function smoke(lib) {
  const checks = {};
  const out = { checks };
  lib.setClock(FIXED_NOW);
  try {
    // Decode, describe, re-encode byte for byte.
    const der = fromHex(SESSION_DER_HEX);
    const s = lib.Session.fromDER(der);
    out.session = lib.sessionToJSON(s);
    const again = s.toDER();
    checks.reencodeIdentical = toHex(again) === SESSION_DER_HEX;
    const pem = s.toPEM();
    out.pemLines = pem.trim().split("\n").length;
    const fromPem = lib.Session.fromPEM(pem);
    checks.pemRoundTrip = toHex(fromPem.toDER()) === SESSION_DER_HEX;
    fromPem.free();

    // The injected clock: an absent time becomes "now"; a new session starts "now".
    const noTime = lib.Session.fromDER(fromHex(SESSION_NO_TIME_DER_HEX));
    out.clock = { decodedTime: Number(noTime.time), newSessionTime: 0 };
    noTime.free();
    const fresh = lib.Session.new();
    out.clock.newSessionTime = Number(fresh.time);
    fresh.free();
    checks.clockInjected = out.clock.decodedTime === FIXED_NOW && out.clock.newSessionTime === FIXED_NOW;

    // The cache: add, has, get, remove.
    const cache = new lib.SessionCache();
    const id = s.id;
    const added = cache.add(s);
    const addedAgain = cache.add(s);
    const hasAfterAdd = cache.has(id, 0x0304);
    const got = cache.get(id, 0x0304);
    const gotDer = got ? toHex(got.toDER()) : null;
    got?.free();
    const sizeAfterAdd = cache.size;
    const removed = cache.remove(s);
    const hasAfterRemove = cache.has(id, 0x0304);
    out.cache = {
      added,
      addedAgain,
      hasAfterAdd,
      sizeAfterAdd,
      removed,
      hasAfterRemove,
      resumableAfterRemove: s.resumable,
      sizeAfterRemove: cache.size,
    };
    checks.cache =
      added &&
      !addedAgain &&
      hasAfterAdd &&
      sizeAfterAdd === 1 &&
      removed &&
      !hasAfterRemove &&
      gotDer === SESSION_DER_HEX &&
      cache.size === 0;
    cache.free();
    s.free();

    // TLS 1.3 key schedule (RFC 8448 section 3).
    const h = "sha256";
    const shared = lib.x25519(fromHex(RFC8448.clientPrivate), fromHex(RFC8448.serverPublic));
    const early = lib.tls13.earlySecret(h);
    const hs = lib.tls13.handshakeSecret(h, early, shared);
    const cHs = lib.tls13.deriveSecret(h, hs, "c hs traffic", fromHex(RFC8448.transcriptChSh));
    const sHs = lib.tls13.deriveSecret(h, hs, "s hs traffic", fromHex(RFC8448.transcriptChSh));
    const ms = lib.tls13.masterSecret(h, hs);
    const keys = lib.tls13.trafficKeys(h, sHs, 16);
    const key = lib.hkdfExpandLabel(h, sHs, "key", undefined, 16);
    out.keySchedule = {
      sharedSecret: toHex(shared),
      earlySecret: toHex(early),
      handshakeSecret: toHex(hs),
      clientHandshakeTrafficSecret: toHex(cHs),
      serverHandshakeTrafficSecret: toHex(sHs),
      masterSecret: toHex(ms),
      serverHandshakeKey: toHex(keys.key),
      serverHandshakeIv: toHex(keys.iv),
    };
    checks.keySchedule =
      out.keySchedule.sharedSecret === RFC8448.sharedSecret &&
      out.keySchedule.earlySecret === RFC8448.earlySecret &&
      out.keySchedule.handshakeSecret === RFC8448.handshakeSecret &&
      out.keySchedule.clientHandshakeTrafficSecret === RFC8448.clientHsTraffic &&
      out.keySchedule.serverHandshakeTrafficSecret === RFC8448.serverHsTraffic &&
      out.keySchedule.masterSecret === RFC8448.masterSecret &&
      out.keySchedule.serverHandshakeKey === RFC8448.serverHsKey &&
      out.keySchedule.serverHandshakeIv === RFC8448.serverHsIv &&
      toHex(key) === RFC8448.serverHsKey;

    // The ticket: RFC 8448's NewSessionTicket parsed, rebuilt, and its resumption PSK.
    const nst = fromHex(RFC8448.newSessionTicket);
    const t = lib.tls13.sessionFromTicket(h, fromHex(RFC8448.resumptionMasterSecret), nst, FIXED_NOW);
    out.ticket = {
      lifetime: t.lifetime,
      ageAdd: t.ageAdd,
      nonce: toHex(t.nonce),
      ticketLength: t.ticket.length,
      maxEarlyData: t.maxEarlyData ?? null,
      psk: toHex(t.psk),
      sessionId: toHex(t.sessionId),
      time: t.time,
    };
    const rebuilt = lib.tls13.buildNewSessionTicket(t);
    checks.ticket =
      out.ticket.psk === RFC8448.resumptionPsk &&
      t.lifetime === 30 &&
      t.ageAdd === 4208372421 &&
      t.maxEarlyData === 1024 &&
      toHex(rebuilt) === RFC8448.newSessionTicket;

    // A session ticket sealed under fixed keys with injected randomness (the IV): the same bytes everywhere.
    const ticketKeys = lib.TicketKeys.from(Uint8Array.from({ length: 48 }, (_, i) => i));
    const plain = lib.Session.fromDER(der);
    let counter = 0;
    lib.setRandomSource((buf) => {
      for (let i = 0; i < buf.length; i++) buf[i] = (counter++ * 37 + 11) & 0xff;
    });
    try {
      const sealed = lib.sealTicket(plain, ticketKeys, { now: SESSION_TIME + 60 });
      out.sealedTicket = toHex(sealed);
      const opened = lib.openTicket(sealed, ticketKeys, { now: SESSION_TIME + 60 });
      checks.sealedTicket =
        opened !== null &&
        toHex(opened.session.toDER()) === SESSION_DER_HEX &&
        out.sealedTicket.slice(32, 64) === "0b30557a9fc4e90e33587da2c7ec1136";
      opened?.session.free();
    } finally {
      plain.free();
      ticketKeys.free();
      lib.setRandomSource(null);
    }
  } finally {
    lib.setClock(null);
  }
  out.ok = Object.values(checks).every((v) => v === true);
  return out;
}

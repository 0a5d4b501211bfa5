// Reading a ClientHello off the raw socket before node:tls sees it: just enough to learn the legacy
// session id and the pre_shared_key identities (RFC 8446 §4.1.2, §4.2.11). Incremental over TCP
// segments and TLS records; bounded; never throws on what a peer sends.
//
// It is TypeScript, not the module's TLS 1.3 parser (assembly/tls13/messages.ts), because it runs
// on every connection before anything else, on bytes still spread over records: here it needs no
// copy into wasm memory, no instance, and leaves the ABI alone. It reads, it never decides: OpenSSL
// parses the same bytes again and verifies the binders.

/** The largest first flight read: a ClientHello body is at most 2^16 + a little in practice. */
export const MAX_CLIENT_HELLO = 65536 + 4;
/** A TLS plaintext record carries at most 2^14 bytes (RFC 8446 §5.1). */
const MAX_RECORD = 16384;
const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const EXT_PRE_SHARED_KEY = 41;
const EXT_SUPPORTED_VERSIONS = 43;
const EXT_SESSION_TICKET = 35;
const TLS1_3 = 0x0304;

export interface ClientHelloPeek {
  /** The legacy_session_id (0 to 32 bytes). */
  legacyId: Uint8Array;
  /** The pre_shared_key identities, in order (empty when none is offered). */
  identities: Uint8Array[];
  /** Whether supported_versions offers TLS 1.3 (RFC 8446 §4.2.1). */
  offers13: boolean;
  /** Whether it carries a non-empty TLS 1.2 session ticket (Node then asks no resumeSession). */
  ticket: boolean;
  /**
   * When the ClientHello came in several records: the same bytes as one record (record boundaries
   * mean nothing to a handshake message, RFC 8446 §5.1), then whatever followed. node:tls reads
   * the ClientHello of the first record only, so this is what it is given.
   */
  reframed?: Uint8Array;
}

/**
 * Looks at the raw bytes received so far: "more" while the ClientHello is incomplete, "bad" when
 * they are not a ClientHello this code can read (or exceed the bounds), else the peek.
 */
export function peekClientHello(raw: Uint8Array): "more" | "bad" | ClientHelloPeek {
  // Reassemble the handshake bytes from the records received so far.
  let off = 0,
    hsLen = 0,
    need = -1;
  const parts: Uint8Array[] = [];
  while (true) {
    if (raw.length - off < 5) return raw.length > MAX_CLIENT_HELLO + 5 * 8 ? "bad" : "more";
    if (raw[off] !== HANDSHAKE || raw[off + 1] !== 3) return "bad";
    const len = (raw[off + 3] << 8) | raw[off + 4];
    if (len === 0 || len > MAX_RECORD) return "bad";
    if (raw.length - off - 5 < len) return "more";
    parts.push(raw.subarray(off + 5, off + 5 + len));
    hsLen += len;
    off += 5 + len;
    if (need < 0 && hsLen >= 4) {
      const first = parts.length === 1 ? parts[0] : concat(parts, hsLen);
      if (first[0] !== CLIENT_HELLO) return "bad";
      need = 4 + ((first[1] << 16) | (first[2] << 8) | first[3]);
      if (need > MAX_CLIENT_HELLO) return "bad";
    }
    if (need >= 0 && hsLen >= need) break;
  }
  const hs = parts.length === 1 ? parts[0] : concat(parts, hsLen);
  const peek = parseBody(hs.subarray(4, need));
  if (!peek) return "bad";
  if (parts.length > 1 && hsLen === need && need <= MAX_RECORD) {
    const out = new Uint8Array(5 + need + (raw.length - off));
    out.set(raw.subarray(0, 3));
    out[3] = need >> 8;
    out[4] = need & 0xff;
    out.set(hs, 5);
    out.set(raw.subarray(off), 5 + need);
    peek.reframed = out;
  }
  return peek;
}

function concat(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function parseBody(b: Uint8Array): ClientHelloPeek | null {
  let p = 2 + 32; // legacy_version, random
  if (p + 1 > b.length) return null;
  const sidLen = b[p];
  if (sidLen > 32 || p + 1 + sidLen > b.length) return null;
  const legacyId = b.slice(p + 1, p + 1 + sidLen);
  p += 1 + sidLen;
  if (p + 2 > b.length) return null;
  p += 2 + ((b[p] << 8) | b[p + 1]); // cipher_suites
  if (p + 1 > b.length) return null;
  p += 1 + b[p]; // legacy_compression_methods
  const identities: Uint8Array[] = [];
  let offers13 = false,
    ticket = false;
  if (p === b.length) return { legacyId, identities, offers13, ticket }; // no extensions
  if (p + 2 > b.length) return null;
  const extEnd = p + 2 + ((b[p] << 8) | b[p + 1]);
  if (extEnd !== b.length) return null;
  p += 2;
  while (p < extEnd) {
    if (p + 4 > extEnd) return null;
    const type = (b[p] << 8) | b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    p += 4;
    if (p + len > extEnd) return null;
    if (type === EXT_SESSION_TICKET) ticket = len > 0;
    else if (type === EXT_SUPPORTED_VERSIONS) {
      // ProtocolVersion versions<2..254>
      if (len < 1 || b[p] + 1 !== len || (b[p] & 1) !== 0) return null;
      for (let q = p + 1; q < p + len; q += 2) if (((b[q] << 8) | b[q + 1]) === TLS1_3) offers13 = true;
    } else if (type === EXT_PRE_SHARED_KEY) {
      // OfferedPsks: identities<7..2^16-1> (identity<1..2^16-1>, obfuscated_ticket_age), binders.
      // It must be the last extension (RFC 8446 §4.2.11); OpenSSL refuses it otherwise.
      if (p + len !== extEnd) return { legacyId, identities: [], offers13, ticket };
      const e = b.subarray(p, p + len);
      if (e.length < 2) return null;
      const idsEnd = 2 + ((e[0] << 8) | e[1]);
      if (idsEnd > e.length) return null;
      let q = 2;
      while (q < idsEnd) {
        if (q + 2 > idsEnd) return null;
        const n = (e[q] << 8) | e[q + 1];
        if (n === 0 || q + 2 + n + 4 > idsEnd) return null;
        identities.push(e.slice(q + 2, q + 2 + n));
        q += 2 + n + 4;
      }
    }
    p += len;
  }
  return { legacyId, identities, offers13, ticket };
}

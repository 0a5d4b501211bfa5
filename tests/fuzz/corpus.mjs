// Inputs for the differential DER/PEM tests: seed sessions and a deterministic mutator.
//
//   collectOpensslSeeds()  real client sessions from `openssl s_server` / `s_client -sess_out` on
//                          127.0.0.1 (TLS 1.2 and 1.3, tickets on and off, SNI, ALPN, early data, PSK)
//   synthesizeSeeds(cert)  hand-built blobs that exercise every field [0]..[19], edge values and the
//                          BER forms OpenSSL's reader tolerates (indefinite and long-form lengths,
//                          constructed OCTET STRINGs, high-tag-number tags)
//   mutate(seeds, opts)    truncations, bit flips, byte replacements, flipped tags, bad lengths,
//                          oversize fields, huge integers, inserted/removed TLVs, trailing bytes, [20]
//   pemVariants(der)       good and bad PEM armour
//
// Everything is deterministic for a given PRNG seed, so a failure reproduces from its name.
// The layout these blobs follow is OpenSSL 3.0's SSL_SESSION_ASN1 (ssl/ssl_asn1.c); see
// shared/reference/session-subsystem.md section 4.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// ---------------------------------------------------------------------------------------------
// Bytes

export const toHex = (u8) => Buffer.from(u8).toString("hex");
export const fromHex = (h) => new Uint8Array(Buffer.from(h, "hex"));
const bytes = (v) => (typeof v === "string" ? new Uint8Array(Buffer.from(v, "latin1")) : new Uint8Array(v));

function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    u32: () => Math.floor(next() * 4294967296) >>> 0,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    bytes: (n) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A small BER tree: parse, edit, serialize. Nodes:
//   { cls: 0..3, cons: bool, num, children: Node[] } or { cls, cons: false, num, content: Uint8Array }
// Optional encoding knobs on a node:
//   highTag: true        tag number in high-tag-number form even when < 31
//   len: "indef"         indefinite length (+ end-of-contents), only meaningful when constructed
//   len: { long: k }     long-form length on k bytes (non-minimal when the value is small)
//   len: { delta: d }    declared length = real length + d (a bad length)
//   len: { raw: bytes }  these length bytes verbatim
// Parsed nodes also carry off (header start), hdr (header size) and end (content end).

const CLS_UNIVERSAL = 0,
  CLS_CONTEXT = 2;

export function prim(num, content, cls = CLS_UNIVERSAL) {
  return { cls, cons: false, num, content: bytes(content) };
}
export function cons(num, children, cls = CLS_UNIVERSAL) {
  return { cls, cons: true, num, children };
}
export const SEQ = (children) => cons(16, children);
export const OCT = (v) => prim(4, v);
export const INT = (v) => prim(2, intContent(BigInt(v)));
export const EXP = (n, inner) => cons(n, [inner], CLS_CONTEXT);

/** Minimal two's-complement content octets of a (big) integer. */
export function intContent(v) {
  const out = [];
  for (;;) {
    const b = Number(BigInt.asUintN(8, v));
    out.unshift(b);
    v >>= 8n;
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
  }
  return new Uint8Array(out);
}

function encTag(node) {
  const first = (node.cls << 6) | (node.cons ? 0x20 : 0);
  if (node.num < 31 && !node.highTag) return [first | node.num];
  const sub = [];
  let n = node.num;
  do {
    sub.unshift(n & 0x7f);
    n = Math.floor(n / 128);
  } while (n > 0);
  for (let i = 0; i < sub.length - 1; i++) sub[i] |= 0x80;
  return [first | 0x1f, ...sub];
}

function encLen(n, form) {
  if (form?.raw) return [...form.raw];
  if (form?.delta !== undefined) n = Math.max(0, n + form.delta);
  const be = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) be.unshift(v & 255);
  if (form && form.long !== undefined) {
    while (be.length < form.long) be.unshift(0);
    return [0x80 | be.length, ...be];
  }
  if (n < 128) return [n];
  return [0x80 | be.length, ...be];
}

/** Serializes a node (or a list of nodes) to bytes. */
export function encode(node) {
  if (Array.isArray(node)) return concat(node.map(encode));
  if (node.raw) return node.raw;
  const body = node.children ? concat(node.children.map(encode)) : node.content;
  const tag = encTag(node);
  if (node.len === "indef") return concat([new Uint8Array([...tag, 0x80]), body, new Uint8Array([0, 0])]);
  return concat([new Uint8Array([...tag, ...encLen(body.length, node.len)]), body]);
}

/**
 * Lenient BER parser for our own seeds (throws on anything it cannot follow). Records offsets so
 * byte-level mutations can tell which field they hit.
 */
export function parse(buf, off = 0, end = buf.length, depth = 0) {
  const nodes = [];
  while (off < end) {
    if (buf[off] === 0 && buf[off + 1] === 0 && depth > 0) return { nodes, off: off + 2, eoc: true };
    const start = off;
    const b = buf[off++];
    const node = { cls: b >> 6, cons: (b & 0x20) !== 0, num: b & 0x1f };
    if (node.num === 31) {
      node.num = 0;
      let c;
      do {
        c = buf[off++];
        node.num = node.num * 128 + (c & 0x7f);
      } while (c & 0x80);
      if (node.num < 31) node.highTag = true;
    }
    const l0 = buf[off++];
    let len;
    if (l0 === undefined) throw new Error("truncated header");
    if (l0 === 0x80) len = -1;
    else if (l0 < 0x80) len = l0;
    else {
      const k = l0 & 0x7f;
      len = 0;
      for (let i = 0; i < k; i++) len = len * 256 + buf[off++];
      if (len < 128 || (k > 1 && buf[off - k] === 0)) node.len = { long: k };
    }
    node.off = start;
    node.hdr = off - start;
    if (len === -1) {
      if (!node.cons) throw new Error("indefinite primitive");
      node.len = "indef";
      const r = parse(buf, off, end, depth + 1);
      if (!r.eoc) throw new Error("missing end-of-contents");
      node.children = r.nodes;
      node.end = r.off;
      off = r.off;
    } else {
      if (off + len > end) throw new Error("length past end");
      if (node.cons) node.children = parse(buf, off, off + len, depth + 1).nodes;
      else node.content = buf.slice(off, off + len);
      node.end = off + len;
      off += len;
    }
    nodes.push(node);
    if (depth === 0) break;
  }
  return depth === 0 ? nodes[0] : { nodes, off, eoc: false };
}

/** Deep copy without the offset annotations. */
export function clone(node) {
  const { off, hdr, end, children, content, ...rest } = node;
  const c = { ...rest };
  if (rest.len && typeof rest.len === "object") c.len = { ...rest.len };
  if (children) c.children = children.map(clone);
  if (content) c.content = content.slice();
  return c;
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** OpenSSL 3.0 SSL_SESSION_ASN1 tags (ssl/ssl_asn1.c). */
export const TAG = {
  keyArg: 0,
  time: 1,
  timeout: 2,
  peer: 3,
  sidCtx: 4,
  verifyResult: 5,
  hostname: 6,
  pskIdentityHint: 7,
  pskIdentity: 8,
  tickLifetimeHint: 9,
  ticket: 10,
  compId: 11,
  srpUsername: 12,
  flags: 13,
  tickAgeAdd: 14,
  maxEarlyData: 15,
  alpn: 16,
  maxFragmentLenMode: 17,
  ticketAppdata: 18,
  kexGroup: 19,
};
const INT_FIELDS = new Set([
  "time",
  "timeout",
  "verifyResult",
  "tickLifetimeHint",
  "flags",
  "tickAgeAdd",
  "maxEarlyData",
  "maxFragmentLenMode",
  "kexGroup",
]);

/**
 * Builds a session tree. `f` holds version (default 1), sslVersion (0x0303), cipher ([0xc0,0x2f]),
 * id, masterKey, and any TAG field; a field given as a node object is wrapped in its EXPLICIT tag
 * unless it already is that tag or is marked `asIs`. `extra` nodes are
 * appended after [19].
 */
export function session(f) {
  const asNode = (v, mk) => (v && typeof v === "object" && (v.children || v.content || v.raw) ? v : mk(v));
  const kids = [
    asNode(f.version ?? 1, INT),
    asNode(f.sslVersion ?? 0x0303, INT),
    asNode(f.cipher ?? [0xc0, 0x2f], OCT),
    asNode(f.id ?? [], OCT),
    asNode(f.masterKey ?? new Uint8Array(48).fill(0x11), OCT),
  ];
  for (const [name, tag] of Object.entries(TAG)) {
    const v = f[name];
    if (v === undefined) continue;
    if (name === "keyArg") {
      kids.push(asNode(v, (x) => prim(0, x, CLS_CONTEXT)));
      continue;
    }
    if (v && typeof v === "object" && (v.children || v.content || v.raw)) {
      kids.push(v.asIs || (v.cls === CLS_CONTEXT && v.num === tag) ? v : EXP(tag, v));
      continue;
    }
    if (name === "peer") {
      kids.push(EXP(tag, { raw: bytes(v) }));
      continue;
    }
    kids.push(EXP(tag, INT_FIELDS.has(name) ? INT(v) : OCT(v)));
  }
  for (const x of f.extra ?? []) kids.push(x);
  return SEQ(kids);
}

const fill = (n, start = 1) => Uint8Array.from({ length: n }, (_, i) => (start + i * 7) & 255);

/** Splits an OCTET STRING node into a constructed one made of chunks (BER), optionally nested. */
export function constructedOctets(content, chunk, nested = false) {
  const parts = [];
  for (let i = 0; i < content.length; i += chunk) parts.push(OCT(content.slice(i, i + chunk)));
  if (parts.length === 0) parts.push(OCT([]));
  const inner = nested ? [cons(4, parts.slice(0, 1)), ...parts.slice(1)] : parts;
  return cons(4, inner);
}

function mapTree(node, fn) {
  const n = fn(node) ?? node;
  if (n.children) n.children = n.children.map((c) => mapTree(c, fn));
  return n;
}

/**
 * Hand-built seeds. `cert` is a DER certificate (used for the [3] field of some seeds). Every seed is
 * `{ name, der }`; several are meant to be rejected (they probe OpenSSL's envelope).
 */
export function synthesizeSeeds(cert) {
  const seeds = [];
  const add = (name, tree) => seeds.push({ name, der: encode(tree) });
  const ticket200 = fill(200, 3);

  add("minimal-tls12", session({}));
  add("minimal-tls12-id", session({ id: fill(32) }));
  add(
    "typical-tls12",
    session({
      id: fill(32, 9),
      time: 1700000100,
      timeout: 7200,
      sidCtx: [],
      verifyResult: 18,
      tickLifetimeHint: 7200,
      ticket: fill(176, 5),
      flags: 1,
      alpn: "h2",
      kexGroup: 29,
    }),
  );
  const t13 = {
    sslVersion: 0x0304,
    cipher: [0x13, 0x01],
    id: fill(32, 2),
    masterKey: fill(32, 4),
    time: 1700000200,
    timeout: 7200,
    sidCtx: [],
    hostname: "example.com",
    tickLifetimeHint: 7200,
    ticket: ticket200,
    tickAgeAdd: 0x00c74161,
    maxEarlyData: 16384,
    alpn: "h2",
    kexGroup: 29,
  };
  add("typical-tls13", session(t13));
  add("typical-tls13-cert", session({ ...t13, peer: cert, verifyResult: 18 }));
  add(
    "kitchen-sink",
    session({
      id: fill(32, 8),
      masterKey: fill(48, 6),
      keyArg: fill(8),
      time: 1700000300,
      timeout: 300,
      peer: cert,
      sidCtx: fill(32, 1),
      verifyResult: 20,
      hostname: "host.example",
      pskIdentityHint: "hint",
      pskIdentity: "identity",
      tickLifetimeHint: 100000,
      ticket: fill(64),
      compId: [1],
      srpUsername: "srpuser",
      flags: 1,
      tickAgeAdd: 0xfedcba98,
      maxEarlyData: 0xffffffff,
      alpn: "http/1.1",
      maxFragmentLenMode: 4,
      ticketAppdata: fill(17),
      kexGroup: 0x0017,
    }),
  );
  add(
    "psk-tls12",
    session({ cipher: [0x00, 0xa8], pskIdentityHint: "srv-hint", pskIdentity: "client-1", sidCtx: [] }),
  );
  add("srp", session({ cipher: [0xc0, 0x1d], srpUsername: "alice" }));
  for (const [n, v] of [
    ["dtls12", 0xfefd],
    ["dtls1", 0xfeff],
    ["dtls1-bad-ver", 0x0100],
    ["ssl3", 0x0300],
    ["tls10", 0x0301],
    ["tls11", 0x0302],
    ["v-0x0200", 0x0200],
    ["v-0x0403", 0x0403],
    ["v-0x03ff", 0x03ff],
    ["v-0xfe00", 0xfe00],
    ["v-0", 0],
    ["v-0x10303", 0x10303],
  ]) {
    add(`ssl-version-${n}`, session({ sslVersion: v }));
  }
  for (const v of [0, 2, -1, 0x101, 2 ** 32 + 1]) add(`format-version-${v}`, session({ version: v }));
  for (const c of [
    [0x00, 0x00],
    [0xc0, 0x30],
    [0x13, 0x03],
    [0x13, 0x05],
    [0xff, 0xff],
    [0x00, 0x2f],
    [0x00, 0x04],
    [0x00, 0xff],
    [0x56, 0x00],
    [0xcc, 0xa9],
    [0x00],
    [0x00, 0x2f, 0x00],
    [],
  ]) {
    add(`cipher-${toHex(c) || "empty"}`, session({ cipher: c }));
  }
  add(
    "limits-max",
    session({
      id: fill(32),
      sidCtx: fill(32, 3),
      masterKey: fill(512, 2),
      time: 2n ** 63n - 1n,
      timeout: 2n ** 63n - 1n,
      verifyResult: -(2n ** 63n),
      tickLifetimeHint: 2n ** 64n - 1n,
      tickAgeAdd: 2n ** 32n - 1n,
      maxEarlyData: 2n ** 32n - 1n,
      flags: 2n ** 64n - 1n,
      maxFragmentLenMode: 2n ** 32n - 1n,
      kexGroup: 2n ** 32n - 1n,
    }),
  );
  // Every integer field against the interesting values, one field at a time.
  for (const name of INT_FIELDS) {
    for (const v of INTERESTING_INTS) add(`int-${name}=${v}`, session({ [name]: v }));
  }
  // Long-form lengths whose octets end exactly at the end of their window (`04 81 00` as the last
  // element of an EXPLICIT wrapper or of the SEQUENCE): OpenSSL 3.0.22 accepts them; 3.0.19 and
  // earlier wanted one more byte and said "header too long". Octets that run past the window are
  // refused by both.
  add("long-len-empty-last-in-explicit", session({ sidCtx: { ...OCT([]), len: { long: 1 } } }));
  add("long-len-empty-id", session({ id: { ...OCT([]), len: { long: 1 } } }));
  add(
    "long-len-empty-last-in-seq",
    session({
      extra: [],
      kexGroup: undefined,
      sidCtx: undefined,
      masterKey: { ...OCT([]), len: { long: 1 } },
    }),
  );
  add("long-len-1byte-last-in-explicit", session({ sidCtx: { ...OCT([7]), len: { long: 1 } } }));
  add("long-len-2-empty-last-in-explicit", session({ sidCtx: { ...OCT([]), len: { long: 2 } } }));
  add("long-len-8-empty-last-in-explicit", session({ sidCtx: { ...OCT([]), len: { long: 8 } } }));
  add("long-len-octets-cut-in-explicit", session({ sidCtx: { raw: new Uint8Array([0x04, 0x82, 0x00]) } }));
  add("long-len-no-octets-in-explicit", session({ sidCtx: { raw: new Uint8Array([0x04, 0x81]) } }));
  add("limits-over-id", session({ id: fill(33) }));
  add("limits-over-sidctx", session({ sidCtx: fill(33) }));
  add("limits-over-master", session({ masterKey: fill(513) }));
  add("negatives", session({ time: -1, timeout: -5, verifyResult: -1 }));
  add("mfl-256", session({ maxFragmentLenMode: 256 }));
  add("flags-2^32", session({ flags: 2n ** 32n }));
  add("flags-0x80000000", session({ flags: 0x80000000 }));
  add(
    "zeros-explicit",
    session({
      time: 0,
      timeout: 0,
      verifyResult: 0,
      tickLifetimeHint: 0,
      flags: 0,
      tickAgeAdd: 0,
      maxEarlyData: 0,
      maxFragmentLenMode: 0,
      kexGroup: 0,
    }),
  );
  add(
    "empty-strings",
    session({
      sidCtx: [],
      hostname: "",
      pskIdentityHint: "",
      pskIdentity: "",
      ticket: [],
      srpUsername: "",
      alpn: [],
      ticketAppdata: [],
      keyArg: [],
    }),
  );
  add(
    "nul-in-strings",
    session({ hostname: "a\0b.example", pskIdentityHint: "\0", pskIdentity: "x\0y", srpUsername: "u\0" }),
  );
  add("comp-id-0", session({ compId: [0] }));
  add("comp-id-2bytes", session({ compId: [1, 2] }));
  add("comp-id-empty", session({ compId: [] }));
  add("huge-ticket", session({ ticket: fill(70000) }));
  add("trailing-bytes", { raw: concat([encode(session(t13)), fill(5)]) });
  add("appended-20", session({ ...t13, extra: [EXP(20, OCT(fill(10)))] }));
  add("appended-20-int", session({ extra: [EXP(20, INT(5))] }));
  add("appended-universal", session({ extra: [INT(5)] }));
  add(
    "fields-out-of-order",
    SEQ([...session(t13).children.slice(0, 5), EXP(2, INT(100)), EXP(1, INT(1700000000))]),
  );
  add("duplicate-field", SEQ([...session(t13).children, EXP(19, INT(23))]));
  add("key-arg-constructed", session({ keyArg: cons(0, [OCT(fill(4))], CLS_CONTEXT) }));
  add("key-arg-9-bytes", session({ keyArg: fill(9) }));
  add("set-instead-of-seq", { ...session({}), num: 17 });
  add("int-padding", session({ time: prim(2, [0x00, 0x12, 0x34]) }));
  add("int-empty", session({ timeout: prim(2, []) }));
  add("int-ff-padding", session({ verifyResult: prim(2, [0xff, 0x80]) }));
  add("explicit-two-children", session({ time: cons(1, [INT(5), INT(6)], CLS_CONTEXT) }));
  add("explicit-empty", session({ hostname: cons(6, [], CLS_CONTEXT) }));
  add("octet-for-int", session({ tickAgeAdd: OCT([1, 2]) }));
  add("utf8-for-octet", session({ hostname: prim(12, "host") }));
  add("implicit-instead-of-explicit", session({ hostname: prim(6, "host", CLS_CONTEXT) }));
  add("application-class", session({ extra: [cons(19, [INT(1)], 1)] }));
  add("private-class", session({ extra: [cons(19, [INT(1)], 3)] }));

  // BER forms, applied to the TLS 1.3 seed with a certificate.
  const base = () => session({ ...t13, peer: cert, verifyResult: 18, pskIdentity: "id", srpUsername: "s" });
  add("ber-outer-indef", { ...base(), len: "indef" });
  add(
    "ber-all-indef",
    mapTree(base(), (n) => (n.cons ? { ...n, len: "indef" } : n)),
  );
  add(
    "ber-explicit-indef",
    mapTree(base(), (n) => (n.cls === CLS_CONTEXT && n.cons ? { ...n, len: "indef" } : n)),
  );
  add(
    "ber-long-len-1",
    mapTree(base(), (n) => ({ ...n, len: { long: 1 } })),
  );
  add(
    "ber-long-len-2",
    mapTree(base(), (n) => ({ ...n, len: { long: 2 } })),
  );
  add(
    "ber-long-len-4",
    mapTree(base(), (n) => ({ ...n, len: { long: 4 } })),
  );
  add("ber-long-len-9", { ...base(), len: { long: 9 } });
  add("ber-outer-long-len-2", { ...base(), len: { long: 2 } });
  add("ber-outer-long-len-3", { ...base(), len: { long: 3 } });
  add(
    "ber-high-tag-context",
    mapTree(base(), (n) => (n.cls === CLS_CONTEXT ? { ...n, highTag: true } : n)),
  );
  add(
    "ber-high-tag-universal",
    mapTree(session(t13), (n) => (n.cls === CLS_UNIVERSAL && n.num === 2 ? { ...n, highTag: true } : n)),
  );
  add("ber-high-tag-outer", { ...session(t13), highTag: true });
  for (const field of ["id", "masterKey", "cipher"]) {
    for (const [chunk, nested] of /** @type {[number, boolean][]} */ ([
      [1, false],
      [5, false],
      [16, true],
    ])) {
      const f = { ...t13 };
      const v = bytes(f[field]);
      f[field] = constructedOctets(v, chunk, nested);
      add(`ber-constructed-${field}-${chunk}${nested ? "-nested" : ""}`, session(f));
    }
  }
  for (const field of ["hostname", "ticket", "alpn", "sidCtx"]) {
    for (const [chunk, nested] of /** @type {[number, boolean][]} */ ([
      [1, false],
      [7, false],
      [3, true],
    ])) {
      const f = { ...t13 };
      f[field] = constructedOctets(bytes(f[field]), chunk, nested);
      add(`ber-constructed-${field}-${chunk}${nested ? "-nested" : ""}`, session(f));
    }
  }
  add(
    "ber-constructed-indef-ticket",
    session({ ...t13, ticket: { ...constructedOctets(ticket200, 50), len: "indef" } }),
  );
  // Constructed strings nested 1..8 deep (OpenSSL stops at a fixed depth), definite and indefinite.
  for (let depth = 1; depth <= 8; depth++) {
    for (const indef of [false, true]) {
      /** @type {{ cls: number, cons: boolean, num: number, content?: Uint8Array, children?: object[] }} */
      let n = OCT(fill(20));
      for (let d = 0; d < depth; d++) n = indef ? { ...cons(4, [n]), len: "indef" } : cons(4, [n]);
      add(`ber-nested-octets-${depth}${indef ? "-indef" : ""}`, session({ ...t13, ticket: n }));
    }
  }
  // High-tag-number form with padding (0x80 continuation bytes before the number).
  add(
    "ber-high-tag-padded-context",
    session({
      ...t13,
      alpn: { asIs: true, raw: new Uint8Array([0xbf, 0x80, 0x10, 0x04, 0x04, 0x02, 0x68, 0x32]) },
    }),
  );
  add(
    "ber-high-tag-padded-universal",
    session({ ...t13, version: { raw: new Uint8Array([0x1f, 0x80, 0x02, 0x01, 0x01]) } }),
  );
  add(
    "ber-high-tag-31",
    session({ ...t13, extra: [{ raw: new Uint8Array([0xbf, 0x1f, 0x03, 0x02, 0x01, 0x01]) }] }),
  );
  add("ber-eoc-in-definite", session({ ...t13, extra: [{ raw: new Uint8Array([0, 0]) }] }));
  add("ber-indef-outer-no-eoc", { raw: encode({ ...session(t13), len: "indef" }).slice(0, -2) });
  add("ber-indef-outer-trailing", { raw: concat([encode({ ...session(t13), len: "indef" }), fill(4)]) });
  add("ber-constructed-int", session({ time: cons(2, [prim(2, [0x12])]) }));
  add("ber-constructed-empty-octets", session({ ...t13, hostname: cons(4, []) }));
  add("ber-indef-primitive", session({ ...t13, alpn: { ...OCT("h2"), len: "indef" } }));
  return seeds;
}

// ---------------------------------------------------------------------------------------------
// Real sessions from the openssl CLI

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function waitFor(child, pattern, ms) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`timeout waiting for ${pattern}: ${seen.slice(-300)}`)),
      ms,
    );
    const on = (d) => {
      seen += d;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${seen.slice(-300)}`));
    });
  });
}

function runClient(args, input, ms) {
  return new Promise((resolve, reject) => {
    const c = spawn("openssl", ["s_client", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    c.stdout.on("data", (d) => {
      out += d;
    });
    c.stderr.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(() => {
      c.kill();
      reject(new Error(`s_client timed out: ${out.slice(-300)}`));
    }, ms);
    c.once("exit", () => {
      clearTimeout(timer);
      resolve(out);
    });
    c.stdin.end(input);
  });
}

/** Decodes the first PEM block with the given label (used for -sess_out files). */
export function pemToDer(text, label = "SSL SESSION PARAMETERS") {
  const m = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`no ${label} block`);
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
}

/** A throwaway self-signed EC P-256 certificate: { dir, key, cert, der }. Caller removes dir. */
export function makeCert(dir = mkdtempSync(join(tmpdir(), "tls-session-corpus-"))) {
  const key = join(dir, "key.pem"),
    cert = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-days",
      "2",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { dir, key, cert, der: pemToDer(readFileSync(cert, "latin1"), "CERTIFICATE") };
}

const OPENSSL_CONFIGS = [
  {
    name: "tls13-ticket-sni-alpn",
    server: ["-tls1_3", "-alpn", "h2"],
    client: ["-tls1_3", "-alpn", "h2"],
    sni: true,
  },
  { name: "tls13-stateful", server: ["-tls1_3", "-no_ticket"], client: ["-tls1_3"] },
  {
    name: "tls13-early-data",
    server: ["-tls1_3", "-max_early_data", "16384"],
    client: ["-tls1_3"],
    sni: true,
  },
  {
    name: "tls13-chacha",
    server: ["-tls1_3"],
    client: ["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"],
  },
  {
    name: "tls13-aes128",
    server: ["-tls1_3"],
    client: ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-groups", "P-256"],
  },
  {
    name: "tls12-ticket-sni-alpn",
    server: ["-tls1_2", "-alpn", "h2"],
    client: ["-tls1_2", "-alpn", "h2"],
    sni: true,
  },
  { name: "tls12-no-ticket", server: ["-tls1_2", "-no_ticket"], client: ["-tls1_2"] },
  {
    name: "tls12-chacha",
    server: ["-tls1_2"],
    client: ["-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"],
  },
  {
    name: "tls12-no-ems",
    server: ["-tls1_2"],
    client: ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA", "-no_ticket"],
  },
  {
    name: "tls12-psk",
    server: [
      "-tls1_2",
      "-nocert",
      "-psk",
      "a1b2c3d4e5f60718",
      "-psk_hint",
      "hint-1",
      "-cipher",
      "PSK-AES128-GCM-SHA256",
    ],
    client: [
      "-tls1_2",
      "-psk",
      "a1b2c3d4e5f60718",
      "-psk_identity",
      "client-7",
      "-cipher",
      "PSK-AES128-GCM-SHA256",
    ],
    nocert: true,
  },
];

/**
 * Collects client sessions from real `openssl s_server`/`s_client` handshakes on 127.0.0.1.
 * Returns { cert: DER, seeds: [{ name, der }], failures: [string] }.
 */
export async function collectOpensslSeeds({ timeoutMs = 15000 } = {}) {
  const c = makeCert();
  const seeds = [],
    failures = [];
  try {
    await Promise.all(
      OPENSSL_CONFIGS.map(async (cfg) => {
        const port = await freePort();
        const out = join(c.dir, `${cfg.name}.pem`);
        const sargs = ["s_server", "-accept", `127.0.0.1:${port}`, "-naccept", "1", "-www", ...cfg.server];
        if (!cfg.nocert) sargs.push("-cert", c.cert, "-key", c.key);
        if (cfg.sni) sargs.push("-servername", "localhost", "-cert2", c.cert, "-key2", c.key);
        const srv = spawn("openssl", sargs, { stdio: ["ignore", "pipe", "pipe"] });
        try {
          await waitFor(srv, /ACCEPT/, timeoutMs);
          const cargs = ["-connect", `127.0.0.1:${port}`, "-ign_eof", "-sess_out", out, ...cfg.client];
          if (cfg.sni) cargs.push("-servername", "localhost");
          else cargs.push("-noservername");
          await runClient(cargs, "GET / HTTP/1.0\r\n\r\n", timeoutMs);
          seeds.push({ name: `openssl-${cfg.name}`, der: pemToDer(readFileSync(out, "latin1")) });
        } catch (e) {
          failures.push(`${cfg.name}: ${e.message}`);
        } finally {
          srv.kill();
        }
      }),
    );
  } finally {
    rmSync(c.dir, { recursive: true, force: true });
  }
  seeds.sort((a, b) => a.name.localeCompare(b.name));
  return { cert: c.der, seeds, failures };
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Paths (index lists) of every node in a tree, with whether the node sits inside [3]. */
function allPaths(root) {
  const out = [];
  const walk = (node, path, inCert) => {
    out.push({ path, inCert, node });
    if (node.children) {
      node.children.forEach((ch, i) => {
        walk(ch, [...path, i], inCert || (path.length === 0 && ch.cls === CLS_CONTEXT && ch.num === 3));
      });
    }
  };
  walk(root, [], false);
  return out;
}

const at = (root, path) => path.reduce((n, i) => n.children[i], root);
const parentOf = (root, path) => at(root, path.slice(0, -1));

/** The byte range [start, end) of the [3] field's content in a parsed seed, or null. */
function certRange(tree) {
  const peer = tree?.children?.find((ch) => ch.cls === CLS_CONTEXT && ch.num === 3);
  return peer ? [peer.off + peer.hdr, peer.end] : null;
}

export const INTERESTING_INTS = [
  0n,
  1n,
  -1n,
  127n,
  128n,
  255n,
  256n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  2n ** 32n,
  2n ** 63n - 1n,
  2n ** 63n,
  -(2n ** 63n),
  -(2n ** 63n) - 1n,
  2n ** 64n - 1n,
  2n ** 64n,
  2n ** 100n,
  -(2n ** 100n),
];
const INTERESTING_BYTES = [
  0x00, 0x01, 0x02, 0x04, 0x05, 0x1f, 0x30, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x88, 0xa0, 0xbf, 0xff,
];
const NEW_TLVS = () => [
  EXP(20, OCT([1, 2, 3])),
  EXP(5, INT(1)),
  EXP(19, INT(29)),
  EXP(0, OCT([])),
  prim(0, [1, 2], CLS_CONTEXT),
  INT(1),
  OCT([]),
  prim(5, []),
  EXP(30, INT(1)),
  EXP(31, INT(1)),
  EXP(200, INT(1)),
  { raw: new Uint8Array([0, 0]) },
  EXP(3, SEQ([])),
  EXP(17, INT(1)),
  EXP(11, OCT([1])),
  EXP(6, OCT("x")),
];

/**
 * Applies one random structural mutation to tree `t` in place. Returns { kind, inCert } or null when
 * the drawn operation does not apply to the drawn node.
 */
function treeOp(t, op, rnd) {
  let kind,
    inCert = false;
  const paths = allPaths(t);
  const p = rnd.next() < 0.75 ? rnd.pick(paths.filter((x) => !x.inCert)) : rnd.pick(paths);
  const node = at(t, p.path);
  inCert = p.inCert;
  const where = p.path.join(".") || "root";
  if (op === 2) {
    // flipped tag
    const choice = rnd.int(5);
    if (choice === 0) {
      node.num = rnd.int(32);
      kind = `tagnum-${where}=${node.num}`;
    } else if (choice === 1) {
      node.cls = rnd.int(4);
      kind = `tagcls-${where}=${node.cls}`;
    } else if (choice === 2 && node.cls === CLS_CONTEXT) {
      node.num = (node.num + 1) % 21;
      kind = `tagnext-${where}=${node.num}`;
    } else if (choice === 3) {
      node.highTag = true;
      kind = `hightag-${where}`;
    } else {
      node.cons = !node.cons;
      kind = `tagcons-${where}`;
      if (!node.cons && node.children) {
        node.content = encode(node.children);
        delete node.children;
      }
    }
  } else if (op === 3) {
    // bad length
    const choice = rnd.int(6);
    if (choice === 0) {
      const d = rnd.pick([-2, -1, 1, 2, 100]);
      node.len = { delta: d };
      kind = `lendelta-${where}${d}`;
    } else if (choice === 1) {
      node.len = {
        raw: rnd.pick([
          [0x80],
          [0xff],
          [0x85, 1, 0, 0, 0, 0],
          [0x84, 0xff, 0xff, 0xff, 0xff],
          [0x88, 0x80, 0, 0, 0, 0, 0, 0, 0],
          [0x81],
          [0x82, 0x00],
        ]),
      };
      kind = `lenraw-${where}=${toHex(node.len.raw)}`;
    } else if (choice === 2) {
      node.len = { long: 1 + rnd.int(4) };
      kind = `lenlong-${where}=${node.len.long}`;
    } else if (choice === 3 && node.cons) {
      node.len = "indef";
      kind = `indef-${where}`;
    } else if (choice === 4) {
      node.len = { long: 126 };
      kind = `lenlong126-${where}`;
    } else {
      node.len = "indef";
      kind = `indefany-${where}`;
    }
  } else if (op === 4 && node.content) {
    // content resize: oversize or shrink
    const choice = rnd.int(4);
    const n =
      choice === 0
        ? node.content.length + 1
        : choice === 1
          ? Math.max(0, node.content.length - 1)
          : choice === 2
            ? rnd.pick([0, 1, 2, 3, 32, 33, 48, 512, 513, 1000])
            : node.content.length * 2 + 1;
    const c = new Uint8Array(n);
    c.set(node.content.slice(0, n));
    for (let i = node.content.length; i < n; i++) c[i] = rnd.int(256);
    node.content = c;
    kind = `resize-${where}=${n}`;
  } else if (op === 5 && node.content && node.cls === 0 && node.num === 2) {
    // huge / edge integers
    const choice = rnd.int(4);
    if (choice === 0) {
      const v = rnd.pick(INTERESTING_INTS);
      node.content = intContent(v);
      kind = `int-${where}=${v}`;
    } else if (choice === 1) {
      node.content = concat([new Uint8Array([0]), node.content]);
      kind = `intpad-${where}`;
    } else if (choice === 2) {
      node.content = new Uint8Array([0xff, ...node.content]);
      kind = `intffpad-${where}`;
    } else {
      node.content = concat([new Uint8Array([0x7f]), rnd.bytes(8 + rnd.int(24))]);
      kind = `intbig-${where}`;
    }
  } else if (op === 6 && p.path.length > 0) {
    // remove TLV
    parentOf(t, p.path).children.splice(p.path.at(-1), 1);
    kind = `remove-${where}`;
  } else if (op === 7) {
    // insert TLV
    const target = node.children ? node : p.path.length ? parentOf(t, p.path) : t;
    if (!target.children) return null;
    const idx = rnd.int(target.children.length + 1);
    const n = rnd.pick(NEW_TLVS());
    target.children.splice(idx, 0, n);
    kind = `insert-${where}@${idx}=${toHex(encode(n))}`;
  } else if (op === 8 && p.path.length > 0) {
    // duplicate TLV
    const par = parentOf(t, p.path),
      i = p.path.at(-1);
    par.children.splice(i, 0, clone(par.children[i]));
    kind = `dup-${where}`;
  } else if (op === 9 && p.path.length > 0) {
    // swap with next sibling
    const par = parentOf(t, p.path),
      i = p.path.at(-1);
    if (i + 1 < par.children.length) {
      [par.children[i], par.children[i + 1]] = [par.children[i + 1], par.children[i]];
      kind = `swap-${where}`;
    }
  } else if (op === 10 && node.content && node.content.length > 1 && !(node.cls === 0 && node.num === 2)) {
    // constructed string
    const chunk = 1 + rnd.int(node.content.length);
    const cs = constructedOctets(node.content, chunk, rnd.next() < 0.3);
    cs.cls = node.cls;
    cs.num = node.num;
    Object.assign(node, cs);
    delete node.content;
    kind = `constructed-${where}/${chunk}`;
  } else if (op === 11 && t.children) {
    // append [20] or another top-level field at the end
    const n = rnd.pick([
      EXP(20, OCT(rnd.bytes(rnd.int(40)))),
      EXP(21, INT(1)),
      EXP(19, INT(23)),
      EXP(18, OCT("a")),
    ]);
    t.children.push(n);
    inCert = false;
    kind = `append-${toHex(encode(n)).slice(0, 16)}`;
  } else if (op === 12 && node.content) {
    // content byte edit
    if (node.content.length) {
      const i = rnd.int(node.content.length);
      node.content[i] = rnd.pick([0, 0x80, 0xff, rnd.int(256)]);
      kind = `content-${where}[${i}]`;
    }
  }
  return kind ? { kind, inCert } : null;
}

/**
 * Generates mutated blobs from seeds. Returns [{ name, der, inCert }], deterministic for `seed`.
 * `perSeed` random mutations per seed (a number, or a function of the seed); `fullTruncation` names
 * seeds truncated at every length.
 * @param {{ name: string, der: Uint8Array }[]} seeds
 * @param {{ seed?: number, perSeed?: number | ((s: { name: string, der: Uint8Array }) => number), fullTruncation?: string[] }} [opts]
 */
export function mutate(seeds, { seed = 0x5e55, perSeed = 200, fullTruncation = [] } = {}) {
  const rnd = prng(seed);
  const out = [];
  for (const s of seeds) {
    let tree = null;
    try {
      tree = parse(s.der);
    } catch {
      tree = null;
    }
    const range = tree ? certRange(tree) : null;
    const inRange = (i) => !!range && i >= range[0] && i < range[1];
    const emit = (kind, der, inCert) => out.push({ name: `${s.name}/${kind}`, der, inCert: !!inCert });

    // Truncations: every length for the chosen seeds, a sample for the others.
    if (fullTruncation.includes(s.name)) {
      for (let n = 0; n < s.der.length; n++) emit(`trunc-${n}`, s.der.slice(0, n), inRange(n));
    } else {
      for (let k = 0; k < 6; k++) {
        const n = rnd.int(s.der.length);
        emit(`trunc-${n}`, s.der.slice(0, n), inRange(n));
      }
      emit("trunc-1less", s.der.slice(0, s.der.length - 1), false);
    }
    // Trailing bytes (ignored by d2i) and their BER look-alikes.
    for (const tail of [[0], [0, 0], [0x30, 0x00], fill(3), rnd.bytes(16)]) {
      emit(`trail-${toHex(tail)}`, concat([s.der, new Uint8Array(tail)]), false);
    }
    if (!tree?.children) continue;
    const count = typeof perSeed === "function" ? perSeed(s) : perSeed;

    for (let k = 0; k < count; k++) {
      const op = rnd.int(13);
      let der,
        kind,
        inCert = false;
      if (op === 0) {
        // single bit flip
        const i = rnd.int(s.der.length),
          bit = rnd.int(8);
        der = s.der.slice();
        der[i] ^= 1 << bit;
        kind = `bitflip-${i}.${bit}`;
        inCert = inRange(i);
      } else if (op === 1) {
        // byte replacement
        const i = rnd.int(s.der.length),
          v = rnd.next() < 0.6 ? rnd.pick(INTERESTING_BYTES) : rnd.int(256);
        der = s.der.slice();
        der[i] = v;
        kind = `byte-${i}=${v.toString(16)}`;
        inCert = inRange(i);
      } else {
        // One structural mutation, sometimes two or three stacked.
        const t = clone(tree);
        const depth = rnd.next() < 0.7 ? 1 : 2 + rnd.int(2);
        const kinds = [];
        for (let d = 0; d < depth; d++) {
          const r = treeOp(t, d === 0 ? op : 2 + rnd.int(11), rnd);
          if (r) {
            kinds.push(r.kind);
            inCert ||= r.inCert;
          }
        }
        if (kinds.length) {
          kind = kinds.join("+");
          der = encode(t);
        }
      }
      if (der) emit(kind, der, inCert);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PEM

export function toPem(der, label = "SSL SESSION PARAMETERS", width = 64) {
  const b64 = Buffer.from(der).toString("base64");
  const lines = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** PEM variants of one DER blob: [{ name, pem }]; some are valid, most are not. */
export function pemVariants(der, tag = "pem") {
  const good = toPem(der);
  const b64 = Buffer.from(der).toString("base64");
  const body = good.split("\n").slice(1, -2).join("\n");
  const v = [
    ["good", good],
    ["crlf", good.replace(/\n/g, "\r\n")],
    ["no-final-newline", good.slice(0, -1)],
    ["width-76", toPem(der, undefined, 76)],
    ["width-16", toPem(der, undefined, 16)],
    ["one-line", `-----BEGIN SSL SESSION PARAMETERS-----\n${b64}\n-----END SSL SESSION PARAMETERS-----\n`],
    ["garbage-before", `hello world\nsome text\n${good}`],
    ["garbage-after", `${good}trailing junk\n`],
    ["two-blocks", good + toPem(fromHex("3000"))],
    ["wrong-label-then-good", toPem(der, "CERTIFICATE") + good],
    ["wrong-label", toPem(der, "CERTIFICATE")],
    ["label-lowercase", toPem(der, "ssl session parameters")],
    ["label-end-mismatch", good.replace("-----END SSL SESSION PARAMETERS-----", "-----END CERTIFICATE-----")],
    ["missing-end", good.split("\n").slice(0, -2).join("\n") + "\n"],
    ["missing-begin", good.split("\n").slice(1).join("\n")],
    ["empty-body", "-----BEGIN SSL SESSION PARAMETERS-----\n-----END SSL SESSION PARAMETERS-----\n"],
    ["bad-char", good.replace(/\n([A-Za-z0-9+/]{10})/, "\n$1*")],
    ["space-in-line", good.replace(/\n([A-Za-z0-9+/]{10})/, "\n$1 ")],
    ["tab-leading", good.replace(/\n([A-Za-z0-9+/])/, "\n\t$1")],
    ["bad-padding", good.replace(/=*\n-----END/, "===\n-----END")],
    ["missing-padding", good.replace(/=+\n-----END/, "\n-----END")],
    ["truncated-base64", good.replace(/[A-Za-z0-9+/]{4}(=*)\n-----END/, "$1\n-----END")],
    ["truncated-der", toPem(der.slice(0, der.length - 3))],
    ["trailing-der", toPem(concat([der, new Uint8Array([1, 2, 3])]))],
    ["blank-line-in-body", good.replace(/\n([A-Za-z0-9+/])/, "\n\n$1")],
    [
      "proc-type-header",
      `-----BEGIN SSL SESSION PARAMETERS-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${body}\n-----END SSL SESSION PARAMETERS-----\n`,
    ],
    [
      "unknown-header",
      `-----BEGIN SSL SESSION PARAMETERS-----\nComment: hi\n\n${body}\n-----END SSL SESSION PARAMETERS-----\n`,
    ],
    ["dashes-short", good.replace("-----BEGIN", "----BEGIN")],
    ["leading-spaces", good.replace("-----BEGIN", "  -----BEGIN")],
    ["trailing-space-begin", good.replace("PARAMETERS-----\n", "PARAMETERS----- \n")],
    ["empty", ""],
    // OpenSSL's base64 decoder treats '-' as end of data, and its armour checks are asymmetric.
    ["dash-after-padding", good.replace(/\n-----END/, "-\n-----END")],
    ["dash-end-of-first-line", good.replace(/^(.*\n.*)\n/, "$1-\n")],
    ["dash-mid-first-line", good.replace(/^(.*\n[A-Za-z0-9+/]{32})/, "$1-")],
    [
      "end-extra-dash",
      good.replace("-----END SSL SESSION PARAMETERS-----", "-----END SSL SESSION PARAMETERS------"),
    ],
    [
      "end-trailing-space",
      good.replace("-----END SSL SESSION PARAMETERS-----", "-----END SSL SESSION PARAMETERS----- "),
    ],
    [
      "end-trailing-x",
      good.replace("-----END SSL SESSION PARAMETERS-----", "-----END SSL SESSION PARAMETERS-----X"),
    ],
    ["begin-trailing-x", good.replace("SSL SESSION PARAMETERS-----\n", "SSL SESSION PARAMETERS-----X\n")],
    [
      "begin-trailing-equals",
      good.replace("SSL SESSION PARAMETERS-----\n", "SSL SESSION PARAMETERS-----==\n"),
    ],
    ["begin-trailing-cr", good.replace("SSL SESSION PARAMETERS-----\n", "SSL SESSION PARAMETERS-----\r\n")],
    ["padding-mid-line", good.replace(/^(.*\n[A-Za-z0-9+/]{30})../, "$1==")],
    ["space-mid-line", good.replace(/^(.*\n[A-Za-z0-9+/]{30})/, "$1 ")],
    ["width-81", toPem(der, undefined, 81)],
    ["width-200", toPem(der, undefined, 200)],
    ["blank-line-after-begin", good.replace("-----\n", "-----\n\n")],
  ];
  return v.map(([name, pem]) => ({ name: `${tag}/${name}`, pem }));
}

const PEM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r \t-:.\0\x80";

/** Random edits of a PEM text (characters, lines, widths): [{ name, pem }], deterministic for `seed`. */
export function mutatePem(der, { seed = 0x9e3, count = 200, tag = "pemfuzz" } = {}) {
  const rnd = prng(seed);
  const out = [];
  for (let k = 0; k < count; k++) {
    let text = toPem(der, undefined, rnd.pick([64, 64, 64, 76, 1 + rnd.int(120)]));
    const edits = 1 + (rnd.next() < 0.3 ? rnd.int(3) : 0);
    const kinds = [];
    for (let e = 0; e < edits; e++) {
      const op = rnd.int(7),
        i = rnd.int(text.length + 1);
      const lines = text.split("\n");
      const li = rnd.int(lines.length);
      if (op === 0) {
        text = text.slice(0, i) + rnd.pick([...PEM_CHARS]) + text.slice(i + 1);
        kinds.push(`set@${i}`);
      } else if (op === 1) {
        text = text.slice(0, i) + text.slice(i + 1);
        kinds.push(`del@${i}`);
      } else if (op === 2) {
        text = text.slice(0, i) + rnd.pick([...PEM_CHARS]) + text.slice(i);
        kinds.push(`ins@${i}`);
      } else if (op === 3) {
        lines.splice(li, 0, lines[li]);
        text = lines.join("\n");
        kinds.push(`dupline${li}`);
      } else if (op === 4) {
        lines.splice(li, 1);
        text = lines.join("\n");
        kinds.push(`delline${li}`);
      } else if (op === 5) {
        lines[li] += rnd.pick(["=", "==", " ", "\r", "\t", "A", "-"]);
        text = lines.join("\n");
        kinds.push(`tail${li}`);
      } else {
        lines[li] = lines[li].slice(0, rnd.int(lines[li].length + 1));
        text = lines.join("\n");
        kinds.push(`cut${li}`);
      }
    }
    out.push({ name: `${tag}/${kinds.join("+")}`, pem: text });
  }
  return out;
}

// Allows `node tests/fuzz/corpus.mjs` to print the seeds for a look.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const { cert, seeds, failures } = await collectOpensslSeeds();
  for (const s of [...seeds, ...synthesizeSeeds(cert)]) console.log(s.name, toHex(s.der).slice(0, 120));
  if (failures.length) console.error("failures:", failures);
}

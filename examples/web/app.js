// The inspector page: loads the browser bundle (served from the repository root, after
// `npm run build`), decodes what is pasted, dropped or opened, and shows it for people: a
// resumable verdict with its reason, human times, the ALPN as text, the cipher suite's parts and
// the peer certificate's subject, issuer and validity. No secret is ever put on the page: the
// JSON and the sess_id text come from sessionToJSON / sessionToText without showSecrets.
import { init, Session, sessionToJSON, sessionToText, alpnText } from "../../dist/browser.js";

const $ = (id) => document.getElementById(id);

/** PEM, or the DER as base64 or hex, to a Session. */
export function decode(text) {
  const t = text.trim();
  if (t.includes("-----BEGIN ")) return Session.fromPEM(t);
  const compact = t.replace(/\s+/g, "");
  if (/^([0-9a-fA-F]{2})+$/.test(compact) && !/^[A-Za-z0-9+/]*={1,2}$/.test(compact)) {
    return Session.fromDER(Uint8Array.from(compact.match(/../g), (x) => parseInt(x, 16)));
  }
  let bin;
  try {
    bin = atob(compact);
  } catch {
    throw new Error("the input is neither PEM, base64 nor hex");
  }
  return Session.fromDER(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

// --- human times ------------------------------------------------------------------------------

const UNITS = [
  ["year", 365 * 86400],
  ["day", 86400],
  ["h", 3600],
  ["min", 60],
  ["s", 1],
];
/** 7140 -> "1 h 59 min"; at most two units, the larger ones first. */
export function humanDuration(seconds) {
  let s = Math.abs(Math.round(seconds));
  if (s === 0) return "0 s";
  const parts = [];
  for (const [name, size] of UNITS) {
    if (s >= size && parts.length < 2) {
      const n = Math.floor(s / size);
      s -= n * size;
      parts.push(name === "year" || name === "day" ? `${n} ${name}${n === 1 ? "" : "s"}` : `${n} ${name}`);
    } else if (parts.length) break;
  }
  return parts.join(" ");
}
const iso = (seconds) => {
  const d = new Date(Number(seconds) * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds} (out of range)` : d.toISOString().replace(".000Z", "Z");
};
const relative = (seconds, now) =>
  seconds >= now ? `in ${humanDuration(seconds - now)}` : `${humanDuration(now - seconds)} ago`;

// --- the cipher suite's parts -----------------------------------------------------------------

/** Splits an OpenSSL suite name into key exchange, authentication, encryption and hash. */
export function cipherParts(name) {
  if (!name) return null;
  if (name.startsWith("TLS_")) {
    // TLS 1.3: TLS_AES_128_GCM_SHA256; the key exchange and signature are negotiated apart.
    const m = /^TLS_(.+)_(SHA\d+)$/.exec(name);
    return {
      keyExchange: "(EC)DHE or PSK, negotiated apart (TLS 1.3)",
      authentication: "certificate or PSK, negotiated apart (TLS 1.3)",
      encryption: m ? m[1].replace(/_/g, "-") : name,
      hash: m ? m[2] : "",
    };
  }
  const t = name.split("-");
  const kx = ["ECDHE", "DHE", "EDH", "SRP", "PSK", "RSAPSK", "ECDH", "DH", "ADH", "AECDH", "RSA"];
  const auth = ["RSA", "ECDSA", "DSS", "PSK", "aNULL"];
  let keyExchange = "RSA",
    authentication = "RSA",
    i = 0;
  if (kx.includes(t[0]) && t.length > 2) {
    keyExchange = t[0];
    authentication = t[0] === "PSK" ? "PSK" : t[0].startsWith("A") ? "none (anonymous)" : "RSA";
    i = 1;
    if (auth.includes(t[1]) && t.length > 3) {
      authentication = t[1];
      i = 2;
    }
  }
  const rest = t.slice(i);
  const last = rest[rest.length - 1];
  const hashLike = /^(SHA\d*|MD5|POLY1305)$/.test(last) && rest.length > 1;
  return {
    keyExchange,
    authentication,
    encryption: (hashLike ? rest.slice(0, -1) : rest).join("-"),
    hash: hashLike ? (last === "SHA" ? "SHA1" : last) : "AEAD",
  };
}

// --- the peer certificate (just enough DER to read names and dates) ---------------------------

function tlv(b, p) {
  const tag = b[p];
  let len = b[p + 1],
    head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + 2 + i];
    head = 2 + n;
  }
  return { tag, start: p + head, end: p + head + len };
}
function children(b, node) {
  const out = [];
  for (let p = node.start; p < node.end;) {
    const c = tlv(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}
function oid(b, node) {
  const v = b.subarray(node.start, node.end);
  const parts = [Math.floor(v[0] / 40), v[0] % 40];
  let n = 0;
  for (let i = 1; i < v.length; i++) {
    n = n * 128 + (v[i] & 0x7f);
    if (!(v[i] & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join(".");
}
const NAMES = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "1.2.840.113549.1.9.1": "emailAddress",
};
function name(b, node) {
  const out = [];
  for (const set of children(b, node))
    for (const atv of children(b, set)) {
      const [type, value] = children(b, atv);
      const id = oid(b, type);
      const text = new TextDecoder().decode(b.subarray(value.start, value.end));
      out.push(`${NAMES[id] ?? id}=${text}`);
    }
  return out.join(", ");
}
function time(b, node) {
  const s = new TextDecoder().decode(b.subarray(node.start, node.end));
  const full = node.tag === 0x17 ? (Number(s.slice(0, 2)) >= 50 ? "19" : "20") + s : s; // UTCTime: 2 digits
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(full);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)) / 1000 : null;
}
/** Subject, issuer and validity of a DER certificate (the decoder already checked its shape). */
export function readCertificate(der) {
  const cert = tlv(der, 0);
  const [tbs] = children(der, cert);
  const f = children(der, tbs);
  const k = f[0].tag === 0xa0 ? 1 : 0; // [0] version
  const validity = children(der, f[k + 3]);
  return {
    subject: name(der, f[k + 4]),
    issuer: name(der, f[k + 2]),
    notBefore: time(der, validity[0]),
    notAfter: time(der, validity[1]),
  };
}

// --- the verdict ------------------------------------------------------------------------------

/** Whether a client could resume with this session now, and why not. */
export function verdict(s, now) {
  const expires = Number(s.time + s.timeout);
  const tls13 = s.protocolVersion === 0x0304;
  if (s.notResumable)
    return { ok: false, reason: "marked not resumable (removed from a cache, or its handshake failed)" };
  if (!s.resumable) return { ok: false, reason: "it has neither a session id nor a ticket" };
  if (s.cipherSuite === null) return { ok: false, reason: "it has no cipher suite" };
  if (now > expires) return { ok: false, reason: `it expired ${humanDuration(now - expires)} ago` };
  if (tls13 && !s.hasTicket)
    return { ok: false, reason: "TLS 1.3 resumes through a ticket, and it has none" };
  const how = s.hasTicket ? "with its ticket" : "by its session id";
  return { ok: true, reason: `${how}; expires in ${humanDuration(expires - now)}` };
}

// --- rendering --------------------------------------------------------------------------------

const KEX_GROUPS = {
  23: "secp256r1 (P-256)",
  24: "secp384r1 (P-384)",
  25: "secp521r1 (P-521)",
  29: "X25519",
  30: "X448",
  256: "ffdhe2048",
  257: "ffdhe3072",
};
const hexOf = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const short = (h) => (h.length > 24 ? `${h.slice(0, 16)}…${h.slice(-8)}` : h);

function list(id, rows) {
  const dl = $(id);
  dl.replaceChildren();
  for (const [label, field, value, sub, mono] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.dataset.field = field;
    if (mono) dd.className = "mono";
    const v = document.createElement("span");
    v.className = "value";
    v.textContent = value;
    dd.append(v);
    if (sub) {
      const s = document.createElement("span");
      s.className = "sub";
      s.textContent = sub;
      dd.append(s);
    }
    dl.append(dt, dd);
  }
}

function render(s, now) {
  const json = sessionToJSON(s);
  const v = verdict(s, now);
  $("verdict").className = `verdict ${v.ok ? "yes" : "no"}`;
  $("verdict-title").textContent = v.ok ? "Resumable" : "Not resumable";
  $("verdict-reason").textContent = v.reason;

  const id = s.id;
  const alpn = s.alpn;
  const verify = /Verify return code: (.*)\n/.exec(sessionToText(s))?.[1] ?? String(s.verifyResult);
  list("connection", [
    ["Protocol", "protocol", s.protocol],
    ["Server name", "hostname", s.hostname ?? "none (no SNI)"],
    [
      "ALPN",
      "alpn",
      alpn === null ? "none" : (alpnText(alpn) ?? `0x${hexOf(alpn)}`),
      alpn ? `0x${hexOf(alpn)}` : "",
    ],
    [
      "Session id",
      "sessionId",
      id.length ? short(hexOf(id)) : "none",
      id.length ? `${id.length} bytes` : "",
      true,
    ],
    ["Id context", "sidCtx", s.sidCtx.length ? short(hexOf(s.sidCtx)) : "none", "", true],
    ["Master key", "masterKey", "hidden", "never shown on this page"],
    [
      "Key exchange group",
      "kexGroup",
      s.kexGroup ? (KEX_GROUPS[s.kexGroup] ?? `0x${s.kexGroup.toString(16)}`) : "none",
    ],
    ["Extended master secret", "extendedMasterSecret", s.extendedMasterSecret ? "yes" : "no"],
    ["Verify result", "verifyResult", verify],
  ]);

  const start = Number(s.time),
    expires = start + Number(s.timeout);
  const ticket = s.ticket;
  list("lifetime", [
    ["Started", "time", iso(start), relative(start, now)],
    ["Timeout", "timeout", humanDuration(Number(s.timeout)), `${s.timeout} s`],
    [
      "Expires",
      "expires",
      iso(expires),
      now > expires
        ? `expired ${humanDuration(now - expires)} ago`
        : `expires in ${humanDuration(expires - now)}`,
    ],
    [
      "Ticket",
      "ticket",
      ticket ? `${ticket.length} bytes` : "none",
      ticket && s.ticketLifetimeHint ? `lifetime hint ${humanDuration(Number(s.ticketLifetimeHint))}` : "",
    ],
    ...(s.protocolVersion === 0x0304 ? [["Max early data", "maxEarlyData", `${s.maxEarlyData} bytes`]] : []),
  ]);

  const parts = cipherParts(s.cipherName);
  list(
    "cipher",
    parts
      ? [
          ["Suite", "cipher", s.cipherName, json.cipherId ? `0x${json.cipherId}` : ""],
          ["Key exchange", "keyExchange", parts.keyExchange],
          ["Authentication", "authentication", parts.authentication],
          ["Encryption", "encryption", parts.encryption],
          ["Hash", "hash", parts.hash],
        ]
      : [["Suite", "cipher", "none"]],
  );

  const peer = s.peerCertificate;
  if (peer === null)
    list("peer", [
      ["Certificate", "peerCertificate", "none", "the peer sent no certificate (or it was not kept)"],
    ]);
  else {
    let c = null;
    try {
      c = readCertificate(peer);
    } catch {
      /* shown as unreadable below */
    }
    const valid = c && c.notBefore !== null && c.notAfter !== null;
    list("peer", [
      ["Subject", "subject", c?.subject || "(unreadable)"],
      ["Issuer", "issuer", c?.issuer || "(unreadable)"],
      ["Valid from", "notBefore", valid ? iso(c.notBefore) : "?"],
      [
        "Valid until",
        "notAfter",
        valid ? iso(c.notAfter) : "?",
        valid
          ? now > c.notAfter
            ? `expired ${humanDuration(now - c.notAfter)} ago`
            : `${humanDuration(c.notAfter - now)} left`
          : "",
      ],
      ["SHA-256", "peerCertificateSha256", short(json.peerCertificateSha256), `${peer.length} bytes`, true],
    ]);
  }

  const body = $("fields").tBodies[0];
  body.replaceChildren(
    ...Object.entries(json).map(([k, val]) => {
      const tr = document.createElement("tr");
      tr.dataset.field = k;
      const th = document.createElement("th"),
        td = document.createElement("td");
      th.textContent = k;
      td.textContent = val === null ? "—" : String(val);
      tr.append(th, td);
      return tr;
    }),
  );
  $("text").textContent = sessionToText(s);
  $("json").textContent = JSON.stringify(json, null, 2);
  return json;
}

function show(text) {
  $("error").textContent = "";
  $("result").hidden = true;
  let s;
  try {
    s = decode(text);
  } catch (e) {
    const hint = /-----BEGIN (?!SSL SESSION)/.test(text)
      ? "\nThis is a PEM block of another kind: paste the SSL SESSION PARAMETERS block."
      : "";
    $("error").textContent = `${e.name}${e.code ? ` (${e.code})` : ""}: ${e.message}${hint}`;
    return null;
  }
  try {
    const json = render(s, Math.floor(Date.now() / 1000));
    $("result").hidden = false;
    return json;
  } finally {
    s.free();
  }
}

/** The sample: a TLS 1.3 session made here, with random keys, a ticket and a peer certificate. */
const SAMPLE_CERT =
  "MIIBmjCCAUGgAwIBAgIUbUsvqiHBQT+vPtxkiKZ1zgytvc0wCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMTIzMjMzMloYDzIxMjYxMDI4MjMyMzMyWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ1ZRb0PKKh4hZFjEijlM3HJvQ0rjxMQmwf5iO1NY+xUPVrWWz3dl70rQqpyH34373ZehSiGtpL7yfrY0M6LkMZo28wbTAdBgNVHQ4EFgQUeDSu2QsZPPMg7XXbS9xcz4bqUs8wHwYDVR0jBBgwFoAUeDSu2QsZPPMg7XXbS9xcz4bqUs8wDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZIzj0EAwIDRwAwRAIgUHFdwesjCt+VbfNR++tQFpDfpMdPfQ2HBpEukB+ovDwCICbHitDL6KLqOHGGYtuCaLIYTqB/wolZ00oIkwUudvRg";
function sample() {
  const s = Session.new();
  const random = (n) => crypto.getRandomValues(new Uint8Array(n));
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1301;
  s.id = random(32);
  s.masterKey = random(32);
  s.hostname = "localhost";
  s.alpn = "h2";
  s.kexGroup = 29;
  s.time = Math.floor(Date.now() / 1000) - 61;
  s.timeout = 7200;
  s.ticket = random(160);
  s.ticketLifetimeHint = 7200;
  s.ticketAgeAdd = 1;
  s.verifyResult = 0;
  s.peerCertificate = Uint8Array.from(atob(SAMPLE_CERT), (c) => c.charCodeAt(0));
  try {
    return s.toPEM();
  } finally {
    s.free();
  }
}

async function readFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // DER files become base64 in the text area (PEM and text files stay as they are).
  if (bytes[0] !== 0x30) return new TextDecoder().decode(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

async function load(file) {
  if (!file) return;
  try {
    $("input").value = await readFile(file);
  } catch (e) {
    $("error").textContent = `cannot read ${file.name}: ${e.message}`;
    return;
  }
  show($("input").value);
}

try {
  $("file-hint").hidden = true;
  await init();
  $("status").textContent = "ready";
  for (const b of ["inspect", "sample"]) $(b).disabled = false;
  document.documentElement.dataset.ready = "true";
} catch (e) {
  $("status").textContent = `the module failed to load: ${e.message}`;
  $("file-hint").hidden = false;
}
$("inspect").addEventListener("click", () => show($("input").value));
$("sample").addEventListener("click", () => {
  $("input").value = sample();
  show($("input").value);
});
$("input").addEventListener("paste", () => setTimeout(() => show($("input").value), 0));
$("file").addEventListener("change", (e) => load(e.target.files?.[0]));
const drop = $("drop");
for (const ev of ["dragenter", "dragover"])
  document.addEventListener(ev, (e) => {
    e.preventDefault();
    drop.classList.add("dragging");
  });
for (const ev of ["dragleave", "drop"])
  document.addEventListener(ev, (e) => {
    e.preventDefault();
    if (ev === "drop" || e.target === document.documentElement) drop.classList.remove("dragging");
  });
document.addEventListener("drop", (e) => load(e.dataTransfer?.files?.[0]));

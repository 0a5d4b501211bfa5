// Ticket bench (issue 5): sealing and opening a 256-byte ticket, ours against node:crypto and
// @noble/ciphers + @noble/hashes doing the same AES-CBC + HMAC-SHA256, side by side in one run.
// Ratio = theirs / ours (above 1: we are faster). Ours is measured twice: with a Session object in or
// out (DER encode/decode, a handle) and with the plaintext DER in/out (openRaw), which is the like-for-
// like figure. Both key layouts: 48 bytes (AES-128, Node) and 80 bytes (AES-256, OpenSSL).
//
// `node tests/bench/ticket.mjs` runs it alone; tests/bench/run.mjs calls run().
import nc from "node:crypto";
import { fileURLToPath } from "node:url";
import { cbc as nobleCbc } from "@noble/ciphers/aes.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import * as lib from "../../dist/index.js";

import { measure } from "./measure.mjs";
import { record } from "./targets.mjs";

const fmt = (ns) => (ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

function report(title, rows) {
  console.log(`\n${title}`);
  const ours = rows[0].ns;
  for (const r of rows) {
    const ratio = r === rows[0] ? "" : `  ${(r.ns / ours).toFixed(2)}x ours`;
    console.log(`  ${r.name.padEnd(28)} ${fmt(r.ns).padStart(10)}/op${ratio}`);
  }
  return Object.fromEntries(rows.map((r) => [r.name, r.ns]));
}

/** Records a budgeted figure (tests/bench/targets.mjs) and prints its ratio beside the target. */
function budget(name, ours, peer) {
  const v = record("ticket", name, { ours, peer, peerName: "node:crypto" });
  console.log(`  -> ${name}: ${(ours / peer).toFixed(3)} (ours/node:crypto), ${v}`);
}

/** A session whose DER makes a ticket of exactly `size` bytes. */
function sessionForTicket(size) {
  const s = lib.Session.new();
  s.protocolVersion = 0x0304;
  s.cipherSuite = 0x1301;
  s.id = nc.randomBytes(32);
  s.masterKey = nc.randomBytes(32);
  s.time = 1700000000;
  s.timeout = 7200;
  s.ticketAgeAdd = 0x12345678;
  for (let pad = 0; pad < 200; pad++) {
    s.hostname = pad ? "h".repeat(pad) : null;
    const n = s.toDER().length;
    if (64 + ((n & ~15) + 16) === size) return s;
  }
  throw new Error(`no session makes a ${size}-byte ticket`);
}

export async function run() {
  for (const layout of [48, 80]) {
    const key = nc.randomBytes(layout);
    const mk = layout === 80 ? 32 : 16;
    const name = key.subarray(0, 16),
      macKey = key.subarray(16, 16 + mk),
      aesKey = key.subarray(16 + mk);
    const alg = layout === 80 ? "aes-256-cbc" : "aes-128-cbc";
    const keys = lib.TicketKeys.from(new Uint8Array(key));
    const session = sessionForTicket(256);
    const der = Buffer.from(session.toDER());
    const ticket = keys.seal(session).slice();
    if (ticket.length !== 256) throw new Error(`ticket is ${ticket.length} bytes`);

    const nodeSeal = () => {
      const iv = nc.randomBytes(16);
      const c = nc.createCipheriv(alg, aesKey, iv);
      const head = Buffer.concat([name, iv, c.update(der), c.final()]);
      return Buffer.concat([head, nc.createHmac("sha256", macKey).update(head).digest()]);
    };
    const nodeOpen = () => {
      const body = ticket.subarray(0, ticket.length - 32);
      if (
        !nc.timingSafeEqual(
          nc.createHmac("sha256", macKey).update(body).digest(),
          ticket.subarray(ticket.length - 32),
        )
      )
        throw new Error("mac");
      const d = nc.createDecipheriv(alg, aesKey, ticket.subarray(16, 32));
      return Buffer.concat([d.update(ticket.subarray(32, ticket.length - 32)), d.final()]);
    };
    const nobleSeal = () => {
      const iv = nc.randomBytes(16);
      const ct = nobleCbc(aesKey, iv).encrypt(der);
      const head = new Uint8Array(32 + ct.length);
      head.set(name);
      head.set(iv, 16);
      head.set(ct, 32);
      const out = new Uint8Array(head.length + 32);
      out.set(head);
      out.set(nobleHmac(nobleSha256, macKey, head), head.length);
      return out;
    };
    const nobleOpen = () => {
      const body = ticket.subarray(0, ticket.length - 32);
      const mac = nobleHmac(nobleSha256, macKey, body);
      let d = 0;
      for (let i = 0; i < 32; i++) d |= mac[i] ^ ticket[ticket.length - 32 + i];
      if (d) throw new Error("mac");
      return nobleCbc(aesKey, ticket.subarray(16, 32)).decrypt(ticket.subarray(32, ticket.length - 32));
    };
    // Each must really do the work: check once.
    if (
      Buffer.from(keys.openRaw(nodeSeal())).compare(der) ||
      Buffer.from(keys.openRaw(nobleSeal())).compare(der)
    )
      throw new Error("seal mismatch");
    if (Buffer.from(nodeOpen()).compare(der) || Buffer.from(nobleOpen()).compare(der))
      throw new Error("open mismatch");

    const cipher = layout === 80 ? "AES-256-CBC" : "AES-128-CBC";
    const seal = report(`ticket seal, 256 B, ${layout}-byte keys (${cipher} + HMAC-SHA256)`, [
      { name: "ours (Session in)", ns: measure(() => keys.seal(session)) },
      { name: "node:crypto (DER in)", ns: measure(nodeSeal) },
      { name: "@noble/ciphers (DER in)", ns: measure(nobleSeal) },
    ]);
    if (layout === 48)
      budget("seal 256 B, 48-byte keys, TicketKeys", seal["ours (Session in)"], seal["node:crypto (DER in)"]);
    const open = report(`ticket open, 256 B, ${layout}-byte keys (${cipher} + HMAC-SHA256)`, [
      { name: "ours (DER out, openRaw)", ns: measure(() => keys.openRaw(ticket)) },
      { name: "ours (Session out)", ns: measure(() => keys.open(ticket).session.free()) },
      { name: "node:crypto (DER out)", ns: measure(nodeOpen) },
      { name: "@noble/ciphers (DER out)", ns: measure(nobleOpen) },
    ]);
    if (layout === 48)
      budget(
        "open 256 B, 48-byte keys, TicketKeys",
        open["ours (DER out, openRaw)"],
        open["node:crypto (DER out)"],
      );
    session.free();
    keys.free();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();

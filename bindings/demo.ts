// `npm start`: real TLS on 127.0.0.1 with Node's tls module (which is OpenSSL), and the sessions
// it produces carried through this library: decoded, shown as `openssl sess_id -text` would,
// re-encoded byte for byte, and offered again by clients, which the server resumes.

import tls from "node:tls";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Session, sessionToJSON } from "./index.js";
import { DEMO_CERT, DEMO_KEY } from "./demo/credentials.js";

type Version = "TLSv1.2" | "TLSv1.3";

function connect(port: number, version: Version, session?: Buffer): Promise<{ reused: boolean; session: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let latest: Buffer | undefined;
    const socket = tls.connect({
      host: "127.0.0.1", port, servername: "localhost", ca: DEMO_CERT, session,
      minVersion: version, maxVersion: version, ALPNProtocols: ["h2"],
    });
    socket.on("session", (s) => { latest = s; });
    socket.once("secureConnect", () => {
      const ms = performance.now() - t0;
      const reused = socket.isSessionReused();
      // TLS 1.3 tickets arrive after the handshake: read until the server closes.
      socket.on("data", () => {});
      socket.once("end", () => {
        socket.end();
        // A resumed TLS 1.2 handshake gets no new ticket: the offered session stays current.
        const current = latest ?? session;
        if (!current) reject(new Error("no session received"));
        else resolve({ reused, session: current, ms });
      });
    });
    socket.once("error", reject);
  });
}

async function main(): Promise<void> {
  const server = tls.createServer({
    cert: DEMO_CERT, key: DEMO_KEY, ticketKeys: randomBytes(48), ALPNProtocols: ["h2"],
  }, (socket) => socket.end("hello\n"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  console.log(`TLS server (node:tls, OpenSSL ${process.versions.openssl}) on 127.0.0.1:${port}\n`);

  const rows: string[][] = [["protocol", "cipher", "DER bytes", "re-encoding", "resumed with our bytes"]];
  for (const version of ["TLSv1.2", "TLSv1.3"] as Version[]) {
    const first = await connect(port, version);
    const s = Session.fromDER(new Uint8Array(first.session));
    const ours = s.toDER();
    const identical = Buffer.compare(Buffer.from(ours), first.session) === 0;
    const json = sessionToJSON(s);
    if (version === "TLSv1.3") {
      console.log("A client's TLS 1.3 session, decoded by tls-session-wasm:");
      for (const [k, v] of Object.entries(json)) if (v !== null && k !== "ticket") console.log(`  ${k.padEnd(22)} ${v}`);
      console.log(`  ${"ticket".padEnd(22)} ${json.ticket?.length ? `${json.ticket.length / 2} bytes` : "none"}\n`);
    }
    const again = await connect(port, version, Buffer.from(ours));
    rows.push([version, json.cipher ?? "?", String(ours.length), identical ? "identical" : "DIFFERENT", again.reused ? "yes" : "NO"]);
    s.free();
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
  server.close();
}

main().catch((e) => { console.error(e); process.exitCode = 1; });

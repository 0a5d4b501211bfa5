// The inspector page (examples/web/) in headless Chromium: a pasted session's fields as people
// read them (verdict and reason, human times, ALPN text, the cipher's parts, the peer certificate),
// no secret anywhere in the rendered page, the sample button, drag and drop, bad input, the
// file:// guidance, and screenshots (desktop and phone width) under build/out/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root, serveFiles, findProgram, missing } from "./util.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const SCREENSHOTS = join(root, "build", "out", "screenshots");

/** The demo's throwaway certificate (public; the key is not needed here) as DER. */
function demoCertDer() {
  const text = readFileSync(join(root, "bindings/demo/credentials.ts"), "utf8");
  const b64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/
    .exec(text)[1]
    .replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(b64, "base64"));
}

const MASTER = Uint8Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff);
const SECRET_FORMS = [
  Buffer.from(MASTER).toString("hex"),
  Buffer.from(MASTER).toString("hex").toUpperCase(),
  Buffer.from(MASTER.subarray(0, 12)).toString("hex"), // any prefix long enough to matter
  Buffer.from(MASTER.subarray(0, 12)).toString("hex").toUpperCase(),
  Buffer.from(MASTER).toString("base64"),
];

test(
  "inspector page: fields for people, no secret shown, sample, drop, errors, file://, screenshots",
  { timeout: 90000 },
  async (t) => {
    const why = findProgram(CHROMIUM);
    if (why) return missing(t, "chromium (apt)", why);
    let chromium;
    try {
      ({ chromium } = await import("playwright-core"));
    } catch (e) {
      return missing(t, "playwright-core (npm devDependency)", e.message);
    }
    const lib = await import("tls-session-wasm");
    const now = Math.floor(Date.now() / 1000);
    const make = (time) => {
      const s = lib.Session.new();
      s.protocolVersion = 0x0303;
      s.cipherSuite = 0xc02b; // ECDHE-ECDSA-AES128-GCM-SHA256
      s.id = Uint8Array.from({ length: 32 }, (_, i) => i);
      s.sidCtx = new TextEncoder().encode("my-app");
      s.masterKey = MASTER;
      s.hostname = "localhost";
      s.alpn = "h2";
      s.kexGroup = 29;
      s.extendedMasterSecret = true;
      s.verifyResult = 0;
      s.time = time;
      s.timeout = 7200;
      s.peerCertificate = demoCertDer();
      return s;
    };
    const s = make(now - 600);
    const pem = s.toPEM();
    const expectedJson = lib.sessionToJSON(s);
    const expectedText = lib.sessionToText(s);
    const der = s.toDER();
    s.free();
    const old = make(now - 3 * 86400 - 7200 - 30);
    const expiredPem = old.toPEM();
    old.free();

    const server = await serveFiles(["examples/web/", "dist/"]);
    const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(`${base}/examples/web/index.html`);
      await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
      assert.equal(await page.textContent("#status"), "ready");
      assert.equal(await page.isHidden("#file-hint"), true, "the file:// hint goes once the module loads");
      // The page runs under its own CSP, which allows wasm only through 'wasm-unsafe-eval'.
      assert.match(
        await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content"),
        /script-src 'self' 'wasm-unsafe-eval'/,
      );

      const field = (name) => page.textContent(`dd[data-field="${name}"] .value`);
      const sub = (name) => page.textContent(`dd[data-field="${name}"] .sub`);
      const renderedText = async () => {
        await page.evaluate(() => {
          document.querySelectorAll("details").forEach((d) => {
            d.open = true;
          });
        });
        return page.evaluate(() => {
          const input = /** @type {HTMLTextAreaElement} */ (document.getElementById("input"));
          const saved = input.value;
          input.value = "";
          // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is what people see
          const out = document.body.innerText + "\n" + document.body.innerHTML;
          input.value = saved;
          return out;
        });
      };
      const noSecret = async (what) => {
        const shown = await renderedText();
        for (const f of SECRET_FORMS)
          assert.ok(!shown.includes(f), `${what}: the master key (${f.slice(0, 8)}…) is on the page`);
        assert.match(shown, /Master-Key: \(hidden\)/);
      };

      // 1. Paste a PEM: the page decodes on paste.
      await page.focus("#input");
      await page.evaluate((text) => {
        const el = /** @type {HTMLTextAreaElement} */ (document.getElementById("input"));
        el.value = text;
        el.dispatchEvent(new ClipboardEvent("paste", { bubbles: true }));
      }, pem);
      await page.waitForSelector("#result:not([hidden])");
      assert.equal(await page.textContent("#verdict-title"), "Resumable");
      assert.match(
        await page.textContent("#verdict-reason"),
        /^by its session id; expires in 1 h (49|50) min$/,
      );
      assert.equal(await field("protocol"), "TLSv1.2");
      assert.equal(await field("hostname"), "localhost");
      assert.equal(await field("alpn"), "h2");
      assert.equal(await sub("alpn"), "0x6832");
      assert.equal(await field("masterKey"), "hidden");
      assert.equal(await field("kexGroup"), "X25519");
      assert.equal(await field("extendedMasterSecret"), "yes");
      assert.equal(await field("verifyResult"), "0 (ok)");
      assert.equal(await field("time"), new Date((now - 600) * 1000).toISOString().replace(".000Z", "Z"));
      assert.match(await sub("time"), /^1(0|1) min( \d+ s)? ago$/);
      assert.equal(await field("timeout"), "2 h");
      assert.match(await sub("expires"), /^expires in 1 h (49|50) min$/);
      assert.equal(await field("cipher"), "ECDHE-ECDSA-AES128-GCM-SHA256");
      assert.equal(await sub("cipher"), "0xC02B");
      assert.equal(await field("keyExchange"), "ECDHE");
      assert.equal(await field("authentication"), "ECDSA");
      assert.equal(await field("encryption"), "AES128-GCM");
      assert.equal(await field("hash"), "SHA256");
      assert.equal(await field("subject"), "CN=localhost");
      assert.equal(await field("issuer"), "CN=localhost");
      assert.equal(await field("notBefore"), "2026-11-21T23:23:32Z");
      assert.equal(await field("notAfter"), "2126-10-28T23:23:32Z");
      const shownJson = JSON.parse(await page.textContent("#json"));
      assert.deepEqual(
        { ...shownJson, bytesConsumed: 0 },
        { ...JSON.parse(JSON.stringify(expectedJson)), bytesConsumed: 0 },
      );
      assert.equal(await page.textContent("#text"), expectedText);
      assert.equal(await page.textContent('tr[data-field="alpnText"] td'), "h2");
      await noSecret("pasted PEM");
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "inspector.png"), fullPage: true });

      // 2. An expired session: the verdict says so, with how long ago.
      await page.fill("#input", expiredPem);
      await page.click("#inspect");
      assert.equal(await page.textContent("#verdict-title"), "Not resumable");
      assert.match(await page.textContent("#verdict-reason"), /^it expired 3 days( \d+ s)? ago$/);
      assert.match(await sub("expires"), /^expired 3 days/);
      await noSecret("expired session");

      // 3. Bare base64 through the button; hex too.
      await page.fill("#input", Buffer.from(der).toString("base64"));
      await page.click("#inspect");
      const fromDer = JSON.parse(await page.textContent("#json"));
      assert.equal(fromDer.bytesConsumed, der.length);
      assert.deepEqual(
        { ...fromDer, bytesConsumed: 0 },
        { ...JSON.parse(JSON.stringify(expectedJson)), bytesConsumed: 0 },
      );
      await page.fill("#input", Buffer.from(der).toString("hex"));
      await page.click("#inspect");
      assert.equal(await field("subject"), "CN=localhost");

      // 4. A DER file dropped on the page.
      await page.fill("#input", "");
      const dt = await page.evaluateHandle((b64) => {
        const d = new DataTransfer();
        d.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], "session.der"));
        return d;
      }, Buffer.from(der).toString("base64"));
      await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
      await page.waitForFunction(
        () => /** @type {HTMLTextAreaElement} */ (document.getElementById("input")).value.length > 0,
      );
      await page.waitForSelector("#result:not([hidden])");
      assert.equal(await field("hostname"), "localhost");
      assert.equal(await page.textContent("#verdict-title"), "Resumable");
      await noSecret("dropped DER");

      // 5. The sample button: a TLS 1.3 session with a ticket and a peer certificate.
      await page.click("#sample");
      assert.equal(await page.textContent("#verdict-title"), "Resumable");
      assert.match(await page.textContent("#verdict-reason"), /^with its ticket; expires in 1 h 5\d min$/);
      assert.equal(await field("protocol"), "TLSv1.3");
      assert.equal(await field("encryption"), "AES-128-GCM");
      assert.equal(await field("subject"), "CN=localhost");
      assert.equal(await page.textContent("#error"), "");
      assert.match(await page.textContent("#text"), /Resumption PSK: \(hidden\)/);

      // 6. Garbage is reported on the page, not thrown.
      await page.fill("#input", "MIIBAAAA");
      await page.click("#inspect");
      assert.match(await page.textContent("#error"), /TlsSessionError/);
      assert.equal(await page.isHidden("#result"), true);
      await page.fill("#input", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
      await page.click("#inspect");
      assert.match(await page.textContent("#error"), /another kind/);

      // 7. Phone width: one column, still readable.
      await page.click("#sample");
      await page.setViewportSize({ width: 390, height: 844 });
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(widths[0] <= widths[1], `no horizontal scrolling at 390 px (${widths})`);
      await page.screenshot({ path: join(SCREENSHOTS, "inspector_phone.png"), fullPage: true });
      assert.deepEqual(errors, []);

      // 8. Opened from file://: the module cannot load there, and the page says what to do.
      const local = await browser.newPage();
      await local.goto(pathToFileURL(join(root, "examples/web/index.html")).href);
      await local.waitForTimeout(500);
      assert.equal(await local.isVisible("#file-hint"), true);
      assert.match(await local.textContent("#file-hint"), /file:\/\/.*python3 -m http\.server/s);
    } finally {
      await browser.close();
      await new Promise((r) => server.close(r));
    }
  },
);

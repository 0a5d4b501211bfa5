// Chromium: headless Debian `chromium` driven by playwright-core loads the web page
// (examples/web/) from 127.0.0.1, a session is pasted and the decoded fields are read off the
// page; then the shared smoke test runs in the page with the browser bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname, sep } from "node:path";
import { root, reference, findProgram, missing } from "./util.mjs";
import { SESSION_DER_HEX } from "./smoke.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
};
const SERVED = ["examples/web/", "dist/", "tests/platforms/"];

function serve() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname).slice(1);
    const file = normalize(join(root, path));
    const rel = file
      .slice(root.length + 1)
      .split(sep)
      .join("/");
    if (!file.startsWith(root + sep) || !SERVED.some((p) => rel.startsWith(p)) || !TYPES[extname(file)]) {
      res.writeHead(404).end("not found");
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)], "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test(
  "chromium: the inspector page decodes a pasted session and the smoke test passes in the page",
  { timeout: 60000 },
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
    const s = lib.Session.fromDER(Uint8Array.from(SESSION_DER_HEX.match(/../g), (x) => parseInt(x, 16)));
    const pem = s.toPEM();
    const expectedFields = lib.sessionToJSON(s);
    const expectedText = lib.sessionToText(s);
    s.free();

    const server = await serve();
    const base = `http://127.0.0.1:${server.address().port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${base}/examples/web/index.html`);
      await page.waitForSelector("html[data-ready=true]", { timeout: 20000 });
      assert.equal(await page.textContent("#status"), "ready");

      // Paste the PEM: the page decodes on paste.
      await page.focus("#input");
      await page.evaluate((text) => {
        const el = /** @type {HTMLTextAreaElement} */ (document.getElementById("input"));
        el.value = text;
        el.dispatchEvent(new ClipboardEvent("paste", { bubbles: true }));
      }, pem);
      await page.waitForSelector("#json:not([hidden])");
      assert.deepEqual(JSON.parse(await page.textContent("#json")), expectedFields);
      assert.equal(await page.textContent("#text"), expectedText);
      assert.equal(await page.textContent('tr[data-field="hostname"] td'), "example.test");
      assert.equal(await page.textContent('tr[data-field="cipher"] td'), "TLS_AES_128_GCM_SHA256");
      assert.equal(await page.textContent('tr[data-field="protocol"] td'), "TLSv1.3");

      // The same session as bare base64, through the button.
      const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
      await page.fill("#input", b64);
      await page.click("#inspect");
      assert.deepEqual(JSON.parse(await page.textContent("#json")), expectedFields);

      // Garbage is reported on the page, not thrown.
      await page.fill("#input", "MIIBAAAA");
      await page.click("#inspect");
      assert.match(await page.textContent("#error"), /TlsSessionError|Error/);
      assert.equal(await page.isHidden("#json"), true);

      // The shared smoke test inside the page, with the browser bundle.
      const result = await page.evaluate(async () => {
        // @ts-expect-error: a path on the test server, not in this tree
        const lib = await import("/dist/browser.js");
        await lib.init();
        // @ts-expect-error: a path on the test server, not in this tree
        const { smoke } = await import("/tests/platforms/smoke.mjs");
        return { ua: navigator.userAgent, result: smoke(lib) };
      });
      assert.match(result.ua, /Chrom/);
      assert.equal(result.result.ok, true, JSON.stringify(result.result.checks));
      assert.deepEqual(result.result, await reference());
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await new Promise((r) => server.close(r));
    }
  },
);

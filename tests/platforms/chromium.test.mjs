// Chromium: headless Debian `chromium` driven by playwright-core loads the web page
// (examples/web/) from 127.0.0.1 and runs the shared smoke test in it with the browser bundle.
// (The page itself is tested in inspector_page.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveFiles, reference, findProgram, missing } from "./util.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

test("chromium: the smoke test passes in a page with the browser bundle", { timeout: 60000 }, async (t) => {
  const why = findProgram(CHROMIUM);
  if (why) return missing(t, "chromium (apt)", why);
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    return missing(t, "playwright-core (npm devDependency)", e.message);
  }
  const server = await serveFiles(["examples/web/", "dist/", "tests/platforms/"]);
  const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
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

    // The shared smoke test inside the page, with the browser bundle.
    const result = await page.evaluate(async () => {
      // @ts-expect-error: a path on the test server, not in this tree
      const lib = await import("/dist/browser.js");
      await lib.init();
      // @ts-expect-error: a path on the test server, not in this tree
      const { smoke } = await import("/tests/platforms/smoke.mjs");
      return { ua: navigator.userAgent, memoryLimit: lib.getMemoryLimit(), result: smoke(lib) };
    });
    assert.match(result.ua, /Chrom/);
    // A page shares its tab's memory: the browser entry's default limit, not the server one.
    assert.equal(result.memoryLimit, 256 * 1024 * 1024);
    assert.equal(result.result.ok, true, JSON.stringify(result.result.checks));
    assert.deepEqual(result.result, await reference());
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
});

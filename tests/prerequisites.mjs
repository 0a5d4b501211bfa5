// The one rule for tests that need a program nobody here wrote (openssl, gcc and libssl, redis-server,
// chromium, deno, workerd, Python wasmtime): on a developer's machine a missing program skips the
// tests that need it, loudly; under CI=true (set by .ci/run, which installs everything) it is a failure.
import assert from "node:assert/strict";

export const CI = process.env.CI === "true" || process.env.CI === "1";

const BAR = "!".repeat(78);

/** Prints a banner that no one scrolling the output can miss. */
export function loud(where, message) {
  console.log(`${BAR}\n!! ${where}: ${message}\n${BAR}`);
}

/**
 * Reports a missing prerequisite found at load time. Returns false when nothing is missing, else the
 * reason, for `test(name, { skip: reason }, ...)`. Under CI=true it throws, so the file fails.
 */
export function requirePrerequisite(where, missing) {
  if (!missing) return false;
  loud(where, `${CI ? "FAILING (CI=true)" : "SKIPPED"}: ${missing}`);
  if (CI) throw new Error(`${where}: prerequisite missing under CI=true: ${missing}`);
  return missing;
}

/**
 * The same rule inside a running test `t`: returns true when the test may go on; otherwise skips it
 * loudly, or fails it under CI=true.
 */
export function needPrerequisite(t, where, missing) {
  if (!missing) return true;
  if (CI) assert.fail(`${where}: prerequisite missing under CI=true: ${missing}`);
  loud(where, `SKIPPED: ${missing}`);
  t.skip(missing);
  return false;
}

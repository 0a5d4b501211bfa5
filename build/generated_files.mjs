// The last step every generator under build/ shares: format what it generated as `npm run format`
// would, then write each file whose text changed, or, with --check (`npm run lint`), write nothing
// and fail naming the files that are stale.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

/** The repository's root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Generated TypeScript at `rel`, formatted with the project's prettier settings. */
export async function formatted(rel, text) {
  const path = join(root, rel);
  return prettier.format(text, { ...(await prettier.resolveConfig(path)), filepath: path });
}

/**
 * Writes each `[rel, text]` whose file differs (named `generator` in the log), or with --check in
 * the arguments writes nothing and exits 1 when any is stale.
 * @param {string} generator the script's name without extension, e.g. "gen_sha256"
 * @param {[string, string][]} outputs
 */
export function writeOrCheck(generator, outputs) {
  const check = process.argv.includes("--check");
  const stale = [];
  for (const [rel, text] of outputs) {
    const path = join(root, rel);
    if (existsSync(path) && readFileSync(path, "utf8") === text) continue;
    if (check) stale.push(rel);
    else {
      writeFileSync(path, text);
      console.log(`${generator}: wrote ${rel}`);
    }
  }
  if (stale.length) {
    console.error(`${generator}: stale (run node build/${generator}.mjs): ${stale.join(", ")}`);
    process.exit(1);
  }
  if (check) console.log(`${generator}: ${outputs.map(([rel]) => rel).join(", ")} up to date`);
}

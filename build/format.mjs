// `npm run format` rewrites every source file with prettier; `--check` (used by `npm run lint`)
// only lists the files that differ and exits 1.
//
// AssemblyScript puts decorators on top-level functions and declarations (`@inline function`,
// `@external(...) declare function`), which no TypeScript parser accepts. Those decorators are
// masked as block comments for prettier and restored afterwards, so the AssemblyScript sources
// get the same formatter as everything else.
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative, extname } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROOTS = ["assembly", "bindings", "tests", "build", "examples", "docs"];
const TOP_FILES = [
  "as-pect.config.js",
  "package.json",
  "tsconfig.json",
  "asconfig.json",
  "as-pect.asconfig.json",
];
const EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", ".html", ".css"]);
const SKIP_DIRS = new Set(["node_modules", "bin", "out"]);

const DECORATOR =
  /^([ \t]*)@(inline|lazy|global|unmanaged|final|external\([^)\n]*\))(?=\s+(export\s+)?(function|declare|const|let|var)\b)/gm;
const MASK = /\/\*@AS:([A-Za-z0-9+/=]+)\*\//g;

const mask = (text) =>
  text.replace(DECORATOR, (_, indent, deco) => `${indent}/*@AS:${Buffer.from(deco).toString("base64")}*/`);
const unmask = (text) => text.replace(MASK, (_, b64) => `@${Buffer.from(b64, "base64").toString()}`);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) collect(path, out);
    } else if (EXTENSIONS.has(extname(name))) out.push(path);
  }
  return out;
}

export async function formatSource(path, text) {
  const options = { ...(await prettier.resolveConfig(path)), filepath: path };
  const assembly = relative(root, path).startsWith("assembly") || path.endsWith(".spec.ts");
  if (!assembly) return prettier.format(text, options);
  return unmask(await prettier.format(mask(text), options));
}

async function main() {
  const check = process.argv.includes("--check");
  const files = ROOTS.flatMap((r) => collect(join(root, r), [])).concat(TOP_FILES.map((f) => join(root, f)));
  const differ = [];
  for (const path of files.sort()) {
    const before = readFileSync(path, "utf8");
    let after;
    try {
      after = await formatSource(path, before);
    } catch (e) {
      console.error(`format: ${relative(root, path)}: ${String(e.message).split("\n")[0]}`);
      process.exitCode = 1;
      continue;
    }
    if (after === before) continue;
    differ.push(relative(root, path));
    if (!check) writeFileSync(path, after);
  }
  if (check && differ.length) {
    console.error(`format: ${differ.length} file(s) not formatted (run \`npm run format\`):`);
    for (const f of differ) console.error(`  ${f}`);
    process.exit(1);
  }
  console.log(
    `format: ${files.length} files ${check ? "checked" : "formatted"}, ${differ.length} ${check ? "differ" : "rewritten"}`,
  );
}

await main();

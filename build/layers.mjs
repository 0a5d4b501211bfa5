// The dependency rule of ARCHITECTURE.md, checked: an AssemblyScript folder may import only from
// folders below it, with no exceptions (the domain reports faults through util/status and names
// objects through util/handles; nothing below abi/ imports abi/). Run by `npm run lint`.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const assembly = join(root, "assembly");

// Lower ranks sit lower in the picture. Equal ranks may not import each other.
const RANK = {
  util: 0,
  env: 0,
  crypto: 1,
  session: 2,
  tls12: 2,
  tls13: 2,
  cache: 3,
  ticket: 3,
  ssl: 4,
  abi: 5,
  index: 6,
  index_test: 7,
};

function listTs(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listTs(p, out);
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

const layerOf = (path) => relative(assembly, path).split("/")[0].replace(/\.ts$/, "");
const violations = [];
for (const file of listTs(assembly)) {
  const from = layerOf(file);
  for (const m of readFileSync(file, "utf8").matchAll(/\bfrom\s+"(\.[^"]+)"/g)) {
    const to = layerOf(resolve(dirname(file), m[1]));
    if (to === from) continue;
    if (!(from in RANK) || !(to in RANK))
      violations.push(`${relative(root, file)}: unknown layer ${from} or ${to}`);
    else if (RANK[to] >= RANK[from])
      violations.push(`${relative(root, file)}: ${from}/ imports ${to}/ ("${m[1]}")`);
  }
}
if (violations.length) {
  console.error(`layers: ${violations.length} import(s) against the dependency rule (ARCHITECTURE.md):`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log("layers: every import points down");

// The ABI as data, for the generators (build/gen_header.mjs) and the tests:
//   description()  assembly/abi/abi.json: statuses, object kinds, flags, field and counter ids
//   abiExports()   every function the shipped module exports, with its AssemblyScript parameter
//                  and result types, read from assembly/index.ts and the files it re-exports
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @typedef {{ name: string, value: number, doc: string, c?: string, text?: string }} AbiValue
 * @typedef {{ name: string, type: string, c: string, doc: string, values: AbiValue[] }} AbiGroup
 * @typedef {{ doc: string, abiVersion: number, groups: AbiGroup[] }} AbiDescription
 * @typedef {{ name: string, type: string }} AbiParam
 * @typedef {{ name: string, params: AbiParam[], result: string, file: string }} AbiExport
 */

/** @returns {AbiDescription} */
export function description() {
  return JSON.parse(readFileSync(join(root, "assembly/abi/abi.json"), "utf8"));
}

/** The group `name` of the description as { NAME: value }. */
export function group(name) {
  const g = description().groups.find((x) => x.name === name);
  if (!g) throw new Error(`abi.json has no group ${name}`);
  return Object.fromEntries(g.values.map((v) => [v.name, v.value]));
}

/** The sentinel an i64-valued export returns on a fault: -2^63. */
export const I64_FAULT = -(2n ** 63n);

/** `export function name(params): result` declarations of one AssemblyScript file, by name. */
function functionsOf(file) {
  const src = readFileSync(join(root, file), "utf8");
  /** @type {Map<string, AbiExport>} */
  const out = new Map();
  for (const m of src.matchAll(/^export function (\w+)\(([^)]*)\)\s*:\s*(\w+)/gm)) {
    const params = m[2]
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean)
      .map((a) => {
        const [name, type] = a.split(":").map((x) => x.trim());
        return { name, type: type.replace(/\s*=.*$/, "") };
      });
    out.set(m[1], { name: m[1], params, result: m[3], file });
  }
  return out;
}

/** The exported function `name` of `file`, followed through `export { ... } from` re-exports. */
function findFunction(file, name) {
  const fn = functionsOf(file).get(name);
  if (fn) return fn;
  const src = readFileSync(join(root, file), "utf8");
  for (const m of src.matchAll(/^export\s+\{([^}]*)\}\s+from\s+"([^"]+)";/gm)) {
    for (const spec of m[1].split(",").map((s) => s.trim())) {
      const [local, alias = local] = spec.split(/\s+as\s+/).map((s) => s.trim());
      if (alias === name) return findFunction(join(dirname(file), m[2]).replace(/\\/g, "/") + ".ts", local);
    }
  }
  throw new Error(`${file}: no exported function ${name}`);
}

/**
 * Every exported function of the module built from `entry` (assembly/index.ts, or
 * assembly/index_test.ts for the test build), in declaration order, plus `_initialize`.
 * @returns {AbiExport[]}
 */
export function abiExports(entry = "assembly/index.ts") {
  /** @type {AbiExport[]} */
  const out = [{ name: "_initialize", params: [], result: "void", file: entry }];
  const resolveFile = (from, spec) => join(dirname(from), spec).replace(/\\/g, "/") + ".ts";
  const walk = (file) => {
    const src = readFileSync(join(root, file), "utf8");
    for (const m of src.matchAll(/^export\s+(\*|\{([^}]*)\})\s+from\s+"([^"]+)";/gm)) {
      const target = resolveFile(file, m[3]);
      if (m[1] === "*") {
        if (/\/index(_test)?\.ts$/.test(target)) walk(target);
        else out.push(...functionsOf(target).values());
        continue;
      }
      for (const spec of m[2]
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [local, alias = local] = spec.split(/\s+as\s+/).map((s) => s.trim());
        out.push({ ...findFunction(target, local), name: alias });
      }
    }
  };
  walk(entry);
  return out;
}

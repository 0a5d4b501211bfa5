// Lists exported names that nothing imports: an export is a promise to other modules, and one
// nobody takes is dead code or an internal that should not be exported. Run by `npm run lint`.
//
// Roots (everything they export is used by definition): the wasm ABI (assembly/index.ts), the
// package's entry points, the CLI and the demo. The as-pect specs count as importers of the
// AssemblyScript they test. `import * as` and `export *` count every export of their target.
import ts from "typescript";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["assembly", "bindings"];
const IMPORTER_DIRS = ["tests/assembly"];
const ROOTS = new Set([
  "assembly/index.ts",
  // Generated from the ABI's description (build/gen_header.mjs): every value of it, used or not.
  "assembly/util/abi_values.ts",
  "bindings/abi.ts",
  "bindings/index.ts",
  "bindings/cli/main.ts",
  "bindings/demo.ts",
  ...listTs(join(root, "bindings/entries")).map((p) => relative(root, p)),
  ...listTs(join(root, "bindings/node"))
    .filter((p) => p.endsWith("index.ts"))
    .map((p) => relative(root, p)),
]);
// Names the toolchain reaches without an import: asconfig.json's `use: abort=assembly/env/abortTrap`.
const TOOLCHAIN_USES = new Set(["assembly/env.ts#abortTrap"]);

function listTs(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listTs(p, out);
    else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function resolveSpecifier(from, spec) {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec.replace(/\.(m?js)$/, ""));
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  return null;
}

const hasExport = (node) => ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export;

/** The names a file exports, and what it takes from other files. */
function scan(path) {
  const sf = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const exported = [];
  const uses = []; // [file, name | "*"]
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier;
      const target = spec && ts.isStringLiteral(spec) ? resolveSpecifier(path, spec.text) : null;
      if (ts.isExportDeclaration(st) && !spec && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) exported.push(el.name.text);
        continue;
      }
      if (!target) continue;
      if (ts.isImportDeclaration(st)) {
        const clause = st.importClause;
        if (!clause) uses.push([target, "*"]);
        else {
          if (clause.name) uses.push([target, "default"]);
          const nb = clause.namedBindings;
          if (nb && ts.isNamespaceImport(nb)) uses.push([target, "*"]);
          else if (nb)
            for (const el of /** @type {import("typescript").NamedImports} */ (nb).elements)
              uses.push([target, (el.propertyName ?? el.name).text]);
        }
      } else if (!st.exportClause) uses.push([target, "*"]);
      else if (ts.isNamespaceExport(st.exportClause)) uses.push([target, "*"]);
      else
        for (const el of st.exportClause.elements) {
          uses.push([target, (el.propertyName ?? el.name).text]);
          exported.push(el.name.text);
        }
      continue;
    }
    if (!hasExport(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name)) exported.push(d.name.text);
    } else if (/** @type {any} */ (st).name && ts.isIdentifier(/** @type {any} */ (st).name))
      exported.push(/** @type {any} */ (st).name.text);
    else if (ts.isExportAssignment(st)) exported.push("default");
  }
  return { exported, uses };
}

const sources = SOURCE_DIRS.flatMap((d) => listTs(join(root, d)));
const importers = IMPORTER_DIRS.flatMap((d) => listTs(join(root, d)));
const scanned = new Map([...sources, ...importers].map((p) => [p, scan(p)]));
const used = new Set(TOOLCHAIN_USES);
const everything = new Set();
for (const [, { uses }] of scanned)
  for (const [file, name] of uses) {
    if (name === "*") everything.add(file);
    else used.add(`${relative(root, file)}#${name}`);
  }

const unused = [];
for (const path of sources) {
  const rel = relative(root, path);
  if (ROOTS.has(rel) || everything.has(path)) continue;
  for (const name of scanned.get(path).exported)
    if (!used.has(`${rel}#${name}`)) unused.push(`${rel}: ${name}`);
}
if (unused.length) {
  console.error(`unused exports: ${unused.length} exported name(s) that nothing imports:`);
  for (const u of unused) console.error(`  ${u}`);
  process.exit(1);
}
console.log(`unused exports: none in ${sources.length} files`);

// Regenerates the declarations of docs/tls_session.h from the ABI sources (assembly/abi/*.ts):
// every exported function, with AssemblyScript types mapped to C. Run: node build/gen_header.mjs
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const C = {
  i32: "int32_t",
  u32: "uint32_t",
  i64: "int64_t",
  u64: "uint64_t",
  f64: "double",
  usize: "tls_ptr",
  void: "void",
  bool: "int32_t",
  u8: "uint32_t",
  u16: "uint32_t",
};
const ctype = (t) =>
  C[t.trim()] ??
  (() => {
    throw new Error(`no C type for ${t}`);
  })();

const sections = [];
for (const file of readdirSync(join(root, "assembly/abi"))
  .filter((f) => f.endsWith("_exports.ts"))
  .sort()) {
  const src = readFileSync(join(root, "assembly/abi", file), "utf8");
  const decls = [];
  for (const m of src.matchAll(/^export function (\w+)\(([^)]*)\)\s*:\s*(\w+)/gm)) {
    const args = m[2].trim()
      ? m[2]
          .split(",")
          .filter((a) => a.trim())
          .map((a) => {
            const [name, type] = a.split(":").map((x) => x.trim());
            return `${ctype(type.replace(/\s*=.*$/, ""))} ${name}`;
          })
          .join(", ")
      : "void";
    decls.push(`${ctype(m[3]).padEnd(8)} ${m[1]}(${args});`);
  }
  sections.push(`/* ${file} */\n${decls.join("\n")}`);
}
// index.ts re-exports a few module functions under ABI names.
sections.unshift(`/* buffers and errors (abi/memory.ts, abi/status.ts) */
void     _initialize(void);
tls_ptr  buf_alloc(uint32_t len);
int32_t  buf_free(tls_ptr p);
tls_ptr  buf_scratch(uint32_t len);
void     buf_scratch_wipe(uint32_t len);
tls_ptr  result_ptr(void);
uint32_t result_len(void);
void     result_wipe(void);
int32_t  tls_last_error_code(void);
int32_t  tls_last_error_offset(void);`);

const path = join(root, "docs/tls_session.h");
const text = readFileSync(path, "utf8");
const start = text.indexOf("/* BEGIN GENERATED */");
const end = text.indexOf("/* END GENERATED */");
if (start < 0 || end < 0) throw new Error("markers missing in docs/tls_session.h");
writeFileSync(
  path,
  text.slice(0, start) + "/* BEGIN GENERATED */\n" + sections.join("\n\n") + "\n" + text.slice(end),
);

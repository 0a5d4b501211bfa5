// The inspector page: loads the browser bundle (served from the repository root, after
// `npm run build`), decodes what is pasted and shows it as `tls-session inspect --json` does.
import { init, Session, sessionToJSON, sessionToText } from "../../dist/browser.js";

const $ = (id) => document.getElementById(id);

/** PEM, or the DER as base64 or hex, to a Session. */
export function decode(text) {
  const t = text.trim();
  if (t.includes("-----BEGIN ")) return Session.fromPEM(t);
  const compact = t.replace(/\s+/g, "");
  if (/^([0-9a-fA-F]{2})+$/.test(compact) && !/^[A-Za-z0-9+/]*={1,2}$/.test(compact)) {
    return Session.fromDER(Uint8Array.from(compact.match(/../g), (x) => parseInt(x, 16)));
  }
  let bin;
  try {
    bin = atob(compact);
  } catch {
    throw new Error("input is neither PEM, base64 nor hex");
  }
  return Session.fromDER(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function show(text) {
  $("error").textContent = "";
  for (const id of ["fields", "text", "text-title", "json", "json-title"]) $(id).hidden = true;
  let s;
  try {
    s = decode(text);
  } catch (e) {
    $("error").textContent = `${e.name}${e.code ? ` (${e.code})` : ""}: ${e.message}`;
    return null;
  }
  try {
    const json = sessionToJSON(s);
    const body = $("fields").tBodies[0];
    body.replaceChildren(
      ...Object.entries(json).map(([k, v]) => {
        const tr = document.createElement("tr");
        tr.dataset.field = k;
        const th = document.createElement("th"),
          td = document.createElement("td");
        th.textContent = k;
        td.textContent = v === null ? "—" : String(v);
        tr.append(th, td);
        return tr;
      }),
    );
    $("text").textContent = sessionToText(s);
    $("json").textContent = JSON.stringify(json, null, 2);
    for (const id of ["fields", "text", "text-title", "json", "json-title"]) $(id).hidden = false;
    return json;
  } finally {
    s.free();
  }
}

try {
  await init();
  $("status").textContent = "ready";
  $("inspect").disabled = false;
  document.documentElement.dataset.ready = "true";
} catch (e) {
  $("status").textContent = `the module failed to load: ${e.message}`;
}
$("inspect").addEventListener("click", () => show($("input").value));
$("input").addEventListener("paste", () => setTimeout(() => show($("input").value), 0));

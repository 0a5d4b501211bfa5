// Hooks for tests only, compiled into build/out/tls_session_test.wasm (assembly/index_test.ts),
// never into the shipped module.

import { argObject, argStatus } from "./args";
import { Kind } from "./handles";
import { Session } from "../session/session";
import { Cache } from "../cache/context";

/** Position of a session in its cache's expiry list (0 = head), or -1: for tests of the order. */
export function tls_ctx_list_position(h: u32, sh: u32): i32 {
  const cp = argObject(h, Kind.CACHE);
  if (!cp) return argStatus();
  const c = changetype<Cache>(cp);
  const sp = argObject(sh, Kind.SESSION);
  if (!sp) return argStatus();
  const s = changetype<Session>(sp);
  if (s.owner != changetype<usize>(c)) return -1;
  let i = 0;
  let p = c.head;
  while (p) {
    if (p === s) return i;
    p = p.next;
    i++;
  }
  return -1;
}

// A byte budget per cache. OpenSSL's cache bounds how many sessions it keeps
// (SSL_CTX_sess_set_cache_size), not their bytes, and a session carries what the peer sent: a
// client that presents a 96 KB certificate makes a 96 KB session. With a budget set
// (tls_ctx_set_byte_budget), adding a session evicts from the tail of the expiry list, the
// session closest to expiry first, exactly as the count limit evicts, until the sessions held
// fit the budget again; a session larger than the whole budget is not cached at all (add
// returns 0), so that one session cannot flush the cache.
//
// A session's bytes are what it holds in linear memory: its record and the block of its byte
// fields (master key, ticket, host name, the peer certificate...). The total follows the
// sessions in and out of the cache (cache.ts: charge on insert, uncharge on unlink) and when a
// cached session's byte fields change (the owner's resize hook). Like the count limit, the
// budget is enforced when a session is added.

import { Cache } from "./context";
import { Session, SESSION_RECORD_SIZE } from "../session/session";
import { blockSize } from "../session/fields";
import { setResizeHook } from "../session/owner";

/** The bytes `s` holds in linear memory. */
export function sessionBytes(s: Session): u64 {
  return <u64>SESSION_RECORD_SIZE + <u64>blockSize(s.data, s.fields);
}

/** A cached session's byte fields changed by `delta` bytes. */
function resized(s: Session, delta: i64): void {
  const c = changetype<Cache>(s.owner);
  c.bytes = <u64>(<i64>c.bytes + delta);
}

/** Installs the resize hook (once per cache creation, as the other owner hooks). */
export function budgetHooks(): void {
  setResizeHook(resized);
}

/** Whether `s` may enter `c`: no budget, or the session alone fits it. */
export function budgetAdmits(c: Cache, s: Session): bool {
  return c.byteBudget == 0 || sessionBytes(s) <= c.byteBudget;
}

/** `s` entered the cache. */
export function budgetCharge(c: Cache, s: Session): void {
  c.bytes += sessionBytes(s);
}

/** `s` left the cache (its fields are still as they were while cached). */
export function budgetUncharge(c: Cache, s: Session): void {
  const n = sessionBytes(s);
  c.bytes = c.bytes > n ? c.bytes - n : 0;
}

/** Whether the sessions held exceed the budget (never without one). */
export function budgetOver(c: Cache): bool {
  return c.byteBudget != 0 && c.bytes > c.byteBudget;
}

// Hooks by which a session that sits in a cache keeps the cache consistent when it changes:
// a new time or timeout re-sorts it (out of the order before the change, back in after) (SSL_SESSION_set_time / set_timeout do this under the
// owner's lock in OpenSSL), a new id or version re-files it under its new key. The cache
// installs the functions; the session layer does not depend on the cache.

import { Session } from "./session";

function nothing(_s: Session): void {}

let unsortHook: (s: Session) => void = nothing;
let resortHook: (s: Session) => void = nothing;
let unfileHook: (s: Session) => void = nothing;
let refileHook: (s: Session) => void = nothing;

export function setOwnerHooks(
  unsort: (s: Session) => void,
  resort: (s: Session) => void,
  unfile: (s: Session) => void,
  refile: (s: Session) => void,
): void {
  unsortHook = unsort;
  resortHook = resort;
  unfileHook = unfile;
  refileHook = refile;
}

function nothingResized(_s: Session, _delta: i64): void {}
let resizeHook: (s: Session, delta: i64) => void = nothingResized;

/** The cache's byte accounting (cache/budget.ts). */
export function setResizeHook(resized: (s: Session, delta: i64) => void): void {
  resizeHook = resized;
}

/** After a cached session's byte fields grew or shrank by `delta` bytes. */
export function resizedInOwner(s: Session, delta: i64): void {
  if (s.owner && delta) resizeHook(s, delta);
}

/** Before a cached session's time or timeout changes: takes it out of its cache's expiry order. */
export function unsortInOwner(s: Session): void {
  if (s.owner) unsortHook(s);
}

/** After the change: puts it back in order. */
export function resortInOwner(s: Session): void {
  if (s.owner) resortHook(s);
}

/** Before a cached session's key changes: takes it out of its cache's table. */
export function unfileFromOwner(s: Session): void {
  if (s.owner) unfileHook(s);
}

/** After the key changed: files it again (replacing another entry with the same key). */
export function refileInOwner(s: Session): void {
  if (s.owner) refileHook(s);
}

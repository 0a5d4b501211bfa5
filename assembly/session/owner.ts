// The hook by which a session that sits in a cache is re-sorted when its time or timeout
// changes (SSL_SESSION_set_time / set_timeout do this under the owner's lock in OpenSSL).
// The cache installs the function; the session layer does not depend on the cache.

import { Session } from "./session";

function noResort(s: Session): void {}

let resortHook: (s: Session) => void = noResort;

export function setResortHook(fn: (s: Session) => void): void {
  resortHook = fn;
}

export function resortInOwner(s: Session): void {
  if (s.owner) resortHook(s);
}

// A session's identity towards the host and its last reference: every session the host can
// reach has a handle (util/handles.ts); the last release retires the handle, wipes and frees.

import { Session, sessionDestroy } from "./session";
import { handleNew, handleRetire, Kind } from "../util/handles";

/** Gives a new session its handle. False (and the session destroyed) when none can be had. */
export function sessionRegister(s: Session): bool {
  const h = handleNew(changetype<usize>(s), Kind.SESSION);
  if (!h) {
    sessionDestroy(s);
    return false;
  }
  s.handle = h;
  return true;
}

export function sessionRelease(s: Session): void {
  if (--s.refs > 0) return;
  if (s.handle) handleRetire(s.handle);
  sessionDestroy(s);
}

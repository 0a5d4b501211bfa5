// Dropping a reference: the last one retires the session's handle, wipes and frees it.

import { Session, sessionDestroy } from "./session";
import { handleRetire } from "../abi/handles";

export function sessionRelease(s: Session): void {
  if (--s.refs > 0) return;
  if (s.handle) handleRetire(s.handle);
  sessionDestroy(s);
}

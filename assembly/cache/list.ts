// The cache's doubly linked list, sorted by expiry: head = latest, tail = earliest (OpenSSL 3.0,
// PR #8687). Eviction takes the tail; flush walks from the tail and stops at the first session
// that has not expired, so it costs O(expired). A session is "in the list" iff owner != 0.

import { Cache } from "./context";
import { Session } from "../session/session";

/** timeoutcmp: an overflowed expiry is later than every other. */
// @ts-ignore: decorator
@inline function cmp(a: Session, b: Session): i32 {
  if (a.timeoutOverflow != b.timeoutOverflow) return a.timeoutOverflow ? 1 : -1;
  return a.calcTimeout > b.calcTimeout ? 1 : a.calcTimeout < b.calcTimeout ? -1 : 0;
}

export function listRemove(c: Cache, s: Session): void {
  if (s.prev) changetype<Session>(s.prev).next = s.next;
  else c.head = s.next;
  if (s.next) changetype<Session>(s.next).prev = s.prev;
  else c.tail = s.prev;
  s.prev = 0;
  s.next = 0;
  s.owner = 0;
}

/**
 * SSL_SESSION_list_add: (re)inserts `s` at its sorted place. Ties go nearer the head, so among
 * equal expiries the most recent insertion is evicted last.
 */
export function listAdd(c: Cache, s: Session): void {
  if (s.owner) listRemove(c, s);
  const p = changetype<usize>(s);
  s.owner = changetype<usize>(c);
  if (!c.head) {
    c.head = c.tail = p;
    s.prev = s.next = 0;
    return;
  }
  if (cmp(s, changetype<Session>(c.head)) >= 0) {
    s.prev = 0;
    s.next = c.head;
    changetype<Session>(c.head).prev = p;
    c.head = p;
    return;
  }
  if (cmp(s, changetype<Session>(c.tail)) < 0) {
    s.next = 0;
    s.prev = c.tail;
    changetype<Session>(c.tail).next = p;
    c.tail = p;
    return;
  }
  let q = changetype<Session>(c.head).next;
  while (q) {
    const n = changetype<Session>(q);
    if (cmp(s, n) >= 0) {
      s.next = q;
      s.prev = n.prev;
      changetype<Session>(n.prev).next = p;
      n.prev = p;
      return;
    }
    q = n.next;
  }
}

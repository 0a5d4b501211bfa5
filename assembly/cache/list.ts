// The cache's doubly linked list, sorted by expiry: head = latest, tail = earliest (OpenSSL 3.0,
// PR #8687). Eviction takes the tail; flush walks from the tail and stops at the first session
// that has not expired, so it costs O(expired). A session is "in the list" iff owner != 0.
//
// OpenSSL finds an insertion point by walking from the head, which is O(n) when the new expiry
// falls near the tail. The order it produces is a total one: by expiry (an overflowed expiry after
// every other), and among equal expiries the most recent insertion nearest the head. So the list
// is indexed by an AVL tree over its distinct expiries: each tree node is the session nearest the
// head among those with its expiry (the head of its "run"). An insertion finds its run, or the run
// it goes in front of, in O(log n), and every other step is O(1) or O(log n) in the worst case.
//
// The tree is keyed by each session's current expiry, so a cached session's time or timeout
// may change only while it is out of the list (listUnlink ... listLink).

import { Cache } from "./context";
import { Session } from "../session/session";

/** timeoutcmp: an overflowed expiry is later than every other. */
// @ts-ignore: decorator
@inline function cmp(a: Session, b: Session): i32 {
  if (a.timeoutOverflow != b.timeoutOverflow) return a.timeoutOverflow ? 1 : -1;
  return a.calcTimeout > b.calcTimeout ? 1 : a.calcTimeout < b.calcTimeout ? -1 : 0;
}

// ---- the AVL tree of runs (Session.left/right/height; height 0 = not a tree node) ----

// @ts-ignore: decorator
@inline function height(n: Session | null): i32 {
  return n ? <i32>n.height : 0;
}

// @ts-ignore: decorator
@inline function fix(n: Session): void {
  const l = height(n.left),
    r = height(n.right);
  n.height = <u8>((l > r ? l : r) + 1);
}

function rotateRight(n: Session): Session {
  const l = changetype<Session>(n.left);
  n.left = l.right;
  l.right = n;
  fix(n);
  fix(l);
  return l;
}

function rotateLeft(n: Session): Session {
  const r = changetype<Session>(n.right);
  n.right = r.left;
  r.left = n;
  fix(n);
  fix(r);
  return r;
}

function balance(n: Session): Session {
  fix(n);
  const b = height(n.left) - height(n.right);
  if (b > 1) {
    const l = changetype<Session>(n.left);
    if (height(l.left) < height(l.right)) n.left = rotateLeft(l);
    return rotateRight(n);
  }
  if (b < -1) {
    const r = changetype<Session>(n.right);
    if (height(r.right) < height(r.left)) n.right = rotateRight(r);
    return rotateLeft(n);
  }
  return n;
}

/** Inserts `s`, whose expiry no node has, under `n`; returns the subtree's new root. */
function insert(n: Session | null, s: Session): Session {
  if (!n) {
    s.left = null;
    s.right = null;
    s.height = 1;
    return s;
  }
  if (cmp(s, n) < 0) n.left = insert(n.left, s);
  else n.right = insert(n.right, s);
  return balance(n);
}

/** Detaches the leftmost node of `n` into `minOut`; returns the subtree's new root. */
let minOut: Session | null = null;
function removeMin(n: Session): Session | null {
  if (!n.left) {
    minOut = n;
    return n.right;
  }
  n.left = removeMin(changetype<Session>(n.left));
  return balance(n);
}

/** Removes node `s` (found by its expiry) from under `n`; returns the subtree's new root. */
function remove(n: Session | null, s: Session): Session | null {
  if (!n) return null; // not reached while the tree is consistent
  const d = cmp(s, n);
  if (d < 0) n.left = remove(n.left, s);
  else if (d > 0) n.right = remove(n.right, s);
  else {
    const l = n.left,
      r = n.right;
    n.left = null;
    n.right = null;
    n.height = 0;
    if (!r) return l;
    const rest = removeMin(changetype<Session>(r));
    const m = changetype<Session>(minOut);
    minOut = null;
    m.left = l;
    m.right = rest;
    return balance(m);
  }
  return balance(n);
}

/** Puts `by` (same expiry, not a node) in the tree where node `s` is. O(log n). */
function replace(c: Cache, s: Session, by: Session): void {
  by.left = s.left;
  by.right = s.right;
  by.height = s.height;
  s.left = null;
  s.right = null;
  s.height = 0;
  let n = c.root;
  if (n === s) {
    c.root = by;
    return;
  }
  while (n) {
    if (cmp(s, n) < 0) {
      if (n.left === s) {
        n.left = by;
        return;
      }
      n = n.left;
    } else {
      if (n.right === s) {
        n.right = by;
        return;
      }
      n = n.right;
    }
  }
}

// ---- the list ----

/** Takes `s` out of the list (and the tree) but leaves it in its cache (owner stays set). */
export function listUnlink(c: Cache, s: Session): void {
  if (s.height) {
    const following = s.next;
    if (following && cmp(following, s) == 0) replace(c, s, following);
    else c.root = remove(c.root, s);
  }
  const p = s.prev,
    n = s.next;
  if (p) p.next = n;
  else c.head = n;
  if (n) n.prev = p;
  else c.tail = p;
  s.prev = null;
  s.next = null;
}

export function listRemove(c: Cache, s: Session): void {
  listUnlink(c, s);
  s.owner = 0;
}

/**
 * SSL_SESSION_list_add's placement for `s`, which is not in the list: in front of the first
 * session (from the head) whose expiry is not later than its own. So ties go nearer the head,
 * and among equal expiries the most recent insertion is evicted last.
 */
export function listLink(c: Cache, s: Session): void {
  // One descent finds the run with s's expiry, or else the run with the latest earlier expiry.
  let exact: Session | null = null,
    below: Session | null = null;
  let n = c.root;
  while (n) {
    const d = cmp(s, n);
    if (d == 0) {
      exact = n;
      break;
    }
    if (d > 0) {
      below = n;
      n = n.right;
    } else n = n.left;
  }
  const before = exact ? exact : below;
  if (before) {
    const p = before.prev;
    s.prev = p;
    s.next = before;
    before.prev = s;
    if (p) p.next = s;
    else c.head = s;
  } else {
    s.next = null;
    s.prev = c.tail;
    if (c.tail) changetype<Session>(c.tail).next = s;
    else c.head = s;
    c.tail = s;
  }
  if (exact) replace(c, exact, s);
  else c.root = insert(c.root, s);
}

/** SSL_SESSION_list_add: (re)inserts `s` at its sorted place. */
export function listAdd(c: Cache, s: Session): void {
  if (s.owner) listUnlink(c, s);
  s.owner = changetype<usize>(c);
  listLink(c, s);
}

// Events the cache owes the host, delivered only after the cache is consistent again, so a
// callback may call back into the cache (OpenSSL 3.0 calls remove_session_cb under its lock,
// where re-entry deadlocks). The queue keeps OpenSSL's order of callbacks and frees:
//   REMOVE  remove_session_cb(session); the queue holds a reference until the next event
//   RELEASE the cache drops its reference (the session may be freed here)
//   NEW     new_session_cb(session) (reserved for the handshake layer)

import { Cache } from "./context";
import { Session } from "../session/session";
import { alloc, release } from "../util/alloc";
import { sessionRelease } from "../session/refs";
import { EventKind, RemoveReason } from "../util/abi_values";

const EVENT_NONE: i32 = EventKind.NONE;
export const EVENT_REMOVE: i32 = EventKind.REMOVE;
export const EVENT_RELEASE: i32 = EventKind.RELEASE;
export const EVENT_NEW: i32 = EventKind.NEW;

/** Why a REMOVE happened (bits 8..15 of the event): SSL_CTX_remove_session, eviction, flush. */
export const REASON_REMOVED: u32 = RemoveReason.REMOVED;
export const REASON_EVICTED: u32 = RemoveReason.EVICTED;
export const REASON_FLUSHED: u32 = RemoveReason.FLUSHED;

const ENTRY: usize = 8; // kind (u32) | session (u32)

function grow(c: Cache): bool {
  const cap = c.eventCap == 0 ? <u32>16 : c.eventCap << 1;
  const p = alloc(<usize>cap * ENTRY);
  if (!p) return false;
  for (let i: u32 = 0; i < c.eventLen; i++) {
    const from = c.events + usize((c.eventHead + i) & (c.eventCap - 1)) * ENTRY;
    store<u64>(p + <usize>i * ENTRY, load<u64>(from));
  }
  if (c.events) release(c.events, <usize>c.eventCap * ENTRY);
  c.events = p;
  c.eventCap = cap;
  c.eventHead = 0;
  return true;
}

/**
 * Queues an event. When the queue cannot grow (memory exhausted) a RELEASE is carried out at
 * once and a REMOVE is dropped: references stay right, only a callback is lost.
 */
export function pushEvent(c: Cache, event: i32, s: Session): void {
  const kind = <i32>(event & 0xff);
  if (kind == EVENT_REMOVE && !c.removeCallback) return;
  if (c.eventLen == c.eventCap && !grow(c)) {
    if (kind == EVENT_RELEASE) sessionRelease(s);
    return;
  }
  if (kind != EVENT_RELEASE) s.refs++;
  const e = c.events + usize((c.eventHead + c.eventLen) & (c.eventCap - 1)) * ENTRY;
  store<u32>(e, <u32>event);
  store<u32>(e, <u32>changetype<usize>(s), 4);
  c.eventLen++;
}

/**
 * Hands out the next callback event, carrying out the RELEASEs before it. Returns it (kind |
 * reason << 8) and
 * leaves the session in `c.eventHeld` (the queue's reference is dropped on the next call), or
 * EVENT_NONE when the queue is empty.
 */
export function nextEvent(c: Cache): i32 {
  if (c.eventHeld) {
    const held = changetype<Session>(c.eventHeld);
    c.eventHeld = 0;
    sessionRelease(held);
  }
  while (c.eventLen) {
    const e = c.events + usize(c.eventHead & (c.eventCap - 1)) * ENTRY;
    const event = load<u32>(e);
    const kind = <i32>(event & 0xff);
    const s = changetype<Session>(<usize>load<u32>(e, 4));
    c.eventHead = (c.eventHead + 1) & (c.eventCap - 1);
    c.eventLen--;
    if (kind == EVENT_RELEASE) {
      if (c.reportReleases) {
        // Tracing hosts see each reference drop as it happens (tls_ctx_event_session names it).
        c.eventReleased = s.handle;
        sessionRelease(s);
        return kind;
      }
      sessionRelease(s);
      continue;
    }
    c.eventHeld = changetype<usize>(s);
    return <i32>event;
  }
  return EVENT_NONE;
}

/** Settles every pending event without the host (no callback wanted, or the cache is going away). */
export function settleEvents(c: Cache): void {
  while (nextEvent(c) != EVENT_NONE) {}
}

export function eventsFree(c: Cache): void {
  if (c.events) release(c.events, <usize>c.eventCap * ENTRY);
  c.events = 0;
  c.eventCap = 0;
}

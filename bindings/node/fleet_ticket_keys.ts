// The fleet's ticket keys: every server derives the same ring from a shared secret and the epoch
// floor(now / period) (bindings/ticket_keys.ts) and installs its current key as Node's
// `ticketKeys`. Node holds one key: at each epoch boundary the new key replaces the old, and
// tickets sealed under the old key get a full handshake (and a new ticket). Choose a period much
// longer than `sessionTimeout`. No coordination: servers agree by arithmetic.

import type { Server } from "node:tls";
import { TicketKeys } from "../ticket_keys.js";

/**
 * Seconds per ticket key epoch. Node holds one ticket key, so a ticket outlives its key only across
 * a boundary: a day against Node's default sessionTimeout of 300 s leaves that to 0.3% of tickets.
 */
export const DEFAULT_TICKET_PERIOD = 86400;
/** The longest ticket lifetime (RFC 8446 §4.6.1: 7 days). */
const MAX_LIFETIME = 604800;

export interface FleetTicketKeyOptions {
  /** The fleet's shared secret (at least 16 bytes; 32 random bytes recommended). A secret. */
  secret: Uint8Array;
  /** Seconds per epoch: how often every server switches to the next derived key (default DEFAULT_TICKET_PERIOD). */
  period?: number;
  /** Seconds since the epoch (default the system clock). */
  now?: () => number;
}

function ring(secret: Uint8Array, period: number): TicketKeys {
  return new TicketKeys({ secret, period, lifetime: Math.min(period, MAX_LIFETIME), layout: 48 });
}

/** Node's `ticketKeys` (48 bytes: name | HMAC key | AES-128 key) of epoch floor(now / period). */
export function fleetTicketKey(
  secret: Uint8Array,
  nowSeconds: number,
  period = DEFAULT_TICKET_PERIOD,
): Buffer {
  const r = ring(secret, period);
  try {
    r.tick(nowSeconds);
    const k = r.export(0);
    const out = Buffer.from(k);
    k.fill(0);
    return out;
  } finally {
    r.free();
  }
}

export interface FleetTicketKeys {
  /** The key name (first 16 bytes) installed now. */
  readonly name: Buffer;
  /** Re-derives and installs the key for the current time; true when it changed. */
  refresh(): boolean;
  /** Stops the rotation timer and wipes the ring. */
  stop(): void;
}

/**
 * Installs the fleet's derived ticket key on `server` now and again at every epoch boundary
 * (an unref'd timer), so every server issues and opens the same tickets without talking.
 */
export function installFleetTicketKeys(server: Server, opts: FleetTicketKeyOptions): FleetTicketKeys {
  const period = opts.period ?? DEFAULT_TICKET_PERIOD;
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError("period must be a positive integer (seconds)");
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const keys = ring(opts.secret, period);
  let name = Buffer.alloc(16);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const refresh = (): boolean => {
    keys.tick(now());
    const k = keys.export(0);
    try {
      const changed = !name.equals(Buffer.from(k.subarray(0, 16)));
      if (changed) {
        const buf = Buffer.from(k);
        server.setTicketKeys(buf);
        buf.fill(0);
        name = Buffer.from(k.subarray(0, 16));
      }
      return changed;
    } finally {
      k.fill(0);
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    const t = now();
    const next = (Math.floor(t / period) + 1) * period;
    timer = setTimeout(
      () => {
        try {
          refresh();
        } finally {
          schedule();
        }
      },
      Math.min((next - t) * 1000 + 50, 0x7fffffff),
    );
    timer.unref?.();
  };
  refresh();
  schedule();
  return {
    get name() {
      return name;
    },
    refresh,
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      keys.free();
    },
  };
}

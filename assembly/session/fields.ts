// A session's variable-length fields, kept together in one block after the record.
//
// OpenSSL's SSL_SESSION carries a dozen byte strings, most of them NULL in a typical resumable
// session (PSK identity and hint, SRP user name, ticket app data, the peer's certificate). One
// allocation per string, and a pointer for each in the record, cost more than the strings
// themselves in a cache of 10^5 sessions. So the record holds one pointer and a presence mask,
// and the block, usually in the record's own allocation, holds the present fields one after
// another in the order of `Field`:
//
//   entry  = length data
//   length = one byte 0..254, or 0xFF then the length as a little-endian u32
//
// A field is absent (OpenSSL's NULL) when its bit in the mask is clear; present with length 0
// is an empty string. Besides the byte strings the block holds values too rare to earn a place
// in the record: the host's ex_data, and the full width of the integers whose usual values fit
// the narrower field the record keeps (session.ts).
//
// Anything that grows the block builds a new one, then wipes and frees the old, so that no copy
// of a secret (the master key, a ticket) stays behind in freed memory. Removing or shortening an
// entry happens in place and never fails: the allocator shrinks a block where it is.
//
// The functions take `slot`, the address of the record's block pointer, with the u16 mask right
// after it, so that this file needs nothing of the record's other fields.

import { alloc, release, shrink } from "../util/alloc";
import { wipe } from "../util/bytes";

/** The fields of the block, in the order their entries are stored (i2d's order first). */
export namespace Field {
  export const MASTER_KEY: i32 = 0;
  export const PEER: i32 = 1;
  export const SID_CTX: i32 = 2;
  export const HOSTNAME: i32 = 3;
  export const PSK_IDENTITY_HINT: i32 = 4;
  export const PSK_IDENTITY: i32 = 5;
  export const TICKET: i32 = 6;
  export const SRP_USERNAME: i32 = 7;
  export const ALPN_SELECTED: i32 = 8;
  export const TICKET_APPDATA: i32 = 9;
  /** SSL_SESSION_set_ex_data's slot, 8 bytes, when ever set. */
  export const EX_DATA: i32 = 10;
  /** The verify result's 8 bytes, when it does not fit the record's i32. */
  export const WIDE_VERIFY_RESULT: i32 = 11;
  /** The ticket lifetime hint's 8 bytes, when it does not fit the record's u32. */
  export const WIDE_TICKET_LIFETIME_HINT: i32 = 12;
  /** The flags (8 bytes, the low 4 used), when they do not fit the record's u8. */
  export const WIDE_FLAGS: i32 = 13;
  /** The key exchange group (8 bytes, the low 4 used), when it does not fit the record's u16. */
  export const WIDE_KEX_GROUP: i32 = 14;
}

/** A length this long or longer takes 5 bytes: 0xFF and a u32. */
const LONG: u32 = 0xff;

// @ts-ignore: decorator
@inline function headerSize(len: u32): usize {
  return len < LONG ? 1 : 5;
}

/** The bytes an entry of `len` bytes takes in the block. */
// @ts-ignore: decorator
@inline function entrySize(len: u32): usize {
  return headerSize(len) + <usize>len;
}

/** The length of the entry at `e`. */
// @ts-ignore: decorator
@inline export function entryLength(e: usize): u32 {
  const b = <u32>load<u8>(e);
  return b != LONG ? b : load<u32>(e, 1);
}

/** The data of the entry at `e`. */
// @ts-ignore: decorator
@inline export function entryData(e: usize): usize {
  return e + (load<u8>(e) != <u8>LONG ? 1 : 5);
}

/** The entry after the one at `e`. */
// @ts-ignore: decorator
@inline function entryEnd(e: usize): usize {
  const b = <u32>load<u8>(e);
  return b != LONG ? e + 1 + b : e + 5 + <usize>load<u32>(e, 1);
}

// @ts-ignore: decorator
@inline function writeEntry(p: usize, src: usize, len: u32): usize {
  if (len < LONG) {
    store<u8>(p, <u8>len);
    p += 1;
  } else {
    store<u8>(p, <u8>LONG);
    store<u32>(p, len, 1);
    p += 5;
  }
  memory.copy(p, src, len);
  return p + len;
}

/** The entry of field `f` in block `data` with presence mask `mask`, or 0 when it is absent. */
// @ts-ignore: decorator
@inline export function entryOf(data: usize, mask: u32, f: i32): usize {
  if (!((mask >> f) & 1)) return 0;
  let below = mask & ((1 << f) - 1);
  let e = data;
  while (below) {
    e = entryEnd(e);
    below &= below - 1;
  }
  return e;
}

/** The bytes of block `data` with presence mask `mask` (0 for none). */
export function blockSize(data: usize, mask: u32): usize {
  let e = data;
  while (mask) {
    e = entryEnd(e);
    mask &= mask - 1;
  }
  return e - data;
}

// @ts-ignore: decorator
@inline function slotData(slot: usize): usize {
  return load<usize>(slot);
}
// @ts-ignore: decorator
@inline function slotMask(slot: usize): u32 {
  return load<u16>(slot, sizeof<usize>());
}
// @ts-ignore: decorator
@inline function setSlot(slot: usize, data: usize, mask: u32): void {
  store<usize>(slot, data);
  store<u16>(slot, <u16>mask, sizeof<usize>());
}

// Where the block sits: right after the record, in the record's own allocation (d2i and dup make
// it so: one allocation per session), or in an allocation of its own (SSL_SESSION_new's fields,
// and any block that had to grow). The functions below take `record`, the record's address, and
// `home`, the address just past it: the block is the record's when it starts at `home`. No other
// allocation can start there: the record's own allocation never shrinks below the record, and
// the allocator puts a header before every block.

/** Wipes and gives back block `data` of `size` bytes: shrinks the record's allocation, or frees. */
function dropBlock(record: usize, home: usize, data: usize, size: usize): void {
  wipe(data, size);
  if (data == home) shrink(record, home - record + size, home - record);
  else release(data, size);
}

/** The bytes of the fields in `mask`, field f's length at load<u32>(lens + 8f). */
export function fieldsMeasure(mask: u32, lens: usize): usize {
  let size: usize = 0;
  while (mask) {
    const f = ctz(mask);
    mask &= mask - 1;
    size += entrySize(load<u32>(lens + ((<usize>f) << 3)));
  }
  return size;
}

/**
 * Writes the fields in `mask` at `at` (fieldsMeasure's bytes, which the caller allocated: the
 * record's home, usually), field f's bytes at load<usize>(ptrs + 8f), and makes it the block of
 * `slot`.
 */
export function fieldsWrite(slot: usize, at: usize, mask: u32, ptrs: usize, lens: usize): void {
  if (!mask) return setSlot(slot, 0, 0);
  let e = at;
  let m = mask;
  while (m) {
    const f = ctz(m);
    m &= m - 1;
    e = writeEntry(e, load<usize>(ptrs + ((<usize>f) << 3)), load<u32>(lens + ((<usize>f) << 3)));
  }
  setSlot(slot, at, mask);
}

/**
 * Sets field `f` of the block of `slot` to `len` bytes at `src` (present), or makes it absent.
 * Returns the change in the block's size, or i64.MIN_VALUE when out of memory (nothing changed).
 * Removing an entry, or replacing it by one no longer, never allocates and cannot fail.
 */
export function fieldsSet(
  slot: usize,
  record: usize,
  home: usize,
  f: i32,
  src: usize,
  len: u32,
  present: bool,
): i64 {
  const data = slotData(slot);
  const mask = slotMask(slot);
  const bit: u32 = 1 << f;
  const size = blockSize(data, mask);
  const old = entryOf(data, mask, f);
  // Where field f's entry is or would go, and the bytes of the entries before and after it.
  const at = old ? old : data + blockSize(data, mask & (bit - 1));
  const oldEntry: usize = old ? entryEnd(old) - old : 0;
  const newEntry: usize = present ? entrySize(len) : 0;
  const before = at - data;
  const after = size - before - oldEntry;
  const newSize = size - oldEntry + newEntry;
  const newMask = present ? mask | bit : mask & ~bit;
  // In place when the block does not grow, unless the source lies in the block.
  if (newSize <= size && (!present || src >= data + size || src + <usize>len <= data)) {
    if (newSize == 0) {
      if (data) dropBlock(record, home, data, size);
      setSlot(slot, 0, 0);
      return -(<i64>size);
    }
    if (newEntry != oldEntry) {
      memory.copy(at + newEntry, at + oldEntry, after);
      wipe(data + newSize, size - newSize);
      if (data == home) shrink(record, home - record + size, home - record + newSize);
      else shrink(data, size, newSize);
    }
    if (present) writeEntry(at, src, len);
    setSlot(slot, data, newMask);
    return <i64>newSize - <i64>size;
  }
  const p = alloc(newSize);
  if (!p) return i64.MIN_VALUE;
  memory.copy(p, data, before);
  if (present) writeEntry(p + before, src, len);
  memory.copy(p + before + newEntry, at + oldEntry, after);
  if (data) dropBlock(record, home, data, size);
  setSlot(slot, p, newMask);
  return <i64>newSize - <i64>size;
}

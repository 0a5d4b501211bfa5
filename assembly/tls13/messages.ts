// The TLS 1.3 messages that carry sessions: NewSessionTicket (RFC 8446 §4.6.1) and the ClientHello
// pre_shared_key extension (§4.2.11), with binders filled in by the client and checked by the server.
//
//   struct {                                     struct {
//     uint32 ticket_lifetime;                      opaque identity<1..2^16-1>;
//     uint32 ticket_age_add;                       uint32 obfuscated_ticket_age;
//     opaque ticket_nonce<0..255>;               } PskIdentity;
//     opaque ticket<1..2^16-1>;                  struct {
//     Extension extensions<0..2^16-2>;             PskIdentity identities<7..2^16-1>;
//   } NewSessionTicket;                            opaque binders<33..2^16-1>;  (PskBinderEntry<32..255>)
//                                                } OfferedPsks;
// Messages are handled with their 4-byte handshake header (type, uint24 length), as they enter the
// transcript. Every length is checked against the bytes actually present before it is used.

import { Status, fail } from "../util/status";
import { ctEqual } from "../util/bytes";
import { HASH_MAX_LEN, hashLen } from "../crypto/hash";
import { computeBinder } from "./psk";

const HS_CLIENT_HELLO: u8 = 1;
const HS_NEW_SESSION_TICKET: u8 = 4;
const EXT_PRE_SHARED_KEY: u16 = 41;
const EXT_EARLY_DATA: u16 = 42;
/** Size of the parsed NewSessionTicket record `parseNewSessionTicket` writes (8 u32 fields). */
export const NST_FIELDS_SIZE: usize = 32;

// @ts-ignore: decorator
@inline function be16(p: usize): u32 {
  return ((<u32>load<u8>(p)) << 8) | (<u32>load<u8>(p, 1));
}
// @ts-ignore: decorator
@inline function be24(p: usize): u32 {
  return ((<u32>load<u8>(p)) << 16) | ((<u32>load<u8>(p, 1)) << 8) | (<u32>load<u8>(p, 2));
}
// @ts-ignore: decorator
@inline function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}
// @ts-ignore: decorator
@inline function put16(p: usize, v: u32): void {
  store<u8>(p, <u8>(v >> 8));
  store<u8>(p, <u8>v, 1);
}
// @ts-ignore: decorator
@inline function put24(p: usize, v: u32): void {
  store<u8>(p, <u8>(v >> 16));
  store<u8>(p, <u8>(v >> 8), 1);
  store<u8>(p, <u8>v, 2);
}
// @ts-ignore: decorator
@inline function put32(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

function bad(message: string, offset: usize): i32 {
  return fail(Status.INVALID_ARGUMENT, message, <i32>offset);
}

/**
 * Parses a NewSessionTicket handshake message. Writes 8 little-endian u32 to `out`: lifetime,
 * age_add, nonce offset, nonce length, ticket offset, ticket length, has early_data (0/1),
 * max_early_data_size; offsets count from the start of `msg`. Unknown extensions are skipped
 * (§4.6.1: clients ignore them); a repeated extension or trailing bytes are errors.
 * Returns NST_FIELDS_SIZE or a negative status.
 */
export function parseNewSessionTicket(msg: usize, len: usize, out: usize): i32 {
  if (len < 4) return bad("NewSessionTicket: shorter than its header", 0);
  if (load<u8>(msg) != HS_NEW_SESSION_TICKET) return bad("NewSessionTicket: wrong handshake type", 0);
  if (<usize>be24(msg + 1) != len - 4) return bad("NewSessionTicket: length field does not match", 1);
  let o: usize = 4;
  if (len - o < 9) return bad("NewSessionTicket: truncated", o);
  const lifetime = be32(msg + o),
    ageAdd = be32(msg + o + 4);
  o += 8;
  const nonceLen = <usize>load<u8>(msg + o);
  o += 1;
  if (len - o < nonceLen) return bad("NewSessionTicket: truncated nonce", o);
  const nonceOff = o;
  o += nonceLen;
  if (len - o < 2) return bad("NewSessionTicket: truncated", o);
  const ticketLen = <usize>be16(msg + o);
  o += 2;
  if (ticketLen == 0) return bad("NewSessionTicket: empty ticket", o - 2);
  if (len - o < ticketLen) return bad("NewSessionTicket: truncated ticket", o);
  const ticketOff = o;
  o += ticketLen;
  if (len - o < 2) return bad("NewSessionTicket: truncated extensions", o);
  const extLen = <usize>be16(msg + o);
  o += 2;
  if (len - o != extLen) return bad("NewSessionTicket: extensions length does not match", o - 2);
  let hasEarly: u32 = 0,
    maxEarly: u32 = 0;
  while (o < len) {
    if (len - o < 4) return bad("NewSessionTicket: truncated extension", o);
    const type = be16(msg + o),
      elen = <usize>be16(msg + o + 2);
    if (len - o - 4 < elen) return bad("NewSessionTicket: extension overruns the message", o);
    if (type == EXT_EARLY_DATA) {
      if (hasEarly) return bad("NewSessionTicket: repeated early_data extension", o);
      if (elen != 4) return bad("NewSessionTicket: early_data extension is not 4 bytes", o);
      hasEarly = 1;
      maxEarly = be32(msg + o + 4);
    } else {
      // Duplicates of any type are an error (§4.2); look back over the extensions already seen.
      for (let q: usize = ticketOff + ticketLen + 2; q < o; q += 4 + <usize>be16(msg + q + 2)) {
        if (be16(msg + q) == type) return bad("NewSessionTicket: repeated extension", o);
      }
    }
    o += 4 + elen;
  }
  store<u32>(out, lifetime, 0);
  store<u32>(out, ageAdd, 4);
  store<u32>(out, <u32>nonceOff, 8);
  store<u32>(out, <u32>nonceLen, 12);
  store<u32>(out, <u32>ticketOff, 16);
  store<u32>(out, <u32>ticketLen, 20);
  store<u32>(out, hasEarly, 24);
  store<u32>(out, maxEarly, 28);
  return <i32>NST_FIELDS_SIZE;
}

/** Length of the message `buildNewSessionTicket` writes, or a negative status for bad lengths. */
export function newSessionTicketLen(nonceLen: usize, ticketLen: usize, withEarly: bool): i32 {
  if (nonceLen > 255) return fail(Status.INVALID_ARGUMENT, "ticket nonce longer than 255 bytes");
  if (ticketLen == 0 || ticketLen > 0xffff)
    return fail(Status.INVALID_ARGUMENT, "ticket must be 1 to 65535 bytes");
  return <i32>(nonceLen + ticketLen + 17 + (withEarly ? 8 : 0));
}

/** Writes a NewSessionTicket handshake message (length from newSessionTicketLen) to `out`. */
export function buildNewSessionTicket(
  lifetime: u32,
  ageAdd: u32,
  nonce: usize,
  nonceLen: usize,
  ticket: usize,
  ticketLen: usize,
  withEarly: bool,
  maxEarly: u32,
  out: usize,
): i32 {
  const total = newSessionTicketLen(nonceLen, ticketLen, withEarly);
  if (total < 0) return total;
  store<u8>(out, HS_NEW_SESSION_TICKET);
  put24(out + 1, <u32>total - 4);
  let o = out + 4;
  put32(o, lifetime);
  put32(o + 4, ageAdd);
  o += 8;
  store<u8>(o, <u8>nonceLen);
  memory.copy(o + 1, nonce, nonceLen);
  o += 1 + nonceLen;
  put16(o, <u32>ticketLen);
  memory.copy(o + 2, ticket, ticketLen);
  o += 2 + ticketLen;
  if (withEarly) {
    put16(o, 8);
    put16(o + 2, EXT_EARLY_DATA);
    put16(o + 4, 4);
    put32(o + 6, maxEarly);
  } else {
    put16(o, 0);
  }
  return total;
}

/** Length of a pre_shared_key extension with one identity and one binder of `binderLen` bytes. */
export function pskExtensionLen(identityLen: usize, binderLen: usize): i32 {
  if (identityLen == 0 || identityLen > 0xffff - 6)
    return fail(Status.INVALID_ARGUMENT, "PSK identity must be 1 to 65529 bytes");
  if (binderLen < 32 || binderLen > 255)
    return fail(Status.INVALID_ARGUMENT, "binder must be 32 to 255 bytes");
  return <i32>(identityLen + binderLen + 15);
}

/**
 * Writes the ClientHello pre_shared_key extension (type, length, OfferedPsks) with one identity and
 * a zero binder of `binderLen` bytes, to be filled by `fillBinder` once the ClientHello is complete.
 */
export function buildPskExtension(
  identity: usize,
  identityLen: usize,
  obfuscatedAge: u32,
  binderLen: usize,
  out: usize,
): i32 {
  const total = pskExtensionLen(identityLen, binderLen);
  if (total < 0) return total;
  put16(out, EXT_PRE_SHARED_KEY);
  put16(out + 2, <u32>total - 4);
  put16(out + 4, <u32>(identityLen + 6));
  put16(out + 6, <u32>identityLen);
  memory.copy(out + 8, identity, identityLen);
  let o = out + 8 + identityLen;
  put32(o, obfuscatedAge);
  put16(o + 4, <u32>(binderLen + 1));
  store<u8>(o + 6, <u8>binderLen);
  memory.fill(o + 7, 0, binderLen);
  return total;
}

// Set by locateBinders: how many identities the offered PSKs list holds.
let identityCount: u32 = 0;

/**
 * Walks a ClientHello handshake message and returns the offset of its binders list (the 2-byte
 * length that Truncate() excludes), or a negative status. The pre_shared_key extension must be the
 * last one (§4.2.11) and hold as many binders as identities.
 */
function locateBinders(ch: usize, len: usize): i32 {
  if (len < 4 || load<u8>(ch) != HS_CLIENT_HELLO) return bad("ClientHello: not a ClientHello message", 0);
  if (<usize>be24(ch + 1) != len - 4) return bad("ClientHello: length field does not match", 1);
  let o: usize = 4 + 2 + 32;
  if (len < o + 1) return bad("ClientHello: truncated", len);
  const sid = <usize>load<u8>(ch + o);
  if (sid > 32 || len - o - 1 < sid) return bad("ClientHello: bad session id", o);
  o += 1 + sid;
  if (len - o < 2) return bad("ClientHello: truncated", o);
  const cs = <usize>be16(ch + o);
  if (cs < 2 || cs & 1 || len - o - 2 < cs) return bad("ClientHello: bad cipher suites", o);
  o += 2 + cs;
  if (len - o < 1) return bad("ClientHello: truncated", o);
  const comp = <usize>load<u8>(ch + o);
  if (comp < 1 || len - o - 1 < comp) return bad("ClientHello: bad compression methods", o);
  o += 1 + comp;
  if (len - o < 2) return bad("ClientHello: no extensions", o);
  const extLen = <usize>be16(ch + o);
  if (len - o - 2 != extLen) return bad("ClientHello: extensions length does not match", o);
  o += 2;
  let pskOff: usize = 0,
    pskLen: usize = 0;
  while (o < len) {
    if (len - o < 4) return bad("ClientHello: truncated extension", o);
    const type = be16(ch + o),
      elen = <usize>be16(ch + o + 2);
    if (len - o - 4 < elen) return bad("ClientHello: extension overruns the message", o);
    if (type == EXT_PRE_SHARED_KEY) {
      if (o + 4 + elen != len) return bad("ClientHello: pre_shared_key is not the last extension", o);
      pskOff = o + 4;
      pskLen = elen;
    }
    o += 4 + elen;
  }
  if (!pskOff) return bad("ClientHello: no pre_shared_key extension", len);
  // OfferedPsks
  o = pskOff;
  const end = pskOff + pskLen;
  if (end - o < 2) return bad("pre_shared_key: truncated", o);
  const idsLen = <usize>be16(ch + o);
  if (idsLen < 7 || end - o - 2 < idsLen) return bad("pre_shared_key: bad identities length", o);
  o += 2;
  const idsEnd = o + idsLen;
  let n: u32 = 0;
  while (o < idsEnd) {
    if (idsEnd - o < 2) return bad("pre_shared_key: truncated identity", o);
    const il = <usize>be16(ch + o);
    if (il == 0 || idsEnd - o - 2 < il + 4) return bad("pre_shared_key: bad identity length", o);
    o += 2 + il + 4;
    n++;
  }
  const bindersOff = o;
  if (end - o < 2) return bad("pre_shared_key: no binders", o);
  const bl = <usize>be16(ch + o);
  if (bl < 33 || end - o - 2 != bl) return bad("pre_shared_key: binders length does not match", o);
  o += 2;
  let m: u32 = 0;
  while (o < end) {
    const el = <usize>load<u8>(ch + o);
    if (el < 32 || end - o - 1 < el) return bad("pre_shared_key: bad binder length", o);
    o += 1 + el;
    m++;
  }
  if (m != n) return bad("pre_shared_key: binders and identities differ in number", bindersOff);
  identityCount = n;
  return <i32>bindersOff;
}

/** Offset of binder `index`'s first byte (after its length byte), or a negative status. */
function binderOffset(ch: usize, bindersOff: usize, index: u32, binderLen: usize): i32 {
  if (index >= identityCount) return bad("pre_shared_key: no binder at that index", bindersOff);
  let o = bindersOff + 2;
  for (let i: u32 = 0; i < index; i++) o += 1 + <usize>load<u8>(ch + o);
  if (<usize>load<u8>(ch + o) != binderLen)
    return bad("pre_shared_key: binder length differs from the hash length", o);
  return <i32>(o + 1);
}

const BINDER: usize = memory.data(<i32>HASH_MAX_LEN);

/**
 * Client side: computes binder `index` of the ClientHello at `ch` (in place) with `psk`, over
 * prefix | Truncate(ClientHello). Returns the ClientHello length or a negative status.
 */
export function fillBinder(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: bool,
  prefix: usize,
  prefixLen: usize,
  ch: usize,
  len: usize,
  index: u32,
): i32 {
  const bo = locateBinders(ch, len);
  if (bo < 0) return bo;
  const at = binderOffset(ch, <usize>bo, index, hashLen(alg));
  if (at < 0) return at;
  computeBinder(alg, psk, pskLen, external, prefix, prefixLen, ch, <usize>bo, ch + <usize>at);
  return <i32>len;
}

/**
 * Server side: 1 if binder `index` of the ClientHello is right for `psk`, 0 if it is not (compared
 * in constant time), or a negative status when the message is malformed.
 */
export function verifyBinder(
  alg: i32,
  psk: usize,
  pskLen: usize,
  external: bool,
  prefix: usize,
  prefixLen: usize,
  ch: usize,
  len: usize,
  index: u32,
): i32 {
  const bo = locateBinders(ch, len);
  if (bo < 0) return bo;
  const hl = hashLen(alg);
  const at = binderOffset(ch, <usize>bo, index, hl);
  if (at < 0) return at;
  computeBinder(alg, psk, pskLen, external, prefix, prefixLen, ch, <usize>bo, BINDER);
  const ok = ctEqual(BINDER, ch + <usize>at, hl);
  memory.fill(BINDER, 0, HASH_MAX_LEN);
  return ok ? 1 : 0;
}

// Session tickets: the byte layout OpenSSL and Node put on the wire, and the two key layouts.
//
// A ticket (RFC 5077 §4's "recommended" format as OpenSSL 3.0 writes it, ssl/statem/statem_srvr.c):
//
//   key_name (16) | IV (16) | AES-CBC(key, IV, DER(SSL_SESSION) + PKCS#7 padding) | HMAC-SHA256 (32)
//                                                                                    over name ‖ IV ‖ ciphertext
//
// The MAC covers the name, the IV and the ciphertext with no length field (unlike RFC 5077's text and
// rustls). The plaintext is the server's SSL_SESSION in OpenSSL 3's DER (assembly/session/der/).
//
// Key layouts (the raw bytes given to the server):
//   OpenSSL, SSL_CTX_set_tlsext_ticket_keys, 80 bytes: name[0,16) | HMAC key[16,48) | AES-256 key[48,80)
//   Node (ticketKeys) and BoringSSL, 48 bytes:         name[0,16) | HMAC key[16,32) | AES-128 key[32,48)
// The layout is chosen by length alone. Both MAC with HMAC-SHA256; only the key sizes differ.

import { TicketLayout } from "../util/abi_values";

export const KEY_NAME_LEN: usize = 16;
export const IV_LEN: usize = 16;
export const MAC_LEN: usize = 32;
/** name + IV in front, MAC behind: what a ticket adds to its ciphertext. */
const TICKET_OVERHEAD: usize = KEY_NAME_LEN + IV_LEN + MAC_LEN;
/** The shortest ticket with any ciphertext: one AES block (an empty plaintext still pads to 16). */
export const MIN_TICKET_LEN: usize = TICKET_OVERHEAD + 16;

/**
 * The largest session DER we put in a ticket: OpenSSL refuses to encrypt a session whose encoding
 * exceeds 0xFF00 bytes ("some length values are 16 bits", construct_stateless_ticket).
 */
export const MAX_SESSION_DER: usize = 0xff00;
/** The largest ticket we could ever issue; anything longer is refused before any crypto. */
export const MAX_TICKET_LEN: usize = TICKET_OVERHEAD + ((MAX_SESSION_DER & ~15) + 16);

/** OpenSSL's 80-byte layout: AES-256-CBC, 32-byte HMAC key. */
export const LAYOUT_OPENSSL: u32 = TicketLayout.OPENSSL;
/** Node's and BoringSSL's 48-byte layout: AES-128-CBC, 16-byte HMAC key. */
const LAYOUT_NODE: u32 = TicketLayout.NODE;

// @ts-ignore: decorator
@inline export function layoutKnown(len: usize): bool {
  return len == LAYOUT_OPENSSL || len == LAYOUT_NODE;
}
/** HMAC key length of a layout: 32 (OpenSSL) or 16 (Node). */
// @ts-ignore: decorator
@inline export function layoutMacKeyLen(layout: u32): usize {
  return layout == LAYOUT_OPENSSL ? 32 : 16;
}
/** AES key length of a layout: 32 (AES-256) or 16 (AES-128). */
// @ts-ignore: decorator
@inline export function layoutAesKeyLen(layout: u32): usize {
  return layout == LAYOUT_OPENSSL ? 32 : 16;
}

/** Ticket length for a session DER of `derLen` bytes. */
// @ts-ignore: decorator
@inline export function ticketLen(derLen: usize): usize {
  return TICKET_OVERHEAD + ((derLen & ~15) + 16);
}

// Why a ticket did not open. The peer only ever sees "not resumable" (a full handshake); these
// codes are kept for the operator's statistics (TicketKeys.stats()).
export { TicketReason as Reason } from "../util/abi_values";

// Status codes of the ABI. Every export returns an i32: >= 0 is success (often a length or a
// handle), < 0 is one of these codes. The last error's code, message and (for decoders) byte
// offset stay readable until the next failing call.
//
// They sit below every layer, so that the code that finds a fault (a decoder, a message parser)
// records it where it knows the offset and the reason; abi/status.ts re-exports them for the
// exports.

export namespace Status {
  export const OK: i32 = 0;
  /** A handle that is stale (freed), forged, or never issued. */
  export const BAD_HANDLE: i32 = -1;
  /** A handle of another kind (a cache where a session was expected, ...). */
  export const WRONG_KIND: i32 = -2;
  export const INVALID_ARGUMENT: i32 = -3;
  /** The allocation ceiling would be crossed; nothing was changed. */
  export const NO_MEMORY: i32 = -4;
  /** The buffer is not a well-formed ASN.1 SSL_SESSION (structure, tags, lengths). */
  export const ASN1: i32 = -5;
  /** SSL_R_UNKNOWN_SSL_VERSION: the session format version is not 1. */
  export const UNKNOWN_SSL_VERSION: i32 = -6;
  /** SSL_R_UNSUPPORTED_SSL_VERSION: the protocol version is not TLS, DTLS or DTLS1_BAD_VER. */
  export const UNSUPPORTED_SSL_VERSION: i32 = -7;
  /** SSL_R_CIPHER_CODE_WRONG_LENGTH. */
  export const CIPHER_CODE_WRONG_LENGTH: i32 = -8;
  /** The cipher suite is not one OpenSSL 3.0 knows. */
  export const UNKNOWN_CIPHER: i32 = -9;
  /** A field is longer than OpenSSL's limit (id 32, sid_ctx 32, master key 512). */
  export const FIELD_TOO_LONG: i32 = -10;
  /** SSL_R_BAD_LENGTH: the compression id is not one byte. */
  export const BAD_LENGTH: i32 = -11;
  /** The peer certificate is not a well-formed X.509 Certificate. */
  export const BAD_CERTIFICATE: i32 = -12;
  /** PEM armour missing, wrong label, or bad base64. */
  export const PEM: i32 = -13;
  /** i2d of a session with no cipher. */
  export const NO_CIPHER: i32 = -14;
  /** The operation is not valid in the object's current state. */
  export const BAD_STATE: i32 = -15;
  /** The host's randomness source failed. */
  export const NO_RANDOM: i32 = -16;
  /** Not an error: an optional field is absent (OpenSSL's NULL). The last error is untouched. */
  export const ABSENT: i32 = -17;
}

let lastCode: i32 = 0;
let lastMessage: string = "";
let lastOffset: i32 = -1;

/** Records an error and returns its code, so a failing path reads `return fail(code, "...")`. */
export function fail(code: i32, message: string, offset: i32 = -1): i32 {
  lastCode = code;
  lastMessage = message;
  lastOffset = offset;
  return code;
}

export function lastErrorCode(): i32 {
  return lastCode;
}
export function lastErrorMessage(): string {
  return lastMessage;
}
export function lastErrorOffset(): i32 {
  return lastOffset;
}

// Status codes of the ABI. Every export returns an i32: >= 0 is success (often a length or a
// handle), < 0 is one of these codes. The last error's code, message and (for decoders) byte
// offset stay readable until the next failing call.
//
// They sit below every layer, so that the code that finds a fault (a decoder, a message parser)
// records it where it knows the offset and the reason; abi/status.ts re-exports them for the
// exports.

export { Status } from "./abi_values";

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

// Status codes of the ABI. Every export returns an i32: >= 0 is success (often a length or a
// handle), < 0 is one of these codes. The last error's code, message and (for decoders) byte
// offset stay readable until the next failing call.

export { Status } from "../util/abi_values";

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

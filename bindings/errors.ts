import type { StatusName } from "./abi.js";

/** What went wrong: an ABI status's name (assembly/abi/abi.json), or a failure the bindings detect. */
export type TlsSessionErrorCode = Exclude<StatusName, "OK"> | "FREED" | "POISONED" | "NOT_INITIALIZED";

/**
 * The one error type of this library. `code` names the failure; `status` is the ABI's negative
 * status (0 for failures detected on the host side); `offset` is the byte offset of a decoding
 * fault in the input, or -1.
 */
export class TlsSessionError extends Error {
  readonly code: TlsSessionErrorCode;
  readonly status: number;
  readonly offset: number;
  constructor(code: TlsSessionErrorCode, message: string, status = 0, offset = -1) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
    this.name = "TlsSessionError";
    this.code = code;
    this.status = status;
    this.offset = offset;
  }
}

/** The TypeError for an argument that is not this module instance's object of the expected class. */
export function notOurs(name: string, type: string): never {
  throw new TypeError(`${name} must be a ${type} of this module instance`);
}

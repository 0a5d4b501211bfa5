/** Status codes of the ABI (assembly/abi/status.ts), by name. */
export const STATUS_NAMES: Record<number, string> = {
  [-1]: "BAD_HANDLE",
  [-2]: "WRONG_KIND",
  [-3]: "INVALID_ARGUMENT",
  [-4]: "NO_MEMORY",
  [-5]: "ASN1",
  [-6]: "UNKNOWN_SSL_VERSION",
  [-7]: "UNSUPPORTED_SSL_VERSION",
  [-8]: "CIPHER_CODE_WRONG_LENGTH",
  [-9]: "UNKNOWN_CIPHER",
  [-10]: "FIELD_TOO_LONG",
  [-11]: "BAD_LENGTH",
  [-12]: "BAD_CERTIFICATE",
  [-13]: "PEM",
  [-14]: "NO_CIPHER",
  [-15]: "BAD_STATE",
  [-16]: "NO_RANDOM",
  [-17]: "ABSENT",
};

export type TlsSessionErrorCode =
  | "BAD_HANDLE"
  | "WRONG_KIND"
  | "INVALID_ARGUMENT"
  | "NO_MEMORY"
  | "ASN1"
  | "UNKNOWN_SSL_VERSION"
  | "UNSUPPORTED_SSL_VERSION"
  | "CIPHER_CODE_WRONG_LENGTH"
  | "UNKNOWN_CIPHER"
  | "FIELD_TOO_LONG"
  | "BAD_LENGTH"
  | "BAD_CERTIFICATE"
  | "PEM"
  | "NO_CIPHER"
  | "BAD_STATE"
  | "NO_RANDOM"
  | "ABSENT"
  | "FREED"
  | "POISONED"
  | "NOT_INITIALIZED";

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

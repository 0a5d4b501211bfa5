// The bindings' argument checks, one place for every setter and call: a value the C parameter
// cannot hold is refused, never truncated or wrapped. A value of the wrong kind is a TypeError,
// one of the right kind but out of range a RangeError. (The module checks its own arguments
// again in assembly/abi/args.ts: these only give a JavaScript caller the JavaScript error.)

/** What a C `long` (int64_t) holds, and the unsigned maxima of the narrower fields. */
export const I64_MIN = -(2n ** 63n),
  I64_MAX = 2n ** 63n - 1n,
  U8_MAX = 0xffn,
  U16_MAX = 0xffffn,
  U32_MAX = 0xffffffffn,
  U64_MAX = 2n ** 64n - 1n;

/**
 * `v` as a bigint in [min, max] (by default a C `long`): a TypeError unless it is an integer
 * number or a bigint, a RangeError outside the range.
 */
export function integerArg(v: unknown, name: string, min = I64_MIN, max = I64_MAX): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isInteger(v)) b = BigInt(v);
  else throw new TypeError(`${name} must be an integer (a number or a bigint)`);
  if (b < min || b > max)
    throw new RangeError(
      `${name} must be from ${min < 0n ? min : `0x${min.toString(16)}`} to 0x${max.toString(16)}, not ${b}`,
    );
  return b;
}

/** `v`, an integer number in [min, max]: a TypeError for anything else, a RangeError outside. */
export function smallIntegerArg(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`${name} must be an integer`);
  if (v < min || v > max)
    throw new RangeError(`${name} must be from ${min} to 0x${max.toString(16)}, not ${v}`);
  return v;
}

/** A protocol version: the 16-bit wire value (0x0303 for TLS 1.2). */
export function versionArg(v: unknown, name = "version"): number {
  return smallIntegerArg(v, name, 0, 0xffff);
}

/**
 * `v`, a whole number of bytes from 0 to `max`: a TypeError unless it is a number, a RangeError
 * for NaN, a fraction, a negative or too large a count.
 */
export function byteCountArg(v: unknown, name: string, max: number): number {
  if (typeof v !== "number") throw new TypeError(`${name} must be a number of bytes`);
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new RangeError(`${name} must be a whole number of bytes from 0 to ${max}, not ${v}`);
  return v;
}

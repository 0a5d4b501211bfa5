// The module's only host imports: WASI preview1 randomness and clock.
// Any WASI host supplies them unchanged; the JS bindings implement both in a few lines.

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "random_get")
declare function wasi_random_get(buf: usize, len: usize): i32;

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "clock_time_get")
declare function wasi_clock_time_get(clockId: u32, precision: u64, out: usize): i32;

const CLOCK_REALTIME: u32 = 0;

// A fixed clock, set by the host for reproducible runs (tests, `--now`).
let fixedClock: bool = false;
let fixedSeconds: i64 = 0;

/** Seconds since the Unix epoch, as OpenSSL's time(NULL). */
export function nowSeconds(): i64 {
  if (fixedClock) return fixedSeconds;
  const scratch = memory.data(8);
  if (wasi_clock_time_get(CLOCK_REALTIME, 1000000000, scratch) != 0) return 0;
  return <i64>(load<u64>(scratch) / 1000000000);
}

/** Pins the clock to `seconds` (fixed = true) or returns it to the host's clock. */
export function setClock(seconds: i64, fixed: bool): void {
  fixedClock = fixed;
  fixedSeconds = seconds;
}

/** Fills `len` bytes at `buf` with host randomness; false if the host failed. */
export function randomBytes(buf: usize, len: usize): bool {
  return len == 0 || wasi_random_get(buf, len) == 0;
}

/**
 * AssemblyScript's abort hook. Every input check in this module returns a status; reaching an
 * abort means a bug, so it traps and the host treats the instance as poisoned.
 */
export function abortTrap(_message: usize, _fileName: usize, _line: u32, _column: u32): void {
  unreachable();
}

// Small byte helpers shared by every layer.

/** Overwrites `len` bytes with zeros in a way the optimiser keeps (the store is observable). */
export function wipe(ptr: usize, len: usize): void {
  memory.fill(ptr, 0, len);
}

/** Constant-time equality of two equal-length byte ranges: the time depends only on `len`. */
export function ctEqual(a: usize, b: usize, len: usize): bool {
  let diff: u32 = 0;
  for (let i: usize = 0; i < len; i++) {
    diff |= (<u32>load<u8>(a + i)) ^ (<u32>load<u8>(b + i));
  }
  return diff == 0;
}

/** Ordinary (variable-time) equality, for public data such as session ids. */
export function bytesEqual(a: usize, b: usize, len: usize): bool {
  return memory.compare(a, b, len) == 0;
}

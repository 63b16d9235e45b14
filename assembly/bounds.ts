// Region checks for exports that take (ptr, len) pairs. Release builds run with --noAssert and a
// stray access past the end of linear memory would trap, so every export checks its regions first.

/** True when [ptr, ptr + len) lies inside linear memory (no overflow in the check itself). */
export function inMemory(ptr: usize, len: usize): bool {
  const size = (<usize>memory.size()) << 16;
  return len <= size && ptr <= size - len;
}

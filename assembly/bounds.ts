// Bounds checks for (ptr, len) arguments. Release builds use --noAssert and wasm traps on an
// access past the end of memory, so every export validates its spans up front with these.

/** True when [ptr, ptr + len) lies inside linear memory (no wrap-around). */
export function spanOk(ptr: usize, len: usize): bool {
  const limit = (<usize>memory.size()) << 16;
  return len <= limit && ptr <= limit - len;
}

/** Where the module's static data (tables, buffers, scratch) ends: the linear memory it uses. */
export function memory_static_end(): usize {
  return __heap_base;
}

// Chip-level calls from native/system.c.
const restartNative = native("xs_device_restart");
const freeMemoryNative = native("xs_device_free_memory");

/** Restarts the ESP32 (esp_restart). */
export function restart(): void {
  restartNative();
}

/** Free heap in bytes (esp_get_free_heap_size). */
export function freeMemory(): number {
  return freeMemoryNative() as number;
}

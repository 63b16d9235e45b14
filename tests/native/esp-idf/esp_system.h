/* Stub for the Xtensa smoke check: ESP-IDF's restart and free-heap calls. */
#pragma once
#include <stdint.h>
void esp_restart(void);
uint32_t esp_get_free_heap_size(void);

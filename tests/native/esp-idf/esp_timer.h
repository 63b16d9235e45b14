/* Stub for the Xtensa smoke check: microseconds since boot (ESP-IDF esp_timer). */
#pragma once
#include <stdint.h>
int64_t esp_timer_get_time(void);

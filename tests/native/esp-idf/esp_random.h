/* Stub for the Xtensa smoke check: ESP-IDF's hardware random number generator. */
#pragma once
#include <stddef.h>
void esp_fill_random(void* buf, size_t len);

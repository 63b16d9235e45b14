/* Stub for the Xtensa smoke check: ESP-IDF error codes used by native/radio_timing.c. */
#pragma once
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_ERR_INVALID_STATE 0x103

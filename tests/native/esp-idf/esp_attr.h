/* Stub for the Xtensa smoke check: ESP-IDF places IRAM_ATTR code in internal RAM. */
#pragma once
#define IRAM_ATTR __attribute__((section(".iram1")))

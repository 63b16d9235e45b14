/* Stub for the Xtensa smoke check: ESP-IDF's switchable entropy source for the hardware RNG
 * (components/bootloader_support/include/bootloader_random.h). */
#pragma once
void bootloader_random_enable(void);
void bootloader_random_disable(void);

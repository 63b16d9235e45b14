/*
 * The ESP32's hardware random number generator.
 *
 * xs_hw_random(buffer): fills a buffer with esp_fill_random. ESP-IDF documents its output as truly
 * random only while an entropy source is on: the RF subsystem (Wi-Fi or Bluetooth running) or the
 * internal noise source of bootloader_random_enable(); otherwise it is pseudo-random. Good for
 * nonces and keys made while Wi-Fi runs.
 *
 * xs_hw_random_entropy(buffer): the same with the internal entropy source switched on around it
 * (bootloader_random_enable(), fill, bootloader_random_disable()), for the permanent gateway key,
 * which is made at boot before Wi-Fi starts. ESP-IDF: the source shares the SAR ADC with the RF
 * subsystem, so it must not be on while Wi-Fi, Bluetooth or the ADC is in use - call this only
 * before Wi-Fi starts (bootloader_random.h; "Random Number Generation" in the programming guide).
 */
#include "xsmc.h"

#include "bootloader_random.h"
#include "esp_random.h"

void xs_hw_random(xsMachine* the) {
  void* data;
  xsUnsignedValue count;
  xsmcGetBufferWritable(xsArg(0), &data, &count);
  esp_fill_random(data, count);
}

void xs_hw_random_entropy(xsMachine* the) {
  void* data;
  xsUnsignedValue count;
  xsmcGetBufferWritable(xsArg(0), &data, &count);
  bootloader_random_enable();
  esp_fill_random(data, count);
  bootloader_random_disable();
}

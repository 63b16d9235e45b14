/*
 * xs_hw_random(buffer): fills a buffer from the ESP32's hardware random number generator
 * (esp_fill_random; true random while the radio subsystem (Wi-Fi or Bluetooth) is on, per ESP-IDF).
 * The gateway key is generated from it.
 */
#include "xsmc.h"

#include "esp_random.h"

void xs_hw_random(xsMachine* the) {
  void* data;
  xsUnsignedValue count;
  xsmcGetBufferWritable(xsArg(0), &data, &count);
  esp_fill_random(data, count);
}

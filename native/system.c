/*
 * The chip-level calls main.ts needs: xs_device_restart() restarts the ESP32 (after the setup
 * portal has saved the config, on a reboot from the dashboard, or to enter the portal after a long
 * button press); xs_device_free_memory() returns the free heap in bytes for the dashboard.
 */
#include "xsmc.h"

#include "esp_system.h"

void xs_device_restart(xsMachine* the) {
  (void)the;
  esp_restart();
}

void xs_device_free_memory(xsMachine* the) {
  xsmcSetInteger(xsResult, (xsIntegerValue)esp_get_free_heap_size());
}

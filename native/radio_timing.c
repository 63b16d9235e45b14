/*
 * Radio timing on the ESP32, where JavaScript is too late: the SX1262's DIO1 edge is stamped inside
 * its GPIO interrupt from the esp_timer microsecond clock (the packet's end, the `tmst` of an uplink),
 * and the last microseconds before a timed transmission are waited out in C.
 *
 * JS-facing API (device/radio-timing.ts wraps it):
 *   xs_radio_micros()                  esp_timer µs since boot, as a Number (the clock of every stamp)
 *   xs_radio_dio1_open(pin, callback)  rising-edge interrupt on `pin`; callback(stampMicros) runs on the
 *                                      JS task for each edge (edges arriving before it runs coalesce
 *                                      into one call carrying the first stamp)
 *   xs_radio_dio1_read()               the pin's level, 0 or 1
 *   xs_radio_dio1_close()
 *   xs_radio_wait_until(micros)        busy-waits until esp_timer reaches `micros` (at most
 *                                      RADIO_MAX_WAIT_MICROS ahead, else RangeError); returns the time
 *                                      it returned, so the caller knows its own lateness
 * The DIO1 pin must not also be opened as an embedded:io/digital with onReadable: ESP-IDF keeps one
 * interrupt handler per pin.
 */
#include "xsmc.h"
#include "xsHost.h"

#include "driver/gpio.h"
#include "esp_attr.h"
#include "esp_err.h"
#include "esp_timer.h"

#define RADIO_MAX_WAIT_MICROS 20000

static struct {
  xsMachine* the;
  xsSlot callback; /* remembered while open */
  int pin;         /* -1 while closed */
  volatile int64_t stamp;
  volatile uint32_t posted; /* a delivery is on its way to the JS task */
} dio1 = {.pin = -1};

static void dio1_deliver(void* the, void* refcon, uint8_t* message, uint16_t length) {
  int64_t stamp = dio1.stamp;
  (void)refcon;
  (void)message;
  (void)length;
  dio1.posted = 0; /* the next edge may post again; it writes a new stamp only after this */
  if (dio1.pin < 0)
    return; /* closed after the edge */
  xsBeginHost((xsMachine*)the);
  xsmcSetNumber(xsResult, (double)stamp);
  xsCallFunction1(dio1.callback, xsGlobal, xsResult);
  xsEndHost((xsMachine*)the);
}

static void IRAM_ATTR dio1_isr(void* arg) {
  int64_t now = esp_timer_get_time();
  (void)arg;
  if (dio1.posted)
    return;
  dio1.stamp = now;
  dio1.posted = 1;
  modMessagePostToMachineFromISR(dio1.the, dio1_deliver, NULL);
}

void xs_radio_micros(xsMachine* the) {
  xsmcSetNumber(xsResult, (double)esp_timer_get_time());
}

void xs_radio_dio1_open(xsMachine* the) {
  int pin = xsmcToInteger(xsArg(0));
  esp_err_t err;
  if (dio1.pin >= 0)
    xsUnknownError("radio: DIO1 is already open on GPIO %d", dio1.pin);
  if (!xsmcIsCallable(xsArg(1)))
    xsTypeError("radio: the DIO1 callback is not a function");
  gpio_reset_pin(pin);
  gpio_set_direction(pin, GPIO_MODE_INPUT);
  gpio_set_intr_type(pin, GPIO_INTR_POSEDGE);
  err = gpio_install_isr_service(0);
  if (err != ESP_OK && err != ESP_ERR_INVALID_STATE) /* INVALID_STATE: already installed by Moddable */
    xsUnknownError("radio: cannot install the GPIO interrupt service (%d)", (int)err);
  dio1.the = the;
  dio1.callback = xsArg(1);
  xsRemember(dio1.callback);
  dio1.posted = 0;
  dio1.pin = pin;
  err = gpio_isr_handler_add(pin, dio1_isr, NULL);
  if (err != ESP_OK) {
    dio1.pin = -1;
    xsForget(dio1.callback);
    xsUnknownError("radio: cannot attach the DIO1 interrupt to GPIO %d (%d)", pin, (int)err);
  }
  gpio_intr_enable(pin);
}

void xs_radio_dio1_read(xsMachine* the) {
  if (dio1.pin < 0)
    xsUnknownError("radio: DIO1 is not open");
  xsmcSetInteger(xsResult, gpio_get_level(dio1.pin));
}

void xs_radio_dio1_close(xsMachine* the) {
  if (dio1.pin < 0)
    return;
  gpio_intr_disable(dio1.pin);
  gpio_isr_handler_remove(dio1.pin);
  dio1.pin = -1;
  xsForget(dio1.callback);
}

void xs_radio_wait_until(xsMachine* the) {
  double deadline = xsmcToNumber(xsArg(0));
  int64_t now = esp_timer_get_time();
  if (!(deadline - (double)now <= RADIO_MAX_WAIT_MICROS))
    xsRangeError("radio: %d µs is too far ahead to busy-wait (at most %d)", (int)(deadline - (double)now), RADIO_MAX_WAIT_MICROS);
  while ((double)now < deadline)
    now = esp_timer_get_time();
  xsmcSetNumber(xsResult, (double)now);
}

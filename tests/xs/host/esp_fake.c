/*
 * A fake ESP32 for the XS test host: just enough of esp_timer, the GPIO driver, the hardware RNG
 * and its switchable entropy source (every fill logged with the source's state, see
 * xs_fake_entropy_log), esp_restart (counted, see xs_fake_restarts) and Moddable's interrupt-to-JS
 * message queue for
 * native/radio_timing.c, native/hw_random.c and native/system.c to run unchanged. Tests drive the pins with
 *   native("xs_fake_gpio_edge")(pin)          the level goes 0 -> 1; the pin's interrupt handler runs
 *                                             now, as an ISR would, if a rising-edge interrupt is set
 *   native("xs_fake_gpio_level")(pin, level)  sets the level without an interrupt
 * and host.c's event loop delivers posted messages (esp_fake_deliver) between jobs.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "xs.h"
#include "xsHost.h"

#include "bootloader_random.h"
#include "driver/gpio.h"
#include "esp_random.h"
#include "esp_system.h"
#include "esp_timer.h"

#define ESP_ERR_INVALID_ARG 0x102
#define PIN_COUNT 49 /* GPIO 0..48 on the ESP32-S3 */
#define QUEUE_LENGTH 16 /* Moddable's queue is bounded too: a full queue refuses the post */

static struct {
  int mode, intr_type, intr_enabled, level;
  gpio_isr_t handler;
  void* arg;
} pins[PIN_COUNT];
static int isr_service;
static struct {
  xsMachine* the;
  modMessageDeliver callback;
  void* refcon;
} queue[QUEUE_LENGTH];
static int queued;

#define CHECK_PIN(n) \
  if ((n) < 0 || (n) >= PIN_COUNT) return ESP_ERR_INVALID_ARG

int64_t esp_timer_get_time(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

esp_err_t gpio_reset_pin(gpio_num_t n) {
  CHECK_PIN(n);
  memset(&pins[n], 0, sizeof(pins[n]));
  return ESP_OK;
}

esp_err_t gpio_set_direction(gpio_num_t n, gpio_mode_t mode) {
  CHECK_PIN(n);
  pins[n].mode = mode;
  return ESP_OK;
}

esp_err_t gpio_set_intr_type(gpio_num_t n, gpio_int_type_t type) {
  CHECK_PIN(n);
  pins[n].intr_type = type;
  return ESP_OK;
}

esp_err_t gpio_install_isr_service(int flags) {
  (void)flags;
  if (isr_service)
    return ESP_ERR_INVALID_STATE;
  isr_service = 1;
  return ESP_OK;
}

esp_err_t gpio_isr_handler_add(gpio_num_t n, gpio_isr_t handler, void* arg) {
  CHECK_PIN(n);
  if (!isr_service)
    return ESP_ERR_INVALID_STATE;
  pins[n].handler = handler;
  pins[n].arg = arg;
  return ESP_OK;
}

esp_err_t gpio_isr_handler_remove(gpio_num_t n) {
  CHECK_PIN(n);
  pins[n].handler = NULL;
  return ESP_OK;
}

esp_err_t gpio_intr_enable(gpio_num_t n) {
  CHECK_PIN(n);
  pins[n].intr_enabled = 1;
  return ESP_OK;
}

esp_err_t gpio_intr_disable(gpio_num_t n) {
  CHECK_PIN(n);
  pins[n].intr_enabled = 0;
  return ESP_OK;
}

int gpio_get_level(gpio_num_t n) {
  return n >= 0 && n < PIN_COUNT ? pins[n].level : 0;
}

/* The entropy source's state and a log of what happened to the RNG, in order:
 * "enable", "disable", "fill N on|off HEX" (HEX only for fills of at most 32 bytes). */
static int entropy_on;
static char entropy_log[4096];

static void log_entry(const char* entry) {
  size_t used = strlen(entropy_log);
  if (used + strlen(entry) + 2 < sizeof(entropy_log)) {
    if (used > 0)
      strcat(entropy_log, ",");
    strcat(entropy_log, entry);
  }
}

void bootloader_random_enable(void) {
  entropy_on = 1;
  log_entry("enable");
}

void bootloader_random_disable(void) {
  entropy_on = 0;
  log_entry("disable");
}

void esp_fill_random(void* buf, size_t len) {
  uint8_t* out = buf;
  size_t left = len;
  char entry[96];
  int n;
  while (left > 0) {
    ssize_t got = getrandom(out, left, 0);
    if (got <= 0)
      abort();
    out += got;
    left -= (size_t)got;
  }
  n = snprintf(entry, sizeof(entry), "fill %u %s ", (unsigned)len, entropy_on ? "on" : "off");
  for (size_t i = 0; len <= 32 && i < len; i++)
    n += snprintf(entry + n, sizeof(entry) - (size_t)n, "%02x", ((uint8_t*)buf)[i]);
  log_entry(entry);
}

/* native("xs_fake_entropy_log")(): the log as one comma-separated string. */
void xs_fake_entropy_log(xsMachine* the) {
  xsResult = xsString(entropy_log);
}

/* esp_restart() returns here (the test host keeps running) and counts, for xs_fake_restarts(). */
static int restarts;

void esp_restart(void) {
  restarts++;
}

uint32_t esp_get_free_heap_size(void) {
  return 200000;
}

void xs_fake_restarts(xsMachine* the) {
  xsResult = xsInteger(restarts);
}

int modMessagePostToMachineFromISR(xsMachine* the, modMessageDeliver callback, void* refcon) {
  if (queued == QUEUE_LENGTH)
    return -1;
  queue[queued].the = the;
  queue[queued].callback = callback;
  queue[queued].refcon = refcon;
  queued++;
  return 0;
}

/* Delivers the posted messages in order; returns how many. */
int esp_fake_deliver(void) {
  int delivered = 0;
  while (queued > 0) {
    xsMachine* the = queue[0].the;
    modMessageDeliver callback = queue[0].callback;
    void* refcon = queue[0].refcon;
    memmove(&queue[0], &queue[1], (size_t)(queued - 1) * sizeof(queue[0]));
    queued--;
    callback(the, refcon, NULL, 0);
    delivered++;
  }
  return delivered;
}

void xs_fake_gpio_edge(xsMachine* the) {
  int n = xsToInteger(xsArg(0));
  if (n < 0 || n >= PIN_COUNT)
    xsRangeError("no GPIO %d", n);
  if (pins[n].level)
    return; /* already high: no rising edge */
  pins[n].level = 1;
  if (pins[n].handler && pins[n].intr_enabled && pins[n].intr_type == GPIO_INTR_POSEDGE)
    pins[n].handler(pins[n].arg);
}

void xs_fake_gpio_level(xsMachine* the) {
  int n = xsToInteger(xsArg(0));
  if (n < 0 || n >= PIN_COUNT)
    xsRangeError("no GPIO %d", n);
  pins[n].level = xsToInteger(xsArg(1)) ? 1 : 0;
}

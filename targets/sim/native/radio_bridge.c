/*
 * The Moddable simulator's radio wiring (targets/sim, Linux desktop in mcsim): the SX1262 is the chip
 * model in the simulated world of `npm start -- --moddable` (sim/moddable-bridge.ts), reached over one
 * loopback TCP connection to $HOTSPOT_SIM_BRIDGE ("127.0.0.1:PORT").
 *
 * What would be copper on a board travels as messages, each stamped with CLOCK_MONOTONIC in µs (the
 * clock Node's process.hrtime reads, so the world can run the chip at the moment the firmware acted):
 *   - SPI transfers and pin reads wait for the answer (ECMA-419 SPI.transfer and Digital.read are
 *     synchronous): the JS thread blocks in recv() as a CPU clocking SPI would;
 *   - pin writes (NSS, NRESET) and opens go out without waiting; the stream keeps them in order;
 *   - DIO1 rising edges come back whenever the chip raises them, carrying the world's stamp of the
 *     edge, and reach JS from the GLib main loop mcsim runs (as the ESP32's GPIO interrupt reaches
 *     JS through Moddable's message queue).
 *
 * JS-facing API:
 *   xs_simradio_pin_open(pin, mode)   a radio pin (NSS, NRESET, BUSY) as an ECMA-419 Digital mode
 *   xs_simradio_pin_write(pin, value)
 *   xs_simradio_pin_read(pin)         0 or 1, from the chip
 *   xs_simradio_pin_close(pin)
 *   xs_simradio_spi_open(hz)          the SPI bus to the chip
 *   xs_simradio_spi_transfer(buffer)  full duplex, in place
 *   xs_simradio_spi_close()
 * and the API of native/radio_timing.c (device/radio-timing.ts uses it unchanged):
 *   xs_radio_micros()                 µs since this firmware started (CLOCK_MONOTONIC)
 *   xs_radio_dio1_open(pin, callback) callback(stampMicros) on the JS thread for each rising edge
 *                                     (edges arriving before it runs coalesce into one call carrying
 *                                     the first stamp, as on the ESP32)
 *   xs_radio_dio1_read()              the DIO1 level, from the chip
 *   xs_radio_dio1_close()
 *   xs_radio_wait_until(micros)       busy-waits until then (at most 20 ms ahead, else RangeError);
 *                                     returns the time it returned
 *
 * Wire format (little-endian). Firmware to world: op u8, pin u8, length u16, stamp f64 (µs,
 * CLOCK_MONOTONIC), then `length` bytes. World to firmware: op u8, status u8 (REPLY: 0 ok, 1 error
 * with the message as payload; EDGE: the pin), length u16, stamp f64, payload.
 */
#include "xsmc.h"
#include "xsHost.h"

#include <errno.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RADIO_MAX_WAIT_MICROS 20000
#define HEADER_BYTES 12
#define MAX_PAYLOAD 1024

enum {
  OP_HELLO = 1,
  OP_PIN_OPEN = 2,
  OP_PIN_WRITE = 3,
  OP_PIN_READ = 4,
  OP_PIN_CLOSE = 5,
  OP_SPI_OPEN = 6,
  OP_SPI_TRANSFER = 7,
  OP_SPI_CLOSE = 8,
  OP_REPLY = 0x81,
  OP_EDGE = 0x82,
};

#define NO_PIN 0xff

static struct {
  int fd; /* -1 until the first use */
  double bootMicros;
  uint8_t rx[HEADER_BYTES + MAX_PAYLOAD];
  size_t rxLength;
  /* the reply a synchronous call waits for */
  int replied;
  uint8_t replyStatus;
  uint16_t replyLength;
  uint8_t reply[MAX_PAYLOAD + 1];
  guint watch;
} bridge = {.fd = -1};

static struct {
  xsMachine* the;
  xsSlot callback;
  int pin; /* -1 while closed */
  int pending;
  double stamp;
  guint idle;
} dio1 = {.pin = -1};

static double monotonic_micros(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double device_micros(void) {
  if (bridge.bootMicros == 0)
    bridge.bootMicros = monotonic_micros();
  return monotonic_micros() - bridge.bootMicros;
}

static void put_header(uint8_t* h, uint8_t op, uint8_t pin, uint16_t length, double stamp) {
  h[0] = op;
  h[1] = pin;
  h[2] = (uint8_t)(length & 0xff);
  h[3] = (uint8_t)(length >> 8);
  memcpy(h + 4, &stamp, 8); /* x86-64 and arm64 Linux are little-endian */
}

static void deliver_edge(void);

static gboolean deliver_edge_idle(gpointer data) {
  (void)data;
  dio1.idle = 0;
  deliver_edge();
  return G_SOURCE_REMOVE;
}

static void note_edge(uint8_t pin, double stamp) {
  if (dio1.pin < 0 || pin != dio1.pin || dio1.pending)
    return;
  dio1.pending = 1;
  dio1.stamp = stamp - bridge.bootMicros;
  if (!dio1.idle)
    dio1.idle = g_idle_add(deliver_edge_idle, NULL);
}

/* Takes every complete message out of the receive buffer: edges are noted, a reply is kept. */
static void parse_messages(xsMachine* the) {
  size_t at = 0;
  while (bridge.rxLength - at >= HEADER_BYTES) {
    uint8_t* m = bridge.rx + at;
    uint16_t length = (uint16_t)(m[2] | (m[3] << 8));
    double stamp;
    if (length > MAX_PAYLOAD)
      xsUnknownError("radio bridge: a %u-byte message from the simulator (at most %d)", length, MAX_PAYLOAD);
    if (bridge.rxLength - at < (size_t)HEADER_BYTES + length)
      break;
    memcpy(&stamp, m + 4, 8);
    if (m[0] == OP_EDGE)
      note_edge(m[1], stamp);
    else if (m[0] == OP_REPLY && !bridge.replied) {
      bridge.replied = 1;
      bridge.replyStatus = m[1];
      bridge.replyLength = length;
      memcpy(bridge.reply, m + HEADER_BYTES, length);
    } else
      xsUnknownError("radio bridge: unexpected message 0x%02x from the simulator", m[0]);
    at += HEADER_BYTES + length;
  }
  memmove(bridge.rx, bridge.rx + at, bridge.rxLength - at);
  bridge.rxLength -= at;
}

/* Reads what the socket holds (blocking: at least one byte). Returns 0 when nothing was there. */
static int receive(xsMachine* the, int blocking) {
  ssize_t n = recv(bridge.fd, bridge.rx + bridge.rxLength, sizeof(bridge.rx) - bridge.rxLength, blocking ? 0 : MSG_DONTWAIT);
  if (n == 0)
    xsUnknownError("radio bridge: the simulator closed the connection");
  if (n < 0) {
    if (!blocking && (errno == EAGAIN || errno == EWOULDBLOCK))
      return 0;
    if (errno == EINTR)
      return 1;
    xsUnknownError("radio bridge: recv failed: %s", strerror(errno));
  }
  bridge.rxLength += (size_t)n;
  parse_messages(the);
  return 1;
}

static gboolean on_readable(gint fd, GIOCondition condition, gpointer data) {
  xsMachine* the = data;
  (void)fd;
  if (condition & (G_IO_HUP | G_IO_ERR)) {
    bridge.watch = 0;
    fprintf(stderr, "radio bridge: the simulator's end of the radio connection is gone\n");
    return G_SOURCE_REMOVE;
  }
  xsBeginHost(the);
  {
    while (receive(the, 0))
      ;
  }
  xsEndHost(the);
  return G_SOURCE_CONTINUE;
}

static void send_all(xsMachine* the, const uint8_t* data, size_t length) {
  while (length > 0) {
    ssize_t n = send(bridge.fd, data, length, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      xsUnknownError("radio bridge: send failed: %s", strerror(errno));
    }
    data += n;
    length -= (size_t)n;
  }
}

static void send_message(xsMachine* the, uint8_t op, uint8_t pin, const void* payload, uint16_t length) {
  uint8_t header[HEADER_BYTES];
  if (length > MAX_PAYLOAD)
    xsRangeError("radio bridge: %u bytes in one transfer (at most %d)", length, MAX_PAYLOAD);
  put_header(header, op, pin, length, monotonic_micros());
  send_all(the, header, HEADER_BYTES);
  if (length)
    send_all(the, payload, length);
}

/* Sends a request and waits for its reply; an error reply becomes a JS Error with the simulator's words. */
static void call(xsMachine* the, uint8_t op, uint8_t pin, const void* payload, uint16_t length) {
  send_message(the, op, pin, payload, length);
  bridge.replied = 0;
  while (!bridge.replied)
    receive(the, 1);
  if (bridge.replyStatus != 0) {
    bridge.reply[bridge.replyLength] = 0;
    xsUnknownError("radio bridge: %s", (char*)bridge.reply);
  }
}

static void connect_bridge(xsMachine* the) {
  const char* spec = getenv("HOTSPOT_SIM_BRIDGE");
  char host[64];
  const char* colon;
  struct sockaddr_in addr = {0};
  int one = 1;
  if (bridge.fd >= 0)
    return;
  if (spec == NULL)
    xsUnknownError("radio bridge: HOTSPOT_SIM_BRIDGE is not set (npm start -- --moddable sets it to the simulator's radio port)");
  colon = strrchr(spec, ':');
  if (colon == NULL || (size_t)(colon - spec) >= sizeof(host))
    xsUnknownError("radio bridge: HOTSPOT_SIM_BRIDGE=\"%s\" is not ADDRESS:PORT", spec);
  memcpy(host, spec, (size_t)(colon - spec));
  host[colon - spec] = 0;
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)atoi(colon + 1));
  if (!inet_aton(host, &addr.sin_addr) || (ntohl(addr.sin_addr.s_addr) >> 24) != 127)
    xsUnknownError("radio bridge: %s is not a loopback address", host);
  bridge.fd = socket(AF_INET, SOCK_STREAM, 0);
  if (bridge.fd < 0)
    xsUnknownError("radio bridge: no socket: %s", strerror(errno));
  if (connect(bridge.fd, (struct sockaddr*)&addr, sizeof(addr)) < 0) {
    int error = errno;
    close(bridge.fd);
    bridge.fd = -1;
    xsUnknownError("radio bridge: cannot connect to %s: %s", spec, strerror(error));
  }
  setsockopt(bridge.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  device_micros();
  call(the, OP_HELLO, NO_PIN, NULL, 0);
  bridge.watch = g_unix_fd_add(bridge.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, the);
}

static uint8_t pin_of(xsMachine* the, xsSlot* slot) {
  int pin = xsmcToInteger(*slot);
  if (pin < 0 || pin >= NO_PIN)
    xsRangeError("radio bridge: invalid pin %d", pin);
  return (uint8_t)pin;
}

void xs_simradio_pin_open(xsMachine* the) {
  uint8_t mode = (uint8_t)xsmcToInteger(xsArg(1));
  connect_bridge(the);
  send_message(the, OP_PIN_OPEN, pin_of(the, &xsArg(0)), &mode, 1);
}

void xs_simradio_pin_write(xsMachine* the) {
  uint8_t value = xsmcToInteger(xsArg(1)) ? 1 : 0;
  connect_bridge(the);
  send_message(the, OP_PIN_WRITE, pin_of(the, &xsArg(0)), &value, 1);
}

/* The pin's level as the chip drives it, 0 or 1. */
static int read_pin(xsMachine* the, uint8_t pin) {
  call(the, OP_PIN_READ, pin, NULL, 0);
  if (bridge.replyLength != 1)
    xsUnknownError("radio bridge: a pin read answered with %u bytes", bridge.replyLength);
  return bridge.reply[0] ? 1 : 0;
}

void xs_simradio_pin_read(xsMachine* the) {
  uint8_t pin = pin_of(the, &xsArg(0));
  connect_bridge(the);
  xsmcSetInteger(xsResult, read_pin(the, pin));
}

void xs_simradio_pin_close(xsMachine* the) {
  if (bridge.fd < 0)
    return;
  send_message(the, OP_PIN_CLOSE, pin_of(the, &xsArg(0)), NULL, 0);
}

void xs_simradio_spi_open(xsMachine* the) {
  uint32_t hz = (uint32_t)xsmcToInteger(xsArg(0));
  uint8_t payload[4] = {(uint8_t)hz, (uint8_t)(hz >> 8), (uint8_t)(hz >> 16), (uint8_t)(hz >> 24)};
  connect_bridge(the);
  send_message(the, OP_SPI_OPEN, NO_PIN, payload, 4);
}

void xs_simradio_spi_transfer(xsMachine* the) {
  void* data;
  xsUnsignedValue count;
  xsmcGetBufferWritable(xsArg(0), &data, &count);
  if (count > MAX_PAYLOAD)
    xsRangeError("radio bridge: %u bytes in one transfer (at most %d)", (unsigned)count, MAX_PAYLOAD);
  connect_bridge(the);
  call(the, OP_SPI_TRANSFER, NO_PIN, data, (uint16_t)count);
  if (bridge.replyLength != count)
    xsUnknownError("radio bridge: %u bytes clocked out, %u came back", (unsigned)count, bridge.replyLength);
  memcpy(data, bridge.reply, count);
}

void xs_simradio_spi_close(xsMachine* the) {
  if (bridge.fd < 0)
    return;
  send_message(the, OP_SPI_CLOSE, NO_PIN, NULL, 0);
}

/* ------------------------------------------------------------ radio_timing.c's API */

static void deliver_edge(void) {
  xsMachine* the = dio1.the;
  if (dio1.pin < 0 || !dio1.pending)
    return;
  dio1.pending = 0;
  xsBeginHost(the);
  {
    xsmcSetNumber(xsResult, dio1.stamp);
    xsCallFunction1(dio1.callback, xsGlobal, xsResult);
  }
  xsEndHost(the);
}

void xs_radio_micros(xsMachine* the) {
  xsmcSetNumber(xsResult, device_micros());
}

void xs_radio_dio1_open(xsMachine* the) {
  uint8_t pin = pin_of(the, &xsArg(0));
  uint8_t mode = 0; /* Digital.Input */
  if (dio1.pin >= 0)
    xsUnknownError("radio: DIO1 is already open on pin %d", dio1.pin);
  if (!xsmcIsCallable(xsArg(1)))
    xsTypeError("radio: the DIO1 callback is not a function");
  connect_bridge(the);
  dio1.the = the;
  dio1.callback = xsArg(1);
  xsRemember(dio1.callback);
  dio1.pending = 0;
  dio1.pin = pin;
  send_message(the, OP_PIN_OPEN, pin, &mode, 1);
}

void xs_radio_dio1_read(xsMachine* the) {
  if (dio1.pin < 0)
    xsUnknownError("radio: DIO1 is not open");
  xsmcSetInteger(xsResult, read_pin(the, (uint8_t)dio1.pin));
}

void xs_radio_dio1_close(xsMachine* the) {
  if (dio1.pin < 0)
    return;
  send_message(the, OP_PIN_CLOSE, (uint8_t)dio1.pin, NULL, 0);
  dio1.pin = -1;
  dio1.pending = 0;
  xsForget(dio1.callback);
}

void xs_radio_wait_until(xsMachine* the) {
  double deadline = xsmcToNumber(xsArg(0));
  double now = device_micros();
  if (!(deadline - now <= RADIO_MAX_WAIT_MICROS))
    xsRangeError("radio: %d µs is too far ahead to busy-wait (at most %d)", (int)(deadline - now), RADIO_MAX_WAIT_MICROS);
  while (now < deadline)
    now = device_micros();
  xsmcSetNumber(xsResult, now);
}

// device/radio-timing.ts over native/radio_timing.c (the device's C, on the test host's fake ESP32):
// DIO1 edges stamped in the interrupt and delivered on the JS task, the bounded µs wait, and the
// hardware RNG helper (native/hw_random.c).
import { test } from "./harness.js";
import { equal, ok, throws } from "./assert.js";
import Timer from "./shims/timer.js";
import { Dio1Input, delayMicros, micros, waitUntilMicros } from "../../device/radio-timing.js";
import { trueRandom } from "../../device/entropy.js";

const edge = native("xs_fake_gpio_edge") as (pin: number) => void;
const level = native("xs_fake_gpio_level") as (pin: number, level: 0 | 1) => void;
const hwRandom = native("xs_hw_random") as (buffer: Uint8Array) => void;
const entropyLog = native("xs_fake_entropy_log") as () => string;
const DIO1 = 14;

/** Resolves after the event loop has delivered pending interrupt messages. */
const settle = () => new Promise<void>((resolve) => Timer.set(() => resolve(), 0));

test("the µs clock is monotonic and matches the host clock", () => {
  const a = micros();
  const b = micros();
  ok(b >= a, "monotonic");
  ok(Math.abs(micros() - __xshost.micros()) < 10_000, "same timebase as the host");
});

test("waitUntilMicros returns at or after the deadline and refuses to spin more than 20 ms", () => {
  const deadline = micros() + 3000;
  const returned = waitUntilMicros(deadline);
  ok(returned >= deadline, `returned ${returned - deadline} µs after the deadline`);
  ok(waitUntilMicros(deadline - 1000) >= deadline, "a past deadline returns at once");
  throws(() => waitUntilMicros(micros() + 25_000), /^RangeError: radio: \d+ µs is too far ahead to busy-wait \(at most 20000\)$/);
});

test("delayMicros returns the time it really returned at: after the wait, not before the clock read after it", () => {
  const before = micros();
  const returned = delayMicros(2000);
  const after = micros();
  ok(returned - before >= 2000, `returned ${returned - before} µs after the start`);
  ok(returned <= after, "not a time in the future");
});

test("a DIO1 edge is stamped in the interrupt and delivered later on the JS task", async () => {
  const stamps: number[] = [];
  level(DIO1, 0);
  const dio1 = new Dio1Input({ pin: DIO1, onReadable: (stamp) => stamps.push(stamp) });
  try {
    const before = micros();
    edge(DIO1);
    const after = micros();
    equal(stamps.length, 0, "not delivered inside the interrupt");
    equal(dio1.read(), 1);
    await settle();
    equal(stamps.length, 1);
    ok(stamps[0] >= before && stamps[0] <= after, "stamped at the edge, not at delivery");
  } finally {
    dio1.close();
  }
});

test("edges before the delivery coalesce into one call with the first stamp; closing stops deliveries", async () => {
  const stamps: number[] = [];
  level(DIO1, 0);
  const dio1 = new Dio1Input({ pin: DIO1, onReadable: (stamp) => stamps.push(stamp) });
  try {
    const first = micros();
    edge(DIO1);
    level(DIO1, 0);
    waitUntilMicros(micros() + 500);
    edge(DIO1);
    await settle();
    equal(stamps.length, 1);
    ok(stamps[0] >= first && stamps[0] < first + 500, "the first edge's stamp");
    level(DIO1, 0);
    edge(DIO1);
    await settle();
    equal(stamps.length, 2, "the next edge after delivery is delivered");
    level(DIO1, 0);
    edge(DIO1);
  } finally {
    dio1.close();
  }
  await settle();
  equal(stamps.length, 2, "an edge whose delivery arrives after close() is dropped");
});

test("one DIO1 at a time; a callback that is not a function is refused", () => {
  const dio1 = new Dio1Input({ pin: DIO1, onReadable: () => {} });
  try {
    throws(() => new Dio1Input({ pin: 3, onReadable: () => {} }), /DIO1 is already open on GPIO 14/);
  } finally {
    dio1.close();
  }
  throws(() => native("xs_radio_dio1_open")(DIO1, 42), /^TypeError: radio: the DIO1 callback is not a function$/);
  throws(() => native("xs_radio_dio1_read")(), /DIO1 is not open/);
});

test("the hardware RNG helper fills the whole buffer, differently each time", () => {
  const a = new Uint8Array(64);
  const b = new Uint8Array(64);
  hwRandom(a);
  hwRandom(b);
  ok(a.some((x) => x !== 0), "not left zero");
  ok(a.some((x, i) => x !== b[i]), "two draws differ");
  throws(() => hwRandom(42 as unknown as Uint8Array), /invalid buffer|buffer/i);
});

test("trueRandom switches the RNG's entropy source on just for its fill (ESP-IDF bootloader_random_enable/disable)", () => {
  const seen = entropyLog().length;
  const key = new Uint8Array(32);
  trueRandom(key);
  hwRandom(new Uint8Array(8));
  const hex = Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
  const log = entropyLog().slice(seen).split(",").filter((e) => e !== "");
  equal(log.length, 4);
  equal(log[0], "enable");
  equal(log[1], `fill 32 on ${hex}`);
  equal(log[2], "disable");
  ok(log[3].startsWith("fill 8 off "), "an ordinary draw runs with the source off");
});

// The ESP32's microsecond clock and the SX1262's DIO1 edge stamped in C (native/radio_timing.c):
// the device's Clock.micros, uplink `tmst` stamps and the final wait before a timed transmission.

const microsNative = native("xs_radio_micros");
const dio1Open = native("xs_radio_dio1_open");
const dio1Read = native("xs_radio_dio1_read");
const dio1Close = native("xs_radio_dio1_close");
const waitUntilNative = native("xs_radio_wait_until");

/** esp_timer microseconds since boot: the clock of every DIO1 stamp. */
export function micros(): number {
  return microsNative() as number;
}

/** Busy-waits (at most 20 ms ahead) until `deadlineMicros`; returns the time it returned. */
export function waitUntilMicros(deadlineMicros: number): number {
  return waitUntilNative(deadlineMicros) as number;
}

/** The longest busy wait native/radio_timing.c accepts in one call (RADIO_MAX_WAIT_MICROS). */
const MAX_WAIT_MICROS = 20_000;

/**
 * Blocks for `us` microseconds, as the provider's Clock.delayMicros (the driver waits 50 ms after an
 * image calibration): longer waits go in steps the C wait accepts. Returns the time it returned at.
 */
export function delayMicros(us: number): number {
  const end = micros() + us;
  for (let now = micros(); end - now > MAX_WAIT_MICROS; ) now = waitUntilMicros(now + MAX_WAIT_MICROS);
  return waitUntilMicros(end);
}

export interface Dio1Options {
  pin: number;
  /** Called on the JS task after each rising edge with the µs stamp the interrupt took. */
  onReadable(this: Dio1Input, timestampMicros: number): void;
}

/**
 * The DIO1 line as the driver's `dio1` Digital: rising edges only, each delivered with its stamp.
 * One instance at a time (there is one radio).
 */
export class Dio1Input {
  constructor(options: Dio1Options) {
    dio1Open(options.pin, (stamp: number) => options.onReadable.call(this, stamp));
  }
  read(): 0 | 1 {
    return dio1Read() as 0 | 1;
  }
  write(): void {
    throw new Error("DIO1 is an input");
  }
  close(): void {
    dio1Close();
  }
}

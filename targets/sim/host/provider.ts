// The Moddable simulator's board (`npm start -- --moddable`: main.ts built by mcconfig for the SDK's
// Linux desktop platform and run in mcsim). Its SX1262 is the chip model in the simulated world,
// reached through targets/sim/native/radio_bridge.c: SPI transfers and the NSS, NRESET and BUSY pins
// travel over a loopback socket, DIO1 edges come back with their stamp (device/radio-timing.ts). The
// pins and LoRa settings are the Heltec V3's, so the driver runs as on that board. The button and the
// LED are pins with nothing behind them (the button reads released).
//
// The desktop is online and its clock is set: `desktop` tells main.ts to start the hotspot without
// Wi-Fi, the setup portal or SNTP, and serves the dashboard on $HOTSPOT_SIM_WEB_PORT (loopback peers). Nothing here calls native code at module load:
// mcconfig's linker runs this module at build time (preload), on the build machine.
import type Digital from "embedded:io/digital";
import type SPI from "embedded:io/spi";
import type { BoardDevice } from "../../board.js";

const pinOpen = native("xs_simradio_pin_open");
const pinWrite = native("xs_simradio_pin_write");
const pinRead = native("xs_simradio_pin_read");
const pinClose = native("xs_simradio_pin_close");
const spiOpen = native("xs_simradio_spi_open");
const spiTransfer = native("xs_simradio_spi_transfer");
const spiClose = native("xs_simradio_spi_close");
const environment = native("xs_sim_environment");
const xsHeap = native("xs_sim_heap");

/** Heltec WiFi LoRa 32 V3 wiring (drivers/sx1262/boards.ts); sim/moddable-bridge.ts wires its model the same way. */
const PINS = Object.freeze({ loraNss: 8, loraReset: 12, loraBusy: 13, loraDio1: 14, sck: 9, miso: 11, mosi: 10, button: 0, led: 35 });
const BRIDGED = Object.freeze([PINS.loraNss, PINS.loraReset, PINS.loraBusy]);
const MODES = Object.freeze({ Input: 0, InputPullUp: 1, InputPullDown: 2, InputPullUpDown: 3, Output: 8, OutputOpenDrain: 9 });

interface SimDigitalOptions {
  pin: number;
  mode: number;
  initialValue?: 0 | 1;
  onReadable?: unknown;
}

/**
 * ECMA-419 Digital. NSS, NRESET and BUSY are the chip's (over the bridge); DIO1 is opened through
 * device/radio-timing.ts only, as on the ESP32 where its interrupt belongs to native/radio_timing.c;
 * any other pin has nothing behind it: an output keeps its level, an input reads its pull.
 */
class SimDigital {
  static readonly Input = MODES.Input;
  static readonly InputPullUp = MODES.InputPullUp;
  static readonly InputPullDown = MODES.InputPullDown;
  static readonly InputPullUpDown = MODES.InputPullUpDown;
  static readonly Output = MODES.Output;
  static readonly OutputOpenDrain = MODES.OutputOpenDrain;
  static readonly ActiveLow = 16;
  static readonly Rising = 1;
  static readonly Falling = 2;
  readonly #pin: number;
  readonly #bridged: boolean;
  #level: 0 | 1;
  #closed = false;

  constructor(options: SimDigitalOptions) {
    const { pin, mode } = options;
    if (!Object.values(MODES).includes(mode as never)) throw new RangeError(`invalid mode ${mode}`);
    if (pin === PINS.loraDio1) throw new Error(`pin ${pin} is the radio's DIO1: it is opened through device/radio-timing.ts`);
    if (options.onReadable !== undefined) throw new RangeError(`pin ${pin}: edge callbacks are not wired on the simulator board`);
    this.#pin = pin;
    this.#bridged = (BRIDGED as readonly number[]).includes(pin);
    const output = mode === MODES.Output || mode === MODES.OutputOpenDrain;
    this.#level = output ? (options.initialValue ?? 0) : mode === MODES.InputPullUp ? 1 : 0;
    if (this.#bridged) {
      pinOpen(pin, mode);
      if (output && options.initialValue !== undefined) pinWrite(pin, options.initialValue);
    }
  }

  read(): 0 | 1 {
    this.#check();
    return this.#bridged ? (pinRead(this.#pin) as 0 | 1) : this.#level;
  }

  write(value: 0 | 1): void {
    this.#check();
    this.#level = value ? 1 : 0;
    if (this.#bridged) pinWrite(this.#pin, this.#level);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#bridged) pinClose(this.#pin);
  }

  get format(): "number" {
    return "number";
  }
  set format(value: "number") {
    if (value !== "number") throw new RangeError(`unsupported format ${String(value)}`);
  }

  #check(): void {
    if (this.#closed) throw new Error(`pin ${this.#pin} is closed`);
  }
}

interface SimSPIOptions {
  clock: number;
  in?: number;
  out?: number;
  select?: number;
  hz: number;
  mode?: number;
  port?: number;
}

/** ECMA-419 SPI to the chip; chip select is the NSS Digital (the driver drives it), so `select` is refused. */
class SimSPI {
  #closed = false;

  constructor(options: SimSPIOptions) {
    if (options.clock !== PINS.sck || options.in !== PINS.miso || options.out !== PINS.mosi) {
      throw new RangeError(`the radio's SPI is SCK ${PINS.sck}, MISO ${PINS.miso}, MOSI ${PINS.mosi}`);
    }
    if (options.select !== undefined) throw new RangeError("select the chip with its NSS pin (a Digital), not the SPI's select");
    if (!(options.hz > 0 && options.hz <= 16_000_000)) throw new RangeError(`invalid hz ${options.hz} (the SX1262 takes up to 16 MHz)`);
    if ((options.mode ?? 0) !== 0) throw new RangeError("the SX1262 uses SPI mode 0");
    spiOpen(options.hz);
  }

  transfer(buffer: ArrayBuffer | ArrayBufferView): void {
    this.#check();
    spiTransfer(buffer);
  }

  write(buffer: ArrayBuffer | ArrayBufferView): void {
    this.#check();
    // A transfer writes MISO into its buffer: clock out a copy so the caller's bytes stay as they were.
    spiTransfer(new Uint8Array(ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer)));
  }

  read(byteLength: number): ArrayBuffer;
  read(buffer: ArrayBuffer | ArrayBufferView): void;
  read(what: number | ArrayBuffer | ArrayBufferView): ArrayBuffer | void {
    this.#check();
    if (typeof what === "number") {
      const buffer = new ArrayBuffer(what);
      spiTransfer(buffer);
      return buffer;
    }
    new Uint8Array(ArrayBuffer.isView(what) ? what.buffer : what, ArrayBuffer.isView(what) ? what.byteOffset : 0, what.byteLength).fill(0);
    spiTransfer(what);
  }

  flush(): void {
    this.#check();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    spiClose();
  }

  get format(): "buffer" {
    return "buffer";
  }
  set format(value: "buffer") {
    if (value !== "buffer") throw new RangeError(`unsupported format ${String(value)}`);
  }

  #check(): void {
    if (this.#closed) throw new Error("SPI is closed");
  }
}

const device: BoardDevice = Object.freeze({
  name: "Moddable simulator (Heltec V3 radio wiring)",
  SPI: Object.freeze({ default: Object.freeze({ io: SimSPI as unknown as typeof SPI, clock: PINS.sck, in: PINS.miso, out: PINS.mosi, port: 1 }) }),
  io: Object.freeze({ Digital: SimDigital as unknown as typeof Digital, SPI: SimSPI as unknown as typeof SPI }),
  pin: Object.freeze({ loraNss: PINS.loraNss, loraReset: PINS.loraReset, loraBusy: PINS.loraBusy, loraDio1: PINS.loraDio1, button: PINS.button, led: PINS.led }),
  lora: Object.freeze({ tcxo: Object.freeze({ volts: 1.8, delayMicros: 5000 }), dio2RfSwitch: true, regulator: "ldo", maxPowerDbm: 22, spiHz: 2_000_000 } as const),
  desktop: Object.freeze({ dashboardPort, heap }),
} as const);

/** targets/sim/native/desktop.c xs_sim_heap: collects garbage, then reads XS's counters. */
function heap() {
  const [slots, chunkBytes, slotCapacity, chunkCapacity] = xsHeap() as number[];
  return { slots, chunkBytes, slotCapacity, chunkCapacity };
}

/** $HOTSPOT_SIM_WEB_PORT (npm start -- --moddable sets it), or undefined: no dashboard. */
function dashboardPort(): number | undefined {
  const text = environment("WEB_PORT") as string | undefined;
  if (text === undefined) return undefined;
  const port = /^[1-9][0-9]{0,4}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65535) throw new RangeError(`HOTSPOT_SIM_WEB_PORT="${text}" is not a TCP port (1..65535)`);
  return port;
}

export default device;

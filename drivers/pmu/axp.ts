// Driver for the X-Powers AXP192 / AXP2101 power-management chips over an ECMA-419 I2C class: it
// identifies which of the two answers at the address, and switches one output rail on at a given
// voltage. It changes nothing else: every register write is a read-modify-write of one field, so the
// other rails in the same register - among them the DC-DC converters that feed the ESP32 itself -
// keep what they had, and each write is read back. Every failure is a PowerChipError with a kind and
// a sentence a maker can act on; nothing waits without a bound (a transfer either answers or throws).
//
// Register access: the register address is written in its own transaction, then one byte is read.
// Moddable's ESP32 I2C ends every transaction with STOP (modules/io/i2c/esp32/_i2c.c ignores `stop`),
// and XPowersLib's Arduino path does the same (Wire.endTransmission() before requestFrom()); the chip
// keeps the address for the read.
import type { Clock, I2C, I2CConstructor } from "../../modules/host/provider.js";
import { AXP_I2C_ADDRESS, AXP_RAILS, CHIP_IDS, CHIP_ID_REGISTER, type AxpChipModel, type AxpRail, type RailByChip } from "./axp-registers.js";

export type PowerChipErrorKind =
  /** The I2C class refused the pins or options. */
  | "bus-open"
  /** Nothing answered the chip-ID read: no chip at the address, or the bus is dead. */
  | "not-found"
  /** A later transfer failed. */
  | "bus-error"
  /** The host returned fewer bytes than asked for. */
  | "short-read"
  /** Something answered, but its chip ID is neither an AXP192's nor an AXP2101's. */
  | "unknown-chip"
  /** The board names no rail for this chip, or the driver does not know the rail. */
  | "no-rail"
  /** The voltage is outside the rail's range or not on its step. */
  | "invalid-voltage"
  /** A write was acknowledged but reading the register back shows it did not take. */
  | "not-applied";

export class PowerChipError extends Error {
  override name = "PowerChipError";
  constructor(
    readonly kind: PowerChipErrorKind,
    message: string,
    /** The host's own words for a failed transfer ("write failed" on the ESP32). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface AxpOptions {
  io: I2CConstructor;
  /** SDA and SCL GPIOs. */
  data: number;
  clock: number;
  /** Bus clock; default 100 kHz (standard mode: every device sharing the bus allows it). */
  hz?: number;
  /** Default 0x34, where both chips answer. */
  address?: number;
  port?: number;
}

export interface RailState {
  on: boolean;
  /** Undefined when the voltage field holds a reserved code. */
  millivolts: number | undefined;
}

export interface RailChange {
  chip: AxpChipModel;
  rail: string;
  millivolts: number;
  /** What the rail was before. */
  before: RailState;
  /** True when a register was written (the rail was off or at another voltage). */
  changed: boolean;
}

const DEFAULT_HZ = 100_000;

function hex2(value: number): string {
  return "0x" + value.toString(16).padStart(2, "0");
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fieldMask(rail: AxpRail): number {
  return ((1 << rail.voltageBits) - 1) << rail.voltageShift;
}

/** One AXP192 or AXP2101 on I2C. The constructor identifies the chip; close() releases the bus. */
export class AxpPowerChip {
  readonly model: AxpChipModel;
  readonly #i2c: I2C;
  readonly #address: number;
  readonly #where: string;

  constructor(options: AxpOptions) {
    this.#address = options.address ?? AXP_I2C_ADDRESS;
    this.#where = `I2C SDA ${options.data} / SCL ${options.clock}`;
    try {
      // Moddable reads `port` whenever the property exists, so an absent port is left out.
      const port = options.port === undefined ? {} : { port: options.port };
      this.#i2c = new options.io({ data: options.data, clock: options.clock, hz: options.hz ?? DEFAULT_HZ, address: this.#address, ...port });
    } catch (error) {
      throw new PowerChipError("bus-open", `cannot open ${this.#where} for the power chip: ${reason(error)}`);
    }
    try {
      this.model = this.#identify();
    } catch (error) {
      this.#i2c.close();
      throw error;
    }
  }

  /** Whether a rail is on and at which voltage. */
  state(railName: string): RailState {
    const rail = this.#rail(railName);
    return this.#decode(rail, this.#readRegister(rail.enableRegister), this.#readRegister(rail.voltageRegister));
  }

  /** Sets the rail's voltage, then switches it on; registers already right are not written. */
  enableRail(railName: string, millivolts: number): RailChange {
    const rail = this.#rail(railName);
    const { minMillivolts: min, maxMillivolts: max, stepMillivolts: step } = rail;
    if (!Number.isInteger(millivolts) || millivolts < min || millivolts > max || (millivolts - min) % step !== 0) {
      throw new PowerChipError("invalid-voltage", `${this.model} ${railName}: ${millivolts} mV is not one of ${min}-${max} mV in ${step} mV steps`);
    }
    const code = (millivolts - min) / step;
    const mask = fieldMask(rail);
    const voltage = this.#readRegister(rail.voltageRegister);
    const enable = this.#readRegister(rail.enableRegister);
    const before = this.#decode(rail, enable, voltage);
    let changed = false;
    // Voltage first, so the rail never comes up at the old setting.
    if (((voltage & mask) >> rail.voltageShift) !== code) {
      this.#modify(rail.voltageRegister, voltage, mask, code << rail.voltageShift, `${railName} voltage`);
      changed = true;
    }
    const bit = 1 << rail.enableBit;
    if ((enable & bit) === 0) {
      this.#modify(rail.enableRegister, enable, bit, bit, `${railName} enable`);
      changed = true;
    }
    return { chip: this.model, rail: railName, millivolts, before, changed };
  }

  close(): void {
    this.#i2c.close();
  }

  #identify(): AxpChipModel {
    let id: number;
    try {
      id = this.#readRegister(CHIP_ID_REGISTER);
    } catch (error) {
      if (error instanceof PowerChipError && error.kind === "bus-error") {
        throw new PowerChipError("not-found", `power chip at ${hex2(this.#address)} not found: nothing answers on ${this.#where} (${error.detail})`, error.detail);
      }
      throw error;
    }
    const model = CHIP_IDS[id];
    if (model === undefined) {
      throw new PowerChipError(
        "unknown-chip",
        `the chip at ${hex2(this.#address)} on ${this.#where} has chip ID ${hex2(id)} (register ${hex2(CHIP_ID_REGISTER)}): not an AXP192 (0x03) or an AXP2101 (0x4a)`,
      );
    }
    return model;
  }

  #rail(name: string): AxpRail {
    const rail = Object.hasOwn(AXP_RAILS[this.model], name) ? AXP_RAILS[this.model][name] : undefined;
    if (rail === undefined) {
      throw new PowerChipError("no-rail", `the ${this.model} has no rail "${name}" this driver knows (it knows ${Object.keys(AXP_RAILS[this.model]).join(", ")})`);
    }
    return rail;
  }

  #decode(rail: AxpRail, enable: number, voltage: number): RailState {
    const code = (voltage & fieldMask(rail)) >> rail.voltageShift;
    const millivolts = rail.minMillivolts + code * rail.stepMillivolts;
    return { on: (enable & (1 << rail.enableBit)) !== 0, millivolts: millivolts <= rail.maxMillivolts ? millivolts : undefined };
  }

  /** Writes `bits` into the `mask` field of a register read as `current`, then reads it back. */
  #modify(register: number, current: number, mask: number, bits: number, what: string): void {
    const value = (current & ~mask & 0xff) | bits;
    this.#transfer(`writing ${hex2(value)} to register ${hex2(register)} (${what})`, () => this.#i2c.write(Uint8Array.of(register, value)));
    const readBack = this.#readRegister(register);
    if ((readBack & mask) !== bits) {
      throw new PowerChipError("not-applied", `${this.model}: register ${hex2(register)} (${what}) reads ${hex2(readBack)} after writing ${hex2(value)}`);
    }
  }

  #readRegister(register: number): number {
    const what = `reading register ${hex2(register)}`;
    this.#transfer(what, () => this.#i2c.write(Uint8Array.of(register)));
    const bytes = this.#transfer(what, () => this.#i2c.read(1));
    if (bytes.byteLength !== 1) throw new PowerChipError("short-read", `${what} at ${hex2(this.#address)} on ${this.#where}: got ${bytes.byteLength} bytes, not 1`);
    return new Uint8Array(bytes)[0];
  }

  #transfer<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw new PowerChipError("bus-error", `${what} at ${hex2(this.#address)} on ${this.#where} failed: ${reason(error)}`, reason(error));
    }
  }
}

/** How long a rail gets to rise before its load is used: our margin, not a datasheet figure. */
export const RAIL_SETTLE_MICROS = 10_000;

export interface SwitchOnRailOptions {
  i2c: AxpOptions;
  /** The rail that feeds the peripheral on each chip the board may carry. */
  rails: RailByChip;
  millivolts: number;
  /** For the settle wait (a bounded busy wait, as the SX1262 driver's reset waits). */
  clock: Clock;
  settleMicros?: number;
}

/**
 * Identifies the chip, switches on the board's rail for it at `millivolts`, releases the bus and,
 * when a register was written, waits for the rail to settle. Throws PowerChipError.
 */
export function switchOnRail(options: SwitchOnRailOptions): RailChange {
  const chip = new AxpPowerChip(options.i2c);
  let change: RailChange;
  try {
    const rail = options.rails[chip.model];
    if (rail === undefined) throw new PowerChipError("no-rail", `found an ${chip.model}, but this board names no rail on it for the radio`);
    change = chip.enableRail(rail, options.millivolts);
  } finally {
    chip.close();
  }
  if (change.changed) options.clock.delayMicros(options.settleMicros ?? RAIL_SETTLE_MICROS);
  return change;
}

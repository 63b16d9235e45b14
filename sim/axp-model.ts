// A register-level model of the power-management chip on a LilyGO T-Beam V1.x - an AXP192 (V1.0,
// V1.1) or an AXP2101 (V1.2) - as its driver sees it over ECMA-419 I2C: one register per transfer
// (a 1-byte write sets the register address, a 2-byte write stores a value, a 1-byte read returns the
// addressed register), NACKs as thrown errors ("write failed" / "read failed", the words of
// Moddable's ESP32 I2C), and the rails a T-Beam uses.
//
// It is strict where the real board would be damaged or silently misbehave, and records each case
// in `violations` so tests fail on them: a write that switches or re-programs the ESP32's own supply
// (AXP192 DC-DC3, and DC-DC1 which feeds the OLED header and the bus pull-ups per Meshtastic's
// Power.cpp; AXP2101 DCDC1), a change of bits the datasheets mark read-only or "reserved, do not
// change", a reserved voltage code, a read with no register address, multi-byte transfers (not
// modelled), a bus clock above 400 kHz, a second open handle on the same device.
//
// Facts, written here independently of the driver: AXP192 datasheet (XPowersLib's
// datasheet/AXP192_datasheet_cn.pdf) REG 12H (bit 0 DC-DC1, 1 DC-DC3, 2 LDO2, 3 LDO3, 4 DC-DC2,
// 6 EXTEN, 5 and 7 reserved), REG 26H/27H (DC-DC1/3 voltage), REG 28H (LDO2 bits 7:4, LDO3 bits 3:0,
// 1.8-3.3 V, 100 mV); AXP2101 datasheet V1.4 REG 80H (bit 0 DCDC1, bit 7 read-only), REG 82H (DCDC1
// voltage), REG 90H (bit 1 ALDO2), REG 93H (bits 4:0 ALDO2, 0.5-3.5 V in 100 mV, 11111 reserved;
// bits 7:5 read-only). Chip IDs in register 03H (AXP192 0x03, AXP2101 0x4A) and the rail feeding
// the radio (AXP192 LDO2, AXP2101 ALDO2) from XPowersLib and LilyGO's LoRaBoards.cpp.
import type { BufferSource, I2C, I2CConstructor, I2COptions } from "../modules/host/provider.js";

export type AxpModelChip = "AXP192" | "AXP2101";

export type AxpViolationKind =
  | "protected-rail"
  | "read-only"
  | "reserved-bits"
  | "reserved-code"
  | "no-register-address"
  | "burst-transfer"
  | "bus-speed";

export interface AxpViolation {
  kind: AxpViolationKind;
  detail: string;
}

export interface AxpWrite {
  register: number;
  value: number;
  /** The model's clock at the write (options.now), for settle-time checks. */
  time: number;
}

interface RegisterRule {
  /** Bits the chip does not let a write change. */
  readOnly?: number;
  /** Bits the datasheet says must not be changed. */
  reserved?: number;
  /** Bits that switch a rail the ESP32 or the I2C bus itself depends on, with what they feed. */
  protectedBits?: number;
  /** Any write to this register re-programs such a rail. */
  protectedRegister?: boolean;
  feeds?: string;
}

interface ChipFacts {
  id: number;
  rules: Record<number, RegisterRule>;
  /** The rail feeding the SX1262 on the T-Beam. */
  radio: { name: string; enableRegister: number; enableBit: number; voltageRegister: number; shift: number; width: number; baseMv: number; stepMv: number; maxCode: number };
  /** Power-up values the model starts from where a test seeds none (the chips' own defaults are eFuse options). */
  start: Record<number, number>;
}

const FACTS: Record<AxpModelChip, ChipFacts> = {
  AXP192: {
    id: 0x03,
    rules: {
      0x03: { readOnly: 0xff },
      0x12: { reserved: 0xa0, protectedBits: 0x03, feeds: "DC-DC1 (OLED header and I2C pull-ups) / DC-DC3 (the ESP32)" },
      0x26: { protectedRegister: true, feeds: "DC-DC1 voltage (OLED header and I2C pull-ups)" },
      0x27: { protectedRegister: true, feeds: "DC-DC3 voltage (the ESP32)" },
    },
    radio: { name: "LDO2", enableRegister: 0x12, enableBit: 2, voltageRegister: 0x28, shift: 4, width: 4, baseMv: 1800, stepMv: 100, maxCode: 15 },
    // The ESP32 runs, so DC-DC1 and DC-DC3 are on; REG 28H's datasheet default is CFH.
    start: { 0x12: 0x03, 0x28: 0xcf },
  },
  AXP2101: {
    id: 0x4a,
    rules: {
      0x03: { readOnly: 0xff },
      0x80: { readOnly: 0x80, protectedBits: 0x01, feeds: "DCDC1 (the ESP32)" },
      0x82: { protectedRegister: true, feeds: "DCDC1 voltage (the ESP32)" },
      0x93: { readOnly: 0xe0 },
    },
    radio: { name: "ALDO2", enableRegister: 0x90, enableBit: 1, voltageRegister: 0x93, shift: 0, width: 5, baseMv: 500, stepMv: 100, maxCode: 30 },
    start: { 0x80: 0x01 },
  },
};

export interface AxpModelOptions {
  chip: AxpModelChip;
  /** The bus the chip sits on (T-Beam: SDA 21, SCL 22). */
  pins: { data: number; clock: number };
  /** Default 0x34. */
  address?: number;
  /** Register values at the start (over the model's power-up values); 0x03 overrides the chip ID. */
  registers?: Record<number, number>;
  now?: () => number;
}

/** Faults a test can inject. */
export interface AxpModelFaults {
  /** Nothing answers: every transfer throws. */
  absent: boolean;
  /** Transfers after this many (counted from the start) throw, as a chip that drops off the bus. */
  failAfterTransfers: number | undefined;
  /** Reads return no bytes (a host that reports a short read instead of throwing). */
  shortRead: boolean;
  /** Writes are acknowledged but not stored. */
  ignoreWrites: boolean;
}

export class AxpModel {
  readonly chip: AxpModelChip;
  readonly violations: AxpViolation[] = [];
  readonly writes: AxpWrite[] = [];
  readonly faults: AxpModelFaults = { absent: false, failAfterTransfers: undefined, shortRead: false, ignoreWrites: false };
  /** I2C handles opened on this chip and not closed. */
  openHandles = 0;
  transfers = 0;

  readonly #facts: ChipFacts;
  readonly #registers = new Uint8Array(256);
  readonly #pins: { data: number; clock: number };
  readonly #address: number;
  readonly #now: () => number;
  #pointer: number | undefined;

  constructor(options: AxpModelOptions) {
    this.chip = options.chip;
    this.#facts = FACTS[options.chip];
    this.#pins = options.pins;
    this.#address = options.address ?? 0x34;
    this.#now = options.now ?? (() => 0);
    this.#registers[0x03] = this.#facts.id;
    for (const [register, value] of Object.entries({ ...this.#facts.start, ...options.registers })) this.#registers[Number(register)] = value;
  }

  /** A register as the chip holds it. */
  register(register: number): number {
    return this.#registers[register];
  }

  /** All 256 registers. */
  snapshot(): Uint8Array {
    return this.#registers.slice();
  }

  /** The rail that feeds the radio: on or off, and its voltage (undefined for a reserved code). */
  radioRail(): { name: string; on: boolean; millivolts: number | undefined } {
    const r = this.#facts.radio;
    const code = (this.#registers[r.voltageRegister] >> r.shift) & ((1 << r.width) - 1);
    return { name: r.name, on: ((this.#registers[r.enableRegister] >> r.enableBit) & 1) === 1, millivolts: code <= r.maxCode ? r.baseMv + code * r.stepMv : undefined };
  }

  /** The ECMA-419 I2C class wired to this chip's bus. */
  io(): { I2C: I2CConstructor } {
    const model = this;
    class ModelI2C implements I2C {
      readonly #here: boolean;
      #open = true;
      constructor(options: I2COptions) {
        if (options.hz > 400_000) model.#violate("bus-speed", `${options.hz} Hz is above the 400 kHz this bus is run at`);
        this.#here = options.data === model.#pins.data && options.clock === model.#pins.clock && options.address === model.#address;
        if (this.#here && model.openHandles > 0) throw new RangeError("duplicate address");
        if (this.#here) model.openHandles++;
      }
      write(buffer: BufferSource, _stop?: boolean): void {
        model.#transfer(this.#open, this.#here, "write failed");
        model.#write(buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
      }
      read(byteLength: number, _stop?: boolean): ArrayBuffer {
        model.#transfer(this.#open, this.#here, "read failed");
        return model.#read(byteLength);
      }
      close(): void {
        if (this.#open && this.#here) model.openHandles--;
        this.#open = false;
      }
    }
    return { I2C: ModelI2C };
  }

  /** Counts a transfer and throws where the chip would not acknowledge it. */
  #transfer(open: boolean, here: boolean, failure: string): void {
    if (!open) throw new TypeError("closed");
    if (!here || this.faults.absent) throw new Error(failure);
    this.transfers++;
    if (this.faults.failAfterTransfers !== undefined && this.transfers > this.faults.failAfterTransfers) throw new Error(failure);
  }

  #write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (bytes.length > 2) {
      this.#violate("burst-transfer", `a ${bytes.length}-byte write: the model moves one register per transfer`);
      return;
    }
    this.#pointer = bytes[0];
    if (bytes.length === 2) this.#store(bytes[0], bytes[1]);
  }

  #read(byteLength: number): ArrayBuffer {
    if (this.faults.shortRead) return new ArrayBuffer(0);
    const out = new Uint8Array(byteLength);
    if (byteLength !== 1) this.#violate("burst-transfer", `a ${byteLength}-byte read: the model moves one register per transfer`);
    else if (this.#pointer === undefined) this.#violate("no-register-address", "a read before any register address was written");
    else out[0] = this.#registers[this.#pointer];
    return out.buffer;
  }

  #store(register: number, value: number): void {
    this.writes.push({ register, value, time: this.#now() });
    const old = this.#registers[register];
    const rule = this.#facts.rules[register] ?? {};
    const at = `register 0x${register.toString(16).padStart(2, "0")}`;
    const changed = old ^ value;
    if (rule.protectedRegister) this.#violate("protected-rail", `a write to ${at}, ${rule.feeds}`);
    if (rule.protectedBits && changed & rule.protectedBits) this.#violate("protected-rail", `${at} changes ${rule.feeds}: 0x${old.toString(16)} -> 0x${value.toString(16)}`);
    if (rule.readOnly && changed & rule.readOnly) this.#violate("read-only", `${at} bits 0x${rule.readOnly.toString(16)} are read-only`);
    if (rule.reserved && changed & rule.reserved) this.#violate("reserved-bits", `${at} reserved bits 0x${rule.reserved.toString(16)} changed`);
    const r = this.#facts.radio;
    if (register === r.voltageRegister && ((value >> r.shift) & ((1 << r.width) - 1)) > r.maxCode) this.#violate("reserved-code", `${at}: reserved ${r.name} voltage code`);
    if (this.faults.ignoreWrites) return;
    const readOnly = rule.readOnly ?? 0;
    this.#registers[register] = (old & readOnly) | (value & ~readOnly);
  }

  #violate(kind: AxpViolationKind, detail: string): void {
    this.violations.push({ kind, detail });
  }
}

// Register facts of the X-Powers AXP192 and AXP2101 power-management chips, as far as switching on
// the LoRa radio's supply on a LilyGO T-Beam needs them. Sources (facts only, nothing copied):
//  - XPowersLib (lewisxhe/XPowersLib @ 830eb6b): src/REG/AXP192Constants.h, src/REG/AXP2101Constants.h,
//    src/XPowersAXP192.hpp (LDO2 enable/voltage, getChipID/initImpl), src/XPowersAXP2101.hpp (ALDO2,
//    getChipID/initImpl), and the datasheets it ships: datasheet/AXP192_datasheet_cn.pdf (REG 12H,
//    REG 28H, I2C address 68H/69H) and datasheet/AXP2101_Datasheet_V1.4_en.pdf (6.13.2.68 REG 80,
//    6.13.2.75 REG 90, 6.13.2.78 REG 93, 6.3 address 0x68/0x69).
// Both chips answer at 7-bit address 0x34 (the datasheets' 0x68 write / 0x69 read).
import { deepFreeze } from "../../modules/util/freeze.js";

export type AxpChipModel = "AXP192" | "AXP2101";

export const AXP_I2C_ADDRESS = 0x34;

/**
 * The chip-ID ("IC type") register. The datasheets do not document it; XPowersLib identifies each
 * chip by it (getChipID() reads 0x03; initImpl() accepts 0x03 for the AXP192, 0x4A for the AXP2101).
 */
export const CHIP_ID_REGISTER = 0x03;
export const CHIP_IDS: Readonly<Record<number, AxpChipModel>> = Object.freeze({ 0x03: "AXP192", 0x4a: "AXP2101" });

/** Where a rail's on/off bit and output voltage live, and how the voltage is coded. */
export interface AxpRail {
  enableRegister: number;
  enableBit: number;
  voltageRegister: number;
  /** The voltage code is `(millivolts - minMillivolts) / stepMillivolts` in `voltageBits` bits from `voltageShift`. */
  voltageShift: number;
  voltageBits: number;
  minMillivolts: number;
  stepMillivolts: number;
  /** Highest valid setting (AXP2101: code 11111 is reserved, so 3.5 V). */
  maxMillivolts: number;
}

/**
 * AXP192 LDO2: REG 12H bit 2 switches it; REG 28H bits 7:4 set it, 1.8-3.3 V in 100 mV steps
 * (LDO3 shares REG 28H in bits 3:0, and REG 12H also holds DC-DC1 bit 0 and DC-DC3 bit 1).
 */
export const AXP192_RAILS = {
  LDO2: { enableRegister: 0x12, enableBit: 2, voltageRegister: 0x28, voltageShift: 4, voltageBits: 4, minMillivolts: 1800, stepMillivolts: 100, maxMillivolts: 3300 },
} as const satisfies Record<string, AxpRail>;

/**
 * AXP2101 ALDO2: REG 90H bit 1 switches it; REG 93H bits 4:0 set it, 0.5-3.5 V in 100 mV steps
 * (bits 7:5 read-only). REG 80H bit 0 is DCDC1, which this driver never writes.
 */
export const AXP2101_RAILS = {
  ALDO2: { enableRegister: 0x90, enableBit: 1, voltageRegister: 0x93, voltageShift: 0, voltageBits: 5, minMillivolts: 500, stepMillivolts: 100, maxMillivolts: 3500 },
} as const satisfies Record<string, AxpRail>;

export const AXP_RAILS: Readonly<Record<AxpChipModel, Readonly<Record<string, AxpRail>>>> = deepFreeze({ AXP192: AXP192_RAILS, AXP2101: AXP2101_RAILS });

/** Which rail feeds a peripheral on each chip a board may carry (a T-Beam V1.x ships with either). */
export interface RailByChip {
  AXP192?: keyof typeof AXP192_RAILS;
  AXP2101?: keyof typeof AXP2101_RAILS;
}

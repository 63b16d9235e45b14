// Board presets: how the SX1262 is wired on each supported ESP32 board and what the board around it
// needs (spec/radio-and-wire.md section B). Pins are ESP32 GPIO numbers.
//
// TCXO voltage: Meshtastic and most community code use 1.8 V on these boards; Semtech's One-Channel
// Hub BSP programs 3.0 V. The spec recommends 1.8 V as the default and a board setting to change it;
// the driver checks GetDeviceErrors after calibration and names this setting if the oscillator fails.
import type { DigitalConstructor, SPIConstructor } from "../../modules/host/provider.js";

export interface Sx1262Pins {
  nss: number;
  sck: number;
  mosi: number;
  miso: number;
  reset: number;
  busy: number;
  dio1: number;
}

/** What the board around the chip needs. */
export interface Sx1262BoardSettings {
  /** TCXO powered from DIO3; absent for a plain crystal. */
  tcxo?: { volts: number; delayMicros: number };
  /** DIO2 drives the antenna switch (high in TX). */
  dio2RfSwitch: boolean;
  /** Regulator: LDO only, or the DC-DC converter (needs the inductor fitted on the board). */
  regulator: "ldo" | "dcdc";
  /** Highest conducted power the board allows, dBm (SX1262 HP PA: up to +22). */
  maxPowerDbm: number;
  /** Over-current limit, mA (2.5 mA steps). Default 140 mA, the SX1262 value for +20/+22 dBm. */
  ocpMilliamps?: number;
}

export interface Sx1262Board {
  name: string;
  pins: Sx1262Pins;
  settings: Sx1262BoardSettings;
  /** SPI clock. One-Channel Hub runs 2 MHz on these boards; the chip allows up to 16 MHz. */
  spiHz: number;
}

const TCXO_1V8 = { volts: 1.8, delayMicros: 5000 };

/** Heltec WiFi LoRa 32 V3 (ESP32-S3): Meshtastic variant.h pins, LDO per One-Channel Hub's BSP. */
export const HELTEC_WIFI_LORA_32_V3: Sx1262Board = {
  name: "Heltec WiFi LoRa 32 V3",
  pins: { nss: 8, sck: 9, mosi: 10, miso: 11, reset: 12, busy: 13, dio1: 14 },
  settings: { tcxo: TCXO_1V8, dio2RfSwitch: true, regulator: "ldo", maxPowerDbm: 22 },
  spiHz: 2_000_000,
};

/** LilyGO T3-S3 V1.x with SX1262 (ESP32-S3): LilyGO utilities.h pins, LDO per One-Channel Hub's BSP. */
export const LILYGO_T3_S3_SX1262: Sx1262Board = {
  name: "LilyGO T3-S3 SX1262",
  pins: { nss: 7, sck: 5, mosi: 6, miso: 3, reset: 8, busy: 34, dio1: 33 },
  settings: { tcxo: TCXO_1V8, dio2RfSwitch: true, regulator: "ldo", maxPowerDbm: 22 },
  spiHz: 2_000_000,
};

/**
 * LilyGO T-Beam V1.x with SX1262 (ESP32): LilyGO utilities.h pins. The spec has no regulator fact
 * for this board; DC-DC is RadioLib's default (which Meshtastic uses on it) [verify on hardware].
 * The radio rail is an AXP192 output that main.ts must switch on before the driver starts.
 */
export const LILYGO_T_BEAM_SX1262: Sx1262Board = {
  name: "LilyGO T-Beam SX1262",
  pins: { nss: 18, sck: 5, mosi: 27, miso: 19, reset: 23, busy: 32, dio1: 33 },
  settings: { tcxo: TCXO_1V8, dio2RfSwitch: true, regulator: "dcdc", maxPowerDbm: 22 },
  spiHz: 2_000_000,
};

export const BOARDS = {
  heltec_v3: HELTEC_WIFI_LORA_32_V3,
  t3s3: LILYGO_T3_S3_SX1262,
  tbeam_sx1262: LILYGO_T_BEAM_SX1262,
} as const;
export type BoardId = keyof typeof BOARDS;

/** The IO records of the driver's options for a board, in the ECMA-419 `{io, pin}` shape. */
export function boardIo(board: Sx1262Board, io: { SPI: SPIConstructor; Digital: DigitalConstructor }) {
  const p = board.pins;
  return {
    spi: { io: io.SPI, hz: board.spiHz, clock: p.sck, out: p.mosi, in: p.miso, mode: 0 as const },
    select: { io: io.Digital, pin: p.nss },
    reset: { io: io.Digital, pin: p.reset },
    busy: { io: io.Digital, pin: p.busy },
    dio1: { io: io.Digital, pin: p.dio1 },
  };
}

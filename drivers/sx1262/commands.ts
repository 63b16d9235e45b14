// SX1262 command set: opcodes, IRQ bits, registers and the parameter encodings the driver and the
// chip model share. Facts: spec/radio-and-wire.md A.2-A.8 (Semtech sx126x_driver, LoRaMac-node,
// RadioLib). Everything here is a constant or an exact encoding rule, so both sides can use it.
import { deepFreeze } from "../../modules/util/freeze.js";

export const Op = Object.freeze({
  ResetStats: 0x00,
  ClearIrqStatus: 0x02,
  ClearDeviceErrors: 0x07,
  SetDioIrqParams: 0x08,
  WriteRegister: 0x0d,
  WriteBuffer: 0x0e,
  GetStats: 0x10,
  GetPacketType: 0x11,
  GetIrqStatus: 0x12,
  GetRxBufferStatus: 0x13,
  GetPacketStatus: 0x14,
  GetRssiInst: 0x15,
  GetDeviceErrors: 0x17,
  ReadRegister: 0x1d,
  ReadBuffer: 0x1e,
  SetStandby: 0x80,
  SetRx: 0x82,
  SetTx: 0x83,
  SetSleep: 0x84,
  SetRfFrequency: 0x86,
  SetCadParams: 0x88,
  Calibrate: 0x89,
  SetPacketType: 0x8a,
  SetModulationParams: 0x8b,
  SetPacketParams: 0x8c,
  SetTxParams: 0x8e,
  SetBufferBaseAddress: 0x8f,
  SetRxTxFallbackMode: 0x93,
  SetRxDutyCycle: 0x94,
  SetPaConfig: 0x95,
  SetRegulatorMode: 0x96,
  SetDio3AsTcxoCtrl: 0x97,
  CalibrateImage: 0x98,
  SetDio2AsRfSwitchCtrl: 0x9d,
  StopTimerOnPreamble: 0x9f,
  SetLoRaSymbNumTimeout: 0xa0,
  GetStatus: 0xc0,
  SetFs: 0xc1,
  SetCad: 0xc5,
} as const);

export const Irq = Object.freeze({
  TxDone: 0x0001,
  RxDone: 0x0002,
  PreambleDetected: 0x0004,
  SyncWordValid: 0x0008,
  HeaderValid: 0x0010,
  HeaderErr: 0x0020,
  CrcErr: 0x0040,
  CadDone: 0x0080,
  CadDetected: 0x0100,
  Timeout: 0x0200,
  LrFhssHop: 0x4000,
  All: 0x43ff,
} as const);

export const Reg = Object.freeze({
  RetentionList: 0x029f,
  PayloadLength: 0x06bb,
  LoRaPayloadLength: 0x0702,
  LoRaSyncTimeout: 0x0706,
  IqPolarity: 0x0736,
  SyncWordMsb: 0x0740,
  SyncWordLsb: 0x0741,
  HeaderCodingRate: 0x0749,
  HeaderCrcInfo: 0x076b,
  Version: 0x0320,
  TxModulation: 0x0889,
  RxGain: 0x08ac,
  TxClamp: 0x08d8,
  Ocp: 0x08e7,
  RtcControl: 0x0902,
  EventMask: 0x0944,
} as const);

/** GetDeviceErrors bits (A.6). */
export const DeviceError = Object.freeze({
  Rc64kCalibration: 0x0001,
  Rc13mCalibration: 0x0002,
  PllCalibration: 0x0004,
  AdcCalibration: 0x0008,
  ImageCalibration: 0x0010,
  XoscStart: 0x0020,
  PllLock: 0x0040,
  BuckStart: 0x0080,
  PaRamp: 0x0100,
} as const);

/** Status byte bits 6:4. */
export const ChipMode = Object.freeze({ StandbyRc: 2, StandbyXosc: 3, Fs: 4, Rx: 5, Tx: 6 } as const);
/** Status byte bits 3:1. */
export const CommandStatus = Object.freeze({ DataAvailable: 2, Timeout: 3, ProcessingError: 4, ExecutionFailure: 5, TxDone: 6 } as const);

export const StandbyMode = Object.freeze({ Rc: 0x00, Xosc: 0x01 } as const);
export const FallbackMode = Object.freeze({ StandbyRc: 0x20, StandbyXosc: 0x30, Fs: 0x40 } as const);
export const PacketType = Object.freeze({ Gfsk: 0x00, LoRa: 0x01 } as const);
export const CadExit = Object.freeze({ CadOnly: 0x00, CadRx: 0x01 } as const);
/** SetRx timeout meaning "stay in RX until told otherwise". */
export const RX_CONTINUOUS = 0xffffff;
/** Registers 0x0740/0x0741 for the LoRaWAN public (0x34) and private (0x12) sync words. */
export const SYNC_WORD_PUBLIC = 0x3444;
export const SYNC_WORD_PRIVATE = 0x1424;
/** RX gain register values: power saving (reset default) and boosted. */
export const RX_GAIN_BOOSTED = 0x96;
export const RX_GAIN_POWER_SAVING = 0x94;
/** OCP register: 2.5 mA per step. */
export const OCP_STEP_MA = 2.5;
/** TX clamp errata (datasheet 15.2): OR these bits into 0x08D8 before transmitting with the HP PA. */
export const TX_CLAMP_BITS = 0x1e;
/** Both IQ (0x0736) and BW500 (0x0889) errata fixes live in bit 2 of their register. */
export const ERRATA_BIT = 0x04;

export function chipModeOf(status: number): number {
  return (status >> 4) & 7;
}
export function commandStatusOf(status: number): number {
  return (status >> 1) & 7;
}

const BW_CODES: Record<number, number> = Object.freeze({ 125: 0x04, 250: 0x05, 500: 0x06 });
/** LoRa bandwidth code for SetModulationParams (A.4); undefined for unsupported bandwidths. */
export function bandwidthCode(khz: number): number | undefined {
  return BW_CODES[khz];
}
/** Bandwidth in kHz for a LoRa BW code, all ten codes of A.4. */
export function bandwidthOfCode(code: number): number | undefined {
  const table: Record<number, number> = { 0x00: 7.81, 0x08: 10.42, 0x01: 15.63, 0x09: 20.83, 0x02: 31.25, 0x0a: 41.67, 0x03: 62.5, 0x04: 125, 0x05: 250, 0x06: 500 };
  return table[code];
}

/** Low data rate optimisation: on when the symbol time 2^SF / BW is at least 16 ms (A.4). */
export function lowDataRateOptimize(spreadingFactor: number, bandwidthKhz: number): boolean {
  return 2 ** spreadingFactor / bandwidthKhz >= 16;
}

/** LoRa symbol time in µs: 2^SF / BW. */
export function symbolMicros(spreadingFactor: number, bandwidthKhz: number): number {
  return (2 ** spreadingFactor * 1000) / bandwidthKhz;
}

const TCXO_VOLTS = Object.freeze([1.6, 1.7, 1.8, 2.2, 2.4, 2.7, 3.0, 3.3]);
/** SetDIO3AsTcxoCtrl voltage code; undefined unless `volts` is one of the eight supported values. */
export function tcxoVoltageCode(volts: number): number | undefined {
  const i = TCXO_VOLTS.indexOf(volts);
  return i < 0 ? undefined : i;
}
export function tcxoVoltageOfCode(code: number): number | undefined {
  return TCXO_VOLTS[code];
}

/** RTC steps (15.625 µs, A.5) for a duration, rounded up so a timeout is never shorter than asked. */
export function rtcSteps(micros: number): number {
  return Math.ceil(micros / 15.625);
}

/** SetRfFrequency word: f * 2^25 / 32 MHz, rounded to nearest (A.4). */
export function rfFrequencyWord(hz: number): number {
  return Math.round((hz * 2 ** 25) / 32_000_000);
}
export function frequencyOfWord(word: number): number {
  return (word * 32_000_000) / 2 ** 25;
}

/** Image calibration bands of A.4: [covers low MHz, covers high MHz, freq1, freq2]. */
const IMAGE_BANDS: readonly [number, number, number, number][] = deepFreeze([
  [428, 444, 0x6b, 0x6f],
  [468, 516, 0x75, 0x81],
  [772, 788, 0xc1, 0xc5],
  [860, 876, 0xd7, 0xdb],
  [900, 932, 0xe1, 0xe9],
]);

/** CalibrateImage arguments for a frequency: the table band covering it, else floor/ceil of ±1 MHz in 4 MHz units. */
export function imageCalibrationFor(hz: number): [number, number] {
  const mhz = hz / 1e6;
  for (const [lo, hi, f1, f2] of IMAGE_BANDS) if (mhz >= lo && mhz <= hi) return [f1, f2];
  return [Math.floor((mhz - 1) / 4), Math.ceil((mhz + 1) / 4)];
}

/** SX1262 HP PA "optimal settings" rows (A.4): output dBm -> paDutyCycle, hpMax, with SetTxParams power +22. */
const PA_ROWS: readonly { dbm: number; paDutyCycle: number; hpMax: number }[] = deepFreeze([
  { dbm: 14, paDutyCycle: 0x02, hpMax: 0x02 },
  { dbm: 17, paDutyCycle: 0x02, hpMax: 0x03 },
  { dbm: 20, paDutyCycle: 0x03, hpMax: 0x05 },
  { dbm: 22, paDutyCycle: 0x04, hpMax: 0x07 },
]);
export const PA_MIN_DBM = -9;
export const PA_MAX_DBM = 22;

export interface PaSettings {
  paDutyCycle: number;
  hpMax: number;
  /** SetTxParams power, dBm (signed). */
  power: number;
}

/**
 * PA settings for a whole-dBm output power: the smallest optimal-settings row at or above the
 * target, with SetTxParams power lowered by the difference (the datasheet's way to go below a row).
 */
export function paSettingsFor(dbm: number): PaSettings | undefined {
  if (!Number.isInteger(dbm) || dbm < PA_MIN_DBM || dbm > PA_MAX_DBM) return undefined;
  const row = PA_ROWS.find((r) => r.dbm >= dbm)!;
  return { paDutyCycle: row.paDutyCycle, hpMax: row.hpMax, power: 22 - (row.dbm - dbm) };
}

/** The output power a PA configuration produces: the inverse of paSettingsFor (undefined for other configurations). */
export function outputPowerOf(pa: PaSettings): number | undefined {
  const row = PA_ROWS.find((r) => r.paDutyCycle === pa.paDutyCycle && r.hpMax === pa.hpMax);
  return row === undefined ? undefined : row.dbm - (22 - pa.power);
}

/** LoRa packet status (A.8) from the three GetPacketStatus bytes. */
export function decodePacketStatus(b0: number, b1: number, b2: number): { rssi: number; snr: number; signalRssi: number } {
  return { rssi: -b0 / 2, snr: ((b1 << 24) >> 24) / 4, signalRssi: -b2 / 2 };
}

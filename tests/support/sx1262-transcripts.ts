// Driver against the chip model, byte for byte: the init, RX and TX command sequences of each board
// preset must be the spec's A.9 sequences with the A.10a bytes, with no protocol violation.
// Expected frames are written out here from spec/radio-and-wire.md A.9/A.10a/A.4; "??" marks a
// byte that depends on a value read back from the chip (checked separately against that read).
// Platform-neutral: tests/sx1262-transcripts.test.ts runs the cases on Node, tests/xs/sx1262.xs.ts
// on the XS engine.
import { HELTEC_WIFI_LORA_32_V3, LILYGO_T3_S3_SX1262, LILYGO_T_BEAM_SX1262, type Sx1262Board } from "../../drivers/sx1262/boards.js";
import type { Sx1262Listen } from "../../drivers/sx1262/sx1262.js";
import type { AirtimeFunction } from "../../modules/radio/airtime.js";
import { makeHotspot, makeWorldWith, type Hotspot } from "./sx1262-rig.js";

class TranscriptMismatch extends Error {
  override name = "TranscriptMismatch";
}
function check(condition: boolean, message: string): void {
  if (!condition) throw new TranscriptMismatch(message);
}
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
function same(actual: unknown, expected: unknown, message: string): void {
  check(actual === expected, `${message}: expected ${String(expected)}, got ${String(actual)}`);
}

function matchFrames(actual: string[], expected: string[], what: string): void {
  same(actual.length, expected.length, `${what}: ${actual.length} frames, expected ${expected.length}\n${actual.join("\n")}`);
  expected.forEach((e, i) => {
    const a = actual[i].split(" ");
    const x = e.split(" ");
    same(a.length, x.length, `${what} frame ${i}: "${actual[i]}" vs "${e}"`);
    x.forEach((byte, k) => {
      if (byte !== "??") same(a[k], byte, `${what} frame ${i}: "${actual[i]}" vs "${e}"`);
    });
  });
}

/** A read-modify-write pair: the written byte is the read byte with `set` bits set and `clear` bits cleared. */
function checkReadModifyWrite(hs: Hotspot, readIndex: number, set: number, clear: number): void {
  const read = hs.model.frames[readIndex];
  const write = hs.model.frames[readIndex + 1];
  const value = read.miso[read.miso.length - 1];
  same(write.mosi[write.mosi.length - 1], (value | set) & ~clear & 0xff, `register ${write.mosi[1].toString(16)}${write.mosi[2].toString(16)}`);
}

const VERSION_READ = "1D 03 20 00" + " 00".repeat(16);

function initFrames(regulator: "00" | "01"): string[] {
  return [
    "80 00", // A.9 boot 1: standby RC
    "C0 00", //           and its status shows STBY_RC
    VERSION_READ, // 2: version string at 0x0320
    "07 00 00", //   clear device errors
    "97 02 00 01 40", // 3: TCXO 1.8 V, 5 ms (A.10a)
    "89 7F", //         calibrate all
    "17 00 00 00", //   GetDeviceErrors: no XOSC_START
    `96 ${regulator}`, // 4: regulator
    "9D 01", // 5: DIO2 as RF switch
    "8A 01", // 7: LoRa
    "93 20", //    fallback STBY_RC
    "8F 00 00", // 8: buffer base 0/0
    "??", // image calibration (checked per band below)
    "0D 07 40 34 44", // public sync word
    "0D 08 AC 96", // boosted RX gain
    "1D 08 D8 00 00", // TX clamp errata: read 0x08D8
    "0D 08 D8 ??", //                    and write it back | 0x1E
    "95 04 07 00 01", // PA config +22 dBm
    "0D 08 E7 38", // OCP 140 mA
    "8E 16 02", // TX params +22 dBm, 40 µs ramp
    "17 00 00 00", // device errors after init
  ];
}

function rxFrames(mod: string, freq: string, firstModulation: boolean): string[] {
  return [
    "80 00", // A.9 RX 1
    "8A 01",
    mod, // 2: modulation
    ...(firstModulation ? ["1D 08 89 00 00"] : []), // BW500 errata register (read once)
    "0D 08 89 ??",
    "8C 00 08 00 FF 01 00", // 3: RX packet params (A.10a)
    "1D 07 36 00 00", //        IQ errata register
    "0D 07 36 ??",
    "0D 07 40 34 44", // 4: sync word
    freq, // 5: frequency
    "A0 00", // 6
    "9F 00",
    "0D 08 AC 96", // 7: boosted gain
  ];
}

export interface TranscriptCase {
  board: Sx1262Board;
  listen: Sx1262Listen;
  imageCal: string;
  modulation: string;
  frequency: string;
  tx: { frequencyHz: number; sf: number; bw: 125 | 500; power: number; freq: string; mod: string; pa: string; txParams: string };
}

export const TRANSCRIPT_CASES: TranscriptCase[] = [
  {
    board: HELTEC_WIFI_LORA_32_V3,
    listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 },
    imageCal: "98 E1 E9",
    modulation: "8B 07 04 01 00",
    frequency: "86 38 7E 66 66",
    tx: { frequencyHz: 923_300_000, sf: 12, bw: 500, power: 22, freq: "86 39 B4 CC CD", mod: "8B 0C 06 01 00", pa: "95 04 07 00 01", txParams: "8E 16 02" },
  },
  {
    board: LILYGO_T3_S3_SX1262,
    listen: { kind: "fixed", frequencyHz: 868_100_000, spreadingFactor: 12, bandwidthKhz: 125 },
    imageCal: "98 D7 DB",
    modulation: "8B 0C 04 01 01",
    frequency: "86 36 41 99 9A",
    tx: { frequencyHz: 869_525_000, sf: 12, bw: 125, power: 14, freq: "86 36 58 66 66", mod: "8B 0C 04 01 01", pa: "95 02 02 00 01", txParams: "8E 16 02" },
  },
  {
    board: LILYGO_T_BEAM_SX1262,
    listen: { kind: "fixed", frequencyHz: 903_900_000, spreadingFactor: 7, bandwidthKhz: 125 },
    imageCal: "98 E1 E9",
    modulation: "8B 07 04 01 00",
    frequency: "86 38 7E 66 66",
    tx: { frequencyHz: 923_300_000, sf: 12, bw: 500, power: 20, freq: "86 39 B4 CC CD", mod: "8B 0C 06 01 00", pa: "95 03 05 00 01", txParams: "8E 16 02" },
  },
];

/**
 * Brings a driver up on the model for case `c`, checks the init and RX transcripts, then a timed TX
 * and its transcript; throws an Error naming the first difference.
 */
export function checkTranscripts(c: TranscriptCase, select: "gpio" | "spi", airtime: AirtimeFunction): void {
  const env = makeWorldWith(airtime, 3);
  const hs = makeHotspot(env, {
    board: c.board,
    listen: c.listen,
    recordFrames: true,
    hardwareSelect: select === "spi",
  });
  same(hs.driver.state, "listening", `driver state (faults: ${JSON.stringify(hs.faults)})`);
  const init = initFrames(c.board.settings.regulator === "dcdc" ? "01" : "00");
  init[12] = c.imageCal;
  const rx = [...rxFrames(c.modulation, c.frequency, true), "08 02 62 02 62 00 00 00 00", "02 FF FF", "82 FF FF FF"];
  const t = hs.model.transcript();
  matchFrames(t, [...init, ...rx], "init + RX");
  checkReadModifyWrite(hs, 15, 0x1e, 0); // 0x08D8 |= 0x1E
  const rx0 = init.length;
  checkReadModifyWrite(hs, rx0 + 3, 0x04, 0); // 0x0889 bit 2 set (BW125)
  checkReadModifyWrite(hs, rx0 + 6, 0x04, 0); // 0x0736 bit 2 set (standard IQ)

  // TX a 13-byte downlink 100 ms from now, IQ inverted.
  hs.model.frames.length = 0;
  const payload = Uint8Array.from({ length: 13 }, (_, i) => 0x60 + i);
  const at = (Math.floor(env.clock.micros()) + 100_000) >>> 0;
  same(hs.driver.write({ payload, frequencyHz: c.tx.frequencyHz, spreadingFactor: c.tx.sf, bandwidthKhz: c.tx.bw, powerDbm: c.tx.power, invertIq: true, at, tag: 1 }), true, "TX accepted");
  env.scheduler.runFor(3_000_000);
  same(hs.reports.length, 1, "TX reports");
  same(hs.reports[0].ok, true, `TX report ${JSON.stringify(hs.reports[0])}`);
  const tx = hs.model.transcript();
  const payloadHex = Array.from(payload, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
  const expectedTx = [
    "80 00", // A.9 TX 1
    "8A 01",
    c.tx.freq,
    "1D 08 D8 00 00", // 2: clamp errata, PA, OCP, TX params
    "0D 08 D8 ??",
    c.tx.pa,
    "0D 08 E7 38",
    c.tx.txParams,
    c.tx.mod, // 3: modulation + BW500 errata
    "0D 08 89 ??",
    "8C 00 08 00 0D 01 01", // 4: 13 bytes, CRC on, IQ inverted (A.10a) + IQ errata
    "1D 07 36 00 00",
    "0D 07 36 ??",
    "08 02 01 02 01 00 00 00 00", // 5: TxDone|Timeout on DIO1 (A.10a)
    "02 FF FF",
    "8F 00 00", // 6: buffer base + payload
    `0E 00 ${payloadHex}`,
    "83 ?? ?? ??", // 7: SetTx with a timeout
    "12 00 00 00", // 8: TxDone: GetIrqStatus, clear
    "02 00 01",
    ...rxFrames(c.modulation, c.frequency, false), // back to the listen plan
    "08 02 62 02 62 00 00 00 00",
    "02 FF FF",
    "82 FF FF FF",
  ];
  matchFrames(tx, expectedTx, "TX");
  checkReadModifyWrite(hs, 3, 0x1e, 0);
  checkReadModifyWrite(hs, 11, 0, 0x04); // inverted IQ: 0x0736 bit 2 cleared
  const bwWrite = hs.model.frames[9].mosi[3];
  same(bwWrite & 0x04, c.tx.bw === 500 ? 0 : 0x04, "0x0889 bit 2 clear only for BW500");
  const setTx = hs.model.frames[17].mosi;
  const timeoutSteps = (setTx[1] << 16) | (setTx[2] << 8) | setTx[3];
  const onAir = airtime({ spreadingFactor: c.tx.sf, bandwidthKhz: c.tx.bw, codingRate: 5, preambleSymbols: 8, crc: true, implicitHeader: false }, 13);
  check(timeoutSteps * 15.625 > onAir, `SetTx timeout ${timeoutSteps * 15.625} µs covers the airtime ${onAir} µs`);
  // The frame went on the air with the requested parameters and power.
  const sent = hs.model.transmitted[0];
  same(sent.tx.frequencyHz, c.tx.frequencyHz, "frequency on the air");
  same(sent.tx.invertIq, true, "IQ inverted on the air");
  same(sent.conductedDbm, c.tx.power, "conducted power");
  same(hex(sent.tx.payload), hex(payload), "payload on the air");
  same(hs.model.mode, "rx", "model mode after TX");
  same(JSON.stringify(hs.model.violations), "[]", "model violations");
}

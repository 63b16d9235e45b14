// Time on air against the TTN and RadioLib worked examples (radio-and-wire.md C.2) and the
// LoRaWAN table (C.3).
import { lora_airtime_us } from "../airtime/exports";
import { loraAirtimeUs, ldroRequired } from "../airtime/airtime";
import { ERR_BAD_INPUT, ERR_UNSUPPORTED } from "../errors";

// LoRaWAN defaults of the TTN examples: preamble 8, CRC on, explicit header.
function ttn(sf: i32, bw: i32, cr: i32, len: i32): i32 {
  return lora_airtime_us(sf, bw, cr, 8, len, 1, 0);
}

describe("time on air: TTN pkg/toa/toa_test.go (µs)", () => {
  it("SF7..SF12 at 125 kHz, 10 bytes", () => {
    expect<i32>(ttn(7, 125, 5, 10)).toBe(41216);
    expect<i32>(ttn(8, 125, 5, 10)).toBe(72192);
    expect<i32>(ttn(9, 125, 5, 10)).toBe(144384);
    expect<i32>(ttn(10, 125, 5, 10)).toBe(288768);
    expect<i32>(ttn(11, 125, 5, 10)).toBe(577536);
    expect<i32>(ttn(12, 125, 5, 10)).toBe(991232);
  });
  it("SF7 at 250 and 500 kHz; coding rates 4/6..4/8", () => {
    expect<i32>(ttn(7, 250, 5, 10)).toBe(20608);
    expect<i32>(ttn(7, 500, 5, 10)).toBe(10304);
    expect<i32>(ttn(7, 125, 6, 10)).toBe(45312);
    expect<i32>(ttn(7, 125, 7, 10)).toBe(49408);
    expect<i32>(ttn(7, 125, 8, 10)).toBe(53504);
  });
  it("payload steps: 13..15 bytes share a symbol block, so do 16..19", () => {
    for (let len = 13; len <= 15; len++) expect<i32>(ttn(7, 125, 5, len)).toBe(46336);
    for (let len = 16; len <= 19; len++) expect<i32>(ttn(7, 125, 5, len)).toBe(51456);
  });
});

describe("time on air: RadioLib TestCalculateTimeOnAir.cpp (µs)", () => {
  it("SX126x SF7 BW125 CR4/5, preamble 8, explicit, CRC, LDRO forced on", () => {
    expect<i32>(loraAirtimeUs(7, 125, 5, 8, 1, 1, 0, true)).toBe(30976);
    expect<i32>(loraAirtimeUs(7, 125, 5, 8, 10, 1, 0, true)).toBe(46336);
    expect<i32>(loraAirtimeUs(7, 125, 5, 8, 50, 1, 0, true)).toBe(128256);
    expect<i32>(loraAirtimeUs(7, 125, 5, 8, 255, 1, 0, true)).toBe(548096);
  });
  it("SX126x SF11 BW250 CR4/8, preamble 16, implicit, no CRC, LDRO off (the rule agrees)", () => {
    expect<i32>(lora_airtime_us(11, 250, 8, 16, 5, 0, 1)).toBe(296960);
    expect<i32>(lora_airtime_us(11, 250, 8, 16, 15, 0, 1)).toBe(362496);
    expect<i32>(lora_airtime_us(11, 250, 8, 16, 100, 0, 1)).toBe(1411072);
    expect<i32>(lora_airtime_us(11, 250, 8, 16, 200, 0, 1)).toBe(2590720);
  });
  it("SX127x SF12 BW125 CR4/7, LDRO on: within the 1 ms rounding of the quoted values", () => {
    const lens: i32[] = [1, 24, 64, 128];
    const quoted: i32[] = [893000, 1811000, 3646000, 6628000];
    for (let i = 0; i < lens.length; i++) {
      const us = lora_airtime_us(12, 125, 7, 8, lens[i], 1, 0);
      expect<bool>(abs<i32>(us - quoted[i]) < 1000).toBe(true);
    }
  });
});

describe("time on air: LoRaWAN frames table (C.3, preamble 8, explicit, CR 4/5)", () => {
  it("PL 13 with and without CRC, 23 and 51 with CRC", () => {
    const sfs: i32[] = [7, 8, 9, 10, 11, 12];
    const crcOn: i32[] = [46336, 82432, 164864, 288768, 577536, 1155072];
    const crcOff: i32[] = [41216, 82432, 144384, 288768, 577536, 1155072];
    const join: i32[] = [61696, 113152, 205824, 370688, 823296, 1482752];
    const beacon: i32[] = [102656, 184832, 328704, 616448, 1314816, 2465792];
    for (let i = 0; i < sfs.length; i++) {
      expect<i32>(lora_airtime_us(sfs[i], 125, 5, 8, 13, 1, 0)).toBe(crcOn[i]);
      expect<i32>(lora_airtime_us(sfs[i], 125, 5, 8, 13, 0, 0)).toBe(crcOff[i]);
      expect<i32>(lora_airtime_us(sfs[i], 125, 5, 8, 23, 1, 0)).toBe(join[i]);
      expect<i32>(lora_airtime_us(sfs[i], 125, 5, 8, 51, 1, 0)).toBe(beacon[i]);
    }
  });
  it("SF8 and SF12 at 500 kHz", () => {
    expect<i32>(lora_airtime_us(8, 500, 5, 8, 13, 1, 0)).toBe(20608);
    expect<i32>(lora_airtime_us(8, 500, 5, 8, 13, 0, 0)).toBe(20608);
    expect<i32>(lora_airtime_us(8, 500, 5, 8, 23, 1, 0)).toBe(28288);
    expect<i32>(lora_airtime_us(8, 500, 5, 8, 51, 1, 0)).toBe(46208);
    expect<i32>(lora_airtime_us(12, 500, 5, 8, 13, 1, 0)).toBe(288768);
    expect<i32>(lora_airtime_us(12, 500, 5, 8, 13, 0, 0)).toBe(247808);
    expect<i32>(lora_airtime_us(12, 500, 5, 8, 23, 1, 0)).toBe(329728);
    expect<i32>(lora_airtime_us(12, 500, 5, 8, 51, 1, 0)).toBe(534528);
  });
});

describe("time on air: LDRO rule and parameter checks", () => {
  it("turns LDRO on exactly for BW125 SF11/12 and BW250 SF12", () => {
    expect<bool>(ldroRequired(10, 125)).toBe(false);
    expect<bool>(ldroRequired(11, 125)).toBe(true);
    expect<bool>(ldroRequired(12, 125)).toBe(true);
    expect<bool>(ldroRequired(11, 250)).toBe(false);
    expect<bool>(ldroRequired(12, 250)).toBe(true);
    expect<bool>(ldroRequired(12, 500)).toBe(false);
  });
  it("rejects out-of-range parameters", () => {
    expect<i32>(lora_airtime_us(4, 125, 5, 8, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(13, 125, 5, 8, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 200, 5, 8, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 4, 8, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 9, 8, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 5, 0, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 5, 65536, 10, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 5, 8, -1, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 5, 8, 256, 1, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 5, 8, 10, 2, 0)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(7, 125, 5, 8, 10, 1, -1)).toBe(ERR_BAD_INPUT);
    expect<i32>(lora_airtime_us(12, 125, 8, 65535, 255, 1, 0)).toBe(ERR_UNSUPPORTED);
    expect<i32>(lora_airtime_us(5, 500, 5, 12, 0, 0, 1)).toBeGreaterThan(0);
  });
});

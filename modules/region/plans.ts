// The region plans. Values follow spec/radio-and-wire.md section F (LoRaMac-node Region*.h and
// LoRaWAN 1.0.x regional parameters); KR920, IN865 and RU864 follow LoRaMac-node's RegionKR920.h,
// RegionIN865.h and RegionRU864.h. Frequencies are integer Hz so comparisons are exact.
import type {
  DataRate,
  DutyCycleSubBand,
  LoRaBandwidthKhz,
  RegionName,
  RegionPlan,
  UplinkChannel,
  WindowChannel,
} from "./plan-types.js";
import { deepFreeze } from "../util/freeze.js";

export class RegionError extends Error {
  override name = "RegionError";
}

export const REGION_NAMES: readonly RegionName[] = Object.freeze([
  "US915",
  "EU868",
  "AU915",
  "AS923_1",
  "AS923_2",
  "AS923_3",
  "AS923_4",
  "KR920",
  "IN865",
  "RU864",
]);

export interface RegionPlanOptions {
  /** US915/AU915 sub-band 1..8 (eight 125 kHz channels plus one 500 kHz channel). Default 2. */
  subBand?: number;
  /** Extra uplink channels (Hz) a network adds with a CFList, for the regions that take one. */
  extraChannelsHz?: readonly number[];
}

const LORAWAN_DELAYS = Object.freeze({ rx1: 1_000_000, rx2: 2_000_000, join1: 5_000_000, join2: 6_000_000 } as const);
const REFERENCE_ANTENNA_GAIN_DBI = 2.15;

function lora(spreadingFactor: number, bandwidthKhz: LoRaBandwidthKhz): DataRate {
  return { modulation: "LORA", spreadingFactor, bandwidthKhz };
}
const FSK50: DataRate = { modulation: "FSK", bitsPerSecond: 50_000 };

/** DR0..DR5 = SF12..SF7 at 125 kHz, DR6 = SF7/250 kHz, DR7 = FSK: the EU868-style table. */
const EU_STYLE_DATARATES: readonly (DataRate | undefined)[] = deepFreeze([
  lora(12, 125),
  lora(11, 125),
  lora(10, 125),
  lora(9, 125),
  lora(8, 125),
  lora(7, 125),
  lora(7, 250),
  FSK50,
]);

const US915_DATARATES: readonly (DataRate | undefined)[] = deepFreeze([
  lora(10, 125),
  lora(9, 125),
  lora(8, 125),
  lora(7, 125),
  lora(8, 500),
  undefined,
  undefined,
  undefined,
  lora(12, 500),
  lora(11, 500),
  lora(10, 500),
  lora(9, 500),
  lora(8, 500),
  lora(7, 500),
]);

const AU915_DATARATES: readonly (DataRate | undefined)[] = deepFreeze([
  lora(12, 125),
  lora(11, 125),
  lora(10, 125),
  lora(9, 125),
  lora(8, 125),
  lora(7, 125),
  lora(8, 500),
  undefined,
  lora(12, 500),
  lora(11, 500),
  lora(10, 500),
  lora(9, 500),
  lora(8, 500),
  lora(7, 500),
]);

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function checkedSubBand(subBand: number | undefined): number {
  const s = subBand ?? 2;
  if (!Number.isInteger(s) || s < 1 || s > 8) throw new RegionError(`sub-band must be 1..8, got ${String(subBand)}`);
  return s;
}

/** RX1 DR = clamp(base + upDR - offset, lo, hi): the US915 and AU915 tables (spec F.2, F.3) in closed form. */
function tableRx1(base: number, maxUplinkDr: number, maxOffset: number, lo: number, hi: number) {
  return (up: number, offset: number): number | undefined => {
    if (!Number.isInteger(up) || up < 0 || up > maxUplinkDr) return undefined;
    if (!Number.isInteger(offset) || offset < 0 || offset > maxOffset) return undefined;
    return Math.min(hi, Math.max(lo, base + up - offset));
  };
}

/** RX1 DR = upDR - effectiveOffset[offset], clamped to [lo, hi] (EU868-style regions; AS923/IN865 offsets 6, 7 raise the DR). */
function subtractRx1(effective: readonly number[], maxUplinkDr: number, lo: number, hi: number) {
  return (up: number, offset: number): number | undefined => {
    if (!Number.isInteger(up) || up < 0 || up > maxUplinkDr) return undefined;
    if (!Number.isInteger(offset) || offset < 0 || offset >= effective.length) return undefined;
    return Math.min(hi, Math.max(lo, up - effective[offset]));
  };
}

/** US915/AU915 downlink channel k: 923.3 MHz + 600 kHz * k. */
const DOWNLINK_923_3 = (k: number) => 923_300_000 + 600_000 * k;

interface SubBandPlanFacts {
  name: "US915" | "AU915";
  first125Hz: number;
  first500Hz: number;
  dataRates: readonly (DataRate | undefined)[];
  dr125: [number, number];
  dr500: number;
  uplinkDataRates: number[];
  rx1: (up: number, offset: number) => number | undefined;
  maxRx1DrOffset: number;
  bandLowHz: number;
  bandHighHz: number;
  maxEirpDbm: number;
}

/** US915 and AU915 share their structure: 64 x 125 kHz + 8 x 500 kHz uplink channels, 8 downlink channels. */
function subBandPlan(f: SubBandPlanFacts, subBand: number): RegionPlan {
  const channels: UplinkChannel[] = [];
  for (let n = 8 * (subBand - 1); n < 8 * subBand; n++) {
    channels.push({ index: n, frequencyHz: f.first125Hz + 200_000 * n, minDataRate: f.dr125[0], maxDataRate: f.dr125[1] });
  }
  const wide = 63 + subBand;
  channels.push({ index: wide, frequencyHz: f.first500Hz + 1_600_000 * (wide - 64), minDataRate: f.dr500, maxDataRate: f.dr500 });
  const channelOf = (hz: number): number | undefined => {
    const n125 = (hz - f.first125Hz) / 200_000;
    if (Number.isInteger(n125) && n125 >= 0 && n125 < 64) return n125;
    const n500 = (hz - f.first500Hz) / 1_600_000;
    if (Number.isInteger(n500) && n500 >= 0 && n500 < 8) return 64 + n500;
    return undefined;
  };
  return {
    name: f.name,
    bandLowHz: f.bandLowHz,
    bandHighHz: f.bandHighHz,
    dataRates: f.dataRates,
    uplinkDataRates: f.uplinkDataRates,
    uplinkChannels: channels,
    joinChannels: channels.map((c) => c.index),
    maxRx1DrOffset: f.maxRx1DrOffset,
    rx2: { frequencyHz: 923_300_000, dataRate: 8 },
    maxEirpDbm: f.maxEirpDbm,
    referenceAntennaGainDbi: REFERENCE_ANTENNA_GAIN_DBI,
    dutyCycle: [],
    delays: LORAWAN_DELAYS,
    rx1Frequency(hz) {
      const ch = channelOf(hz);
      return ch === undefined ? undefined : DOWNLINK_923_3(ch % 8);
    },
    rx1DataRate: f.rx1,
  };
}

interface ListedPlanFacts {
  name: RegionName;
  defaultChannelsHz: readonly number[];
  bandLowHz: number;
  bandHighHz: number;
  dataRates: readonly (DataRate | undefined)[];
  uplinkDataRates: number[];
  channelDrRange: [number, number];
  rx2: WindowChannel;
  maxRx1DrOffset: number;
  rx1: (up: number, offset: number) => number | undefined;
  maxEirpDbm: number;
  dutyCycle: readonly DutyCycleSubBand[];
}

/** Regions with a short list of default channels and RX1 on the uplink frequency (EU868 style). */
function listedPlan(f: ListedPlanFacts, extraChannelsHz: readonly number[] = []): RegionPlan {
  const all = [...f.defaultChannelsHz, ...extraChannelsHz];
  all.forEach((hz, i) => {
    if (!Number.isInteger(hz) || hz < f.bandLowHz || hz > f.bandHighHz) {
      throw new RegionError(`${f.name}: channel ${hz} Hz is outside the band ${f.bandLowHz}..${f.bandHighHz} Hz`);
    }
    if (all.indexOf(hz) !== i) throw new RegionError(`${f.name}: channel ${hz} Hz is listed twice`);
  });
  const channels = all.map((frequencyHz, index) => ({
    index,
    frequencyHz,
    minDataRate: f.channelDrRange[0],
    maxDataRate: f.channelDrRange[1],
  }));
  return {
    name: f.name,
    bandLowHz: f.bandLowHz,
    bandHighHz: f.bandHighHz,
    dataRates: f.dataRates,
    uplinkDataRates: f.uplinkDataRates,
    uplinkChannels: channels,
    joinChannels: f.defaultChannelsHz.map((_, i) => i),
    maxRx1DrOffset: f.maxRx1DrOffset,
    rx2: f.rx2,
    maxEirpDbm: f.maxEirpDbm,
    referenceAntennaGainDbi: REFERENCE_ANTENNA_GAIN_DBI,
    dutyCycle: f.dutyCycle,
    delays: LORAWAN_DELAYS,
    rx1Frequency: (hz) => (Number.isInteger(hz) && hz >= f.bandLowHz && hz <= f.bandHighHz ? hz : undefined),
    rx1DataRate: f.rx1,
  };
}

/** EU868 sub-bands (spec F.1, LoRaMac-node RegionEU868.c band mapping). */
const EU868_DUTY_CYCLE: readonly DutyCycleSubBand[] = deepFreeze([
  { name: "g (863-865 MHz)", lowHz: 863_000_000, highHz: 865_000_000, limit: 0.001 },
  { name: "g (865-868 MHz)", lowHz: 865_000_000, highHz: 868_000_000, limit: 0.01 },
  { name: "g1 (868.0-868.6 MHz)", lowHz: 868_000_000, highHz: 868_600_000, limit: 0.01 },
  { name: "g2 (868.7-869.2 MHz)", lowHz: 868_700_000, highHz: 869_200_000, limit: 0.001 },
  { name: "g3 (869.4-869.65 MHz)", lowHz: 869_400_000, highHz: 869_650_000, limit: 0.1 },
  { name: "g4 (869.7-870.0 MHz)", lowHz: 869_700_000, highHz: 870_000_000, limit: 0.01 },
]);

/** AS923 group offsets from AS923-1 (spec F.4) and their band edges. */
const AS923_GROUPS = deepFreeze({
  AS923_1: { offsetHz: 0, low: 915_000_000, high: 928_000_000 },
  AS923_2: { offsetHz: -1_800_000, low: 920_000_000, high: 923_000_000 },
  AS923_3: { offsetHz: -6_600_000, low: 915_000_000, high: 921_000_000 },
  AS923_4: { offsetHz: -5_900_000, low: 917_000_000, high: 920_000_000 },
} as const);

/** AS923 and IN865: offsets 0..5 lower the DR, 6 and 7 raise it by one and two. */
const OFFSETS_WITH_RAISE = Object.freeze([0, 1, 2, 3, 4, 5, -1, -2] as const);
const PLAIN_OFFSETS = Object.freeze([0, 1, 2, 3, 4, 5] as const);

/** Builds the plan for a region. Throws RegionError on an unknown name or a bad option. */
export function regionPlan(name: RegionName, options: RegionPlanOptions = {}): RegionPlan {
  switch (name) {
    case "US915":
      return subBandPlan(
        {
          name,
          first125Hz: 902_300_000,
          first500Hz: 903_000_000,
          dataRates: US915_DATARATES,
          dr125: [0, 3],
          dr500: 4,
          uplinkDataRates: [0, 1, 2, 3, 4],
          rx1: tableRx1(10, 4, 3, 8, 13),
          maxRx1DrOffset: 3,
          bandLowHz: 902_000_000,
          bandHighHz: 928_000_000,
          maxEirpDbm: 30,
        },
        checkedSubBand(options.subBand),
      );
    case "AU915":
      // Uplink dwell time is on by default in AU915 (spec F.3): DR0 and DR1 carry no payload.
      return subBandPlan(
        {
          name,
          first125Hz: 915_200_000,
          first500Hz: 915_900_000,
          dataRates: AU915_DATARATES,
          dr125: [0, 5],
          dr500: 6,
          uplinkDataRates: [2, 3, 4, 5, 6],
          rx1: tableRx1(8, 6, 5, 8, 13),
          maxRx1DrOffset: 5,
          bandLowHz: 915_000_000,
          bandHighHz: 928_000_000,
          maxEirpDbm: 30,
        },
        checkedSubBand(options.subBand),
      );
    case "EU868":
      return listedPlan(
        {
          name,
          defaultChannelsHz: [868_100_000, 868_300_000, 868_500_000],
          bandLowHz: 863_000_000,
          bandHighHz: 870_000_000,
          dataRates: EU_STYLE_DATARATES,
          uplinkDataRates: [0, 1, 2, 3, 4, 5],
          channelDrRange: [0, 5],
          rx2: { frequencyHz: 869_525_000, dataRate: 0 },
          maxRx1DrOffset: 5,
          rx1: subtractRx1(PLAIN_OFFSETS, 7, 0, 7),
          maxEirpDbm: 16,
          dutyCycle: EU868_DUTY_CYCLE,
        },
        options.extraChannelsHz,
      );
    case "AS923_1":
    case "AS923_2":
    case "AS923_3":
    case "AS923_4": {
      const g = AS923_GROUPS[name];
      // Default uplink and downlink dwell time on (400 ms): uplinks DR2..DR5, RX1 never below DR2.
      return listedPlan(
        {
          name,
          defaultChannelsHz: [923_200_000 + g.offsetHz, 923_400_000 + g.offsetHz],
          bandLowHz: g.low,
          bandHighHz: g.high,
          dataRates: EU_STYLE_DATARATES,
          uplinkDataRates: [2, 3, 4, 5],
          channelDrRange: [0, 5],
          rx2: { frequencyHz: 923_200_000 + g.offsetHz, dataRate: 2 },
          maxRx1DrOffset: 7,
          rx1: subtractRx1(OFFSETS_WITH_RAISE, 7, 2, 5),
          maxEirpDbm: 16,
          dutyCycle: [],
        },
        options.extraChannelsHz,
      );
    }
    case "KR920":
      return listedPlan(
        {
          name,
          defaultChannelsHz: [922_100_000, 922_300_000, 922_500_000],
          bandLowHz: 920_900_000,
          bandHighHz: 923_300_000,
          dataRates: EU_STYLE_DATARATES.slice(0, 6),
          uplinkDataRates: [0, 1, 2, 3, 4, 5],
          channelDrRange: [0, 5],
          rx2: { frequencyHz: 921_900_000, dataRate: 0 },
          maxRx1DrOffset: 5,
          rx1: subtractRx1(PLAIN_OFFSETS, 5, 0, 5),
          // 14 dBm for 922.1-923.3 MHz (10 dBm below 922.1 MHz, where the default channels are not).
          maxEirpDbm: 14,
          dutyCycle: [],
        },
        options.extraChannelsHz,
      );
    case "IN865":
      return listedPlan(
        {
          name,
          defaultChannelsHz: [865_062_500, 865_402_500, 865_985_000],
          bandLowHz: 865_000_000,
          bandHighHz: 867_000_000,
          dataRates: EU_STYLE_DATARATES,
          uplinkDataRates: [0, 1, 2, 3, 4, 5],
          channelDrRange: [0, 5],
          rx2: { frequencyHz: 866_550_000, dataRate: 2 },
          maxRx1DrOffset: 7,
          rx1: subtractRx1(OFFSETS_WITH_RAISE, 7, 0, 5),
          maxEirpDbm: 30,
          dutyCycle: [],
        },
        options.extraChannelsHz,
      );
    case "RU864":
      return listedPlan(
        {
          name,
          defaultChannelsHz: [868_900_000, 869_100_000],
          bandLowHz: 864_000_000,
          bandHighHz: 870_000_000,
          dataRates: EU_STYLE_DATARATES,
          uplinkDataRates: [0, 1, 2, 3, 4, 5],
          channelDrRange: [0, 5],
          rx2: { frequencyHz: 869_100_000, dataRate: 0 },
          maxRx1DrOffset: 5,
          rx1: subtractRx1(PLAIN_OFFSETS, 7, 0, 7),
          maxEirpDbm: 16,
          dutyCycle: [{ name: "864-870 MHz", lowHz: 864_000_000, highHz: 870_000_000, limit: 0.01 }],
        },
        options.extraChannelsHz,
      );
    default:
      throw new RegionError(`unknown region ${String(name)}`);
  }
}

export function isRegionName(text: string): text is RegionName {
  return (REGION_NAMES as readonly string[]).includes(text);
}

// Built-in beacon region plans: the values the Helium L1 chain variables held
// (helium/miner audit/var-poc-v11-params.erl, spec 7.3). gateway-rs ships no plans and waits for
// the config service; the firmware uses these until the config service provides live ones.
import type { ProtoCore } from "../proto/core.js";
import { encodeMessage } from "../proto/codec.js";

export interface TaggedSpreading {
  /** RegionSpreading enum: SF7 = 1 ... SF12 = 6. */
  regionSpreading: number;
  maxPacketSize: number;
}

export interface RegionParam {
  channelFrequency: number; // Hz
  bandwidth: number; // Hz
  maxEirp: number; // dBm x 10
  spreading: TaggedSpreading[];
}

const SF = { SF7: 1, SF8: 2, SF9: 3, SF10: 4, SF11: 5, SF12: 6 } as const;
const BANDWIDTH_HZ = 125_000;

/** (max_packet_size, SF) in stored order; select_datarate walks them in this order. */
const US915_SPREADING: TaggedSpreading[] = [
  { regionSpreading: SF.SF10, maxPacketSize: 25 },
  { regionSpreading: SF.SF9, maxPacketSize: 67 },
  { regionSpreading: SF.SF8, maxPacketSize: 139 },
  { regionSpreading: SF.SF7, maxPacketSize: 256 },
];
const EU868_SPREADING: TaggedSpreading[] = [
  { regionSpreading: SF.SF12, maxPacketSize: 65 },
  { regionSpreading: SF.SF9, maxPacketSize: 129 },
  { regionSpreading: SF.SF8, maxPacketSize: 238 },
];
/** The plan every other region shares. */
const COMMON_SPREADING: TaggedSpreading[] = [
  { regionSpreading: SF.SF12, maxPacketSize: 25 },
  { regionSpreading: SF.SF11, maxPacketSize: 25 },
  { regionSpreading: SF.SF10, maxPacketSize: 25 },
  { regionSpreading: SF.SF9, maxPacketSize: 67 },
  { regionSpreading: SF.SF8, maxPacketSize: 139 },
  { regionSpreading: SF.SF7, maxPacketSize: 256 },
];

function steps(firstHz: number, count: number, stepHz: number): number[] {
  return Array.from({ length: count }, (_, i) => firstHz + i * stepHz);
}

interface Plan {
  channels: number[];
  maxEirp: number;
  spreading: TaggedSpreading[];
}

const PLANS: Record<string, Plan> = {
  US915: { channels: steps(903_900_000, 8, 200_000), maxEirp: 360, spreading: US915_SPREADING },
  EU868: { channels: steps(867_100_000, 8, 200_000), maxEirp: 161, spreading: EU868_SPREADING },
  // The source file lists 43317500, 43337500, 43357500 (a digit short: 43 MHz, which no LoRa radio
  // here can transmit). We use the 433 MHz values the spec notes are presumably intended.
  EU433: { channels: [433_175_000, 433_375_000, 433_575_000], maxEirp: 121, spreading: COMMON_SPREADING },
  CN470: { channels: steps(486_300_000, 8, 200_000), maxEirp: 191, spreading: COMMON_SPREADING },
  AU915: { channels: steps(916_800_000, 8, 200_000), maxEirp: 300, spreading: COMMON_SPREADING },
  AS923_1: { channels: steps(923_200_000, 8, 200_000), maxEirp: 160, spreading: COMMON_SPREADING },
  AS923_2: { channels: steps(921_400_000, 8, 200_000), maxEirp: 160, spreading: COMMON_SPREADING },
  AS923_3: { channels: steps(916_600_000, 8, 200_000), maxEirp: 160, spreading: COMMON_SPREADING },
  AS923_4: { channels: steps(917_300_000, 8, 200_000), maxEirp: 160, spreading: COMMON_SPREADING },
  KR920: { channels: steps(922_100_000, 7, 200_000), maxEirp: 140, spreading: COMMON_SPREADING },
  IN865: { channels: [865_062_500, 865_402_500, 865_985_000], maxEirp: 300, spreading: COMMON_SPREADING },
  RU864: {
    channels: [864_100_000, 864_300_000, 864_500_000, 864_700_000, 864_900_000, 868_900_000, 869_100_000],
    maxEirp: 160,
    spreading: COMMON_SPREADING,
  },
};

/** Region names (helium.region enum names) that have a built-in plan. */
export const HISTORICAL_REGIONS: readonly string[] = Object.keys(PLANS);

/** The built-in plan of a region (case-insensitive name), or undefined when there is none. */
export function historicalRegionParams(region: string): RegionParam[] | undefined {
  const plan = PLANS[region.toUpperCase()];
  return plan?.channels.map((channelFrequency) => ({
    channelFrequency,
    bandwidth: BANDWIDTH_HZ,
    maxEirp: plan.maxEirp,
    spreading: plan.spreading.map((s) => ({ ...s })),
  }));
}

/** The built-in plan of a region as an encoded `blockchain_region_params_v1`, or undefined. */
export function encodeHistoricalRegionParams(core: ProtoCore, region: string): Uint8Array | undefined {
  const params = historicalRegionParams(region);
  if (params === undefined) return undefined;
  return encodeMessage(core, "blockchain_region_params_v1", {
    region_params: params.map((p) => ({
      channel_frequency: p.channelFrequency,
      bandwidth: p.bandwidth,
      max_eirp: p.maxEirp,
      spreading: {
        tagged_spreading: p.spreading.map((s) => ({ region_spreading: s.regionSpreading, max_packet_size: s.maxPacketSize })),
      },
    })),
  });
}

// Region plans the devnet's config service hands out: the historical chain-variable plans of
// helium-protocol.md 7.3 (helium/miner var-poc-v11-params), as blockchain_region_params_v1 objects.
import type { Plain } from "./proto.js";

/** helium.region enum values (section 7.1). */
export const REGION = {
  US915: 0, EU868: 1, EU433: 2, CN470: 3, AU915: 5, AS923_1: 6, KR920: 7, IN865: 8,
  AS923_2: 9, AS923_3: 10, AS923_4: 11, RU864: 14, UNKNOWN: 99,
} as const;

/** RegionSpreading enum: SF7 = 1 .. SF12 = 6. */
const SF: Record<number, number> = { 7: 1, 8: 2, 9: 3, 10: 4, 11: 5, 12: 6 };

type Spreading = [maxPacketSize: number, sf: number][];
const US915_SPREADING: Spreading = [[25, 10], [67, 9], [139, 8], [256, 7]];
const EU868_SPREADING: Spreading = [[65, 12], [129, 9], [238, 8]];
const COMMON_SPREADING: Spreading = [[25, 12], [25, 11], [25, 10], [67, 9], [139, 8], [256, 7]];

function steps(first: number, count: number, step = 200000): number[] {
  return Array.from({ length: count }, (_, i) => first + i * step);
}

interface Plan {
  channels: number[];
  maxEirp: number;
  spreading: Spreading;
}

const PLANS: Record<number, Plan> = {
  [REGION.US915]: { channels: steps(903900000, 8), maxEirp: 360, spreading: US915_SPREADING },
  [REGION.EU868]: { channels: steps(867100000, 8), maxEirp: 161, spreading: EU868_SPREADING },
  // The source lists 43317500.. (a digit short); the devnet uses the evidently intended 433175000..
  [REGION.EU433]: { channels: [433175000, 433375000, 433575000], maxEirp: 121, spreading: COMMON_SPREADING },
  [REGION.CN470]: { channels: steps(486300000, 8), maxEirp: 191, spreading: COMMON_SPREADING },
  [REGION.AU915]: { channels: steps(916800000, 8), maxEirp: 300, spreading: COMMON_SPREADING },
  [REGION.AS923_1]: { channels: steps(923200000, 8), maxEirp: 160, spreading: COMMON_SPREADING },
  [REGION.AS923_2]: { channels: steps(921400000, 8), maxEirp: 160, spreading: COMMON_SPREADING },
  [REGION.AS923_3]: { channels: steps(916600000, 8), maxEirp: 160, spreading: COMMON_SPREADING },
  [REGION.AS923_4]: { channels: steps(917300000, 8), maxEirp: 160, spreading: COMMON_SPREADING },
  [REGION.KR920]: { channels: steps(922100000, 7), maxEirp: 140, spreading: COMMON_SPREADING },
  [REGION.IN865]: { channels: [865062500, 865402500, 865985000], maxEirp: 300, spreading: COMMON_SPREADING },
  [REGION.RU864]: { channels: [864100000, 864300000, 864500000, 864700000, 864900000, 868900000, 869100000], maxEirp: 160, spreading: COMMON_SPREADING },
};

/** blockchain_region_params_v1 for a region, or undefined when the devnet has no plan for it. */
export function regionParams(region: number): Plain | undefined {
  const plan = PLANS[region];
  if (!plan) return undefined;
  return {
    region_params: plan.channels.map((hz) => ({
      channel_frequency: String(hz),
      bandwidth: 125000,
      max_eirp: plan.maxEirp,
      spreading: { tagged_spreading: plan.spreading.map(([size, sf]) => ({ region_spreading: SF[sf], max_packet_size: size })) },
    })),
  };
}

/**
 * A one-channel plan: the region's max EIRP and spreading list on the single frequency a
 * single-channel hotspot listens to, so beacons land where such hotspots can hear them.
 */
export function singleChannelParams(region: number, frequencyHz: number): Plain | undefined {
  const plan = PLANS[region];
  if (!plan) return undefined;
  return {
    region_params: [
      {
        channel_frequency: String(frequencyHz),
        bandwidth: 125000,
        max_eirp: plan.maxEirp,
        spreading: { tagged_spreading: plan.spreading.map(([size, sf]) => ({ region_spreading: SF[sf], max_packet_size: size })) },
      },
    ],
  };
}

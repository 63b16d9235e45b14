// What the single SX1262 listens to. One chip demodulates one frequency and one spreading factor
// at a time, so a plan names exactly one channel: either a fixed SF (full sensitivity on that SF,
// nothing else heard) or a CAD scan that cycles through SFs and switches to RX when it detects a
// preamble (hears several SFs, but misses packets whose preamble falls between its looks, and
// loses some sensitivity). Devices hop over all of the region's channels; a hotspot on one channel
// hears roughly one uplink in N for N channels. listenCoverage() says this in numbers.
import type { LoRaBandwidthKhz, RegionPlan } from "../region/plan-types.js";
import { planLoRaDataRate } from "../region/datarate.js";

export interface FixedListenPlan {
  kind: "fixed";
  /** The one channel this radio hears. */
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: LoRaBandwidthKhz;
}

export interface CadScanListenPlan {
  kind: "cad-scan";
  /** The one channel this radio hears. */
  frequencyHz: number;
  bandwidthKhz: LoRaBandwidthKhz;
  /** Scanned in this order, one channel-activity detection each. */
  spreadingFactors: readonly number[];
}

export type ListenPlan = FixedListenPlan | CadScanListenPlan;

export const SINGLE_CHANNEL_NOTE =
  "One SX1262 hears one channel and one spreading factor at a time: this is a single-channel hotspot. Devices hopping over other channels, or using other SFs, are not heard.";

export interface ListenCoverage {
  /** Always 1: the chip listens on one frequency. */
  channelsHeard: 1;
  /** Uplink channels in the region plan with the same bandwidth. */
  channelsInPlan: number;
  /** Whether the listened frequency is one of the plan's uplink channels. */
  onPlanChannel: boolean;
  spreadingFactorsHeard: readonly number[];
  /** Spreading factors of the plan's uplink datarates at this bandwidth. */
  spreadingFactorsInPlan: readonly number[];
  note: string;
}

function uplinkSfs(region: RegionPlan, bandwidthKhz: number): number[] {
  const sfs = new Set<number>();
  for (const i of region.uplinkDataRates) {
    const dr = planLoRaDataRate(region, i);
    if (dr !== undefined && dr.bandwidthKhz === bandwidthKhz) sfs.add(dr.spreadingFactor);
  }
  return [...sfs].sort((a, b) => a - b);
}

/** Problems with a plan for a region, as readable sentences; empty when the plan is usable. */
export function checkListenPlan(plan: ListenPlan, region: RegionPlan): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(plan.frequencyHz) || plan.frequencyHz < region.bandLowHz || plan.frequencyHz > region.bandHighHz) {
    problems.push(`frequency ${plan.frequencyHz} Hz is outside ${region.name} (${region.bandLowHz}-${region.bandHighHz} Hz)`);
  }
  const allowed = uplinkSfs(region, plan.bandwidthKhz);
  if (allowed.length === 0) problems.push(`${region.name} has no uplink datarate at ${plan.bandwidthKhz} kHz`);
  const sfs = plan.kind === "fixed" ? [plan.spreadingFactor] : plan.spreadingFactors;
  if (plan.kind === "cad-scan" && sfs.length === 0) problems.push("a CAD scan needs at least one spreading factor");
  for (const sf of sfs) if (!allowed.includes(sf)) problems.push(`SF${sf} at ${plan.bandwidthKhz} kHz is not an uplink datarate in ${region.name}`);
  if (plan.kind === "cad-scan" && new Set(sfs).size !== sfs.length) problems.push("a spreading factor is listed twice");
  return problems;
}

export function listenCoverage(plan: ListenPlan, region: RegionPlan): ListenCoverage {
  const sameBw = region.uplinkChannels.filter((c) => {
    const dr = planLoRaDataRate(region, c.maxDataRate);
    return dr !== undefined && dr.bandwidthKhz === plan.bandwidthKhz;
  });
  const heard = plan.kind === "fixed" ? [plan.spreadingFactor] : [...plan.spreadingFactors];
  const inPlan = uplinkSfs(region, plan.bandwidthKhz);
  const onPlanChannel = sameBw.some((c) => c.frequencyHz === plan.frequencyHz);
  const how = plan.kind === "fixed" ? `only SF${plan.spreadingFactor}` : `SF${heard.join("/")} by channel-activity detection (packets between looks are missed)`;
  return {
    channelsHeard: 1,
    channelsInPlan: sameBw.length,
    onPlanChannel,
    spreadingFactorsHeard: heard,
    spreadingFactorsInPlan: inPlan,
    note: `${SINGLE_CHANNEL_NOTE} This plan hears 1 of ${sameBw.length} ${plan.bandwidthKhz} kHz uplink channels, ${how}.`,
  };
}

/** A starting plan: the region's first uplink channel at the fastest 125 kHz uplink SF. */
export function defaultListenPlan(region: RegionPlan): FixedListenPlan {
  const sfs = uplinkSfs(region, 125);
  return { kind: "fixed", frequencyHz: region.uplinkChannels[0].frequencyHz, spreadingFactor: sfs[0], bandwidthKhz: 125 };
}

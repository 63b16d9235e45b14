// Datarate names and lookups: "SF7BW125" is how GWMP, Helium protos and the dashboard name a
// LoRa datarate; DR indices are region-specific (SF7BW125 is DR3 in US915 but DR5 in EU868).
import type { LoRaBandwidthKhz, LoRaDataRate, RegionPlan, WindowChannel } from "./plan-types.js";

const BANDWIDTHS: readonly LoRaBandwidthKhz[] = Object.freeze([125, 250, 500]);

export function loraDataRate(spreadingFactor: number, bandwidthKhz: LoRaBandwidthKhz): LoRaDataRate {
  return { modulation: "LORA", spreadingFactor, bandwidthKhz };
}

/** "SF7BW125" for SF7 at 125 kHz. */
export function dataRateName(dr: { spreadingFactor: number; bandwidthKhz: number }): string {
  return `SF${dr.spreadingFactor}BW${dr.bandwidthKhz}`;
}

/** Parses "SF7BW125" (SF5..SF12, BW 125/250/500); undefined for anything else. */
export function parseDataRateName(text: string): LoRaDataRate | undefined {
  const m = /^SF(\d{1,2})BW(\d{3})$/.exec(text);
  if (m === null) return undefined;
  const sf = Number(m[1]);
  const bw = Number(m[2]) as LoRaBandwidthKhz;
  if (sf < 5 || sf > 12 || !BANDWIDTHS.includes(bw)) return undefined;
  return loraDataRate(sf, bw);
}

/** The LoRa datarate of DR `index` in `plan`, or undefined (RFU, FSK, out of range). */
export function planLoRaDataRate(plan: RegionPlan, index: number): LoRaDataRate | undefined {
  const dr = Number.isInteger(index) ? plan.dataRates[index] : undefined;
  return dr !== undefined && dr.modulation === "LORA" ? dr : undefined;
}

/**
 * The DR index of a LoRa datarate in `plan`. Some datarates have two indices (US915 SF8BW500 is
 * DR4 up and DR12 down), so the direction picks: uplink indices come from `uplinkDataRates`.
 */
export function dataRateIndex(
  plan: RegionPlan,
  dr: { spreadingFactor: number; bandwidthKhz: number },
  direction: "up" | "down",
): number | undefined {
  const matches: number[] = [];
  plan.dataRates.forEach((d, i) => {
    if (d?.modulation === "LORA" && d.spreadingFactor === dr.spreadingFactor && d.bandwidthKhz === dr.bandwidthKhz) matches.push(i);
  });
  if (direction === "up") return matches.find((i) => plan.uplinkDataRates.includes(i));
  // Downlinks: prefer an index that is not an uplink-only one (US915 DR12 rather than DR4).
  return matches.find((i) => !plan.uplinkDataRates.includes(i)) ?? matches[0];
}

/** Where an RX1 answer to an uplink goes; undefined when the uplink frequency or DR is not in the plan. */
export function rx1Window(plan: RegionPlan, uplinkFrequencyHz: number, uplinkDataRate: number, rx1DrOffset = 0): WindowChannel | undefined {
  const frequencyHz = plan.rx1Frequency(uplinkFrequencyHz);
  const dataRate = plan.rx1DataRate(uplinkDataRate, rx1DrOffset);
  if (frequencyHz === undefined || dataRate === undefined || planLoRaDataRate(plan, dataRate) === undefined) return undefined;
  return { frequencyHz, dataRate };
}

/** True when `hz` lies in the region's band. */
export function inBand(plan: RegionPlan, hz: number): boolean {
  return Number.isFinite(hz) && hz >= plan.bandLowHz && hz <= plan.bandHighHz;
}

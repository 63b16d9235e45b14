// helium.data_rate values by name and back, for the LoRa rates PoC uses.
import { DATA_RATE } from "../proto/schema.js";

const NAMES: Readonly<Record<number, string>> = Object.freeze(Object.fromEntries(Object.entries(DATA_RATE).map(([name, value]) => [value, name])));

/** "SF9BW125" -> 3; undefined for names that are not LoRa SF7-12 at 125/250/500 kHz. */
export function loraDataRate(name: string): number | undefined {
  const m = /^SF(\d+)BW(\d+)$/.exec(name);
  if (!m || Number(m[1]) < 7 || Number(m[1]) > 12 || !["125", "250", "500"].includes(m[2])) return undefined;
  return (DATA_RATE as Record<string, number>)[name];
}

export function dataRateName(value: number): string | undefined {
  return NAMES[value];
}

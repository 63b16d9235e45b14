// The compute core's lora_airtime_us as the AirtimeFunction the simulator and driver take.
import type { AirtimeFunction } from "../../modules/radio/airtime.js";
import { loadRawCore } from "./raw-core.js";

export function coreAirtime(): AirtimeFunction {
  const core = loadRawCore();
  const fn = core.exports.lora_airtime_us as (...args: number[]) => number;
  return (p, length) => {
    const us = fn(p.spreadingFactor, p.bandwidthKhz, p.codingRate, p.preambleSymbols, length, p.crc ? 1 : 0, p.implicitHeader ? 1 : 0);
    if (us < 0) throw new RangeError(`lora_airtime_us refused ${JSON.stringify(p)} len ${length}: ${us}`);
    return us;
  };
}

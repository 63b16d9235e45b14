// Test rig for the Node tests: the platform-neutral SX1262 rig (sx1262-rig.ts) with time on air from
// the wasm core.
import type { AirtimeFunction } from "../../modules/radio/airtime.js";
import { coreAirtime } from "./core-airtime.js";
import { makeWorldWith, type WorldOptions } from "./sx1262-rig.js";

export { makeHotspot, makeRadioHotspot, modelBoardFor, type Hotspot, type RadioHotspot, type RigWorld } from "./sx1262-rig.js";

let sharedAirtime: AirtimeFunction | undefined;
export function airtime(): AirtimeFunction {
  return (sharedAirtime ??= coreAirtime());
}

export function makeWorld(seed = 1, options: WorldOptions = {}) {
  return makeWorldWith(airtime(), seed, options);
}

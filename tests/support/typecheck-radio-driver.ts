// Compile-time check: the SX1262 driver satisfies the radio service's driver interface.
import type { RadioDriver } from "../../modules/radio/radio.js";
import type { SX1262 } from "../../drivers/sx1262/sx1262.js";

export type DriverFitsRadio = SX1262 extends RadioDriver ? true : never;
export const driverFitsRadio: DriverFitsRadio = true;

// Time on air is computed by the compute core (`lora_airtime_us`); modules and drivers receive it
// as a function so they never carry the formula themselves. The composition root passes the core's.

export interface LoRaAirtimeParams {
  spreadingFactor: number;
  bandwidthKhz: number;
  /** Coding rate denominator: 5..8 for 4/5..4/8. */
  codingRate: number;
  preambleSymbols: number;
  crc: boolean;
  implicitHeader: boolean;
}

/** Microseconds on air for a LoRa frame of `payloadLength` bytes (the PHYPayload). */
export type AirtimeFunction = (params: LoRaAirtimeParams, payloadLength: number) => number;

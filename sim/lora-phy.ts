// LoRa receiver figures for the simulated world.
//
// Demodulation SNR floors per SF are the SX126x/SX127x datasheet values (-7.5 dB at SF7 down to
// -20 dB at SF12, 2.5 dB per SF). The noise floor is thermal noise in the channel bandwidth plus
// the receiver's noise figure; with 6 dB (boosted RX gain) this gives -124.5 dBm at SF7/125 kHz and
// -137 dBm at SF12/125 kHz, the SX1262's published BW125 range. The power-saving gain setting
// costs about 3 dB (LoRaMac-node's comment on register 0x08AC), modelled as a 9 dB noise figure.
//
// What happens near the floor is a model choice, not a datasheet fact, and is stated here so tests
// and readers can see it: a preamble is detected down to 2 dB below the floor (below that the
// packet is invisible); between -2 and 0 dB the header fails (HeaderErr); between 0 and +2 dB the
// payload CRC fails with a probability falling linearly from 50 % to 0; above +2 dB it decodes.

export const THERMAL_NOISE_DBM_PER_HZ = -174;
export const NOISE_FIGURE_BOOSTED_DB = 6;
export const NOISE_FIGURE_POWER_SAVING_DB = 9;
/** A receiver needs this many preamble symbols to lock: it must be listening by start + (preamble - 5) symbols. */
export const PREAMBLE_SYMBOLS_TO_LOCK = 5;
/** A packet survives an overlapping same-channel, same-SF packet only if it is this much stronger. */
export const CAPTURE_THRESHOLD_DB = 6;

const DETECT_MARGIN_DB = -2;
const CLEAN_MARGIN_DB = 2;

/** Demodulation SNR floor, dB. */
export function snrFloorDb(spreadingFactor: number): number {
  return -2.5 * (spreadingFactor - 4);
}

export function noiseFloorDbm(bandwidthKhz: number, noiseFigureDb = NOISE_FIGURE_BOOSTED_DB): number {
  return THERMAL_NOISE_DBM_PER_HZ + 10 * Math.log10(bandwidthKhz * 1000) + noiseFigureDb;
}

/** Sensitivity: the weakest signal that demodulates (noise floor + SNR floor). */
export function sensitivityDbm(spreadingFactor: number, bandwidthKhz: number, noiseFigureDb = NOISE_FIGURE_BOOSTED_DB): number {
  return noiseFloorDbm(bandwidthKhz, noiseFigureDb) + snrFloorDb(spreadingFactor);
}

export type DemodOutcome = "invisible" | "header-error" | "crc-error" | "ok";

/** What the receiver makes of a packet at `snrDb`, given a uniform draw in [0, 1) for the CRC lottery. */
export function demodulate(spreadingFactor: number, snrDb: number, draw: number): DemodOutcome {
  const margin = snrDb - snrFloorDb(spreadingFactor);
  if (margin < DETECT_MARGIN_DB) return "invisible";
  if (margin < 0) return "header-error";
  if (margin < CLEAN_MARGIN_DB) return draw < 0.5 * (1 - margin / CLEAN_MARGIN_DB) ? "crc-error" : "ok";
  return "ok";
}

/** True when a preamble at `snrDb` can be detected (by CAD or by the receiver). */
export function detectable(spreadingFactor: number, snrDb: number): boolean {
  return snrDb - snrFloorDb(spreadingFactor) >= DETECT_MARGIN_DB;
}

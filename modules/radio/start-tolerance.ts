// How far a downlink may start from its scheduled moment and still be heard: the on-time rule the
// radio counts by.
//
// A class A device opens its receiver around the middle of the downlink's preamble and needs a
// minimum number of preamble symbols to lock. LoRaMac-node (Semtech's reference end-device stack,
// src/mac/region/RegionCommon.c RegionCommonComputeRxWindowParameters) listens for
//   max(ceil(((2 * MinRxSymbols - 8) * Ts + 2 * rxError) / Ts), MinRxSymbols) symbols
// starting 4 * Ts - window / 2 after the RX delay, with MinRxSymbols = 6 by default. A device whose
// own clock error budget is already used up (rxError = 0) listens 6 symbols, from 1 to 7 symbols
// into an 8-symbol preamble sent on time; the preamble still covers those 6 symbols only if it moves
// by at most (8 - 6) / 2 = 1 symbol either way. So a downlink is on time within one symbol time of
// its scheduled start (for a preamble of P symbols: (P - 6) / 2 symbols):
//
//   SF       7       8       9       10      11       12
//   BW125    1.024   2.048   4.096   8.192   16.384   32.768  ms
//   BW500    0.256   0.512   1.024   2.048   4.096    8.192   ms
//
// The ±20 µs of the LoRaWAN specification is the device's own accuracy in opening its windows, not
// a limit for the gateway.

/** The fewest preamble symbols LoRaMac-node's receiver window is sized to catch (its default MinRxSymbols). */
export const MIN_RX_SYMBOLS = 6;

/** ± tolerance on a downlink's start, µs, for its SF, bandwidth and preamble length. */
export function startToleranceMicros(spreadingFactor: number, bandwidthKhz: number, preambleSymbols = 8): number {
  const symbol = (2 ** spreadingFactor * 1000) / bandwidthKhz;
  return (Math.max(0, preambleSymbols - MIN_RX_SYMBOLS) / 2) * symbol;
}

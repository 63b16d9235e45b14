// Asserted locations and the verifier's distance and signal rules (helium-protocol.md 9.3):
// locations are H3 cells (resolution 12, as Helium asserts them); the minimum distance is counted
// in resolution-11 cells between the parents, distances are great-circle metres between cell
// centres rounded to whole metres, and the free-space expectation bounds the reported RSSI.
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance, gridDistance, isValidCell, latLngToCell } from "h3-js";

/** The resolution Helium asserts locations at. */
export const ASSERT_RESOLUTION = 12;
export const CELL_PARENT_RESOLUTION = 11;
export const MIN_CELL_DISTANCE = 8;
export const MAX_DISTANCE_KM = 100;
/** Speed of light as the verifier takes it, m/s. */
export const C = 2.998e8;

/** An asserted location: an H3 cell (hex string), or a point that is asserted as its resolution-12 cell. */
export type Location = string | { lat: number; lon: number };

export function assertedCell(location: Location): string {
  if (typeof location === "string") {
    if (!isValidCell(location)) throw new RangeError(`"${location}" is not an H3 cell`);
    return location;
  }
  return latLngToCell(location.lat, location.lon, ASSERT_RESOLUTION);
}

/** Grid distance between the resolution-11 parents, or undefined when H3 cannot compute it. */
export function cellDistance(a: string, b: string): number | undefined {
  try {
    const pa = getResolution(a) > CELL_PARENT_RESOLUTION ? cellToParent(a, CELL_PARENT_RESOLUTION) : a;
    const pb = getResolution(b) > CELL_PARENT_RESOLUTION ? cellToParent(b, CELL_PARENT_RESOLUTION) : b;
    return gridDistance(pa, pb);
  } catch {
    return undefined;
  }
}

/** Great-circle distance between the cell centres, rounded to whole metres. */
export function distanceMetres(a: string, b: string): number {
  return Math.round(greatCircleDistance(cellToLatLng(a), cellToLatLng(b), "m"));
}

export function freeSpaceLossDb(frequencyHz: number, distanceM: number): number {
  return 20 * Math.log10((4 * Math.PI * distanceM * frequencyHz) / C);
}

/**
 * The strongest signal free space allows, dBm: conducted power plus both antenna gains (dBi x 10,
 * divided as Rust's i32 division does: truncated) minus the free-space loss.
 */
export function expectedRssiDbm(txPowerDbm: number, frequencyHz: number, distanceM: number, beaconerGainX10: number, witnessGainX10: number): number {
  return txPowerDbm + Math.trunc(beaconerGainX10 / 10) - freeSpaceLossDb(frequencyHz, distanceM) + Math.trunc(witnessGainX10 / 10);
}

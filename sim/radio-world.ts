// The simulated air: nodes at positions, transmissions with a start and an end, log-distance path
// loss with seeded log-normal shadowing, and the collision rule receivers apply.
//
// Every transmission is announced to every other node when it starts and when it ends; each node
// (the SX1262 model, an end device) decides for itself whether it was listening with the right
// settings. The world supplies the physics: received power, SNR against the node's noise floor,
// and whether a packet survives the others on the air (same channel and SF overlapping in time:
// the stronger one survives if it is at least 6 dB above each of the others, otherwise both are
// lost; different SFs or bandwidths do not collide - they are treated as orthogonal).
import type { AirtimeFunction } from "../modules/radio/airtime.js";
import { CAPTURE_THRESHOLD_DB, PREAMBLE_SYMBOLS_TO_LOCK, noiseFloorDbm } from "./lora-phy.js";
import { Rng } from "./rng.js";
import type { Scheduler } from "./scheduler.js";

export type Position = { x: number; y: number } | { lat: number; lon: number };

export interface RadioNode {
  readonly name: string;
  readonly position: Position;
  readonly antennaGainDbi: number;
  /** A transmission by another node begins (called at its start time). */
  onAirStart?(tx: Transmission): void;
  /** A transmission by another node ends (called at its end time). */
  onAirEnd?(tx: Transmission): void;
}

export interface LoRaFrameParams {
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: number;
  /** Coding rate denominator 5..8. */
  codingRate: number;
  lowDataRateOptimize: boolean;
  invertIq: boolean;
  /** Sync word as the SX126x registers hold it (0x3444 public LoRaWAN). */
  syncWord: number;
  preambleSymbols: number;
  crc: boolean;
}

export interface Transmission extends LoRaFrameParams {
  readonly id: number;
  readonly sender: RadioNode;
  readonly payload: Uint8Array;
  /** Conducted power plus the sender's antenna gain, dBm. */
  readonly eirpDbm: number;
  readonly start: number;
  readonly end: number;
  readonly symbolMicros: number;
  /** A receiver must be listening by this time to lock onto the preamble. */
  readonly lockDeadline: number;
  /** End of the explicit header (preamble + sync + 8 header symbols). */
  readonly headerEnd: number;
}

export interface WorldOptions {
  scheduler: Scheduler;
  airtime: AirtimeFunction;
  seed: number;
  /** Path-loss exponent n of PL(d) = FSPL(1 m) + 10 n log10(d / 1 m). Default 2.7 (suburban). */
  pathLossExponent?: number;
  /** Standard deviation of the log-normal shadowing, dB; one draw per transmission and receiver. Default 4. */
  shadowingSigmaDb?: number;
}

const SPEED_OF_LIGHT = 299_792_458;
const EARTH_RADIUS_M = 6_371_000;

/** Distance in metres between two positions of the same kind (x/y metres or lat/lon degrees, haversine). */
export function distanceMetres(a: Position, b: Position): number {
  if ("x" in a && "x" in b) return Math.hypot(a.x - b.x, a.y - b.y);
  if ("lat" in a && "lat" in b) {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  throw new TypeError("positions mix metres and lat/lon");
}

/** Free-space path loss at distance d, dB. */
export function freeSpaceLossDb(distanceM: number, frequencyHz: number): number {
  return 20 * Math.log10((4 * Math.PI * distanceM * frequencyHz) / SPEED_OF_LIGHT);
}

function overlaps(a: Transmission, b: Transmission): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Same channel and SF: same SF and bandwidth, centre frequencies closer than half the bandwidth. */
export function sameChannelAndSf(a: LoRaFrameParams, b: LoRaFrameParams): boolean {
  return a.spreadingFactor === b.spreadingFactor && a.bandwidthKhz === b.bandwidthKhz && Math.abs(a.frequencyHz - b.frequencyHz) < (a.bandwidthKhz * 1000) / 2;
}

export class RadioWorld {
  readonly scheduler: Scheduler;
  readonly airtime: AirtimeFunction;
  readonly pathLossExponent: number;
  readonly shadowingSigmaDb: number;
  readonly #nodes: RadioNode[] = [];
  readonly #rng: Rng;
  /** Transmissions that may still overlap something (pruned as time passes). */
  #recent: Transmission[] = [];
  readonly #shadowing = new Map<Transmission, Map<RadioNode, number>>();
  #nextId = 1;
  /** Every transmission so far, for tests and the dashboard's view of the air (bounded). */
  readonly log: Transmission[] = [];
  logLimit = 100_000;

  constructor(options: WorldOptions) {
    this.scheduler = options.scheduler;
    this.airtime = options.airtime;
    this.pathLossExponent = options.pathLossExponent ?? 2.7;
    this.shadowingSigmaDb = options.shadowingSigmaDb ?? 4;
    this.#rng = new Rng(options.seed);
  }

  addNode(node: RadioNode): void {
    if (this.#nodes.includes(node)) return;
    this.#nodes.push(node);
  }

  /** Puts a frame on the air now (or at `start`), announcing its start and end to every other node. */
  transmit(sender: RadioNode, params: LoRaFrameParams & { payload: Uint8Array; conductedDbm: number }, start = this.scheduler.now()): Transmission {
    const airtime = this.airtime(
      { spreadingFactor: params.spreadingFactor, bandwidthKhz: params.bandwidthKhz, codingRate: params.codingRate, preambleSymbols: params.preambleSymbols, crc: params.crc, implicitHeader: false },
      params.payload.length,
    );
    const symbolMicros = (2 ** params.spreadingFactor * 1000) / params.bandwidthKhz;
    const tx: Transmission = {
      id: this.#nextId++,
      sender,
      frequencyHz: params.frequencyHz,
      spreadingFactor: params.spreadingFactor,
      bandwidthKhz: params.bandwidthKhz,
      codingRate: params.codingRate,
      lowDataRateOptimize: params.lowDataRateOptimize,
      invertIq: params.invertIq,
      syncWord: params.syncWord,
      preambleSymbols: params.preambleSymbols,
      crc: params.crc,
      payload: Uint8Array.from(params.payload),
      eirpDbm: params.conductedDbm + sender.antennaGainDbi,
      start,
      end: start + airtime,
      symbolMicros,
      lockDeadline: start + Math.max(0, params.preambleSymbols - PREAMBLE_SYMBOLS_TO_LOCK) * symbolMicros,
      headerEnd: start + (params.preambleSymbols + 4.25 + 8) * symbolMicros,
    };
    // One shadowing draw per receiver, made now in node order so a seed reproduces the world.
    const shadows = new Map<RadioNode, number>();
    for (const node of this.#nodes) if (node !== sender) shadows.set(node, this.#rng.gaussian() * this.shadowingSigmaDb);
    this.#shadowing.set(tx, shadows);
    this.#prune(start);
    this.#recent.push(tx);
    if (this.log.length < this.logLimit) this.log.push(tx);
    this.scheduler.at(start, () => {
      for (const node of [...this.#nodes]) if (node !== sender) node.onAirStart?.(tx);
    });
    this.scheduler.at(tx.end, () => {
      for (const node of [...this.#nodes]) if (node !== sender) node.onAirEnd?.(tx);
    });
    return tx;
  }

  /** Received power of `tx` at `node`, dBm (EIRP + receive antenna gain - path loss - shadowing). */
  receivedPowerDbm(tx: Transmission, node: RadioNode): number {
    const d = Math.max(1, distanceMetres(tx.sender.position, node.position));
    const pathLoss = freeSpaceLossDb(1, tx.frequencyHz) + 10 * this.pathLossExponent * Math.log10(d);
    const shadow = this.#shadowing.get(tx)?.get(node) ?? 0;
    return tx.eirpDbm + node.antennaGainDbi - pathLoss - shadow;
  }

  /** SNR of `tx` at `node` for a receiver with the given noise figure, dB. */
  snrDb(tx: Transmission, node: RadioNode, noiseFigureDb: number): number {
    return this.receivedPowerDbm(tx, node) - noiseFloorDbm(tx.bandwidthKhz, noiseFigureDb);
  }

  /** Transmissions on the air at `time`. */
  onAir(time = this.scheduler.now()): Transmission[] {
    return this.#recent.filter((t) => t.start <= time && time < t.end);
  }

  /** Same-channel, same-SF transmissions (other than the node's own) overlapping `tx` in time. */
  interferers(tx: Transmission, node: RadioNode): Transmission[] {
    return this.#recent.filter((o) => o !== tx && o.sender !== node && overlaps(o, tx) && sameChannelAndSf(o, tx));
  }

  /** True when `tx` survives every overlapping same-channel, same-SF packet at `node` (6 dB capture). */
  survives(tx: Transmission, node: RadioNode): boolean {
    const p = this.receivedPowerDbm(tx, node);
    return this.interferers(tx, node).every((o) => p - this.receivedPowerDbm(o, node) >= CAPTURE_THRESHOLD_DB);
  }

  /** A uniform draw from the world's generator (the CRC lottery near the SNR floor). */
  draw(): number {
    return this.#rng.next();
  }

  #prune(now: number): void {
    // Keep anything that could still overlap a packet starting now (the longest LoRa frame is < 20 s).
    const horizon = now - 20_000_000;
    if (this.#recent.length > 0 && this.#recent[0].end < horizon) {
      const kept = this.#recent.filter((t) => t.end >= horizon);
      for (const t of this.#recent) if (t.end < horizon) this.#shadowing.delete(t);
      this.#recent = kept;
    }
  }
}

// What the hotspot counts about its traffic, per spreading factor and in total, plus the recent
// packets table and the chart accumulators. Fixed memory whatever the traffic.
import { StartErrors, type StartErrorHistogram } from "../radio/start-errors.js";
import type { PacketRecord, SfCounters } from "../web/status.js";
import { TrafficStats } from "../web/traffic.js";

/** Why a heard frame went nowhere. */
export type DropReason = "not_lorawan_uplink" | "beacon_poc_off";

export const DROP_REASONS: readonly DropReason[] = Object.freeze(["not_lorawan_uplink", "beacon_poc_off"]);

const RECENT_PACKETS = 32;

export interface TrafficTotals {
  heard: number;
  crcBad: number;
  routed: number;
  forwarded: number;
  beaconsHeard: number;
  dropped: Record<DropReason, number>;
  downlinksScheduled: number;
  downlinksRx2: number;
  downlinksRefused: number;
  downlinksBlocked: number;
  downlinksOnTime: number;
  downlinksLate: number;
  downlinksFailed: number;
}

function zeroTotals(): TrafficTotals {
  const dropped = {} as Record<DropReason, number>;
  for (const r of DROP_REASONS) dropped[r] = 0;
  return {
    heard: 0, crcBad: 0, routed: 0, forwarded: 0, beaconsHeard: 0, dropped,
    downlinksScheduled: 0, downlinksRx2: 0, downlinksRefused: 0, downlinksBlocked: 0,
    downlinksOnTime: 0, downlinksLate: 0, downlinksFailed: 0,
  };
}

export class TrafficCounters {
  totals: TrafficTotals = zeroTotals();
  #perSf = new Map<number, SfCounters>();
  #recent: PacketRecord[] = [];
  #charts = new TrafficStats();
  #startErrors = new StartErrors();

  /** Factory reset. */
  reset(): void {
    this.totals = zeroTotals();
    this.#perSf = new Map();
    this.#recent = [];
    this.#charts = new TrafficStats();
    this.#startErrors = new StartErrors();
  }

  heard(sf: number, rssi: number, monotonicMs: number): void {
    this.totals.heard++;
    this.#sf(sf).heard++;
    this.#charts.recordHeard(rssi, monotonicMs);
  }

  crcBad(sf: number): void {
    this.totals.crcBad++;
    this.#sf(sf).crcBad++;
  }

  dropped(sf: number, reason: DropReason): void {
    this.totals.dropped[reason]++;
    this.#sf(sf).dropped++;
  }

  /** Handed to an upstream that carries it for the network (the packet router or a GWMP server). */
  routed(sf: number, payloadBytes: number, via: "router" | "forwarder"): void {
    if (via === "router") this.totals.routed++;
    else this.totals.forwarded++;
    this.#sf(sf).routed++;
    this.#charts.recordCarried(payloadBytes);
  }

  /** A downlink went out; `errorMicros` is its measured start minus its scheduled start. */
  downlinkDone(sf: number, onTime: boolean, errorMicros?: number): void {
    if (errorMicros !== undefined) this.#startErrors.add(errorMicros);
    if (onTime) {
      this.totals.downlinksOnTime++;
      this.#sf(sf).downlinksOnTime++;
    } else {
      this.totals.downlinksLate++;
      this.#sf(sf).downlinksLate++;
    }
  }

  packet(record: PacketRecord): void {
    this.#recent.push(record);
    if (this.#recent.length > RECENT_PACKETS) this.#recent.shift();
  }

  /** Per-SF rows; `driverCrcBad` adds the CRC failures the driver counted without handing the frames out. */
  perSf(driverCrcBad: Record<number, number> = {}): SfCounters[] {
    for (const sf of Object.keys(driverCrcBad)) this.#sf(Number(sf));
    return [...this.#perSf.values()].sort((a, b) => a.sf - b.sf).map((c) => ({ ...c, crcBad: c.crcBad + (driverCrcBad[c.sf] ?? 0) }));
  }

  /** Newest first. */
  recentPackets(): PacketRecord[] {
    return this.#recent.slice().reverse();
  }

  startErrors(): StartErrorHistogram {
    return this.#startErrors.snapshot();
  }

  get charts(): TrafficStats {
    return this.#charts;
  }

  #sf(sf: number): SfCounters {
    let c = this.#perSf.get(sf);
    if (c === undefined) {
      c = { sf, heard: 0, crcBad: 0, routed: 0, dropped: 0, downlinksOnTime: 0, downlinksLate: 0 };
      this.#perSf.set(sf, c);
    }
    return c;
  }
}

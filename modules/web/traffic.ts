// Accumulators the app can feed to fill the status snapshot's charts and data-credit estimate:
// packets per minute (a ring on the monotonic clock), an RSSI histogram, and DC carried. Fixed
// memory whatever the traffic.

import { packetDataCredits, type DataCredits, type RssiHistogram } from "./status.js";

export interface TrafficStatsOptions {
  /** Minutes kept in the per-minute series. */
  minutes: number;
  fromDbm: number;
  binDb: number;
  bins: number;
}

const DEFAULTS: TrafficStatsOptions = Object.freeze({ minutes: 60, fromDbm: -140, binDb: 5, bins: 24 });

export class TrafficStats {
  readonly #options: TrafficStatsOptions;
  readonly #perMinute: Uint32Array;
  readonly #histogram: Uint32Array;
  /** Absolute minute number (monotonic ms / 60000) of the newest slot; -1 before the first packet. */
  #minute = -1;
  #packets = 0;
  #credits = 0;

  constructor(options: Partial<TrafficStatsOptions> = {}) {
    this.#options = { ...DEFAULTS, ...options };
    this.#perMinute = new Uint32Array(this.#options.minutes);
    this.#histogram = new Uint32Array(this.#options.bins);
  }

  /** A packet was heard (CRC good) at `rssi` dBm; `nowMs` is the monotonic clock. */
  recordHeard(rssi: number, nowMs: number): void {
    this.#advance(nowMs);
    this.#perMinute[this.#minute % this.#perMinute.length]++;
    const o = this.#options;
    const bin = Math.min(o.bins - 1, Math.max(0, Math.floor((rssi - o.fromDbm) / o.binDb)));
    this.#histogram[bin]++;
  }

  /** A packet with `payloadBytes` of payload was carried (routed) for the network. */
  recordCarried(payloadBytes: number): void {
    this.#packets++;
    this.#credits += packetDataCredits(payloadBytes);
  }

  /** Oldest first; the last entry is the current minute. */
  packetsPerMinute(nowMs: number): number[] {
    this.#advance(nowMs);
    const n = this.#perMinute.length;
    const out: number[] = [];
    for (let i = 1; i <= n; i++) out.push(this.#perMinute[(this.#minute + i) % n]);
    return out;
  }

  rssiHistogram(): RssiHistogram {
    return { fromDbm: this.#options.fromDbm, binDb: this.#options.binDb, counts: Array.from(this.#histogram) };
  }

  dataCredits(): DataCredits {
    return { packets: this.#packets, credits: this.#credits };
  }

  #advance(nowMs: number): void {
    const minute = Math.floor(nowMs / 60_000);
    if (this.#minute < 0) {
      this.#minute = minute;
      return;
    }
    const n = this.#perMinute.length;
    for (let m = this.#minute + 1; m <= minute && m <= this.#minute + n; m++) this.#perMinute[m % n] = 0;
    if (minute > this.#minute) this.#minute = minute;
  }
}

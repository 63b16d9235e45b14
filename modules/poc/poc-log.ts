// The PoC log for the dashboard: a bounded ring of recent events (beacons with frequency,
// datarate and power; witnesses heard and submitted; errors) plus running counters.

export type PocLogKind = "beacon" | "witness" | "session" | "skip" | "error";

export interface PocLogEntry {
  /** Unix ms when the wall clock was valid, else undefined. */
  wallMillis: number | undefined;
  /** Monotonic ms. */
  millis: number;
  kind: PocLogKind;
  message: string;
  frequencyHz?: number;
  datarate?: string;
  powerDbm?: number;
  rssi?: number;
  snr?: number;
  /** First bytes of the beacon payload, hex, to match a beacon and its witnesses. */
  data?: string;
}

export interface PocCounters {
  beaconsSent: number;
  beaconsFailed: number;
  beaconReportsSent: number;
  witnessesHeard: number;
  witnessesSubmitted: number;
  duplicatesDropped: number;
  ownBeaconsHeard: number;
  reportsDropped: number;
  sessions: number;
  errors: number;
}

export class PocLog {
  readonly counters: PocCounters = {
    beaconsSent: 0, beaconsFailed: 0, beaconReportsSent: 0, witnessesHeard: 0, witnessesSubmitted: 0,
    duplicatesDropped: 0, ownBeaconsHeard: 0, reportsDropped: 0, sessions: 0, errors: 0,
  };
  readonly #ring: PocLogEntry[] = [];
  #dropped = 0;

  constructor(readonly capacity = 64) {}

  add(entry: PocLogEntry): void {
    this.#ring.push(entry);
    if (this.#ring.length > this.capacity) {
      this.#ring.shift();
      this.#dropped++;
    }
  }

  /** Oldest first. */
  entries(): readonly PocLogEntry[] {
    return this.#ring.slice();
  }

  /** Entries pushed out of the ring so far. */
  get dropped(): number {
    return this.#dropped;
  }
}

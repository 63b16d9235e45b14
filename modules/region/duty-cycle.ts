// Transmit duty-cycle accounting for regions with sub-band limits (EU868, RU864): the airtime a
// transmitter spent in a sub-band over the last hour may not exceed the sub-band's limit.
//
// Airtime is summed in one-minute buckets (60 per sub-band, a fixed-size ring), so memory stays
// bounded however many packets are sent. A packet counts in the bucket of its start time and the
// window covers the current bucket plus the 59 before it: the estimate errs on the safe side (a
// packet is forgotten between 59 and 60 minutes after it was sent, never earlier).
import type { DutyCycleSubBand } from "./plan-types.js";

export const DUTY_CYCLE_WINDOW_US = 3_600_000_000;
const BUCKETS = 60;
const BUCKET_US = DUTY_CYCLE_WINDOW_US / BUCKETS;

export type DutyCycleDecision =
  | { ok: true; subBand: string | undefined }
  | { ok: false; reason: "no-sub-band"; frequencyHz: number }
  | { ok: false; reason: "exhausted"; subBand: string; usedUs: number; allowedUs: number };

/** A reservation that can be given back if the transmission does not happen. */
export interface DutyCycleReservation {
  readonly subBand: number;
  readonly bucket: number;
  readonly airtimeUs: number;
}

interface BandState {
  readonly band: DutyCycleSubBand;
  readonly airtime: Float64Array;
  /** Absolute bucket number held in each ring slot, so stale slots are recognised. */
  readonly slotBucket: Float64Array;
}

export class DutyCycleTracker {
  readonly #bands: BandState[];

  constructor(subBands: readonly DutyCycleSubBand[]) {
    this.#bands = subBands.map((band) => ({ band, airtime: new Float64Array(BUCKETS), slotBucket: new Float64Array(BUCKETS).fill(-1) }));
  }

  /** True when the region limits duty cycle at all. */
  get limited(): boolean {
    return this.#bands.length > 0;
  }

  /** Would a transmission of `airtimeUs` starting at `startUs` (monotonic µs) fit? */
  check(frequencyHz: number, startUs: number, airtimeUs: number): DutyCycleDecision {
    if (this.#bands.length === 0) return { ok: true, subBand: undefined };
    const index = this.#bandIndex(frequencyHz);
    if (index < 0) return { ok: false, reason: "no-sub-band", frequencyHz };
    const state = this.#bands[index];
    const usedUs = this.#used(state, Math.floor(startUs / BUCKET_US));
    const allowedUs = state.band.limit * DUTY_CYCLE_WINDOW_US;
    if (usedUs + airtimeUs > allowedUs) return { ok: false, reason: "exhausted", subBand: state.band.name, usedUs, allowedUs };
    return { ok: true, subBand: state.band.name };
  }

  /** Checks and, if it fits, books the airtime. Returns the decision and the reservation to undo it. */
  reserve(frequencyHz: number, startUs: number, airtimeUs: number): { decision: DutyCycleDecision; reservation?: DutyCycleReservation } {
    const decision = this.check(frequencyHz, startUs, airtimeUs);
    if (!decision.ok || this.#bands.length === 0) return { decision };
    const subBand = this.#bandIndex(frequencyHz);
    const bucket = Math.floor(startUs / BUCKET_US);
    const state = this.#bands[subBand];
    const slot = bucket % BUCKETS;
    if (state.slotBucket[slot] !== bucket) {
      state.slotBucket[slot] = bucket;
      state.airtime[slot] = 0;
    }
    state.airtime[slot] += airtimeUs;
    return { decision, reservation: { subBand, bucket, airtimeUs } };
  }

  /** Gives back a reservation whose transmission was cancelled. */
  release(reservation: DutyCycleReservation): void {
    const state = this.#bands[reservation.subBand];
    const slot = reservation.bucket % BUCKETS;
    if (state !== undefined && state.slotBucket[slot] === reservation.bucket) {
      state.airtime[slot] = Math.max(0, state.airtime[slot] - reservation.airtimeUs);
    }
  }

  /** Airtime used in the sub-band containing `frequencyHz` over the window ending at `nowUs`. */
  usedUs(frequencyHz: number, nowUs: number): number {
    const index = this.#bandIndex(frequencyHz);
    return index < 0 ? 0 : this.#used(this.#bands[index], Math.floor(nowUs / BUCKET_US));
  }

  #bandIndex(hz: number): number {
    return this.#bands.findIndex((s) => hz >= s.band.lowHz && hz <= s.band.highHz);
  }

  #used(state: BandState, currentBucket: number): number {
    let sum = 0;
    for (let slot = 0; slot < BUCKETS; slot++) {
      const b = state.slotBucket[slot];
      if (b > currentBucket - BUCKETS && b <= currentBucket) sum += state.airtime[slot];
    }
    return sum;
  }
}

// The beacon transmitter over the radio service (modules/radio): a beacon is queued as an
// immediate, non-inverted transmission of kind "beacon"; the radio's outcome for that id gives the
// power actually used and the TX start tmst. The composition root passes the radio's onDownlink
// outcomes to `onOutcome`.
import type { DownlinkOutcome, DownlinkRequest, ScheduleResult } from "../radio/radio.js";
import type { BeaconRadio, BeaconTransmission, BeaconTxResult } from "./types.js";

export interface BeaconScheduler {
  schedule(request: DownlinkRequest): ScheduleResult;
}

export class RadioBeaconTransmitter implements BeaconRadio {
  readonly #pending = new Map<number, (result: BeaconTxResult) => void>();

  constructor(private readonly radio: BeaconScheduler) {}

  transmit(tx: BeaconTransmission, done: (result: BeaconTxResult) => void): void {
    const queued = this.radio.schedule({
      payload: tx.frame,
      frequencyHz: tx.frequencyHz,
      datarate: tx.datarate,
      powerDbm: tx.powerDbm,
      codingRate: tx.codingRate,
      invertIq: tx.invertIq,
      crc: tx.crc,
      kind: "beacon",
    });
    if (!queued.ok) return done({ ok: false, error: `${queued.error}: ${queued.detail}` });
    this.#pending.set(queued.id, done);
  }

  /** Every radio outcome; those of beacons finish their transmission. */
  onOutcome(outcome: DownlinkOutcome): void {
    const done = this.#pending.get(outcome.id);
    if (!done) return;
    this.#pending.delete(outcome.id);
    if (!outcome.ok) done({ ok: false, error: outcome.error ?? "not transmitted" });
    else done({ ok: true, powerDbm: outcome.powerDbm, tmst: outcome.startedTmst ?? outcome.tmst });
  }
}

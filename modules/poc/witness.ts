// The witness path (spec 3.1-3.3): a received frame that is proprietary (MType 111, Major 0),
// 52 bytes long, CRC-good and LoRa SF7-12 is a potential beacon; the 15-entry cache drops
// duplicates and the hotspot's own beacon; anything else becomes a witness report that goes out
// at once, signed with the session key.
import { type PocContext, note, shortHex } from "./context.js";
import { loraDataRate } from "./datarates.js";
import { unixNanos, witnessReportFields } from "./reports.js";
import type { ReceivedFrame } from "./types.js";

export const BEACON_FRAME_BYTES = 52;

/** MType 111 (proprietary) with Major 0, and the beacon's length. */
export function isPotentialBeacon(payload: Uint8Array): boolean {
  return payload.length === BEACON_FRAME_BYTES && payload[0] >> 5 === 0b111 && (payload[0] & 0b11) === 0;
}

export class WitnessReporter {
  constructor(private readonly ctx: PocContext) {}

  /** Returns true when the frame was beacon-shaped (handled here, whatever became of it). */
  onFrame(frame: ReceivedFrame): boolean {
    if (!isPotentialBeacon(frame.payload) || !frame.crcOk) return false;
    const datarate = loraDataRate(frame.datarate);
    if (datarate === undefined) return false;
    const { ctx } = this;
    const blocked = ctx.blockedBy();
    if (blocked) return true; // PoC off or region unknown: gateway-rs ignores beacons then
    const data = frame.payload.subarray(1);
    if (!ctx.cache.tag(data)) {
      if (ctx.ownBeacons.has(data)) ctx.log.counters.ownBeaconsHeard++;
      else ctx.log.counters.duplicatesDropped++;
      return true;
    }
    ctx.log.counters.witnessesHeard++;
    const rssi = frame.signalRssi ?? frame.rssi;
    const entry = { frequencyHz: frame.freq, datarate: frame.datarate, rssi, snr: frame.snr, data: shortHex(data) };
    const wall = ctx.clock.wallMillis();
    if (wall === undefined) {
      ctx.log.counters.reportsDropped++;
      return note(ctx, { kind: "error", message: "beacon heard, witness dropped: wall clock not valid", ...entry }), true;
    }
    const fields = witnessReportFields({
      pubKey: ctx.gateway.publicKeyBin,
      data,
      timestampNs: unixNanos(wall),
      tmst: frame.tmst,
      rssiDbm: rssi,
      snrDb: frame.snr,
      frequencyHz: frame.freq,
      datarate,
    });
    const submitted = ctx.session.submit("lora_witness_report_req_v1", fields);
    if (submitted.ok) {
      ctx.log.counters.witnessesSubmitted++;
      note(ctx, { kind: "witness", message: `beacon heard at ${frame.freq} Hz ${frame.datarate} ${rssi} dBm, witness submitted`, ...entry });
    } else {
      ctx.log.counters.reportsDropped++;
      note(ctx, { kind: "error", message: `beacon heard, witness dropped: ${submitted.reason}`, ...entry });
    }
    return true;
  }
}

// Everything that asks the radio to transmit, adapted to the radio part: the packet router's
// downlinks (RX1, then RX2 when RX1 is refused as too late or too early, as gateway-rs retries),
// the Semtech forwarder's txpk, and PoC beacons.
import type { Downlink, DownlinkWindow } from "../router/packet-router.js";
import type { DownlinkOutcome, DownlinkRequest, ScheduleResult, TxRefusal } from "../radio/radio.js";
import type { BeaconRadio, BeaconTransmission, BeaconTxResult } from "../poc/types.js";
import type { DownlinkRequest as ForwarderRequest, DownlinkScheduler, ScheduleCode } from "../forwarder/types.js";
import { DATA_RATE } from "../proto/schema.js";

/** The part of RadioPart transmitters need. */
export interface Transmitter {
  schedule(request: DownlinkRequest, done?: (outcome: DownlinkOutcome) => void): ScheduleResult;
}

const DATA_RATE_NAMES = new Map<number, string>(Object.entries(DATA_RATE).map(([name, value]) => [value, name]));

/** "SF9BW500" for a helium.data_rate value; LR-FHSS and FSK values are returned as "datarate N" (the radio refuses them). */
export function heliumDataRateName(value: number): string {
  return DATA_RATE_NAMES.get(value) ?? `datarate ${value}`;
}

export interface RouterDownlinkResult {
  window: "RX1" | "RX2";
  result: ScheduleResult;
  /** RX1's refusal when RX2 was tried. */
  rx1Refusal?: TxRefusal;
}

const RETRY_IN_RX2: readonly TxRefusal[] = Object.freeze(["TOO_LATE", "TOO_EARLY"]);

/**
 * A packet_down from the router: RX1 with inverted IQ at `powerDbm`; when the JIT queue refuses RX1
 * as TOO_LATE or TOO_EARLY and the router gave an RX2 window, RX2 instead.
 */
export function scheduleRouterDownlink(
  radio: Transmitter,
  downlink: Downlink,
  powerDbm: number | undefined,
  done?: (window: "RX1" | "RX2", outcome: DownlinkOutcome) => void,
): RouterDownlinkResult {
  const request = (w: DownlinkWindow): DownlinkRequest => ({
    payload: downlink.payload,
    ...(w.immediate ? {} : { tmst: w.tmst }),
    frequencyHz: w.frequency,
    datarate: heliumDataRateName(w.datarate),
    ...(powerDbm === undefined ? {} : { powerDbm }),
    invertIq: true,
    kind: "downlink",
  });
  const rx1 = radio.schedule(request(downlink.rx1), done && ((o) => done("RX1", o)));
  if (rx1.ok || downlink.rx2 === undefined || !RETRY_IN_RX2.includes(rx1.error)) return { window: "RX1", result: rx1 };
  const rx2 = radio.schedule(request(downlink.rx2), done && ((o) => done("RX2", o)));
  return { window: "RX2", result: rx2, rx1Refusal: rx1.error };
}

/**
 * The forwarder's downlink queue. GWMP's TX_ACK has no code for a duty-cycle refusal, an invalid
 * request or a radio that is down: those are answered COLLISION_PACKET ("this slot cannot be
 * used") and the real reason is logged by `onRefusal`.
 */
export function forwarderScheduler(radio: Transmitter, onRefusal?: (refusal: TxRefusal, detail: string) => void): DownlinkScheduler {
  return {
    schedule(req: ForwarderRequest) {
      const result = radio.schedule(
        {
          payload: req.payload,
          ...(req.timing.kind === "tmst" ? { tmst: req.timing.tmst } : {}),
          frequencyHz: req.freqHz,
          datarate: { spreadingFactor: req.datarate.sf, bandwidthKhz: req.datarate.bw as 125 | 250 | 500 },
          powerDbm: req.powerDbm,
          codingRate: Number(req.codingRate.slice(2)),
          invertIq: req.invertIq,
          crc: req.crc,
          preambleSymbols: req.preamble,
          kind: "downlink",
        },
        (outcome) => req.onDone?.(outcome.ok),
      );
      if (result.ok) return result.warning === "TX_POWER" ? { code: "TX_POWER", powerUsedDbm: result.powerDbm } : { code: "NONE" };
      const direct: readonly TxRefusal[] = ["TOO_LATE", "TOO_EARLY", "COLLISION_PACKET", "COLLISION_BEACON", "TX_FREQ"];
      if (direct.includes(result.error)) return { code: result.error as ScheduleCode };
      onRefusal?.(result.error, result.detail);
      return { code: "COLLISION_PACKET" };
    },
  };
}

/** PoC beacons: immediate, not inverted, kind "beacon"; the outcome gives the power used and the TX tmst. */
export function beaconRadio(radio: Transmitter): BeaconRadio {
  return {
    transmit(tx: BeaconTransmission, done: (result: BeaconTxResult) => void): void {
      const queued = radio.schedule(
        { payload: tx.frame, frequencyHz: tx.frequencyHz, datarate: tx.datarate, powerDbm: tx.powerDbm, codingRate: tx.codingRate, invertIq: tx.invertIq, crc: tx.crc, kind: "beacon" },
        (outcome) => done(outcome.ok ? { ok: true, powerDbm: outcome.powerDbm, tmst: outcome.startedTmst ?? outcome.tmst } : { ok: false, error: outcome.error ?? "not transmitted" }),
      );
      if (!queued.ok) done({ ok: false, error: `${queued.error}: ${queued.detail}` });
    },
  };
}

// The classifier on the hot path: every frame the radio hears is counted, classified by the compute
// core and sent where it belongs: LoRaWAN uplinks (join requests, data up) to the packet router
// and/or the Semtech forwarder, beacon-shaped frames to PoC witnessing (and to the forwarder, whose
// gateway-rs witnesses them). CRC failures and anything else (downlinks heard from other gateways,
// other proprietary frames, junk) go nowhere and are counted by reason.
import type { Core } from "../core/core.js";
import type { Clock } from "../host/provider.js";
import type { UplinkEvent } from "../radio/radio.js";
import type { Uplink } from "../router/packet-router.js";
import type { ReceivedFrame } from "../poc/types.js";
import type { UplinkEvent as ForwarderUplink } from "../forwarder/types.js";
import { parseDataRateName } from "../region/datarate.js";
import { DATA_RATE } from "../proto/schema.js";
import type { TrafficCounters } from "./counters.js";

/** Where frames can go; absent = that path is not running (mode, PoC off). */
export interface UplinkPaths {
  router?(uplink: Uplink): void;
  /** True when PoC took the frame (it was beacon-shaped). */
  poc?(frame: ReceivedFrame): boolean;
  forwarder?(event: ForwarderUplink): void;
}

const LORAWAN_UPLINKS = new Set(["join_request", "unconfirmed_up", "confirmed_up"]);

export class UplinkDispatcher {
  constructor(
    private readonly core: Core,
    private readonly clock: Clock,
    private readonly counters: TrafficCounters,
    private readonly paths: () => UplinkPaths,
  ) {}

  handle(e: UplinkEvent): void {
    const dr = parseDataRateName(e.datarate);
    const sf = dr?.spreadingFactor ?? 0;
    if (!e.crcOk) return this.counters.crcBad(sf);
    this.counters.heard(sf, e.rssi, this.clock.millis());
    const frame = this.core.classifyLoRaWAN(e.payload);
    const paths = this.paths();
    if (LORAWAN_UPLINKS.has(frame.type)) {
      if (frame.devAddr !== undefined) {
        const wall = this.clock.wallMillis();
        this.counters.packet({
          time: wall === undefined ? null : Math.floor(wall),
          devAddr: frame.devAddr.toString(16).padStart(8, "0"),
          fCnt: frame.fCnt ?? 0,
          freq: e.freq,
          sf,
          rssi: e.rssi,
          snr: e.snr,
        });
      }
      paths.router?.({
        payload: e.payload,
        tmst: e.tmst,
        rssi: e.rssi,
        snr: e.snr,
        frequency: e.freq,
        datarate: (DATA_RATE as Record<string, number>)[e.datarate] ?? 0,
        receivedAt: this.clock.millis(),
      });
      // In "both" mode the router's count is the one that says "routed".
      if (this.#forward(e, paths, sf) && paths.router === undefined) this.counters.routed(sf, e.payload.length, "forwarder");
      return;
    }
    if (frame.type === "beacon") {
      this.counters.totals.beaconsHeard++;
      const witnessed = paths.poc?.({ payload: e.payload, tmst: e.tmst, rssi: e.rssi, signalRssi: e.signalRssi, snr: e.snr, freq: e.freq, datarate: e.datarate, crcOk: true }) ?? false;
      const forwarded = this.#forward(e, paths, sf);
      if (!witnessed && !forwarded) this.counters.dropped(sf, "beacon_poc_off");
      return;
    }
    this.counters.dropped(sf, "not_lorawan_uplink");
  }

  /** GWMP gets what a gateway-rs behind it can use; true when a forwarder took it. */
  #forward(e: UplinkEvent, paths: UplinkPaths, sf: number): boolean {
    if (paths.forwarder === undefined) return false;
    const dr = parseDataRateName(e.datarate);
    paths.forwarder({
      payload: e.payload,
      tmst: e.tmst,
      rssi: e.rssi,
      snr: e.snr,
      freq: e.freq,
      datarate: { sf, bw: dr?.bandwidthKhz ?? 0 },
      crcOk: e.crcOk,
      codingRate: e.codingRate,
    });
    return true;
  }
}

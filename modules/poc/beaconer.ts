// The beaconer (spec 2.2, 1.3-1.5): one beacon per interval window at a random second inside it,
// re-anchored whenever region params arrive; for each beacon, fresh remote entropy, the beacon
// built by the core, the 52-byte frame sent with the beacon's frequency, datarate and conducted
// power (normal IQ, CR 4/5, CRC on), then the signed beacon report with the power the radio
// actually used and its TX tmst.
import type { TimerHandle } from "../host/provider.js";
import type { Beacon } from "../core/core.js";
import { type PocContext, note, shortHex } from "./context.js";
import { dataRateName } from "./datarates.js";
import { beaconReportFields, unixNanos } from "./reports.js";
import { nextBeaconTime, randomBelow } from "./schedule.js";
import type { BeaconRadio, BeaconTxResult, EntropySource, PocRegion, RemoteEntropy } from "./types.js";

export interface BeaconerOptions {
  /** Window length, seconds. gateway-rs: 6 h; the simulator uses seconds to minutes. */
  intervalSeconds: number;
  entropy: EntropySource;
  radio: BeaconRadio;
  /** How long the radio may take to confirm a transmission (gateway-rs DOWNLINK_TIMEOUT 5 s). */
  txTimeoutMs?: number;
}

export class Beaconer {
  /** The planned (or, after a tick, the last) beacon time, Unix seconds. */
  nextBeaconSeconds: number | undefined;
  #timer: TimerHandle | undefined;
  #busy = false;
  #running = false;

  constructor(
    private readonly ctx: PocContext,
    private readonly options: BeaconerOptions,
  ) {
    if (!(options.intervalSeconds >= 1) || !Number.isInteger(options.intervalSeconds)) {
      throw new RangeError(`beacon interval must be a whole number of seconds >= 1, not ${options.intervalSeconds}`);
    }
  }

  get intervalSeconds(): number {
    return this.options.intervalSeconds;
  }

  /** As gateway-rs: the first tick one interval after start, until region params re-anchor it. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm(this.options.intervalSeconds * 1000);
    const region = this.ctx.region();
    if (region) this.regionChanged(region);
  }

  stop(): void {
    this.#running = false;
    this.ctx.timers.clear(this.#timer);
    this.#timer = undefined;
  }

  /** Region params arrived: plan the next beacon from their timestamp. */
  regionChanged(region: PocRegion | undefined): void {
    if (!this.#running || !region) return;
    const wall = this.ctx.clock.wallMillis();
    const now = region.timestampSeconds ?? (wall === undefined ? undefined : Math.floor(wall / 1000));
    if (now === undefined) return; // no notion of "now" yet: keep the interval timer
    const interval = this.options.intervalSeconds;
    const next = nextBeaconTime(now, this.nextBeaconSeconds, interval, (n) => randomBelow(this.ctx.random, n));
    this.nextBeaconSeconds = next;
    this.#arm((next - now) * 1000);
  }

  #arm(ms: number): void {
    this.ctx.timers.clear(this.#timer);
    this.#timer = this.ctx.timers.set(() => this.#tick(), ms);
  }

  #tick(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    this.#arm(this.options.intervalSeconds * 1000);
    const wall = this.ctx.clock.wallMillis();
    if (wall !== undefined) this.nextBeaconSeconds = Math.floor(wall / 1000);
    const blocked = this.ctx.blockedBy() ?? (wall === undefined ? "wall clock not valid" : this.#busy ? "previous beacon still in flight" : undefined);
    if (blocked) return note(this.ctx, { kind: "skip", message: `beacon skipped: ${blocked}` });
    const region = this.ctx.region()!;
    this.#busy = true;
    this.options.entropy.fetch((result) => {
      if (!result.ok) return this.#fail(`no remote entropy: ${result.error}`);
      this.#build(region, result.entropy);
    });
  }

  #build(region: PocRegion, remote: RemoteEntropy): void {
    const local = new Uint8Array(4);
    this.ctx.random(local);
    let beacon: Beacon;
    try {
      beacon = this.ctx.core.deriveBeacon({
        remoteData: remote.data,
        remoteTimestamp: remote.timestamp,
        remoteVersion: remote.version,
        localData: local,
        regionParams: region.params,
        gainDbiX10: region.gainX10,
      });
    } catch (error) {
      return this.#fail(`beacon not built: ${(error as Error).message}`);
    }
    const datarate = dataRateName(beacon.datarate) ?? `datarate ${beacon.datarate}`;
    // Tag first: a hotspot must never witness its own beacon.
    this.ctx.cache.tag(beacon.data);
    this.ctx.ownBeacons.tag(beacon.data);
    let settled = false;
    const timeout = this.ctx.timers.set(() => finish({ ok: false, error: `no TX confirmation within ${this.options.txTimeoutMs ?? 5000} ms` }), this.options.txTimeoutMs ?? 5000);
    const finish = (tx: BeaconTxResult): void => {
      if (settled) return;
      settled = true;
      this.ctx.timers.clear(timeout);
      if (!tx.ok) return this.#fail(`beacon not sent at ${beacon.frequency} Hz ${datarate}: ${tx.error}`);
      this.#sent(beacon, datarate, local, remote, tx);
    };
    this.options.radio.transmit(
      { frame: beacon.frame, frequencyHz: beacon.frequency, datarate, powerDbm: beacon.conductedPower, invertIq: false, codingRate: 5, crc: true },
      finish,
    );
  }

  #sent(beacon: Beacon, datarate: string, local: Uint8Array, remote: RemoteEntropy, tx: { powerDbm: number; tmst: number }): void {
    this.#busy = false;
    const { ctx } = this;
    ctx.log.counters.beaconsSent++;
    const entry = { frequencyHz: beacon.frequency, datarate, powerDbm: tx.powerDbm, data: shortHex(beacon.data) };
    const wall = ctx.clock.wallMillis();
    if (wall === undefined) {
      ctx.log.counters.reportsDropped++;
      return note(ctx, { kind: "error", message: "beacon sent, report dropped: wall clock not valid", ...entry });
    }
    const fields = beaconReportFields({
      pubKey: ctx.gateway.publicKeyBin,
      localEntropy: local,
      remoteEntropy: remote.data,
      data: beacon.data,
      frequencyHz: beacon.frequency,
      datarate: beacon.datarate,
      txPowerDbm: tx.powerDbm,
      timestampNs: unixNanos(wall),
      tmst: tx.tmst,
    });
    const submitted = ctx.session.submit("lora_beacon_report_req_v1", fields);
    if (submitted.ok) {
      ctx.log.counters.beaconReportsSent++;
      note(ctx, { kind: "beacon", message: `beacon sent at ${beacon.frequency} Hz ${datarate} ${tx.powerDbm} dBm, report submitted`, ...entry });
    } else {
      ctx.log.counters.reportsDropped++;
      note(ctx, { kind: "error", message: `beacon sent at ${beacon.frequency} Hz ${datarate} ${tx.powerDbm} dBm, report dropped: ${submitted.reason}`, ...entry });
    }
  }

  #fail(message: string): void {
    this.#busy = false;
    this.ctx.log.counters.beaconsFailed++;
    note(this.ctx, { kind: "error", message });
  }
}

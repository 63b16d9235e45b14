// The radio service: turns the driver's packets into uplink events, and downlink requests into
// transmissions at the right microsecond through the JIT queue, within the region's frequency,
// power and duty-cycle rules. Platform-neutral: the driver, clock, timers and airtime function
// are handed in by the composition root.
import type { Clock, Log, TimerHandle, Timers } from "../host/provider.js";
import type { RegionPlan } from "../region/plan-types.js";
import { dataRateName, inBand, parseDataRateName } from "../region/datarate.js";
import { DutyCycleTracker, type DutyCycleReservation } from "../region/duty-cycle.js";
import type { AirtimeFunction } from "./airtime.js";
import { JitQueue, tmstDelta, type JitRefusal, type JitTiming, type TxKind } from "./jit-queue.js";
import { checkListenPlan, type ListenPlan } from "./listen-plan.js";
import { startToleranceMicros } from "./start-tolerance.js";

// ---------------------------------------------------------------- the driver as the radio sees it

export interface RadioDriverPacket {
  payload: Uint8Array;
  micros: number;
  tmst: number;
  rssi: number;
  snr: number;
  signalRssi: number;
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: number;
  codingRate: number;
}
export interface RadioDriverTx {
  payload: Uint8Array;
  frequencyHz: number;
  spreadingFactor: number;
  bandwidthKhz: 125 | 250 | 500;
  codingRate?: number;
  powerDbm: number;
  invertIq: boolean;
  preambleSymbols?: number;
  crc?: boolean;
  at?: number;
  tag?: unknown;
}
export interface RadioDriverReport {
  tag: unknown;
  ok: boolean;
  error?: string;
  detail?: string;
  micros?: number;
  tmst?: number;
  powerDbm: number;
}
export interface RadioDriverFault {
  kind: string;
  message: string;
  recovering: boolean;
  failed: boolean;
}
/** What the radio needs from a driver (the SX1262 driver has this shape). */
export interface RadioDriver {
  configure(options: { listen?: ListenPlan }): void;
  write(request: RadioDriverTx): boolean;
  read(): RadioDriverPacket | undefined;
  close(): void;
  /** Frames that failed their CRC, per SF, where the driver counts them (it never hands them out). */
  readonly stats?: { readonly perSf: Readonly<Record<number, { readonly crcErrors: number }>> };
}
export interface RadioDriverCallbacks {
  onReadable(count: number): void;
  onTransmitted(report: RadioDriverReport): void;
  onError(fault: RadioDriverFault): void;
}

// ---------------------------------------------------------------- events and requests

/** One received uplink. `freq` is in Hz; `datarate` is "SF7BW125"; `crcOk` is false only if a driver forwards CRC failures. */
export interface UplinkEvent {
  payload: Uint8Array;
  tmst: number;
  rssi: number;
  snr: number;
  freq: number;
  datarate: string;
  crcOk: boolean;
  signalRssi: number;
  codingRate: string;
  /** End of packet on the host clock (µs, float). */
  micros: number;
}

export type TxRefusal = JitRefusal | "TX_FREQ" | "DUTY_CYCLE" | "INVALID" | "RADIO_DOWN";

export interface DownlinkRequest {
  payload: Uint8Array;
  /** Start of the transmission as a tmst; absent = as soon as possible (class C). */
  tmst?: number;
  frequencyHz: number;
  /** "SF12BW500" or its parts. */
  datarate: string | { spreadingFactor: number; bandwidthKhz: 125 | 250 | 500 };
  /** Conducted power wanted, dBm; default the most the region and board allow. */
  powerDbm?: number;
  /** Coding rate denominator (5 = 4/5). */
  codingRate?: number;
  /** LoRaWAN downlinks invert IQ (default); PoC beacons do not. */
  invertIq?: boolean;
  crc?: boolean;
  preambleSymbols?: number;
  kind?: TxKind;
}

export type ScheduleResult =
  | { ok: true; id: number; tmst: number; powerDbm: number; warning?: "TX_POWER" }
  | { ok: false; error: TxRefusal; detail: string };

export interface DownlinkOutcome {
  id: number;
  kind: TxKind;
  ok: boolean;
  /** The tmst it was scheduled for, and when the driver measured its start. */
  tmst: number;
  startedTmst?: number;
  /** started - scheduled, µs (measured by the driver, never assumed). */
  errorMicros?: number;
  /** On time: |errorMicros| within toleranceMicros (start-tolerance.ts). */
  onTime: boolean;
  toleranceMicros: number;
  error?: string;
  detail?: string;
  powerDbm: number;
}

export interface RadioStats {
  uplinks: number;
  perSf: Record<number, number>;
  downlinksQueued: number;
  downlinksOnTime: number;
  downlinksLate: number;
  downlinksFailed: number;
  refused: Record<TxRefusal, number>;
  faults: number;
}

export interface RadioOptions {
  /** Builds the driver with the radio's callbacks (so the driver can be constructed with them, ECMA-419 style). */
  driver: (callbacks: RadioDriverCallbacks) => RadioDriver;
  clock: Clock;
  timers: Timers;
  region: RegionPlan;
  listen: ListenPlan;
  airtime: AirtimeFunction;
  /** Antenna gain, dBi: the region's EIRP limit minus this is the most conducted power allowed. Default 2.15 (the regional parameters' assumption). */
  antennaGainDbi?: number;
  /** Highest conducted power the board allows, dBm. Default 22 (SX1262). */
  maxConductedDbm?: number;
  jit?: Partial<JitTiming>;
  /** A downlink that starts within this many µs of its tmst counts as on time. Default: one symbol of its datarate (start-tolerance.ts). */
  onTimeToleranceMicros?: number;
  onUplink?(event: UplinkEvent): void;
  onDownlink?(outcome: DownlinkOutcome): void;
  onFault?(fault: RadioDriverFault): void;
  log?: Log;
}

interface Queued {
  id: number;
  tx: Omit<RadioDriverTx, "at" | "tag">;
  reservation: DutyCycleReservation | undefined;
}

/** The SX1262 HP PA's lowest setting. */
const MIN_POWER_DBM = -9;

function emptyRefusals(): Record<TxRefusal, number> {
  return { TOO_LATE: 0, TOO_EARLY: 0, COLLISION_PACKET: 0, COLLISION_BEACON: 0, TX_FREQ: 0, DUTY_CYCLE: 0, INVALID: 0, RADIO_DOWN: 0 };
}

export class Radio {
  readonly stats: RadioStats = { uplinks: 0, perSf: {}, downlinksQueued: 0, downlinksOnTime: 0, downlinksLate: 0, downlinksFailed: 0, refused: emptyRefusals(), faults: 0 };
  readonly #o: RadioOptions;
  readonly #driver: RadioDriver;
  readonly #jit: JitQueue<Queued>;
  readonly #dutyCycle: DutyCycleTracker;
  readonly #inFlight = new Map<number, { kind: TxKind; tmst: number; toleranceMicros: number; reservation: DutyCycleReservation | undefined }>();
  #listen: ListenPlan;
  #timer: TimerHandle | undefined;
  #nextId = 1;
  #closed = false;

  constructor(options: RadioOptions) {
    const problems = checkListenPlan(options.listen, options.region);
    if (problems.length > 0) throw new RangeError(`listen plan: ${problems.join("; ")}`);
    this.#o = options;
    this.#listen = options.listen;
    this.#jit = new JitQueue<Queued>(options.jit);
    this.#dutyCycle = new DutyCycleTracker(options.region.dutyCycle);
    this.#driver = options.driver({
      onReadable: () => this.#drain(),
      onTransmitted: (report) => this.#transmitted(report),
      onError: (fault) => {
        this.stats.faults++;
        this.#o.log?.(fault.failed ? "error" : "warn", "radio", `${fault.kind}: ${fault.message}`);
        this.#o.onFault?.(fault);
      },
    });
  }

  get listenPlan(): ListenPlan {
    return this.#listen;
  }

  /** The most conducted power the region (EIRP minus antenna gain) and the board allow, whole dBm. */
  get maxConductedDbm(): number {
    const gain = this.#o.antennaGainDbi ?? this.#o.region.referenceAntennaGainDbi;
    return Math.min(this.#o.maxConductedDbm ?? 22, Math.floor(this.#o.region.maxEirpDbm - gain));
  }

  setListenPlan(plan: ListenPlan): void {
    const problems = checkListenPlan(plan, this.#o.region);
    if (problems.length > 0) throw new RangeError(`listen plan: ${problems.join("; ")}`);
    this.#listen = plan;
    this.#driver.configure({ listen: plan });
  }

  /** Queues a downlink (or beacon). The outcome arrives later through onDownlink. */
  schedule(request: DownlinkRequest): ScheduleResult {
    const refuse = (error: TxRefusal, detail: string): ScheduleResult => {
      this.stats.refused[error]++;
      return { ok: false, error, detail };
    };
    if (this.#closed) return refuse("RADIO_DOWN", "radio closed");
    const dr = typeof request.datarate === "string" ? parseDataRateName(request.datarate) : request.datarate;
    if (dr === undefined) return refuse("INVALID", `datarate ${String(request.datarate)}`);
    if (!(request.payload instanceof Uint8Array) || request.payload.length === 0 || request.payload.length > 255) return refuse("INVALID", "payload must be 1..255 bytes");
    if (!inBand(this.#o.region, request.frequencyHz)) return refuse("TX_FREQ", `${request.frequencyHz} Hz is outside ${this.#o.region.name}`);
    const cr = request.codingRate ?? 5;
    if (!Number.isInteger(cr) || cr < 5 || cr > 8) return refuse("INVALID", `coding rate 4/${cr}`);
    const max = this.maxConductedDbm;
    const wanted = request.powerDbm ?? max;
    const powerDbm = Math.max(MIN_POWER_DBM, Math.min(max, Math.floor(wanted)));
    const warning = powerDbm !== wanted ? ("TX_POWER" as const) : undefined;
    const preamble = request.preambleSymbols ?? 8;
    const crc = request.crc ?? true;
    const airtime = this.#o.airtime({ spreadingFactor: dr.spreadingFactor, bandwidthKhz: dr.bandwidthKhz, codingRate: cr, preambleSymbols: preamble, crc, implicitHeader: false }, request.payload.length);
    const kind = request.kind ?? "downlink";
    const now = this.#o.clock.micros();
    const nowTmst = Math.floor(now) >>> 0;
    const id = this.#nextId++;
    const tx: Queued["tx"] = {
      payload: Uint8Array.from(request.payload),
      frequencyHz: request.frequencyHz,
      spreadingFactor: dr.spreadingFactor,
      bandwidthKhz: dr.bandwidthKhz,
      codingRate: cr,
      powerDbm,
      invertIq: request.invertIq ?? kind === "downlink",
      preambleSymbols: preamble,
      crc,
    };
    const queued: Queued = { id, tx, reservation: undefined };
    const result = this.#jit.enqueue({ tmst: request.tmst, airtimeMicros: airtime, kind, item: queued }, nowTmst);
    if (!result.ok) return refuse(result.error, result.detail);
    if (this.#dutyCycle.limited) {
      const startMicros = now + tmstDelta(nowTmst, result.tmst);
      const { decision, reservation } = this.#dutyCycle.reserve(request.frequencyHz, startMicros, airtime);
      if (!decision.ok) {
        this.#jit.remove((e) => e.item === queued);
        const detail =
          decision.reason === "no-sub-band"
            ? `${request.frequencyHz} Hz is in no ${this.#o.region.name} duty-cycle sub-band`
            : `sub-band ${decision.subBand}: ${(decision.usedUs / 1e6).toFixed(1)} s of ${(decision.allowedUs / 1e6).toFixed(1)} s used in the last hour`;
        return refuse(decision.reason === "no-sub-band" ? "TX_FREQ" : "DUTY_CYCLE", detail);
      }
      queued.reservation = reservation;
    }
    this.stats.downlinksQueued++;
    this.#arm();
    return { ok: true, id, tmst: result.tmst, powerDbm, ...(warning === undefined ? {} : { warning }) };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.timers.clear(this.#timer);
    for (const e of this.#jit.remove(() => true)) this.#finish(e.item.id, e.kind, e.tmst, this.#tolerance(e.item.tx), e.item.reservation, { ok: false, error: "RADIO_DOWN", detail: "radio closed", powerDbm: e.item.tx.powerDbm });
    this.#driver.close();
  }

  // ------------------------------------------------------------ uplinks

  #drain(): void {
    for (let p = this.#driver.read(); p !== undefined; p = this.#driver.read()) {
      this.stats.uplinks++;
      this.stats.perSf[p.spreadingFactor] = (this.stats.perSf[p.spreadingFactor] ?? 0) + 1;
      this.#o.onUplink?.({
        payload: p.payload,
        tmst: p.tmst,
        rssi: p.rssi,
        snr: p.snr,
        freq: p.frequencyHz,
        datarate: dataRateName({ spreadingFactor: p.spreadingFactor, bandwidthKhz: p.bandwidthKhz }),
        crcOk: true,
        signalRssi: p.signalRssi,
        codingRate: `4/${p.codingRate}`,
        micros: p.micros,
      });
    }
  }

  // ------------------------------------------------------------ downlinks

  #arm(): void {
    this.#o.timers.clear(this.#timer);
    this.#timer = undefined;
    const nowTmst = Math.floor(this.#o.clock.micros()) >>> 0;
    const wait = this.#jit.nextDueIn(nowTmst);
    if (wait === undefined) return;
    this.#timer = this.#o.timers.set(() => this.#handOff(), wait / 1000);
  }

  #handOff(): void {
    this.#timer = undefined;
    const nowTmst = Math.floor(this.#o.clock.micros()) >>> 0;
    const { due, missed } = this.#jit.takeDue(nowTmst);
    for (const e of missed) {
      this.#finish(e.item.id, e.kind, e.tmst, this.#tolerance(e.item.tx), e.item.reservation, { ok: false, error: "TOO_LATE", detail: "the host reached the hand-off after the start time", powerDbm: e.item.tx.powerDbm });
    }
    for (const e of due) {
      this.#inFlight.set(e.item.id, { kind: e.kind, tmst: e.tmst, toleranceMicros: this.#tolerance(e.item.tx), reservation: e.item.reservation });
      // A refusal comes back synchronously through onTransmitted.
      this.#driver.write({ ...e.item.tx, at: e.tmst, tag: e.item.id });
    }
    this.#arm();
  }

  #transmitted(report: RadioDriverReport): void {
    const id = report.tag as number;
    const f = this.#inFlight.get(id);
    if (f === undefined) return;
    this.#inFlight.delete(id);
    this.#finish(id, f.kind, f.tmst, f.toleranceMicros, f.reservation, report);
  }

  #tolerance(tx: Queued["tx"]): number {
    return this.#o.onTimeToleranceMicros ?? startToleranceMicros(tx.spreadingFactor, tx.bandwidthKhz, tx.preambleSymbols);
  }

  #finish(
    id: number,
    kind: TxKind,
    tmst: number,
    tolerance: number,
    reservation: DutyCycleReservation | undefined,
    report: { ok: boolean; error?: string; detail?: string; tmst?: number; powerDbm: number },
  ): void {
    const errorMicros = report.tmst === undefined ? undefined : tmstDelta(tmst, report.tmst);
    const onTime = report.ok && errorMicros !== undefined && Math.abs(errorMicros) <= tolerance;
    if (!report.ok) {
      this.stats.downlinksFailed++;
      if (reservation !== undefined) this.#dutyCycle.release(reservation);
    } else if (onTime) this.stats.downlinksOnTime++;
    else this.stats.downlinksLate++;
    this.#o.onDownlink?.({
      id,
      kind,
      ok: report.ok,
      tmst,
      ...(report.tmst === undefined ? {} : { startedTmst: report.tmst }),
      ...(errorMicros === undefined ? {} : { errorMicros }),
      onTime,
      toleranceMicros: tolerance,
      ...(report.error === undefined ? {} : { error: report.error }),
      ...(report.detail === undefined ? {} : { detail: report.detail }),
      powerDbm: report.powerDbm,
    });
  }
}

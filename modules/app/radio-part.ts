// The radio as a restartable part: builds modules/radio's Radio over the platform's driver for the
// current region plan and listen plan, and rebuilds it on restart or when the region changes. Every
// transmission is scheduled through here with its own callback, so an outcome always reaches the
// one who asked, across restarts (each Radio numbers its transmissions from 1 again).
import type { Clock, Log, Timers } from "../host/provider.js";
import type { AirtimeFunction } from "../radio/airtime.js";
import { checkListenPlan, defaultListenPlan, type ListenPlan } from "../radio/listen-plan.js";
import {
  Radio,
  type DownlinkOutcome,
  type DownlinkRequest,
  type RadioDriver,
  type RadioDriverCallbacks,
  type RadioDriverFault,
  type ScheduleResult,
  type UplinkEvent,
} from "../radio/radio.js";
import type { RegionPlan } from "../region/plan-types.js";

/** Builds the platform's driver (the SX1262 on its board) with the radio's callbacks and a listen plan. */
export type RadioDriverFactory = (callbacks: RadioDriverCallbacks, listen: ListenPlan) => RadioDriver;

export interface RadioPartOptions {
  driver: RadioDriverFactory;
  clock: Clock;
  timers: Timers;
  airtime: AirtimeFunction;
  log: Log;
  /** Highest conducted power the board allows, dBm. */
  maxConductedDbm?: number;
  onUplink(event: UplinkEvent): void;
}

export type RadioState = "off" | "running" | "failed";

export class RadioPart {
  state: RadioState = "off";
  /** Why the radio is off or failed, or the last driver fault. */
  lastError: string | undefined;
  /** A note when the configured listen plan did not fit the region and the default was used. */
  listenNote: string | undefined;
  restarts = 0;
  faults = 0;
  #radio: Radio | undefined;
  #driver: RadioDriver | undefined;
  /** CRC failures counted by drivers already closed, per SF. */
  #crcBefore: Record<number, number> = {};
  #plan: RegionPlan | undefined;
  #listen: ListenPlan | undefined;
  #gainDbi = 0;
  #pending = new Map<number, (outcome: DownlinkOutcome) => void>();
  /** Bumped when a radio is dropped, so a closed radio's late callbacks are ignored. */
  #generation = 0;

  constructor(private readonly o: RadioPartOptions) {}

  get radio(): Radio | undefined {
    return this.#radio;
  }

  get listenPlan(): ListenPlan | undefined {
    return this.#radio === undefined ? undefined : this.#listen;
  }

  get region(): RegionPlan | undefined {
    return this.#plan;
  }

  /** Most conducted power a transmission may use now, dBm (undefined while off). */
  get maxConductedDbm(): number | undefined {
    return this.#radio?.maxConductedDbm;
  }

  /** (Re)starts the radio for a region. `listen` "auto" (or a plan that does not fit) takes the region's default. */
  start(plan: RegionPlan, listen: "auto" | ListenPlan, antennaGainDbi: number): void {
    this.stop();
    this.#plan = plan;
    this.#gainDbi = antennaGainDbi;
    this.listenNote = undefined;
    let chosen: ListenPlan;
    if (listen === "auto") chosen = defaultListenPlan(plan);
    else {
      const problems = checkListenPlan(listen, plan);
      if (problems.length === 0) chosen = listen;
      else {
        chosen = defaultListenPlan(plan);
        this.listenNote = `configured listen plan does not fit ${plan.name} (${problems.join("; ")}): using the region's default`;
        this.o.log("warn", "radio", this.listenNote);
      }
    }
    this.#listen = chosen;
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    // Running until a fault says otherwise: a driver that gives up while starting (no chip) reports
    // that from inside the constructor below.
    this.state = "running";
    this.lastError = undefined;
    try {
      this.#radio = new Radio({
        driver: (callbacks) => (this.#driver = this.o.driver(callbacks, chosen)),
        clock: this.o.clock,
        timers: this.o.timers,
        region: plan,
        listen: chosen,
        airtime: this.o.airtime,
        antennaGainDbi,
        maxConductedDbm: this.o.maxConductedDbm,
        onUplink: (e) => current() && this.o.onUplink(e),
        onDownlink: (outcome) => current() && this.#outcome(outcome),
        onFault: (fault) => current() && this.#fault(fault),
        log: this.o.log,
      });
    } catch (e) {
      this.#radio = undefined;
      this.state = "failed";
      this.lastError = `radio did not start: ${e instanceof Error ? e.message : String(e)}`;
      this.o.log("error", "radio", this.lastError);
    }
  }

  /** Re-initialises the driver and returns to the listen plan (the dashboard's "restart radio"). */
  restart(): void {
    if (this.#plan === undefined) return;
    this.restarts++;
    this.o.log("info", "radio", "restarting the radio");
    this.start(this.#plan, this.#listen ?? "auto", this.#gainDbi);
  }

  /** Stops the radio; queued transmissions end with RADIO_DOWN. */
  stop(reason?: string): void {
    const radio = this.#radio;
    this.#radio = undefined;
    if (radio !== undefined) radio.close();
    this.#crcBefore = this.crcErrorsBySf();
    this.#driver = undefined;
    this.#generation++;
    // What the closed radio did not report any more ends here, so no caller waits forever.
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [id, done] of pending) done({ id, kind: "downlink", ok: false, tmst: 0, onTime: false, toleranceMicros: 0, error: "RADIO_DOWN", detail: "radio stopped", powerDbm: 0 });
    if (reason !== undefined) {
      this.state = "off";
      this.lastError = reason;
    } else if (this.state === "running") this.state = "off";
  }

  /** Frames the driver(s) refused for a bad CRC since boot, per SF. */
  crcErrorsBySf(): Record<number, number> {
    const out = { ...this.#crcBefore };
    for (const [sf, c] of Object.entries(this.#driver?.stats?.perSf ?? {})) out[Number(sf)] = (out[Number(sf)] ?? 0) + c.crcErrors;
    return out;
  }

  /** Queues a transmission; `done` gets its outcome (including RADIO_DOWN if the radio stops first). */
  schedule(request: DownlinkRequest, done?: (outcome: DownlinkOutcome) => void): ScheduleResult {
    const radio = this.#radio;
    if (radio === undefined) return { ok: false, error: "RADIO_DOWN", detail: this.lastError ?? "the radio is off" };
    const result = radio.schedule(request);
    if (result.ok && done !== undefined) this.#pending.set(result.id, done);
    return result;
  }

  #outcome(outcome: DownlinkOutcome): void {
    const done = this.#pending.get(outcome.id);
    if (done === undefined) return;
    this.#pending.delete(outcome.id);
    done(outcome);
  }

  #fault(fault: RadioDriverFault): void {
    this.faults++;
    this.lastError = `${fault.kind}: ${fault.message}`;
    if (fault.failed) this.state = "failed";
    else if (this.#radio !== undefined) this.state = "running";
  }
}

// Proof-of-Coverage on the hotspot: the beaconer, the witness reporter and the ingest session
// behind one object the composition root wires up. PoC runs only while enabled (data-only mode
// turns it off) and while the region is known; nothing is signed before the wall clock is valid.
import type { Core } from "../core/core.js";
import type { Clock, Log, Timers } from "../host/provider.js";
import { Beaconer } from "./beaconer.js";
import { type PocContext, note } from "./context.js";
import { MessageCache } from "./message-cache.js";
import { type PocCounters, PocLog, type PocLogEntry } from "./poc-log.js";
import { IngestSessionClient, type SessionState } from "./session.js";
import type { BeaconRadio, EntropySource, PocRegion, PocTransport, ReceivedFrame } from "./types.js";
import { WitnessReporter } from "./witness.js";

export const DEFAULT_BEACON_INTERVAL_SECONDS = 6 * 3600;
/** The ingest stream's gRPC path. */
export const POC_STREAM_PATH = "/helium.poc_lora.poc_lora/stream_requests";

export interface PocOptions {
  core: Core;
  clock: Clock;
  timers: Timers;
  random(bytes: Uint8Array): void;
  log?: Log;
  /** The gateway key (seed and public key binary). */
  gateway: { seed: Uint8Array; publicKeyBin: Uint8Array };
  entropy: EntropySource;
  radio: BeaconRadio;
  /** Beacon window, seconds (default 6 h). */
  intervalSeconds?: number;
  /** False = data-only mode. Default true. */
  enabled?: boolean;
  /** Entries kept in the PoC log ring. Default 64. */
  logCapacity?: number;
  txTimeoutMs?: number;
}

export interface PocStatus {
  enabled: boolean;
  /** Why no beacons are sent and no witnesses reported right now, if so. */
  blockedBy: string | undefined;
  region: string;
  session: SessionState;
  intervalSeconds: number;
  /** Next planned beacon, Unix seconds. */
  nextBeaconSeconds: number | undefined;
  counters: PocCounters;
}

export class Poc {
  readonly session: IngestSessionClient;
  readonly log: PocLog;
  readonly beaconer: Beaconer;
  readonly witness: WitnessReporter;
  #enabled: boolean;
  #region: PocRegion | undefined;
  readonly #ctx: PocContext;

  constructor(options: PocOptions) {
    this.#enabled = options.enabled ?? true;
    this.log = new PocLog(options.logCapacity);
    const ctxRef: { ctx?: PocContext } = {};
    this.session = new IngestSessionClient({
      core: options.core,
      clock: options.clock,
      random: options.random,
      gateway: options.gateway,
      onEvent: (e) => {
        if (e.kind === "session") this.log.counters.sessions++;
        note(ctxRef.ctx!, { kind: e.kind, message: e.message });
      },
    });
    this.#ctx = ctxRef.ctx = {
      core: options.core,
      clock: options.clock,
      timers: options.timers,
      random: options.random,
      gateway: options.gateway,
      session: this.session,
      cache: new MessageCache(15),
      ownBeacons: new MessageCache(4),
      log: this.log,
      hostLog: options.log,
      region: () => this.#validRegion(),
      blockedBy: () => this.#blockedBy(),
    };
    this.beaconer = new Beaconer(this.#ctx, {
      intervalSeconds: options.intervalSeconds ?? DEFAULT_BEACON_INTERVAL_SECONDS,
      entropy: options.entropy,
      radio: options.radio,
      txTimeoutMs: options.txTimeoutMs,
    });
    this.witness = new WitnessReporter(this.#ctx);
  }

  /** The ingest stream (the gRPC conduit built with `session` as its handlers). */
  attachTransport(transport: PocTransport): void {
    this.session.attach(transport);
  }

  start(): void {
    this.beaconer.start();
  }

  stop(): void {
    this.beaconer.stop();
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Data-only mode is `setEnabled(false)`. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    note(this.#ctx, { kind: "session", message: enabled ? "PoC enabled" : "PoC disabled (data-only mode)" });
  }

  /** New region params (from the config service or the fallback); undefined or UNKNOWN blocks PoC. */
  setRegion(region: PocRegion | undefined): void {
    this.#region = region;
    this.beaconer.regionChanged(this.#validRegion());
  }

  /** A received frame; true when it was beacon-shaped and handled here. */
  onFrame(frame: ReceivedFrame): boolean {
    return this.witness.onFrame(frame);
  }

  entries(): readonly PocLogEntry[] {
    return this.log.entries();
  }

  status(): PocStatus {
    return {
      enabled: this.#enabled,
      blockedBy: this.#blockedBy(),
      region: this.#region?.region ?? "UNKNOWN",
      session: this.session.state,
      intervalSeconds: this.beaconer.intervalSeconds,
      nextBeaconSeconds: this.beaconer.nextBeaconSeconds,
      counters: { ...this.log.counters },
    };
  }

  #validRegion(): PocRegion | undefined {
    const r = this.#region;
    return r && r.region.toUpperCase() !== "UNKNOWN" && r.params.length > 0 ? r : undefined;
  }

  #blockedBy(): string | undefined {
    if (!this.#enabled) return "PoC disabled (data-only mode)";
    if (!this.#validRegion()) return "region unknown";
    return undefined;
  }
}

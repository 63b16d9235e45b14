// The devnet's PoC side in one piece: the world the verifier consults, the verifier, the ingest,
// and a timer that verifies rounds once they have settled. Mount `ingest` on a gRPC server with
// addPocIngestService (server.ts); serve entropy from `world.entropyLedger.current(now)`.
import { PocIngest, type IngestTimers } from "./ingest.js";
import { PocVerifier, type VerifierOptions } from "./verifier.js";
import { PocWorld } from "./world.js";

export interface PocDevnetOptions extends VerifierOptions {
  /** Unix ms (virtual in the simulator). */
  now(): number;
  timers: IngestTimers;
  random(length: number): Uint8Array;
  offerTimeoutMs?: number;
  sessionLifetimeMs?: number;
  /** How often open rounds are checked, ms. Default 1 s. */
  settleEveryMs?: number;
  world?: PocWorld;
}

export class PocDevnet {
  readonly world: PocWorld;
  readonly verifier: PocVerifier;
  readonly ingest: PocIngest;
  #timer: unknown;

  constructor(private readonly options: PocDevnetOptions) {
    this.world = options.world ?? new PocWorld();
    this.verifier = new PocVerifier(this.world, options);
    this.ingest = new PocIngest({
      verifier: this.verifier,
      now: options.now,
      timers: options.timers,
      random: options.random,
      offerTimeoutMs: options.offerTimeoutMs,
      sessionLifetimeMs: options.sessionLifetimeMs,
    });
  }

  start(): void {
    const tick = (): void => {
      this.verifier.settle(this.options.now());
      this.#timer = this.options.timers.set(tick, this.options.settleEveryMs ?? 1000);
    };
    if (this.#timer === undefined) tick();
  }

  stop(): void {
    this.options.timers.clear(this.#timer);
    this.#timer = undefined;
  }
}

// Test-only virtual clock and timers, as a thin adapter over the simulator's VirtualScheduler (so
// timing tests and the simulated world run on one clock): time moves only when a test calls
// advance(), due timers fire in order at their due times, and a busy wait (clock.delayMicros)
// shifts time without firing anything. Deterministic, no real waiting.
import type { Clock, Timers } from "../../modules/host/provider.js";
import { schedulerClock, schedulerTimers } from "../../sim/host-clock.js";
import { VirtualScheduler } from "../../sim/scheduler.js";

export class VirtualTime {
  readonly scheduler: VirtualScheduler;
  readonly clock: Clock;
  readonly timers: Timers;

  /** `wallBaseMillis`: Unix ms at time 0; undefined = the wall clock is not valid yet. */
  constructor(startMicros = 0, wallBaseMillis?: number) {
    this.scheduler = new VirtualScheduler({ startMicros, epochMillis: wallBaseMillis ?? 0 });
    this.scheduler.wallClockValid = wallBaseMillis !== undefined;
    this.clock = schedulerClock(this.scheduler);
    this.timers = schedulerTimers(this.scheduler);
  }

  get wallBaseMillis(): number | undefined {
    return this.scheduler.wallClockValid ? this.scheduler.epochMillis : undefined;
  }

  /** Sets the wall clock (as SNTP would), or makes it invalid with undefined. */
  set wallBaseMillis(value: number | undefined) {
    this.scheduler.wallClockValid = value !== undefined;
    if (value !== undefined) this.scheduler.epochMillis = value;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    this.scheduler.runFor(ms * 1000);
  }
}

// The host provider's clock and timers on Node's real time (for `npm run devnet`, interop tests and
// the real-time simulator), and the simulator's Scheduler on the same clock. Virtual time for
// deterministic tests is sim/scheduler.ts.
import { performance } from "node:perf_hooks";
import type { Clock, TimerHandle, Timers } from "../../modules/host/provider.js";
import type { ScheduledEvent, Scheduler } from "../scheduler.js";

export function realTimeClock(): Clock {
  return {
    micros: () => Number(process.hrtime.bigint() / 1000n),
    millis: () => Number(process.hrtime.bigint() / 1000000n),
    wallMillis: () => Date.now(),
    // A short busy wait, as on the device (timers do not fire during it); returns when it ended.
    delayMicros: (us) => {
      const end = process.hrtime.bigint() + BigInt(Math.ceil(us * 1000));
      let now = process.hrtime.bigint();
      while (now < end) now = process.hrtime.bigint();
      return Number(now / 1000n);
    },
  };
}

interface NodeTimerHandle extends TimerHandle {
  timer: ReturnType<typeof setTimeout>;
  repeating: boolean;
}

export function realTimers(): Timers & { readonly pending: number } {
  let nextId = 1;
  const live = new Set<NodeTimerHandle>();
  return {
    set(callback, ms) {
      const handle = { id: nextId++, repeating: false } as NodeTimerHandle;
      handle.timer = setTimeout(() => {
        live.delete(handle);
        callback();
      }, Math.max(0, ms));
      live.add(handle);
      return handle;
    },
    repeat(callback, ms) {
      const handle = { id: nextId++, repeating: true } as NodeTimerHandle;
      handle.timer = setInterval(callback, Math.max(1, ms));
      live.add(handle);
      return handle;
    },
    clear(handle) {
      if (!handle) return;
      const h = handle as NodeTimerHandle;
      if (!live.delete(h)) return;
      if (h.repeating) clearInterval(h.timer);
      else clearTimeout(h.timer);
    },
    get pending() {
      return live.size;
    },
  };
}

/** Wall-clock scheduler: µs since construction, Node timers underneath. */
export class RealTimeScheduler implements Scheduler {
  readonly #origin = performance.now();
  readonly epochMillis = Date.now();
  readonly #timers = new Map<ScheduledEvent, ReturnType<typeof setTimeout>>();

  now(): number {
    return (performance.now() - this.#origin) * 1000;
  }

  at(time: number, fn: (time: number) => void): ScheduledEvent {
    const event: ScheduledEvent = { time, cancelled: false };
    const handle = setTimeout(() => {
      this.#timers.delete(event);
      if (!event.cancelled) fn(time);
    }, Math.max(0, (time - this.now()) / 1000));
    this.#timers.set(event, handle);
    return event;
  }

  cancel(event: ScheduledEvent | undefined): void {
    if (event === undefined) return;
    event.cancelled = true;
    const handle = this.#timers.get(event);
    if (handle !== undefined) clearTimeout(handle);
    this.#timers.delete(event);
  }

  /** A real busy wait, as on the device. */
  advance(us: number): void {
    const until = this.now() + us;
    while (this.now() < until) {
      // spin
    }
  }

  /** Cancels every pending event (shutdown). */
  stop(): void {
    for (const event of [...this.#timers.keys()]) this.cancel(event);
  }
}

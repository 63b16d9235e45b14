// The host provider's clock and timers on Node's real time (for `npm run devnet`, interop tests and
// the real-time simulator), and the simulator's Scheduler on the same clock. Virtual time for
// deterministic tests is sim/scheduler.ts.
import type { Clock, TimerHandle, Timers } from "../../modules/host/provider.js";

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

/** The simulator's Scheduler on the same clock, with the PC's preemptions cut out (sim/steady-real-time.ts). */
export { SteadyRealTimeScheduler as RealTimeScheduler } from "../steady-real-time.js";

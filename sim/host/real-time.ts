// The host provider's clock and timers on Node's real time (for `npm run devnet`, interop tests and
// the real-time simulator). Virtual time for deterministic tests lives elsewhere in sim/.
import type { Clock, TimerHandle, Timers } from "../../modules/host/provider.js";

export function realTimeClock(): Clock {
  return {
    micros: () => Number(process.hrtime.bigint() / 1000n),
    millis: () => Number(process.hrtime.bigint() / 1000000n),
    wallMillis: () => Date.now(),
    // A short busy wait, as on the device (timers do not fire during it).
    delayMicros: (us) => {
      const end = process.hrtime.bigint() + BigInt(Math.ceil(us * 1000));
      while (process.hrtime.bigint() < end);
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

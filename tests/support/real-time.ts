// Real-time clock and timers for loopback tests of servers (the web server, the dashboard).
import type { Clock, TimerHandle, Timers } from "../../modules/host/provider.js";

export function realClock(wallOffsetMs = 0): Clock {
  return {
    micros: () => performance.now() * 1000,
    millis: () => performance.now(),
    wallMillis: () => Date.now() + wallOffsetMs,
    // A busy wait, as on the device (timers do not fire during it).
    delayMicros: (us) => {
      const end = performance.now() + us / 1000;
      while (performance.now() < end);
    },
  };
}

export function realTimers(): Timers {
  let nextId = 1;
  const live = new Map<number, { timer: ReturnType<typeof setTimeout>; repeating: boolean }>();
  return {
    set(callback, ms): TimerHandle {
      const id = nextId++;
      live.set(id, {
        timer: setTimeout(() => {
          live.delete(id);
          callback();
        }, ms),
        repeating: false,
      });
      return { id };
    },
    repeat(callback, ms): TimerHandle {
      const id = nextId++;
      live.set(id, { timer: setInterval(callback, Math.max(1, ms)), repeating: true });
      return { id };
    },
    clear(handle) {
      const entry = handle && live.get(handle.id);
      if (!entry || !handle) return;
      live.delete(handle.id);
      if (entry.repeating) clearInterval(entry.timer);
      else clearTimeout(entry.timer);
    },
  };
}

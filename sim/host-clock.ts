// The host provider's clock and timers on top of a simulator scheduler (virtual or real time).
import type { Clock, TimerHandle, Timers } from "../modules/host/provider.js";
import type { ScheduledEvent, Scheduler } from "./scheduler.js";

export function schedulerClock(scheduler: Scheduler, options: { wallClockValid?: () => boolean } = {}): Clock {
  return {
    micros: () => scheduler.now(),
    millis: () => scheduler.now() / 1000,
    wallMillis: () => ((options.wallClockValid?.() ?? scheduler.wallClockValid ?? true) ? scheduler.epochMillis + scheduler.now() / 1000 : undefined),
    delayMicros: (us) => {
      scheduler.advance(us);
      return scheduler.now();
    },
  };
}

interface SimTimer extends TimerHandle {
  event: ScheduledEvent | undefined;
  cleared: boolean;
}

export function schedulerTimers(scheduler: Scheduler): Timers {
  let nextId = 1;
  return {
    set(callback, ms) {
      const timer: SimTimer = { id: nextId++, event: undefined, cleared: false };
      timer.event = scheduler.at(scheduler.now() + Math.max(0, ms) * 1000, () => {
        if (!timer.cleared) callback();
      });
      return timer;
    },
    repeat(callback, ms) {
      const period = Math.max(1, ms) * 1000;
      const timer: SimTimer = { id: nextId++, event: undefined, cleared: false };
      const fire = (time: number) => {
        if (timer.cleared) return;
        // Re-arm from the scheduled time so a repeating timer does not drift when it runs late.
        timer.event = scheduler.at(time + period, fire);
        callback();
      };
      timer.event = scheduler.at(scheduler.now() + period, fire);
      return timer;
    },
    clear(handle) {
      if (handle === undefined) return;
      const timer = handle as SimTimer;
      timer.cleared = true;
      scheduler.cancel(timer.event);
    },
  };
}

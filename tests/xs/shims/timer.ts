// Moddable's `timer` module (Timer.set / repeat / clear) for the XS test host, on the host's single
// wake-up: the earliest pending timer always holds the wake-up; callbacks receive their timer as on
// the device.

export type TimerCallback = (timer: TimerId) => void;
export interface TimerId {
  readonly id: number;
}

interface Pending extends TimerId {
  when: number; // ms on the host's monotonic clock
  interval: number; // 0 for one-shot
  callback: TimerCallback;
}

const pending: Pending[] = [];
let nextId = 1;

function now(): number {
  return __xshost.micros() / 1000;
}

function arm(): void {
  if (pending.length === 0) return __xshost.wake(-1);
  let earliest = pending[0].when;
  for (const t of pending) earliest = Math.min(earliest, t.when);
  __xshost.wake(Math.max(0, earliest - now()));
}

__xshost.onWake = () => {
  const due = pending.filter((t) => t.when <= now()).sort((a, b) => a.when - b.when);
  for (const t of due) {
    if (!pending.includes(t)) continue; // cleared by an earlier callback
    if (t.interval > 0) t.when += t.interval;
    else pending.splice(pending.indexOf(t), 1);
    t.callback(t);
  }
  arm();
};

export default class Timer {
  static set(callback: TimerCallback, ms = 0, repeatMs = 0): TimerId {
    const t: Pending = { id: nextId++, when: now() + ms, interval: repeatMs, callback };
    pending.push(t);
    arm();
    return t;
  }
  static repeat(callback: TimerCallback, ms: number): TimerId {
    return Timer.set(callback, ms, ms);
  }
  static clear(timer: TimerId | undefined): void {
    const i = pending.findIndex((t) => t === timer);
    if (i >= 0) pending.splice(i, 1);
    arm();
  }
}

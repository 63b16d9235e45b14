// Test-only virtual clock and timers: time moves only when a test calls advance(), and due timers
// fire in order at their exact due times. Deterministic, no real waiting.

import type { Clock, TimerHandle, Timers } from "../../modules/host/provider.js";

interface Entry {
  id: number;
  dueMicros: number;
  periodMicros: number | undefined;
  callback: () => void;
}

export class VirtualTime {
  nowMicros: number;
  /** Unix ms at nowMicros = 0; undefined = the wall clock is not valid. */
  wallBaseMillis: number | undefined;
  private entries: Entry[] = [];
  private nextId = 1;

  constructor(startMicros = 0, wallBaseMillis?: number) {
    this.nowMicros = startMicros;
    this.wallBaseMillis = wallBaseMillis;
  }

  readonly clock: Clock = {
    micros: () => this.nowMicros,
    millis: () => this.nowMicros / 1000,
    wallMillis: () => (this.wallBaseMillis === undefined ? undefined : this.wallBaseMillis + this.nowMicros / 1000),
    // A busy wait: time passes, timers that fall due meanwhile fire at the next advance().
    delayMicros: (us) => {
      this.nowMicros += us;
    },
  };

  readonly timers: Timers = {
    set: (callback, ms) => this.add(callback, ms, undefined),
    repeat: (callback, ms) => this.add(callback, ms, ms * 1000),
    clear: (handle) => {
      if (handle) this.entries = this.entries.filter((e) => e.id !== handle.id);
    },
  };

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.nowMicros + ms * 1000;
    for (;;) {
      let next: Entry | undefined;
      for (const e of this.entries) if (e.dueMicros <= target && (!next || e.dueMicros < next.dueMicros)) next = e;
      if (!next) break;
      this.nowMicros = next.dueMicros;
      if (next.periodMicros === undefined) this.entries = this.entries.filter((e) => e !== next);
      else next.dueMicros += next.periodMicros;
      next.callback();
    }
    this.nowMicros = target;
  }

  private add(callback: () => void, ms: number, periodMicros: number | undefined): TimerHandle {
    const entry: Entry = { id: this.nextId++, dueMicros: this.nowMicros + ms * 1000, periodMicros, callback };
    this.entries.push(entry);
    return { id: entry.id };
  }
}

// One clock for the whole simulated world. The virtual scheduler runs events in time order and
// jumps the clock from one to the next (fast, deterministic); the real-time scheduler
// (sim/host/real-time.ts) maps the same interface onto Node's clock and timers so `npm start` can
// run the world as it happens. This file is platform-neutral: the XS suites run the chip model on it.
//
// Synchronous code "takes time" through advance(): a driver's busy wait or an SPI transfer moves the
// clock forward without running events, as on a single-core device where nothing else runs while
// the CPU spins. Events that fell due meanwhile run afterwards, late, and get their scheduled time.
export interface ScheduledEvent {
  readonly time: number;
  cancelled: boolean;
}

export interface Scheduler {
  /** Current time, µs (float64). */
  now(): number;
  /** Runs `fn(scheduledTime)` at `time` µs (or as soon as possible if that is past). */
  at(time: number, fn: (time: number) => void): ScheduledEvent;
  cancel(event: ScheduledEvent | undefined): void;
  /** Lets `us` microseconds pass inside synchronous code: time shifts, nothing fires. */
  advance(us: number): void;
  /** Unix ms at time 0 of this scheduler's clock. */
  readonly epochMillis: number;
  /** False while the wall clock is not known to be valid (a device before SNTP); absent = valid. */
  readonly wallClockValid?: boolean;
  /**
   * Runs simulator bookkeeping that takes no simulated time (a chip model's own computation: the
   * chip's timing comes from its figures). Virtual time never moves during code anyway; a real-time
   * scheduler cuts the computation's duration out of simulated time. Absent = just runs it.
   */
  untimed?<T>(fn: () => T): T;
}

/** Events at one instant beyond which the virtual scheduler reports a livelock instead of spinning forever. */
const LIVELOCK_EVENTS = 100_000;

interface HeapEntry extends ScheduledEvent {
  readonly seq: number;
  readonly fn: (time: number) => void;
}

export class VirtualScheduler implements Scheduler {
  #now = 0;
  #seq = 0;
  readonly #heap: HeapEntry[] = [];
  /** Unix ms at time 0; settable (a test sets the wall clock as SNTP would). */
  epochMillis: number;
  /** Settable: false makes the wall clock read as not valid. */
  wallClockValid = true;

  constructor(options: { epochMillis?: number; startMicros?: number } = {}) {
    this.epochMillis = options.epochMillis ?? Date.UTC(2026, 0, 1);
    this.#now = options.startMicros ?? 0;
  }

  now(): number {
    return this.#now;
  }

  at(time: number, fn: (time: number) => void): ScheduledEvent {
    if (!Number.isFinite(time)) throw new RangeError(`event time ${time} is not finite`);
    const entry: HeapEntry = { time, seq: this.#seq++, fn, cancelled: false };
    this.#push(entry);
    return entry;
  }

  cancel(event: ScheduledEvent | undefined): void {
    if (event !== undefined) event.cancelled = true;
  }

  advance(us: number): void {
    if (us > 0) this.#now += us;
  }

  /** Runs every event due up to `time`, then sets the clock to `time`. Throws if time stops moving (a livelock). */
  runUntil(time: number): void {
    let sameTime = 0;
    let last = this.#now;
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.time > time) break;
      this.#pop();
      if (top.cancelled) continue;
      if (top.time > this.#now) this.#now = top.time;
      if (this.#now === last) {
        if (++sameTime > LIVELOCK_EVENTS) throw new Error(`virtual time stuck at ${this.#now} µs: ${LIVELOCK_EVENTS} events without the clock moving`);
      } else {
        sameTime = 0;
        last = this.#now;
      }
      top.fn(top.time);
    }
    if (time > this.#now) this.#now = time;
  }

  runFor(us: number): void {
    this.runUntil(this.#now + us);
  }

  #less(a: HeapEntry, b: HeapEntry): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  #push(entry: HeapEntry): void {
    const h = this.#heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#less(h[l], h[m])) m = l;
      if (r < h.length && this.#less(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

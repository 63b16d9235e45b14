// The simulator's real-time Scheduler for `npm start`: the PC's clock minus the time the PC gave
// the CPU to other processes while the simulator had work to do.
//
// A simulated hotspot waits for its transmit moment with a busy wait, as the device does in C. On a
// loaded PC the operating system leaves the Node process waiting for a CPU for milliseconds at a
// time, and a busy wait that should end at a microsecond ends milliseconds later: that lateness
// belongs to the PC, not to the firmware under test (the ESP32 runs it on its own core). So that
// time is cut out of simulated time for everyone (devices, chip models, hotspots), and what the
// figures measure is the firmware's own timing, its JavaScript and garbage collection included.
// On Linux the main thread's run-queue wait (/proc/self/task/<tid>/schedstat, second field: time
// runnable but not running) says how much; it is read at the start of each synchronous run and
// whenever two clock readings are more than PREEMPTION_GAP_MICROS apart, and what is cut never
// exceeds the wall time since the previous reading, so simulated time never runs backwards.
// Inside a busy wait the clock is read continuously, so any gap there is something else running
// (another process, or V8's garbage collector: the device waits in C, where neither can happen),
// and the whole gap is cut. Time the process sleeps (the event loop idle) is real waiting and
// stays; so do preemptions shorter than the gap threshold (the host's own jitter), and garbage
// collection outside busy waits (the firmware's runtime collects too). Events never
// run before their time: a timer that fires early on the wall clock is re-armed for the rest. The
// cut time is reported (`preemptions`). A chip model's own computation is cut too (`untimed`): on
// the chip it takes no time, and the host's next clock reading follows NSS at once. With
// `cutPreemptions: false` nothing is cut and simulated time is the PC's monotonic clock, as a
// firmware running in another process reads it (`npm start -- --moddable`).
import { closeSync, openSync, readSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ScheduledEvent, Scheduler } from "./scheduler.js";

/** Two clock readings in a spin loop are well under a microsecond apart; this much means something else ran. */
const PREEMPTION_GAP_MICROS = 100;

export class SteadyRealTimeScheduler implements Scheduler {
  readonly #origin = performance.now();
  readonly epochMillis = Date.now();
  readonly #timers = new Map<ScheduledEvent, ReturnType<typeof setTimeout>>();
  /** False: nothing is cut, simulated time is the PC's monotonic clock (a firmware in another process shares it: --moddable). */
  readonly #cuts: boolean;
  readonly #runQueue: RunQueueWait | undefined;
  /** Simulated time cut out because the PC was running something else, and for the models' own computation. */
  readonly preemptions = { count: 0, totalMicros: 0, maxMicros: 0, modelMicros: 0 };
  /** The wall clock at the last reading, and whether it was in the current synchronous run. */
  #lastReading = 0;
  #inRun = false;
  /** Inside `untimed`: the instant the computation happens at. */
  #frozen: number | undefined;

  constructor(options: { cutPreemptions?: boolean } = {}) {
    this.#cuts = options.cutPreemptions ?? true;
    this.#runQueue = this.#cuts ? RunQueueWait.open() : undefined;
  }

  now(): number {
    if (this.#frozen !== undefined) return this.#frozen;
    const wall = this.#wallMicros();
    const gap = wall - this.#lastReading;
    if (!this.#inRun) {
      this.#inRun = true;
      queueMicrotask(() => (this.#inRun = false));
      this.#collect(gap);
    } else if (gap > PREEMPTION_GAP_MICROS) this.#collect(gap);
    this.#lastReading = wall;
    return wall - this.preemptions.totalMicros;
  }

  at(time: number, fn: (time: number) => void): ScheduledEvent {
    const event: ScheduledEvent = { time, cancelled: false };
    const arm = () => {
      const handle = setTimeout(() => {
        this.#timers.delete(event);
        if (event.cancelled) return;
        if (this.now() < time) arm();
        else fn(time);
      }, Math.max(0, (time - this.now()) / 1000));
      this.#timers.set(event, handle);
    };
    arm();
    return event;
  }

  cancel(event: ScheduledEvent | undefined): void {
    if (event === undefined) return;
    event.cancelled = true;
    const handle = this.#timers.get(event);
    if (handle !== undefined) clearTimeout(handle);
    this.#timers.delete(event);
  }

  /** A real busy wait, as on the device, with the PC's preemptions cut out of simulated time. */
  advance(us: number): void {
    const until = this.now() + us;
    let last = this.#wallMicros();
    for (;;) {
      const wall = this.#wallMicros();
      const gap = wall - last;
      if (gap > PREEMPTION_GAP_MICROS && this.#cuts) {
        this.#runQueue?.take();
        this.#cut(gap);
      }
      last = wall;
      if (wall - this.preemptions.totalMicros >= until) break;
    }
    // Short preemptions inside a long wait stay in it (the host's jitter): they must not be cut later.
    if (us >= 1000) this.#runQueue?.take();
    this.#lastReading = this.#wallMicros();
  }

  /** Runs `fn` at one instant: the clock stands still inside it, and its duration is cut afterwards. */
  untimed<T>(fn: () => T): T {
    if (this.#frozen !== undefined) return fn();
    this.#frozen = this.now();
    const start = this.#wallMicros();
    try {
      return fn();
    } finally {
      const spent = this.#cuts ? this.#wallMicros() - start : 0;
      this.preemptions.totalMicros += spent;
      this.preemptions.modelMicros += spent;
      this.#lastReading += spent;
      this.#frozen = undefined;
    }
  }

  /** Cancels every pending event (shutdown). */
  stop(): void {
    for (const event of [...this.#timers.keys()]) this.cancel(event);
    this.#runQueue?.close();
  }

  /** Cuts the run-queue wait since the last look, at most the `gap` since the last reading. */
  #collect(gap: number): void {
    const waited = this.#runQueue?.take();
    if (waited === undefined) return;
    const cut = Math.min(waited, gap);
    if (cut > 0) this.#cut(cut);
  }

  #cut(micros: number): void {
    const p = this.preemptions;
    p.count++;
    p.totalMicros += micros;
    if (micros > p.maxMicros) p.maxMicros = micros;
  }

  #wallMicros(): number {
    return (performance.now() - this.#origin) * 1000;
  }
}

/** The main thread's run-queue wait from Linux schedstat, read as increments. */
class RunQueueWait {
  readonly #buffer = Buffer.alloc(96);
  #fd: number | undefined;
  #lastNanos: number;

  private constructor(fd: number) {
    this.#fd = fd;
    this.#lastNanos = 0;
    this.#lastNanos = this.#read() ?? 0;
  }

  static open(): RunQueueWait | undefined {
    try {
      const probe = new RunQueueWait(openSync(`/proc/self/task/${process.pid}/schedstat`, "r"));
      return probe.#fd === undefined ? undefined : probe;
    } catch {
      return undefined;
    }
  }

  /** µs waited for a CPU since the last call. */
  take(): number | undefined {
    const nanos = this.#read();
    if (nanos === undefined) return undefined;
    const delta = nanos - this.#lastNanos;
    this.#lastNanos = nanos;
    return delta / 1000;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #read(): number | undefined {
    if (this.#fd === undefined) return undefined;
    const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, 0);
    const waited = Number(this.#buffer.toString("latin1", 0, n).split(" ")[1]);
    if (Number.isFinite(waited)) return waited;
    this.close();
    return undefined;
  }
}

// Just-in-time downlink queue on the 32-bit µs counter, as the Semtech packet forwarders keep it
// (spec D.5, D.6): a downlink is refused TOO_LATE when it arrives after its deadline minus the lead
// time, TOO_EARLY when it is more than 512 s ahead, COLLISION_PACKET / COLLISION_BEACON when its
// air slot (with start delay, JIT delay and margin) overlaps a queued transmission or the queue is
// full. Entries are handed to the radio when they come within the JIT delay of their start.
//
// All times are tmst values (unsigned 32-bit µs that wrap); distances are taken as signed 32-bit
// differences. Unlike lora_pkt_fwd's unsigned arithmetic, a tmst slightly in the past is reported
// TOO_LATE (not TOO_EARLY), which is what a network server can act on.

export type JitRefusal = "TOO_LATE" | "TOO_EARLY" | "COLLISION_PACKET" | "COLLISION_BEACON";
export type TxKind = "downlink" | "beacon";

export interface JitTiming {
  /** Radio start-up allowance before the RF burst (TX_START_DELAY). */
  startDelayMicros: number;
  /** Guard between two queued transmissions (TX_MARGIN_DELAY). */
  marginMicros: number;
  /** How early an entry is handed to the radio (TX_JIT_DELAY; 30 ms in lora_pkt_fwd and One-Channel Hub). */
  jitDelayMicros: number;
  /** TX_MAX_ADVANCE_DELAY: (3 beacons + 1) x 128 s. */
  maxAdvanceMicros: number;
  capacity: number;
}

export const DEFAULT_JIT_TIMING: JitTiming = Object.freeze({
  startDelayMicros: 1500,
  marginMicros: 1000,
  jitDelayMicros: 30_000,
  maxAdvanceMicros: 512_000_000,
  capacity: 32,
});

export interface JitEntry<T> {
  readonly tmst: number;
  readonly airtimeMicros: number;
  readonly kind: TxKind;
  readonly item: T;
}

export type EnqueueResult = { ok: true; tmst: number } | { ok: false; error: JitRefusal; detail: string };

/** Signed distance b - a in µs on the wrapping 32-bit counter. */
export function tmstDelta(from: number, to: number): number {
  return (to - from) | 0;
}

export class JitQueue<T> {
  readonly timing: JitTiming;
  #entries: JitEntry<T>[] = [];

  constructor(timing: Partial<JitTiming> = {}) {
    this.timing = { ...DEFAULT_JIT_TIMING, ...timing };
  }

  get size(): number {
    return this.#entries.length;
  }

  get entries(): readonly JitEntry<T>[] {
    return this.#entries;
  }

  /** The slot a transmission occupies around its start: [start - pre, start + post]. */
  #pre(): number {
    return this.timing.startDelayMicros + this.timing.jitDelayMicros;
  }

  #collider(tmst: number, airtimeMicros: number, now: number): JitEntry<T> | undefined {
    const t = tmstDelta(now, tmst);
    const m = this.timing.marginMicros;
    const pre = this.#pre();
    return this.#entries.find((q) => {
      const s = tmstDelta(now, q.tmst);
      return t - pre < s + q.airtimeMicros + m && s - pre < t + airtimeMicros + m;
    });
  }

  /** Queues a transmission at `tmst`, or as soon as possible when `tmst` is undefined (class C "imme"). */
  enqueue(entry: { tmst: number | undefined; airtimeMicros: number; kind: TxKind; item: T }, nowTmst: number): EnqueueResult {
    const t = this.timing;
    if (this.#entries.length >= t.capacity) return { ok: false, error: "COLLISION_PACKET", detail: `queue full (${t.capacity} entries)` };
    let tmst: number;
    if (entry.tmst === undefined) {
      // Immediate: 2 x JIT delay from now, or just after whatever it would collide with.
      tmst = (nowTmst + 2 * t.jitDelayMicros) >>> 0;
      for (let guard = 0; guard <= this.#entries.length; guard++) {
        const c = this.#collider(tmst, entry.airtimeMicros, nowTmst);
        if (c === undefined) break;
        tmst = (c.tmst + c.airtimeMicros + t.marginMicros + this.#pre() + 1) >>> 0;
      }
    } else tmst = entry.tmst >>> 0;
    const ahead = tmstDelta(nowTmst, tmst);
    const lead = t.startDelayMicros + t.marginMicros + t.jitDelayMicros;
    if (ahead <= lead) return { ok: false, error: "TOO_LATE", detail: `start is ${ahead} µs away, less than the ${lead} µs lead time` };
    if (ahead > t.maxAdvanceMicros) return { ok: false, error: "TOO_EARLY", detail: `start is ${(ahead / 1e6).toFixed(3)} s away, more than ${t.maxAdvanceMicros / 1e6} s` };
    const c = this.#collider(tmst, entry.airtimeMicros, nowTmst);
    if (c !== undefined) {
      return { ok: false, error: c.kind === "beacon" ? "COLLISION_BEACON" : "COLLISION_PACKET", detail: `overlaps the ${c.kind} queued at tmst ${c.tmst}` };
    }
    const e: JitEntry<T> = { tmst, airtimeMicros: entry.airtimeMicros, kind: entry.kind, item: entry.item };
    const at = this.#entries.findIndex((q) => tmstDelta(nowTmst, q.tmst) > ahead);
    if (at < 0) this.#entries.push(e);
    else this.#entries.splice(at, 0, e);
    return { ok: true, tmst };
  }

  /** µs until the earliest entry is due for hand-off (0 if it already is), undefined when empty. */
  nextDueIn(nowTmst: number): number | undefined {
    const first = this.#entries[0];
    if (first === undefined) return undefined;
    return Math.max(0, tmstDelta(nowTmst, first.tmst) - this.timing.jitDelayMicros);
  }

  /**
   * Removes the entries due for hand-off (start at most the JIT delay away). Entries whose start has
   * already passed (the host was too slow) come back as `missed`.
   */
  takeDue(nowTmst: number): { due: JitEntry<T>[]; missed: JitEntry<T>[] } {
    const due: JitEntry<T>[] = [];
    const missed: JitEntry<T>[] = [];
    while (this.#entries.length > 0) {
      const first = this.#entries[0];
      const ahead = tmstDelta(nowTmst, first.tmst);
      // Due exactly when nextDueIn() reaches 0, so a timer armed from it always finds the entry due.
      if (ahead > this.timing.jitDelayMicros) break;
      this.#entries.shift();
      (ahead <= 0 ? missed : due).push(first);
    }
    return { due, missed };
  }

  /** Removes every entry matching `predicate` and returns them. */
  remove(predicate: (e: JitEntry<T>) => boolean): JitEntry<T>[] {
    const out = this.#entries.filter(predicate);
    this.#entries = this.#entries.filter((e) => !predicate(e));
    return out;
  }
}

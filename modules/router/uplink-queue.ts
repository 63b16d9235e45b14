// The uplink queue of gateway-rs' MessageCache: bounded (router.queue, 20 by default) with the
// oldest dropped when full, entries older than 60 s discarded when taken, and a failed send put
// back at the front. Every drop is counted.

export interface Queued<T> {
  item: T;
  /** Host milliseconds when it was queued (the radio's receive time). */
  receivedAt: number;
}

export class UplinkQueue<T> {
  private readonly entries: Queued<T>[] = [];
  readonly stats = { pushed: 0, droppedFull: 0, droppedExpired: 0 };

  constructor(
    readonly capacity = 20,
    readonly maxAgeMs = 60000,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  push(item: T, receivedAt: number): void {
    if (this.entries.length >= this.capacity) {
      this.entries.shift();
      this.stats.droppedFull++;
    }
    this.entries.push({ item, receivedAt });
    this.stats.pushed++;
  }

  /** A send failed: the packet goes back first in line (dropping the newest if that overflows). */
  pushFront(entry: Queued<T>): void {
    this.entries.unshift(entry);
    if (this.entries.length > this.capacity) {
      this.entries.pop();
      this.stats.droppedFull++;
    }
  }

  /** The oldest entry that is still fresh at `now`; stale ones are discarded and counted. */
  popFresh(now: number): Queued<T> | undefined {
    while (this.entries.length > 0) {
      const e = this.entries.shift()!;
      if (now - e.receivedAt <= this.maxAgeMs) return e;
      this.stats.droppedExpired++;
    }
    return undefined;
  }
}

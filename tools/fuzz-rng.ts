// A seeded generator for the fuzz runner (splitmix32-style mixing of a counter): the same seed gives
// the same inputs, so any finding replays from its seed and index.
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 0x100000000;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** Changes, inserts or deletes a few bytes. */
  mutate(input: Uint8Array, edits = 1 + this.int(4)): Uint8Array {
    let out = input.slice();
    for (let k = 0; k < edits; k++) {
      const at = this.int(out.length + 1);
      const kind = this.int(3);
      const value = this.chance(0.3) ? this.pick([0x0d, 0x0a, 0x00, 0x20, 0x3a, 0x22, 0x7b, 0x5b, 0xff, 0x80]) : this.int(256);
      if (kind === 0 && at < out.length) out[at] = value;
      else if (kind === 1) out = Uint8Array.from([...out.subarray(0, at), value, ...out.subarray(at)]);
      else if (at < out.length) out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1)]);
    }
    return out;
  }
}

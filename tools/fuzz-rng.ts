// The simulator's seeded generator (sim/rng.ts) with what the fuzz runner adds: the same seed gives
// the same inputs, so any finding replays from its seed and index.
import { Rng as SeededRng } from "../sim/rng.js";

export class Rng extends SeededRng {
  chance(p: number): boolean {
    return this.next() < p;
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

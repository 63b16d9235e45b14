// The last N beacon payloads seen (gateway-rs MessageCache of 15): a payload already in it is a
// duplicate, and the hotspot's own beacon is put in it when sent, so hearing it back is one too.
import { equalBytes } from "../util/bytes.js";

export class MessageCache {
  readonly #entries: Uint8Array[] = [];

  constructor(readonly capacity = 15) {}

  get size(): number {
    return this.#entries.length;
  }

  /** Records `data`; returns false when it was already there (then it becomes the most recent). */
  tag(data: Uint8Array): boolean {
    const at = this.#entries.findIndex((e) => equalBytes(e, data));
    if (at >= 0) {
      this.#entries.push(...this.#entries.splice(at, 1));
      return false;
    }
    this.#entries.push(data.slice());
    if (this.#entries.length > this.capacity) this.#entries.shift();
    return true;
  }

  has(data: Uint8Array): boolean {
    return this.#entries.some((e) => equalBytes(e, data));
  }
}

// Per-key state of signed calls, created only for a key whose signature has verified:
//  - ReplayRecord: the nonces the key used while their timestamps can still be accepted. Each
//    entry lives until its request's timestamp leaves the ±window, measured on the same wall clock
//    (in whole seconds) as the window check itself, so no accepted request can be accepted again.
//  - RateBucket: a token bucket (burst, refill per second) on the monotonic clock.
// Entries are 64-bit nonce digests plus an expiry second in typed arrays (12 bytes each, no
// per-entry objects); a key's record is sized so that its rate limit can never fill it.

export class ReplayRecord {
  readonly capacity: number;
  /** Two words per entry: the first 8 bytes of SHA-256(nonce). */
  readonly #digest: Uint32Array;
  /** Unix second from which the entry's timestamp is stale; 0 = free slot. */
  readonly #expires: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#digest = new Uint32Array(2 * capacity);
    this.#expires = new Uint32Array(capacity);
  }

  /** Live entries at `nowSeconds`. */
  live(nowSeconds: number): number {
    let n = 0;
    for (let i = 0; i < this.capacity; i++) if (this.#expires[i] > nowSeconds) n++;
    return n;
  }

  /** True when the digest was recorded and its request's timestamp is still acceptable. */
  has(digest: Uint8Array, nowSeconds: number): boolean {
    const hi = word(digest, 0);
    const lo = word(digest, 4);
    for (let i = 0; i < this.capacity; i++) {
      if (this.#expires[i] > nowSeconds && this.#digest[2 * i] === hi && this.#digest[2 * i + 1] === lo) return true;
    }
    return false;
  }

  /** Records a digest until `expiresSeconds`; false when every slot holds a live entry. */
  add(digest: Uint8Array, expiresSeconds: number, nowSeconds: number): boolean {
    for (let i = 0; i < this.capacity; i++) {
      if (this.#expires[i] > nowSeconds) continue;
      this.#digest[2 * i] = word(digest, 0);
      this.#digest[2 * i + 1] = word(digest, 4);
      this.#expires[i] = expiresSeconds;
      return true;
    }
    return false;
  }
}

function word(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** Token bucket: `burst` calls at once, refilled at `perSecond`. */
export class RateBucket {
  readonly #burst: number;
  readonly #perSecond: number;
  #tokens: number;
  #at: number;

  constructor(burst: number, perSecond: number, nowMs: number) {
    this.#burst = burst;
    this.#perSecond = perSecond;
    this.#tokens = burst;
    this.#at = nowMs;
  }

  /** Takes one token; returns 0 when allowed, else the whole seconds until one is available. */
  take(nowMs: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (Math.max(0, nowMs - this.#at) / 1000) * this.#perSecond);
    this.#at = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.#perSecond));
  }
}

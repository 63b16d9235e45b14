// Replay protection for signed calls: a bounded record of (key id, nonce) pairs seen recently.
// Each pair is kept for `retentionMs` on the monotonic clock, which covers every timestamp the
// ±window check can still accept (a request dated window ahead stays acceptable for 2 x window).
// Pairs are stored as 64-bit digests in typed arrays: 16 bytes per entry, no per-entry objects.
// When the record is full of live entries, new requests are refused (never forget a live nonce).

export type NonceVerdict = "fresh" | "replayed" | "full";

export class NonceCache {
  readonly capacity: number;
  readonly #retentionMs: number;
  readonly #hi: Uint32Array;
  readonly #lo: Uint32Array;
  readonly #expires: Float64Array;
  /** Ring: entries [#head, #head + #size) in insertion (= expiry) order. */
  #head = 0;
  #size = 0;

  constructor(capacity: number, retentionMs: number) {
    this.capacity = capacity;
    this.#retentionMs = retentionMs;
    this.#hi = new Uint32Array(capacity);
    this.#lo = new Uint32Array(capacity);
    this.#expires = new Float64Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Records the digest (its first 8 bytes) unless it is already live; `nowMs` is monotonic. */
  check(digest: Uint8Array, nowMs: number): NonceVerdict {
    while (this.#size > 0 && this.#expires[this.#head] <= nowMs) {
      this.#head = (this.#head + 1) % this.capacity;
      this.#size--;
    }
    const hi = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
    const lo = ((digest[4] << 24) | (digest[5] << 16) | (digest[6] << 8) | digest[7]) >>> 0;
    for (let i = 0; i < this.#size; i++) {
      const j = (this.#head + i) % this.capacity;
      if (this.#hi[j] === hi && this.#lo[j] === lo) return "replayed";
    }
    if (this.#size === this.capacity) return "full";
    const j = (this.#head + this.#size) % this.capacity;
    this.#hi[j] = hi;
    this.#lo[j] = lo;
    this.#expires[j] = nowMs + this.#retentionMs;
    this.#size++;
    return "fresh";
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }
}

/** Token bucket per key id: `burst` requests at once, refilled at `perSecond`. */
export class RateLimiter {
  readonly #burst: number;
  readonly #perSecond: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(burst: number, perSecond: number) {
    this.#burst = burst;
    this.#perSecond = perSecond;
  }

  /** Takes one token for `id`; returns 0 when allowed, else the seconds until one is available. */
  take(id: string, nowMs: number): number {
    let bucket = this.#buckets.get(id);
    if (bucket === undefined) {
      bucket = { tokens: this.#burst, at: nowMs };
      this.#buckets.set(id, bucket);
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.#perSecond);
    bucket.at = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perSecond));
  }

  /** Forgets a revoked key's bucket (the map holds at most one bucket per stored key). */
  forget(id: string): void {
    this.#buckets.delete(id);
  }
}

// Reconnect pacing as gateway-rs does it (src/service/mod.rs `Reconnect`, on the
// exponential_backoff crate): min·2^n with ±jitter, clamped to [min, max], and a retry count that
// wraps to 0 after the maximum. Long-lived streams set the count to the maximum once healthy, so
// they are re-established about every `max` and a failure after a healthy period retries after `min`.

export interface BackoffPolicy {
  retries: number;
  minMs: number;
  maxMs: number;
}

/** Conduits (packet router, PoC ingest): 40 retries, 5 s .. 30 min. */
export const CONDUIT_BACKOFF: BackoffPolicy = Object.freeze({ retries: 40, minMs: 5000, maxMs: 1800000 });
/** Region watcher (config service): 10 retries, 5 s .. 1 h. */
export const REGION_BACKOFF: BackoffPolicy = Object.freeze({ retries: 10, minMs: 5000, maxMs: 3600000 });

/**
 * The delay before attempt `n`, or undefined when `n` is past the last retry (callers then wait
 * `maxMs`). `random01` is uniform in [0, 1): r = 60·random01 percent; below 30 it shortens the
 * delay by r %, otherwise it lengthens it by r/2 %.
 */
export function backoffDelay(n: number, policy: BackoffPolicy, random01: number): number | undefined {
  if (n === policy.retries + 1) return undefined;
  let d = policy.minMs * 2 ** Math.min(n, 64);
  const r = random01 * 60;
  d = r < 30 ? d * (1 - r / 100) : d * (1 + r / 2 / 100);
  return Math.min(policy.maxMs, Math.max(policy.minMs, d));
}

/** Uniform [0, 1) from a host random source filling bytes. */
export function random01From(random: (bytes: Uint8Array) => void): number {
  const b = new Uint8Array(4);
  random(b);
  return (((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]) / 2 ** 32;
}

export class Reconnect {
  retry: number;

  constructor(
    readonly policy: BackoffPolicy = CONDUIT_BACKOFF,
    private readonly random: (bytes: Uint8Array) => void,
    initialRetry = 0,
  ) {
    this.retry = initialRetry;
  }

  /** gateway-rs `update_next_time`: the delay until the next (re)connect. */
  next(failed: boolean): number {
    if (failed) this.retry = this.retry >= this.policy.retries ? 0 : this.retry + 1;
    return backoffDelay(this.retry, this.policy, random01From(this.random)) ?? this.policy.maxMs;
  }

  /** The connection proved healthy (a session was established): next reconnect after about `maxMs`. */
  markHealthy(): void {
    this.retry = this.policy.retries;
  }
}

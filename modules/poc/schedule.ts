// When to beacon, as gateway-rs' beaconer decides it (spec 2.2): one beacon per interval window
// aligned to the Unix epoch, at a random whole second inside it; re-anchored on the time the
// region params carry, so a hotspot whose beacon already went out this window waits for the next.

/** The start of the window `t` lies in (Unix seconds). */
export function windowStart(t: number, intervalSeconds: number): number {
  return Math.floor(t / intervalSeconds) * intervalSeconds;
}

/**
 * mk_next_beacon_time: `current` is "now" (the region params' timestamp), `previous` the last
 * planned beacon time if any, `randomBelow(n)` a uniform whole number in [0, n).
 */
export function nextBeaconTime(current: number, previous: number | undefined, intervalSeconds: number, randomBelow: (n: number) => number): number {
  const segment = windowStart(current, intervalSeconds);
  const prev = previous ?? segment + randomBelow(intervalSeconds);
  if (prev > current) return prev;
  if (prev >= segment) return segment + intervalSeconds + randomBelow(intervalSeconds); // done this window
  return current + randomBelow(segment + intervalSeconds - current); // rest of this window
}

/** Uniform whole number in [0, n) from a random-bytes source (rejection sampling, no modulo bias). */
export function randomBelow(random: (bytes: Uint8Array) => void, n: number): number {
  if (!(n >= 1)) return 0;
  const bytes = new Uint8Array(4);
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    random(bytes);
    const v = ((bytes[0] << 24) >>> 0) + (bytes[1] << 16) + (bytes[2] << 8) + bytes[3];
    if (v < limit) return v % n;
  }
}

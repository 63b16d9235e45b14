// A histogram of downlink start errors (measured start minus scheduled start, µs) in fixed memory:
// decade bins either side of zero, so a few µs of jitter and a 40 ms stall both show.

/** Bin edges, µs: bin i holds errors in [edge[i-1], edge[i]); the first and last bins are open. */
export const START_ERROR_EDGES_MICROS: readonly number[] = Object.freeze([-10_000, -1000, -100, -10, 10, 100, 1000, 10_000]);

export interface StartErrorHistogram {
  /** The edges between bins, µs (counts has one entry more). */
  edgesMicros: number[];
  counts: number[];
}

export class StartErrors {
  readonly #counts = new Uint32Array(START_ERROR_EDGES_MICROS.length + 1);

  add(errorMicros: number): void {
    let bin = 0;
    while (bin < START_ERROR_EDGES_MICROS.length && errorMicros >= START_ERROR_EDGES_MICROS[bin]) bin++;
    this.#counts[bin]++;
  }

  snapshot(): StartErrorHistogram {
    return { edgesMicros: START_ERROR_EDGES_MICROS.slice(), counts: Array.from(this.#counts) };
  }
}

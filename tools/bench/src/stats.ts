// Summary statistics of repeated timings, and the ratio/target arithmetic the report is built on.

/** A sample of timings (ms) reduced to what the table shows. */
export interface Summary {
  readonly reps: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartiles (linear interpolation between order statistics, as NumPy's default). */
  readonly q1: number;
  readonly q3: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of already sorted values, interpolating linearly between neighbours. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The median of `values` (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Median, min, max and quartiles of a non-empty sample. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    reps: sorted.length,
    median: quantileSorted(sorted, 0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
  };
}

/**
 * How many timed repetitions fit a time budget, given how long one round (every contender once) took
 * during warm-up; never fewer than `min` nor more than `max`.
 */
export function repsForBudget(roundMs: number, budgetMs: number, min: number, max: number): number {
  if (!(roundMs > 0)) return max;
  return Math.max(min, Math.min(max, Math.floor(budgetMs / roundMs)));
}

/** peer median / mg median: above 1 means mg is faster. Null when either is missing. */
export function speedup(peerMs: number | null | undefined, mgMs: number | null | undefined): number | null {
  if (peerMs == null || mgMs == null || !(mgMs > 0)) return null;
  return peerMs / mgMs;
}

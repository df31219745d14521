// Result equality between contenders: every contender must compute the same numbers as the reference.

/** Element-wise tolerance: |a - b| ≤ atol + rtol·|b|, with atol = atolScale·rtol·max|reference|. */
export interface Tolerance {
  readonly rtol: number;
  /**
   * The absolute tolerance as a fraction of rtol·max|reference|: lets values that are sums of cancelling terms
   * (a gradient near 0) differ by rounding noise proportional to the array's scale, not to their own size.
   */
  readonly atolScale: number;
}

/** float32 results: rtol 1e-3 (plus an absolute slack of 1e-5 × the array's largest magnitude). */
export const FLOAT32_TOLERANCE: Tolerance = { rtol: 1e-3, atolScale: 1e-2 };

/** The first disagreement between two results. */
export interface Mismatch {
  /** Which output array (a workload may return several, e.g. the gradients of both inputs). */
  readonly output: number;
  /** Flat index of the worst element, or -1 for a length/count mismatch or a non-finite-ness mismatch. */
  readonly index: number;
  readonly expected: number;
  readonly actual: number;
  readonly message: string;
}

/** A result read back from a contender: one or more flat arrays. */
export type Readout = readonly ArrayLike<number>[];

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    if (v > m && Number.isFinite(v)) m = v;
  }
  return m;
}

/**
 * Compares `actual` against `expected` output by output; returns null when every element is within
 * tolerance, else the worst offending element (NaN where a number was expected counts as a mismatch).
 */
export function compareReadouts(
  expected: Readout,
  actual: Readout,
  tolerance: Tolerance = FLOAT32_TOLERANCE,
): Mismatch | null {
  if (expected.length !== actual.length) {
    return {
      output: -1,
      index: -1,
      expected: expected.length,
      actual: actual.length,
      message: `returned ${actual.length} outputs, expected ${expected.length}`,
    };
  }
  for (let o = 0; o < expected.length; o++) {
    const e = expected[o]!;
    const a = actual[o]!;
    if (e.length !== a.length) {
      return {
        output: o,
        index: -1,
        expected: e.length,
        actual: a.length,
        message: `output ${o} has ${a.length} elements, expected ${e.length}`,
      };
    }
    const atol = tolerance.atolScale * tolerance.rtol * maxAbs(e);
    let worst = -1;
    let worstExcess = 0;
    for (let i = 0; i < e.length; i++) {
      const ev = e[i]!;
      const av = a[i]!;
      if (Number.isNaN(ev) && Number.isNaN(av)) continue;
      if (!Number.isFinite(ev) || !Number.isFinite(av)) {
        if (ev === av) continue;
        return {
          output: o,
          index: i,
          expected: ev,
          actual: av,
          message: `output ${o}[${i}] is ${av}, expected ${ev}`,
        };
      }
      const excess = Math.abs(av - ev) - (atol + tolerance.rtol * Math.abs(ev));
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    if (worst >= 0) {
      const ev = e[worst]!;
      const av = a[worst]!;
      return {
        output: o,
        index: worst,
        expected: ev,
        actual: av,
        message: `output ${o}[${worst}] is ${av}, expected ${ev} (|diff| ${Math.abs(av - ev).toExponential(2)} > atol ${atol.toExponential(2)} + rtol ${tolerance.rtol} × |expected|)`,
      };
    }
  }
  return null;
}

/** Copies a readout into fresh Float64Arrays, so later runs or frees cannot change what was read. */
export function snapshot(readout: Readout): Float64Array[] {
  return readout.map((values) => Float64Array.from(values));
}

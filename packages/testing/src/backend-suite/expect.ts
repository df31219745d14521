// The kernel-result assertion of the backend suite: the dtype's TypedArray, its length, and every element equal
// (NaN matches NaN, infinities exactly) or within a per-element tolerance.
import type { DType, TypedArray } from '@mg/core';
import { expect } from 'vitest';

/** How close `expectValues` wants finite elements. */
export interface ValueTolerance {
  /** Allowed |actual - expected| per element (a number, or one per element index); default 0. */
  readonly abs?: number | ((i: number) => number);
  /** Compare the sign of zeros too (-0 must match -0). Default false. */
  readonly signedZero?: boolean;
}

const ARRAY_TYPES: Readonly<Record<DType, string>> = {
  float64: 'Float64Array',
  float32: 'Float32Array',
  int32: 'Int32Array',
  bool: 'Uint8Array',
};

/**
 * Asserts (with vitest's `expect`) that `actual` is `dtype`'s TypedArray, as long as `expected`, and agrees
 * element-wise: NaN matches NaN, infinities match exactly, finite values within `tolerance.abs` (and with the
 * sign of zero when `tolerance.signedZero`). The failure names the first element that differs.
 *
 * @param actual - What the backend returned (`backend.readSync(id)`).
 * @param expected - The reference values.
 * @param dtype - The dtype `actual` must be stored as.
 * @param tolerance - Allowed error and signed-zero comparison.
 * @throws AssertionError on the first difference.
 * @example
 * ```ts
 * expectValues(new Float32Array([1, Number.NaN]), [1, Number.NaN], 'float32');
 * expectValues(new Float64Array([1.5]), [1], 'float64', { abs: 0.5 });
 * ```
 */
export function expectValues(
  actual: TypedArray,
  expected: ArrayLike<number>,
  dtype: DType,
  tolerance: ValueTolerance = {},
): void {
  expect(actual.constructor.name).toBe(ARRAY_TYPES[dtype]);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e)) expect.fail(`element ${i}: got ${a}, expected ${e}`);
      continue;
    }
    const bound = typeof tolerance.abs === 'function' ? tolerance.abs(i) : (tolerance.abs ?? 0);
    const ok = tolerance.signedZero
      ? Object.is(a, e) || (a !== 0 && Math.abs(a - e) <= bound)
      : Math.abs(a - e) <= bound;
    if (!ok) expect.fail(`element ${i}: got ${a}, expected ${e}${bound ? ` (tolerance ${bound})` : ''}`);
  }
}

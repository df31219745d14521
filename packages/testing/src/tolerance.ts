// Per-dtype tolerances and element-wise comparison of results with NaN/Inf/-0 handled as the fixtures need.
import type { Tensor } from '@mg/core';

/** `|actual - expected| <= atol + rtol * |expected|`. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * The default tolerances per dtype. Element-wise math in another runtime differs in the last ulps and sums
 * depend on their order, hence nonzero float tolerances; integers and bools must be exact.
 *
 * @example
 * ```ts
 * TOLERANCES.float32.rtol; // 0.0001
 * ```
 */
export const TOLERANCES: Readonly<Record<'float64' | 'float32' | 'int32' | 'bool', Tolerance>> = {
  float64: { rtol: 1e-9, atol: 1e-12 },
  float32: { rtol: 1e-4, atol: 1e-6 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/**
 * The tolerance for a dtype name; NumPy spellings (`int64`, `float`) are accepted and unknown names are exact.
 *
 * @param dtype - A dtype name.
 * @returns Its tolerance.
 * @example
 * ```ts
 * toleranceFor('float64'); // {"rtol":1e-9,"atol":1e-12}
 * toleranceFor('int64'); // {"rtol":0,"atol":0}
 * ```
 */
export function toleranceFor(dtype: string): Tolerance {
  if (dtype === 'float64' || dtype === 'float' || dtype === 'double') return TOLERANCES.float64;
  if (dtype === 'float32' || dtype === 'single') return TOLERANCES.float32;
  if (dtype === 'bool') return TOLERANCES.bool;
  return TOLERANCES.int32;
}

/**
 * Whether one element is close enough: NaN equals NaN, an infinity equals only the same infinity, -0 equals 0,
 * otherwise `|a - e| <= atol + rtol * |e|`.
 *
 * @example
 * ```ts
 * isClose(Number.NaN, Number.NaN, { rtol: 0, atol: 0 }); // true
 * isClose(-0, 0, { rtol: 0, atol: 0 }); // true
 * isClose(1.0001, 1, { rtol: 1e-9, atol: 0 }); // false
 * ```
 */
export function isClose(actual: number, expected: number, tolerance: Tolerance): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance.atol + tolerance.rtol * Math.abs(expected);
}

const SHOWN = 3;

/**
 * Compares two flat arrays element-wise with the tolerance of `dtype` (or an explicit one).
 *
 * @param actual - The values computed (numbers or booleans).
 * @param expected - The reference values.
 * @param dtype - Picks the tolerance (see `toleranceFor`).
 * @param tolerance - Overrides the dtype's tolerance.
 * @returns null when they agree, else a description of the length difference or the first mismatches.
 * @example
 * ```ts
 * compareArrays([1, Number.NaN, -0], [1, Number.NaN, 0], 'float64'); // null
 * compareArrays([1, 2], [1, 2.5], 'float64'); // "1 of 2 elements differ: [1] got 2, expected 2.5"
 * compareArrays([1], [1, 2], 'int32'); // "length 1, expected 2"
 * ```
 */
export function compareArrays(
  actual: ArrayLike<number | boolean>,
  expected: ArrayLike<number | boolean>,
  dtype: string,
  tolerance: Tolerance = toleranceFor(dtype),
): string | null {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    if (isClose(a, e, tolerance)) continue;
    count++;
    if (bad.length < SHOWN) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  if (count === 0) return null;
  return `${count} of ${expected.length} elements differ: ${bad.join('; ')}${count > SHOWN ? '; …' : ''}`;
}

/** What `expectClose` accepts: a tensor, a flat array of numbers/booleans, or one number. */
export type Closeable = Tensor | ArrayLike<number | boolean> | number | boolean;

/** Options of `expectClose`. */
export interface ExpectCloseOptions {
  /** Picks the tolerance; default: the actual tensor's dtype, else float64. */
  dtype?: string;
  rtol?: number;
  atol?: number;
}

function isTensorLike(value: Closeable): value is Tensor {
  return typeof value === 'object' && value !== null && typeof (value as Tensor).dataSync === 'function';
}

function flat(value: Closeable): { values: ArrayLike<number | boolean>; shape: readonly number[] | null } {
  if (isTensorLike(value)) return { values: value.dataSync(), shape: value.shape };
  if (typeof value === 'number' || typeof value === 'boolean') return { values: [value], shape: null };
  return { values: value, shape: null };
}

/**
 * Throws an Error describing the difference unless `actual` is close to `expected` (shapes must agree when both
 * are tensors). Works in any test runner; in vitest a throw fails the test with this message.
 *
 * @param actual - The computed value.
 * @param expected - The reference value.
 * @param options - dtype for the tolerance, or explicit rtol/atol.
 * @throws Error when they differ.
 * @example
 * ```ts
 * import { tensor } from '@mg/core';
 * expectClose(tensor([0.1 + 0.2, 1]), [0.3, 1]);
 * let threw = false;
 * try {
 *   expectClose([1, 2], [1, 3]);
 * } catch {
 *   threw = true;
 * }
 * threw; // true
 * ```
 */
export function expectClose(actual: Closeable, expected: Closeable, options: ExpectCloseOptions = {}): void {
  const a = flat(actual);
  const e = flat(expected);
  if (
    a.shape &&
    e.shape &&
    (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape![i]))
  ) {
    throw new Error(`expectClose: shape [${a.shape.join(', ')}], expected [${e.shape.join(', ')}]`);
  }
  const dtype = options.dtype ?? (isTensorLike(actual) ? actual.dtype : 'float64');
  const base = toleranceFor(dtype);
  const tolerance = { rtol: options.rtol ?? base.rtol, atol: options.atol ?? base.atol };
  const difference = compareArrays(a.values, e.values, dtype, tolerance);
  if (difference !== null) throw new Error(`expectClose: ${difference}`);
}

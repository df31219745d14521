// fast-check arbitraries for kernel tests: shapes with zero-sized and 0-d cases, values mixing exact and IEEE
// special cases per dtype, test arrays, broadcastable shape sets and permutations.
import { broadcastShapes, type DType, type Shape, sizeOf } from '@mg/core';
import * as fc from 'fast-check';
import { arr, type TestArray } from './reference.js';

/** Bounds of `shapeArb`. */
export interface ShapeArbOptions {
  /** Fewest axes. Default 0 (0-d tensors included). */
  readonly minRank?: number;
  /** Most axes. Default 4. */
  readonly maxRank?: number;
  /** Largest size of an axis. Default 4. */
  readonly maxDim?: number;
}

/**
 * Shapes whose axes have sizes 0 to `maxDim` (zero-sized ones rarer), of rank `minRank` to `maxRank`.
 *
 * @example
 * ```ts
 * const shapes = fc.sample(shapeArb({ minRank: 2, maxRank: 2 }), 20);
 * shapes.every((s) => s.length === 2 && s.every((d) => d <= 4)); // true
 * ```
 */
export function shapeArb({
  minRank = 0,
  maxRank = 4,
  maxDim = 4,
}: ShapeArbOptions = {}): fc.Arbitrary<number[]> {
  const dim = fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: maxDim }), weight: 8 },
  );
  return fc.array(dim, { minLength: minRank, maxLength: maxRank });
}

/** NaN, the infinities and -0, which floats mix into their values. */
export const SPECIALS: readonly number[] = [Number.NaN, Infinity, -Infinity, -0];

/**
 * Values for `dtype`. Floats mix small integers (ties, exact products), dyadic fractions (exact in float32 and in
 * most arithmetic), arbitrary doubles in [-10, 10], and (unless `specials` is false) NaN, ±Infinity and -0; int32
 * mixes small values with the full range (wrap-around); bool is 0 or 1.
 *
 * @example
 * ```ts
 * fc.sample(valueArb('int32'), 50).every(Number.isInteger); // true
 * fc.sample(valueArb('float64', { specials: false }), 50).every(Number.isFinite); // true
 * ```
 */
export function valueArb(
  dtype: DType,
  { specials = true }: { specials?: boolean } = {},
): fc.Arbitrary<number> {
  if (dtype === 'bool') return fc.integer({ min: 0, max: 1 });
  if (dtype === 'int32') {
    return fc.oneof(
      { arbitrary: fc.integer({ min: -5, max: 5 }), weight: 3 },
      { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), weight: 2 },
      { arbitrary: fc.constantFrom(-(2 ** 31), 2 ** 31 - 1), weight: 1 },
    );
  }
  return fc.oneof(
    { arbitrary: fc.integer({ min: -4, max: 4 }), weight: 3 },
    { arbitrary: fc.integer({ min: -640, max: 640 }).map((v) => v / 64), weight: 3 },
    { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 2 },
    { arbitrary: fc.constantFrom(...SPECIALS), weight: specials ? 1 : 0 },
  );
}

/**
 * Test arrays of a fixed shape and dtype, with values from `values` (default `valueArb(dtype)`).
 *
 * @example
 * ```ts
 * fc.sample(arrArb([2, 3], 'float32'), 1)[0].values.length; // 6
 * ```
 */
export function arrArb(
  shape: Shape,
  dtype: DType,
  values: fc.Arbitrary<number> = valueArb(dtype),
): fc.Arbitrary<TestArray> {
  const size = sizeOf(shape);
  return fc.array(values, { minLength: size, maxLength: size }).map((v) => arr(v, shape, dtype));
}

/**
 * Shapes derived from `out` by dropping leading axes and setting some axes to 1: each broadcasts to `out`.
 *
 * @example
 * ```ts
 * const fits = (s) => s.every((d, i) => d === 1 || d === [2, 3][i + 2 - s.length]);
 * fc.sample(broadcastableTo([2, 3]), 20).every((s) => s.length <= 2 && fits(s)); // true
 * ```
 */
export function broadcastableTo(out: Shape): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));
}

/**
 * `count` shapes that broadcast together, with the shape they broadcast to.
 *
 * @example
 * ```ts
 * const [{ shapes, out }] = fc.sample(broadcastArb(3), 1);
 * shapes.length; // 3
 * Array.isArray(out); // true
 * ```
 */
export function broadcastArb(
  count: number,
  maxRank = 4,
): fc.Arbitrary<{ shapes: number[][]; out: number[] }> {
  return shapeArb({ maxRank })
    .chain((out) => fc.array(broadcastableTo(out), { minLength: count, maxLength: count }))
    .map((shapes) => ({ shapes, out: broadcastShapes('test', ...shapes) }));
}

/**
 * Random permutations of 0..n-1.
 *
 * @example
 * ```ts
 * [...fc.sample(permutationArb(4), 1)[0]].sort(); // [0, 1, 2, 3]
 * ```
 */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, i]) => i),
  );
}

// Shared test kit: a backend, random tensors (fast-check), naive index helpers, a comparator and a table runner.
import {
  allocate,
  broadcastShapes,
  type DataId,
  type DType,
  type PrimitiveKernels,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
} from '@mg/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { cpu } from '../src/index.js';

export const backend = cpu();
export const kernels: PrimitiveKernels = backend.kernels;

export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32', 'bool'];
export const FLOATS: readonly DType[] = ['float64', 'float32'];
export const NUMERIC: readonly DType[] = ['float64', 'float32', 'int32'];

/** A test tensor: plain data before it is written to the backend. */
export interface Arr {
  readonly values: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Stores `x` in the backend and returns the TensorInfo kernels take. */
export function info(x: Arr): TensorInfo {
  return { dataId: backend.write(x.values, x.shape, x.dtype), shape: x.shape, dtype: x.dtype };
}

export function read(dataId: DataId): TypedArray {
  return backend.readSync(dataId);
}

/** Stores plain numbers as `dtype` the way the contract says a store behaves (bool: x != 0, NaN included). */
export function typed(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = dtype === 'bool' ? (Number.isNaN(v) || v !== 0 ? 1 : 0) : v;
  }
  return out;
}

export function arr(values: ArrayLike<number>, shape: Shape, dtype: DType): Arr {
  return { values: typed(values, dtype), shape, dtype };
}

// ---- Naive index arithmetic: slow, with division and modulo, and obviously right. ----

export function unravel(index: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: Shape): number {
  let index = 0;
  for (let i = 0; i < shape.length; i++) index = index * shape[i] + idx[i];
  return index;
}

/** The flat index in `shape` that output index `outIdx` reads under NumPy broadcasting. */
export function broadcastSource(outIdx: readonly number[], shape: Shape): number {
  const offset = outIdx.length - shape.length;
  return ravel(
    shape.map((d, i) => (d === 1 ? 0 : outIdx[offset + i])),
    shape,
  );
}

// ---- Arbitraries. ----

/** Dims from 0 to `maxDim`, zero-sized ones rarer; ranks from `minRank` to `maxRank` (0 gives 0-d tensors). */
export function shapeArb({ minRank = 0, maxRank = 4, maxDim = 4 } = {}): fc.Arbitrary<number[]> {
  const dim = fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: maxDim }), weight: 8 },
  );
  return fc.array(dim, { minLength: minRank, maxLength: maxRank });
}

export const SPECIALS = [Number.NaN, Infinity, -Infinity, -0];

/**
 * Values for `dtype`. Floats mix small integers (ties, exact products), dyadic fractions (exact in float32 and in
 * most arithmetic), arbitrary doubles in [-10, 10], and the IEEE specials; int32 mixes small values with the full
 * range (wrap-around).
 */
export function valueArb(dtype: DType, { specials = true } = {}): fc.Arbitrary<number> {
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

export function arrArb(
  shape: Shape,
  dtype: DType,
  values: fc.Arbitrary<number> = valueArb(dtype),
): fc.Arbitrary<Arr> {
  const size = sizeOf(shape);
  return fc.array(values, { minLength: size, maxLength: size }).map((v) => arr(v, shape, dtype));
}

/** A shape derived from `out` by dropping leading axes and setting some axes to 1: it broadcasts to `out`. */
export function broadcastableTo(out: Shape): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));
}

/** `count` shapes that broadcast together, with their broadcast shape. */
export function broadcastArb(
  count: number,
  maxRank = 4,
): fc.Arbitrary<{ shapes: number[][]; out: number[] }> {
  return shapeArb({ maxRank })
    .chain((out) => fc.array(broadcastableTo(out), { minLength: count, maxLength: count }))
    .map((shapes) => ({ shapes, out: broadcastShapes('test', ...shapes) }));
}

/** A random permutation of 0..n-1. */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, i]) => i),
  );
}

// ---- Comparison. ----

export interface Tolerance {
  /** Allowed |actual - expected| per element, on top of exact equality. */
  readonly abs?: number | ((i: number) => number);
  /** Compare the sign of zeros too. */
  readonly signedZero?: boolean;
}

const ARRAY_TYPES: Record<DType, string> = {
  float64: 'Float64Array',
  float32: 'Float32Array',
  int32: 'Int32Array',
  bool: 'Uint8Array',
};

/**
 * `actual` must be `dtype`'s TypedArray, as long as `expected`, and agree element-wise: NaN matches NaN,
 * infinities match exactly, finite values within the tolerance.
 */
export function expectValues(
  actual: TypedArray,
  expected: ArrayLike<number>,
  dtype: DType,
  tol: Tolerance = {},
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
    const bound = typeof tol.abs === 'function' ? tol.abs(i) : (tol.abs ?? 0);
    const ok = tol.signedZero
      ? Object.is(a, e) || (a !== 0 && Math.abs(a - e) <= bound)
      : Math.abs(a - e) <= bound;
    if (!ok) expect.fail(`element ${i}: got ${a}, expected ${e}${bound ? ` (tolerance ${bound})` : ''}`);
  }
}

// ---- The table runner. ----

export interface PropertySpec<R, T> {
  name(row: R): string;
  arb(row: R): fc.Arbitrary<T>;
  check(row: R, input: T): void;
  runs?: number;
  /** Shrink counterexamples (default). Off for big fixed shapes, where shrinking takes minutes. */
  shrink?: boolean;
}

/** One test per row: a fast-check property over `spec.arb(row)`. */
export function propertyTable<R, T>(rows: readonly R[], spec: PropertySpec<R, T>): void {
  it.each(rows.map((row) => ({ row, title: spec.name(row) })))('$title', ({ row }) => {
    fc.assert(
      fc.property(spec.arb(row), (input) => spec.check(row, input)),
      { numRuns: spec.runs ?? 50, endOnFailure: spec.shrink === false },
    );
  });
}

/** `true` for NumPy truthiness: nonzero, NaN included. */
export function truthy(x: number): boolean {
  return Number.isNaN(x) || x !== 0;
}

/** Wraps an integer to int32 through BigInt, independently of the kernels' Int32Array stores and Math.imul. */
export function wrap32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

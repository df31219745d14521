// Reduction kernels (reduce, argReduce, cumulative) against naive folds, on random and path-forcing shapes.
import type { DType, ReduceOp, Shape } from '@mg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Arr,
  arr,
  arrArb,
  DTYPES,
  expectValues,
  FLOATS,
  info,
  kernels,
  NUMERIC,
  propertyTable,
  ravel,
  read,
  shapeArb,
  truthy,
  typed,
  unravel,
  wrap32,
} from './helpers.js';

/** For each output element, the input values it reduces, in input (row-major) order. */
function lines(x: Arr, axes: readonly number[]): { outShape: number[]; groups: number[][] } {
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const groups = Array.from({ length: outShape.reduce((p, d) => p * d, 1) }, (): number[] => []);
  for (let i = 0; i < x.values.length; i++) {
    const idx = unravel(i, x.shape).filter((_, a) => !axes.includes(a));
    groups[ravel(idx, outShape)].push(x.values[i]);
  }
  return { outShape, groups };
}

/** Sequential folds; int32 through BigInt so wrapping is checked independently. */
function refFold(op: ReduceOp, values: number[], dtype: DType): number {
  const int = dtype === 'int32';
  switch (op) {
    case 'sum':
      return int ? wrap32(values.reduce((s, v) => s + BigInt(v), 0n)) : values.reduce((s, v) => s + v, 0);
    case 'prod':
      return int
        ? wrap32(values.reduce((p, v) => BigInt.asIntN(32, p * BigInt(v)), 1n))
        : values.reduce((p, v) => p * v, 1);
    case 'max':
      return values.some(Number.isNaN) ? Number.NaN : Math.max(...values);
    case 'min':
      return values.some(Number.isNaN) ? Number.NaN : Math.min(...values);
    case 'any':
      return Number(values.some(truthy));
    case 'all':
      return Number(values.every(truthy));
  }
}

function reduceDtypes(op: ReduceOp): readonly DType[] {
  return op === 'sum' || op === 'prod' ? NUMERIC : DTYPES;
}

const OPS: readonly ReduceOp[] = ['sum', 'prod', 'max', 'min', 'any', 'all'];

function checkReduce(op: ReduceOp, dtype: DType, x: Arr, axes: number[]): void {
  const { outShape, groups } = lines(x, axes);
  const outDtype: DType = op === 'any' || op === 'all' ? 'bool' : dtype;
  const out = read(kernels.reduce(op, info(x), axes, { shape: outShape, dtype: outDtype }));
  const expected = typed(
    groups.map((g) => refFold(op, g, dtype)),
    outDtype,
  );
  // Float sums may be summed pairwise: allow the sequential reference's rounding, scaled by sum |x|.
  const rel = op !== 'sum' || dtype === 'int32' ? 0 : dtype === 'float32' ? 1e-6 : 1e-12;
  const scale = groups.map((g) => g.reduce((s, v) => s + (Number.isFinite(v) ? Math.abs(v) : 0), 0));
  expectValues(out, expected, outDtype, { abs: (i) => rel * scale[i] });
}

/** A shape with a sorted subset of its axes (max/min get no empty reductions, as core guarantees). */
function reduceArb(op: ReduceOp, dtype: DType, shape: fc.Arbitrary<number[]> = shapeArb()) {
  return shape
    .chain((s) => fc.record({ x: arrArb(s, dtype), axes: fc.subarray(s.map((_, i) => i)) }))
    .filter(({ x, axes }) => (op !== 'max' && op !== 'min') || axes.every((a) => x.shape[a] > 0));
}

describe('reduce', () => {
  propertyTable(
    OPS.flatMap((op) => reduceDtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ op, dtype }) => reduceArb(op, dtype),
      check: ({ op, dtype }, { x, axes }) => checkReduce(op, dtype, x, axes),
    },
  );

  // Shapes that force each loop: rows accumulated into the output (leading axis), contiguous runs (last axis),
  // outer/reduced/inner, non-adjacent axes (transpose first), merged size-1 axes, pairwise recursion, empties.
  const PATHS: [string, Shape, number[]][] = [
    ['leading axis', [300, 70], [0]],
    ['last axis', [70, 300], [1]],
    ['middle axis', [7, 50, 40], [1]],
    ['non-adjacent axes', [7, 50, 40], [0, 2]],
    ['adjacent axes merged', [6, 5, 4, 3], [1, 2]],
    ['size-1 axes between reduced ones', [6, 1, 5, 1, 4], [1, 2, 3]],
    ['all axes', [9, 130], [0, 1]],
    ['long run (pairwise recursion)', [2, 1000], [1]],
    ['no axes', [4, 5], []],
    ['0-d', [], []],
    ['empty reduction', [5, 0, 3], [1]],
    ['empty reduction, transposed', [0, 4, 0], [0, 2]],
    ['empty output', [5, 0, 3], [0]],
  ];
  propertyTable(
    PATHS.flatMap((path) =>
      OPS.flatMap((op) =>
        reduceDtypes(op)
          .filter(() => !((op === 'max' || op === 'min') && path[2].some((a) => path[1][a] === 0)))
          .map((dtype) => ({ path, op, dtype })),
      ),
    ),
    {
      name: ({ path: [name], op, dtype }) => `${name}: ${op} ${dtype}`,
      arb: ({ path: [, shape, axes], dtype }) => arrArb(shape, dtype).map((x) => ({ x, axes })),
      check: ({ op, dtype }, { x, axes }) => checkReduce(op, dtype, x, axes),
      runs: 3,
      shrink: false,
    },
  );

  it('sums pairwise: tiny terms are not lost against a large one (a sequential sum returns exactly 1)', () => {
    const n = 2 ** 20;
    const values = new Float64Array(n + 1).fill(2 ** -53);
    values[0] = 1;
    const out = read(
      kernels.reduce('sum', info(arr(values, [n + 1], 'float64')), [0], { shape: [], dtype: 'float64' }),
    );
    // Only the few tiny terms sharing the 1's accumulator in the first block of 128 are rounded away.
    expect((out[0] - 1) / 2 ** -33).toBeCloseTo(1, 4);
  });

  it("rounds float64 sums exactly as NumPy's pairwise summation", () => {
    const x = arr(
      Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)),
      [1000],
      'float64',
    );
    expect(read(kernels.reduce('sum', info(x), [0], { shape: [], dtype: 'float64' }))[0]).toBe(
      7.485470860550345,
    );
    const y = arr(
      Array.from({ length: 3 * 777 }, (_, i) => i * 0.1 - 50),
      [3, 777],
      'float64',
    );
    const rows = read(kernels.reduce('sum', info(y), [1], { shape: [3], dtype: 'float64' }));
    expect(Array.from(rows)).toEqual([-8702.399999999998, 51670.50000000001, 112043.40000000001]);
  });

  it('accumulates float32 sums in double along either axis (float32 steps would lose every +1)', () => {
    const column = [2 ** 24, ...new Array<number>(16).fill(1)];
    const x = arr(
      column.flatMap((v) => [v, v]),
      [17, 2],
      'float32',
    );
    expectValues(
      read(kernels.reduce('sum', info(x), [0], { shape: [2], dtype: 'float32' })),
      [2 ** 24 + 16, 2 ** 24 + 16],
      'float32',
    );
    const y = arr(column, [1, 17], 'float32');
    expectValues(
      read(kernels.reduce('sum', info(y), [1], { shape: [1], dtype: 'float32' })),
      [2 ** 24 + 16],
      'float32',
    );
  });

  it('gives NaN for max/min with a NaN anywhere, along either axis', () => {
    const x = arr([1, Number.NaN, 3, 4, 5, 6], [2, 3], 'float32');
    for (const op of ['max', 'min'] as const) {
      expectValues(
        read(kernels.reduce(op, info(x), [0], { shape: [3], dtype: 'float32' })),
        [op === 'max' ? 4 : 1, Number.NaN, op === 'max' ? 6 : 3],
        'float32',
      );
      expectValues(
        read(kernels.reduce(op, info(x), [1], { shape: [2], dtype: 'float32' })),
        [Number.NaN, op === 'max' ? 6 : 4],
        'float32',
      );
    }
  });

  it('folds max/min like NumPy 2: ties take the later element (visible as the sign of zero)', () => {
    const x = arr([0, -0, -0, 0], [2, 2], 'float64');
    const along = (axes: number[], shape: number[]) =>
      Array.from(read(kernels.reduce('max', info(x), axes, { shape, dtype: 'float64' })));
    expect(along([1], [2]).map((v) => Object.is(v, -0))).toEqual([true, false]);
    expect(along([0], [2]).map((v) => Object.is(v, -0))).toEqual([true, false]);
  });
});

// ---- argReduce. ----

function refArg(op: 'argmax' | 'argmin', values: number[]): number {
  const nan = values.findIndex(Number.isNaN);
  if (nan >= 0) return nan;
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (op === 'argmax' ? values[i] > values[best] : values[i] < values[best]) best = i;
  }
  return best;
}

/** A shape of rank >= 1 and an axis of it with at least one element (NumPy rejects empty arg-reductions). */
function axisArb(dtype: DType, shape = shapeArb({ minRank: 1 })) {
  return shape.chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).chain((axis) => {
      const fixed = s.map((d, i) => (i === axis && d === 0 ? 1 : d));
      return arrArb(fixed, dtype).map((x) => ({ x, axis }));
    }),
  );
}

function checkArg(op: 'argmax' | 'argmin', x: Arr, axis: number): void {
  const { outShape, groups } = lines(x, [axis]);
  const out = read(kernels.argReduce(op, info(x), axis, { shape: outShape, dtype: 'int32' }));
  expectValues(
    out,
    groups.map((g) => refArg(op, g)),
    'int32',
  );
}

describe('argReduce', () => {
  const ARG_OPS = ['argmax', 'argmin'] as const;
  propertyTable(
    ARG_OPS.flatMap((op) => DTYPES.map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) => axisArb(dtype),
      check: ({ op }, { x, axis }) => checkArg(op, x, axis),
    },
  );

  const PATHS: [string, Shape, number][] = [
    ['leading axis', [300, 70], 0],
    ['last axis', [70, 300], 1],
    ['middle axis', [5, 40, 33], 1],
  ];
  propertyTable(
    PATHS.flatMap((path) => ARG_OPS.flatMap((op) => NUMERIC.map((dtype) => ({ path, op, dtype })))),
    {
      name: ({ path: [name], op, dtype }) => `${name}: ${op} ${dtype}`,
      arb: ({ path: [, shape, axis], dtype }) =>
        // Few distinct values, so ties are common and the first one must win.
        arrArb(
          shape,
          dtype,
          fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constant(dtype === 'int32' ? 0 : Number.NaN)),
        ).map((x) => ({ x, axis })),
      check: ({ op }, { x, axis }) => checkArg(op, x, axis),
      runs: 3,
      shrink: false,
    },
  );

  it('returns the first NaN, and the first of tied extremes', () => {
    const x = arr([3, Number.NaN, 3, Number.NaN, -1, 7, 7, -1], [2, 4], 'float64');
    expectValues(
      read(kernels.argReduce('argmax', info(x), 1, { shape: [2], dtype: 'int32' })),
      [1, 1],
      'int32',
    );
    expectValues(
      read(kernels.argReduce('argmin', info(x), 0, { shape: [4], dtype: 'int32' })),
      [1, 0, 0, 0],
      'int32',
    );
    const t = arr([-1, 7, 7, -1], [4], 'int32');
    expectValues(read(kernels.argReduce('argmax', info(t), 0, { shape: [], dtype: 'int32' })), [1], 'int32');
    expectValues(read(kernels.argReduce('argmin', info(t), 0, { shape: [], dtype: 'int32' })), [0], 'int32');
  });
});

// ---- cumulative. ----

/** Sequential scan in the dtype's own arithmetic: float32 rounds every step, int32 wraps. */
function refScan(op: 'cumsum' | 'cumprod', values: number[], dtype: DType): number[] {
  const out: number[] = [];
  let acc = 0;
  values.forEach((v, i) => {
    if (i === 0) acc = v;
    else if (dtype === 'int32')
      acc = wrap32(op === 'cumsum' ? BigInt(acc) + BigInt(v) : BigInt(acc) * BigInt(v));
    else acc = op === 'cumsum' ? acc + v : acc * v;
    if (dtype === 'float32') acc = Math.fround(acc);
    out.push(acc);
  });
  return out;
}

function checkScan(op: 'cumsum' | 'cumprod', dtype: DType, x: Arr, axis: number): void {
  const expected = new Array<number>(x.values.length);
  const positions = lines(
    arr(
      Array.from(x.values, (_, i) => i),
      x.shape,
      'float64',
    ),
    [axis],
  ).groups;
  const { groups } = lines(x, [axis]);
  groups.forEach((g, k) => {
    refScan(op, g, dtype).forEach((v, j) => {
      expected[positions[k][j]] = v;
    });
  });
  const out = read(kernels.cumulative(op, info(x), axis, { shape: x.shape, dtype }));
  expectValues(out, expected, dtype);
}

describe('cumulative', () => {
  const SCAN_OPS = ['cumsum', 'cumprod'] as const;
  propertyTable(
    SCAN_OPS.flatMap((op) => NUMERIC.map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) =>
        shapeArb({ minRank: 1 }).chain((s) =>
          fc.record({ x: arrArb(s, dtype), axis: fc.integer({ min: 0, max: s.length - 1 }) }),
        ),
      check: ({ op, dtype }, { x, axis }) => checkScan(op, dtype, x, axis),
    },
  );

  propertyTable(
    SCAN_OPS.flatMap((op) => FLOATS.map((dtype) => ({ op, dtype, shape: [40, 60], axis: 0 }))).concat(
      SCAN_OPS.flatMap((op) => FLOATS.map((dtype) => ({ op, dtype, shape: [3, 40, 60], axis: 2 }))),
    ),
    {
      name: ({ op, dtype, shape, axis }) => `${op} ${dtype} (${shape.join(', ')}) axis ${axis}`,
      arb: ({ dtype, shape }) =>
        arrArb(
          shape,
          dtype,
          fc.integer({ min: -640, max: 640 }).map((v) => v / 512),
        ),
      check: ({ op, dtype, axis }, x) => checkScan(op, dtype, x, axis),
      runs: 3,
      shrink: false,
    },
  );
});

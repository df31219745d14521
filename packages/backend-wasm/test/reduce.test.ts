// Reduction kernels (reduce, argReduce, cumulative) against naive folds, on random shapes and on shapes that
// force each loop (contiguous runs with SIMD bodies, row accumulation, transposed axes, pairwise recursion).
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
    groups[ravel(idx, outShape)]!.push(x.values[i]!);
  }
  return { outShape, groups };
}

/** Sequential folds; int32 through BigInt; bool sums/products as NumPy's logical or/and. */
function refFold(op: ReduceOp, values: number[], dtype: DType): number {
  const int = dtype === 'int32';
  switch (op) {
    case 'sum':
      if (dtype === 'bool') return Number(values.some(truthy));
      return int ? wrap32(values.reduce((s, v) => s + BigInt(v), 0n)) : values.reduce((s, v) => s + v, 0);
    case 'prod':
      if (dtype === 'bool') return Number(values.every(truthy));
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

const OPS: readonly ReduceOp[] = ['sum', 'prod', 'max', 'min', 'any', 'all'];

function checkReduce(op: ReduceOp, dtype: DType, x: Arr, axes: number[]): void {
  const { outShape, groups } = lines(x, axes);
  const outDtype: DType = op === 'any' || op === 'all' ? 'bool' : dtype;
  const out = read(kernels.reduce(op, info(x), axes, { shape: outShape, dtype: outDtype }));
  const expected = typed(
    groups.map((g) => refFold(op, g, dtype)),
    outDtype,
  );
  // Float sums are pairwise (and f32 ones accumulate in f64): allow the sequential reference's rounding.
  const rel = op !== 'sum' || dtype === 'int32' || dtype === 'bool' ? 0 : dtype === 'float32' ? 1e-6 : 1e-12;
  const scale = groups.map((g) => g.reduce((s, v) => s + (Number.isFinite(v) ? Math.abs(v) : 0), 0));
  expectValues(out, expected, outDtype, { abs: (i) => rel * scale[i]! });
}

function reduceArb(op: ReduceOp, dtype: DType, shape: fc.Arbitrary<number[]> = shapeArb()) {
  return shape
    .chain((s) => fc.record({ x: arrArb(s, dtype), axes: fc.subarray(s.map((_, i) => i)) }))
    .filter(({ x, axes }) => (op !== 'max' && op !== 'min') || axes.every((a) => x.shape[a]! > 0));
}

describe('reduce', () => {
  propertyTable(
    OPS.flatMap((op) => DTYPES.map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ op, dtype }) => reduceArb(op, dtype),
      check: ({ op, dtype }, { x, axes }) => checkReduce(op, dtype, x, axes),
    },
  );

  const PATHS: [string, Shape, number[]][] = [
    ['leading axis', [300, 70], [0]],
    ['last axis', [70, 300], [1]],
    ['middle axis', [7, 50, 40], [1]],
    ['non-adjacent axes', [7, 50, 40], [0, 2]],
    ['adjacent axes merged', [6, 5, 4, 3], [1, 2]],
    ['size-1 axes between reduced ones', [6, 1, 5, 1, 4], [1, 2, 3]],
    ['all axes', [9, 130], [0, 1]],
    ['long run (pairwise recursion)', [2, 1000], [1]],
    ['odd run lengths (SIMD tails)', [3, 37], [1]],
    ['no axes', [4, 5], []],
    ['0-d', [], []],
    ['empty reduction', [5, 0, 3], [1]],
    ['empty reduction, transposed', [0, 4, 0], [0, 2]],
    ['empty output', [5, 0, 3], [0]],
  ];
  propertyTable(
    PATHS.flatMap((path) =>
      OPS.flatMap((op) =>
        DTYPES.filter(() => !((op === 'max' || op === 'min') && path[2].some((a) => path[1][a] === 0))).map(
          (dtype) => ({ path, op, dtype }),
        ),
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

  it('accumulates float32 sums in double along either axis', () => {
    const column = [2 ** 24, ...new Array<number>(40).fill(1)];
    const x = arr(
      column.flatMap((v) => [v, v, v, v, v]),
      [41, 5],
      'float32',
    );
    expectValues(
      read(kernels.reduce('sum', info(x), [0], { shape: [5], dtype: 'float32' })),
      new Array(5).fill(2 ** 24 + 40),
      'float32',
    );
    const y = arr(column, [1, 41], 'float32');
    expectValues(
      read(kernels.reduce('sum', info(y), [1], { shape: [1], dtype: 'float32' })),
      [2 ** 24 + 40],
      'float32',
    );
  });

  it('gives NaN for max/min with a NaN anywhere in a long run or column', () => {
    for (const dtype of FLOATS) {
      for (const at of [0, 1, 5, 17, 38, 39]) {
        const values = Array.from({ length: 40 }, (_, i) => (i === at ? Number.NaN : i - 20));
        for (const op of ['max', 'min'] as const) {
          const runs = read(kernels.reduce(op, info(arr(values, [40], dtype)), [0], { shape: [], dtype }));
          expect(Number.isNaN(runs[0]), `${op} ${dtype} NaN at ${at}`).toBe(true);
          const cols = read(
            kernels.reduce(op, info(arr(values, [40, 1], dtype)), [0], { shape: [1], dtype }),
          );
          expect(Number.isNaN(cols[0]), `${op} ${dtype} column NaN at ${at}`).toBe(true);
        }
      }
    }
  });

  it('folds max/min like NumPy 2: of tied zeros the last wins, in runs and columns of any length', () => {
    for (const dtype of FLOATS) {
      for (const n of [2, 7, 40, 41]) {
        for (const lastNegative of [true, false]) {
          const values = Array.from({ length: n }, (_, i) =>
            i === n - 1 ? (lastNegative ? -0 : 0) : i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : -5,
          );
          for (const op of ['max', 'min'] as const) {
            const v = op === 'max' ? values : values.map((x) => (x === -5 ? 5 : x));
            const run = read(kernels.reduce(op, info(arr(v, [n], dtype)), [0], { shape: [], dtype }))[0];
            expect(Object.is(run, lastNegative ? -0 : 0), `${op} ${dtype} run of ${n}`).toBe(true);
            const col = read(kernels.reduce(op, info(arr(v, [n, 1], dtype)), [0], { shape: [1], dtype }))[0];
            expect(Object.is(col, lastNegative ? -0 : 0), `${op} ${dtype} column of ${n}`).toBe(true);
          }
        }
      }
    }
  });
});

// ---- argReduce. ----

function refArg(op: 'argmax' | 'argmin', values: number[]): number {
  const nan = values.findIndex(Number.isNaN);
  if (nan >= 0) return nan;
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (op === 'argmax' ? values[i]! > values[best]! : values[i]! < values[best]!) best = i;
  }
  return best;
}

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

  it('gives zeros for an empty output or an empty axis', () => {
    expectValues(
      read(kernels.argReduce('argmax', info(arr([], [0, 3], 'float64')), 0, { shape: [3], dtype: 'int32' })),
      [0, 0, 0],
      'int32',
    );
  });
});

// ---- cumulative. ----

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
      expected[positions[k]![j]!] = v;
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

  it('scans bool as a running or (cumsum) and and (cumprod)', () => {
    const x = arr([0, 1, 0, 1, 1, 0], [6], 'bool');
    expectValues(
      read(kernels.cumulative('cumsum', info(x), 0, { shape: [6], dtype: 'bool' })),
      [0, 1, 1, 1, 1, 1],
      'bool',
    );
    const y = arr([1, 1, 0, 1], [4], 'bool');
    expectValues(
      read(kernels.cumulative('cumprod', info(y), 0, { shape: [4], dtype: 'bool' })),
      [1, 1, 0, 0],
      'bool',
    );
  });
});

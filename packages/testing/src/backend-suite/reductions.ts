// The suite's reduction tests (reduce, argReduce, cumulative): naive folds on random shapes and on shapes that
// force each loop a backend may have (contiguous runs, row accumulation, transposed axes, pairwise recursion),
// plus NumPy's summation order, NaN propagation and tie rules.
import type { DType, ReduceOp, Shape } from '@mg/core';
import * as fc from 'fast-check';
import { expect } from 'vitest';
import { arrArb, shapeArb } from './arbitraries.js';
import { expectValues } from './expect.js';
import type { SuiteContext, SuiteGroup } from './harness.js';
import {
  arr,
  DTYPES,
  FLOATS,
  NUMERIC,
  ravelMultiIndex,
  type TestArray,
  truthy,
  typed,
  unravelIndex,
  wrap32,
} from './reference.js';

/** For each output element, the input values it reduces, in input (row-major) order. */
function lines(x: TestArray, axes: readonly number[]): { outShape: number[]; groups: number[][] } {
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const groups = Array.from({ length: outShape.reduce((p, d) => p * d, 1) }, (): number[] => []);
  for (let i = 0; i < x.values.length; i++) {
    const idx = unravelIndex(i, x.shape).filter((_, a) => !axes.includes(a));
    groups[ravelMultiIndex(idx, outShape)].push(x.values[i]);
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

/** The contract's dtypes per op: core casts bool up before sum and prod. */
function reduceDtypes(op: ReduceOp): readonly DType[] {
  return op === 'sum' || op === 'prod' ? NUMERIC : DTYPES;
}

/** A shape with a sorted subset of its axes (max/min get no empty reductions, as core guarantees). */
function reduceArb(op: ReduceOp, dtype: DType) {
  return shapeArb()
    .chain((s) => fc.record({ x: arrArb(s, dtype), axes: fc.subarray(s.map((_, i) => i)) }))
    .filter(({ x, axes }) => (op !== 'max' && op !== 'min') || axes.every((a) => x.shape[a] > 0));
}

// Shapes that force each loop: rows accumulated into the output (leading axis), contiguous runs (last axis),
// outer/reduced/inner, non-adjacent axes (transpose first), merged size-1 axes, pairwise recursion, vector
// tails, empties.
const PATHS: [string, Shape, number[]][] = [
  ['leading axis', [300, 70], [0]],
  ['last axis', [70, 300], [1]],
  ['middle axis', [7, 50, 40], [1]],
  ['non-adjacent axes', [7, 50, 40], [0, 2]],
  ['adjacent axes merged', [6, 5, 4, 3], [1, 2]],
  ['size-1 axes between reduced ones', [6, 1, 5, 1, 4], [1, 2, 3]],
  ['all axes', [9, 130], [0, 1]],
  ['long run (pairwise recursion)', [2, 1000], [1]],
  ['odd run lengths (vector tails)', [3, 37], [1]],
  ['no axes', [4, 5], []],
  ['0-d', [], []],
  ['empty reduction', [5, 0, 3], [1]],
  ['empty reduction, transposed', [0, 4, 0], [0, 2]],
  ['empty output', [5, 0, 3], [0]],
];

const emptyMaxMin = (op: ReduceOp, [, shape, axes]: (typeof PATHS)[number]) =>
  (op === 'max' || op === 'min') && axes.some((a) => shape[a] === 0);

function checkReduce({ h }: SuiteContext, op: ReduceOp, dtype: DType, x: TestArray, axes: number[]): void {
  const { outShape, groups } = lines(x, axes);
  const outDtype: DType = op === 'any' || op === 'all' ? 'bool' : dtype;
  const out = h.read(h.kernels.reduce(op, h.info(x), axes, { shape: outShape, dtype: outDtype }));
  const expected = typed(
    groups.map((g) => refFold(op, g, dtype)),
    outDtype,
  );
  // Float sums may be pairwise (and float32 ones accumulate in double): allow the sequential reference's
  // rounding, scaled by sum |x|.
  const float = dtype === 'float64' || dtype === 'float32';
  const rel = op !== 'sum' || !float ? 0 : dtype === 'float32' ? 1e-6 : 1e-12;
  const scale = groups.map((g) => g.reduce((s, v) => s + (Number.isFinite(v) ? Math.abs(v) : 0), 0));
  expectValues(out, expected, outDtype, { abs: (i) => rel * scale[i] });
}

function reduceTables(
  g: SuiteGroup,
  ctx: SuiteContext,
  ops: readonly ReduceOp[],
  dtypes: (op: ReduceOp) => readonly DType[],
) {
  g.table(
    ops.flatMap((op) => dtypes(op).map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ op, dtype }) => reduceArb(op, dtype),
      check: ({ op, dtype }, { x, axes }) => checkReduce(ctx, op, dtype, x, axes),
    },
  );
  g.table(
    PATHS.flatMap((path) =>
      ops.flatMap((op) => (emptyMaxMin(op, path) ? [] : dtypes(op).map((dtype) => ({ path, op, dtype })))),
    ),
    {
      name: ({ path: [name], op, dtype }) => `${name}: ${op} ${dtype}`,
      arb: ({ path: [, shape, axes], dtype }) => arrArb(shape, dtype).map((x) => ({ x, axes })),
      check: ({ op, dtype }, { x, axes }) => checkReduce(ctx, op, dtype, x, axes),
      runs: 3,
      shrink: false,
    },
  );
}

function reduceTests(g: SuiteGroup, ctx: SuiteContext): void {
  const { h } = ctx;
  const reduce = (op: ReduceOp, x: TestArray, axes: number[], shape: Shape) =>
    h.read(h.kernels.reduce(op, h.info(x), axes, { shape, dtype: x.dtype }));
  reduceTables(g, ctx, OPS, reduceDtypes);

  g.test("rounds float64 sums exactly as NumPy's pairwise summation", () => {
    const x = arr(
      Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)),
      [1000],
      'float64',
    );
    expect(reduce('sum', x, [0], [])[0]).toBe(7.485470860550345);
    const y = arr(
      Array.from({ length: 3 * 777 }, (_, i) => i * 0.1 - 50),
      [3, 777],
      'float64',
    );
    expect(Array.from(reduce('sum', y, [1], [3]))).toEqual([
      -8702.399999999998, 51670.50000000001, 112043.40000000001,
    ]);
  });

  g.test(
    'sums pairwise: tiny terms are not lost against a large one (a sequential sum returns exactly 1)',
    () => {
      const n = 2 ** 20;
      const values = new Float64Array(n + 1).fill(2 ** -53);
      values[0] = 1;
      const out = reduce('sum', arr(values, [n + 1], 'float64'), [0], []);
      // Only the few tiny terms sharing the 1's accumulator in the first block of 128 are rounded away.
      expect((out[0] - 1) / 2 ** -33).toBeCloseTo(1, 4);
    },
  );

  g.test('accumulates float32 sums in double along either axis (float32 steps would lose every +1)', () => {
    for (const [ones, width] of [
      [16, 2],
      [40, 5],
    ]) {
      const column = [2 ** 24, ...new Array<number>(ones).fill(1)];
      const x = arr(
        column.flatMap((v) => new Array<number>(width).fill(v)),
        [ones + 1, width],
        'float32',
      );
      expectValues(reduce('sum', x, [0], [width]), new Array(width).fill(2 ** 24 + ones), 'float32');
      const y = arr(column, [1, ones + 1], 'float32');
      expectValues(reduce('sum', y, [1], [1]), [2 ** 24 + ones], 'float32');
    }
  });

  g.test('gives NaN for max/min with a NaN anywhere, along either axis', () => {
    const x = arr([1, Number.NaN, 3, 4, 5, 6], [2, 3], 'float32');
    for (const op of ['max', 'min'] as const) {
      expectValues(
        reduce(op, x, [0], [3]),
        [op === 'max' ? 4 : 1, Number.NaN, op === 'max' ? 6 : 3],
        'float32',
      );
      expectValues(reduce(op, x, [1], [2]), [Number.NaN, op === 'max' ? 6 : 4], 'float32');
    }
  });

  g.test('gives NaN for max/min with a NaN anywhere in a long run or column', () => {
    for (const dtype of FLOATS) {
      for (const at of [0, 1, 5, 17, 38, 39]) {
        const values = Array.from({ length: 40 }, (_, i) => (i === at ? Number.NaN : i - 20));
        for (const op of ['max', 'min'] as const) {
          const run = reduce(op, arr(values, [40], dtype), [0], []);
          expect(Number.isNaN(run[0]), `${op} ${dtype} NaN at ${at}`).toBe(true);
          const column = reduce(op, arr(values, [40, 1], dtype), [0], [1]);
          expect(Number.isNaN(column[0]), `${op} ${dtype} column NaN at ${at}`).toBe(true);
        }
      }
    }
  });

  g.test('folds max/min like NumPy 2: ties take the later element (visible as the sign of zero)', () => {
    const x = arr([0, -0, -0, 0], [2, 2], 'float64');
    const negative = (axes: number[]) => Array.from(reduce('max', x, axes, [2]), (v) => Object.is(v, -0));
    expect(negative([1])).toEqual([true, false]);
    expect(negative([0])).toEqual([true, false]);
  });

  g.test('folds max/min like NumPy 2: of tied zeros the last wins, in runs and columns of any length', () => {
    for (const dtype of FLOATS) {
      for (const n of [2, 7, 40, 41]) {
        for (const lastNegative of [true, false]) {
          const values = Array.from({ length: n }, (_, i) =>
            i === n - 1 ? (lastNegative ? -0 : 0) : i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : -5,
          );
          for (const op of ['max', 'min'] as const) {
            const v = op === 'max' ? values : values.map((x) => (x === -5 ? 5 : x));
            const run = reduce(op, arr(v, [n], dtype), [0], [])[0];
            expect(Object.is(run, lastNegative ? -0 : 0), `${op} ${dtype} run of ${n}`).toBe(true);
            const column = reduce(op, arr(v, [n, 1], dtype), [0], [1])[0];
            expect(Object.is(column, lastNegative ? -0 : 0), `${op} ${dtype} column of ${n}`).toBe(true);
          }
        }
      }
    }
  });
}

// ---- argReduce ----

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
function axisArb(dtype: DType) {
  return shapeArb({ minRank: 1 }).chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).chain((axis) => {
      const fixed = s.map((d, i) => (i === axis && d === 0 ? 1 : d));
      return arrArb(fixed, dtype).map((x) => ({ x, axis }));
    }),
  );
}

const ARG_OPS = ['argmax', 'argmin'] as const;

function argReduceTests(g: SuiteGroup, ctx: SuiteContext): void {
  const { h } = ctx;
  const check = (op: 'argmax' | 'argmin', x: TestArray, axis: number) => {
    const { outShape, groups } = lines(x, [axis]);
    const out = h.read(h.kernels.argReduce(op, h.info(x), axis, { shape: outShape, dtype: 'int32' }));
    expectValues(
      out,
      groups.map((values) => refArg(op, values)),
      'int32',
    );
  };
  g.table(
    ARG_OPS.flatMap((op) => DTYPES.map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) => axisArb(dtype),
      check: ({ op }, { x, axis }) => check(op, x, axis),
    },
  );

  const PATHS: [string, Shape, number][] = [
    ['leading axis', [300, 70], 0],
    ['last axis', [70, 300], 1],
    ['middle axis', [5, 40, 33], 1],
  ];
  g.table(
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
      check: ({ op }, { x, axis }) => check(op, x, axis),
      runs: 3,
      shrink: false,
    },
  );

  g.test('returns the first NaN, and the first of tied extremes', () => {
    const arg = (op: 'argmax' | 'argmin', x: TestArray, axis: number, shape: Shape) =>
      h.read(h.kernels.argReduce(op, h.info(x), axis, { shape, dtype: 'int32' }));
    const x = arr([3, Number.NaN, 3, Number.NaN, -1, 7, 7, -1], [2, 4], 'float64');
    expectValues(arg('argmax', x, 1, [2]), [1, 1], 'int32');
    expectValues(arg('argmin', x, 0, [4]), [1, 0, 0, 0], 'int32');
    const t = arr([-1, 7, 7, -1], [4], 'int32');
    expectValues(arg('argmax', t, 0, []), [1], 'int32');
    expectValues(arg('argmin', t, 0, []), [0], 'int32');
  });
}

// ---- cumulative ----

const SCAN_OPS = ['cumsum', 'cumprod'] as const;

/** Sequential scan in the dtype's own arithmetic: float32 rounds every step, int32 wraps, bool is or/and. */
function refScan(op: 'cumsum' | 'cumprod', values: number[], dtype: DType): number[] {
  const out: number[] = [];
  let acc = 0;
  values.forEach((v, i) => {
    if (i === 0) acc = v;
    else if (dtype === 'int32')
      acc = wrap32(op === 'cumsum' ? BigInt(acc) + BigInt(v) : BigInt(acc) * BigInt(v));
    else if (dtype === 'bool')
      acc = Number(op === 'cumsum' ? truthy(acc) || truthy(v) : truthy(acc) && truthy(v));
    else acc = op === 'cumsum' ? acc + v : acc * v;
    if (dtype === 'float32') acc = Math.fround(acc);
    out.push(acc);
  });
  return out;
}

function checkScan(
  { h }: SuiteContext,
  op: 'cumsum' | 'cumprod',
  dtype: DType,
  x: TestArray,
  axis: number,
): void {
  const expected = new Array<number>(x.values.length);
  const positions = lines(
    arr(
      Array.from(x.values, (_, i) => i),
      x.shape,
      'float64',
    ),
    [axis],
  ).groups;
  lines(x, [axis]).groups.forEach((g, k) => {
    refScan(op, g, dtype).forEach((v, j) => {
      expected[positions[k][j]] = v;
    });
  });
  const out = h.read(h.kernels.cumulative(op, h.info(x), axis, { shape: x.shape, dtype }));
  expectValues(out, expected, dtype);
}

function scanTable(g: SuiteGroup, ctx: SuiteContext, dtypes: readonly DType[]): void {
  g.table(
    SCAN_OPS.flatMap((op) => dtypes.map((dtype) => ({ op, dtype }))),
    {
      name: ({ op, dtype }) => `${op} ${dtype}`,
      arb: ({ dtype }) =>
        shapeArb({ minRank: 1 }).chain((s) =>
          fc.record({ x: arrArb(s, dtype), axis: fc.integer({ min: 0, max: s.length - 1 }) }),
        ),
      check: ({ op, dtype }, { x, axis }) => checkScan(ctx, op, dtype, x, axis),
    },
  );
}

function cumulativeTests(g: SuiteGroup, ctx: SuiteContext): void {
  scanTable(g, ctx, NUMERIC);
  const LONG: { shape: Shape; axis: number }[] = [
    { shape: [40, 60], axis: 0 },
    { shape: [3, 40, 60], axis: 2 },
  ];
  g.table(
    LONG.flatMap(({ shape, axis }) =>
      SCAN_OPS.flatMap((op) => FLOATS.map((dtype) => ({ op, dtype, shape, axis }))),
    ),
    {
      name: ({ op, dtype, shape, axis }) => `${op} ${dtype} (${shape.join(', ')}) axis ${axis}`,
      arb: ({ dtype, shape }) =>
        arrArb(
          shape,
          dtype,
          fc.integer({ min: -640, max: 640 }).map((v) => v / 512),
        ),
      check: ({ op, dtype, axis }, x) => checkScan(ctx, op, dtype, x, axis),
      runs: 3,
      shrink: false,
    },
  );
}

/** Registers the reduction groups. */
export function reductionTests(ctx: SuiteContext): void {
  ctx.root.group('reduce', (g) => reduceTests(g, ctx));
  ctx.root.group('argReduce', (g) => argReduceTests(g, ctx));
  ctx.root.group('cumulative', (g) => cumulativeTests(g, ctx));
}

/** Reductions the contract leaves open (core casts bool up first; NumPy rejects empty arg-reductions). */
export function reductionBeyondTests(g: SuiteGroup, ctx: SuiteContext): void {
  g.group('bool reductions', (b) => {
    reduceTables(b, ctx, ['sum', 'prod'], () => ['bool']);
    scanTable(b, ctx, ['bool']);
    b.test('scans bool as a running or (cumsum) and and (cumprod)', () => {
      const { h } = ctx;
      const scan = (op: 'cumsum' | 'cumprod', values: number[]) =>
        h.read(
          h.kernels.cumulative(op, h.info(arr(values, [values.length], 'bool')), 0, {
            shape: [values.length],
            dtype: 'bool',
          }),
        );
      expectValues(scan('cumsum', [0, 1, 0, 1, 1, 0]), [0, 1, 1, 1, 1, 1], 'bool');
      expectValues(scan('cumprod', [1, 1, 0, 1]), [1, 1, 0, 0], 'bool');
    });
  });

  g.test('argReduce gives zeros for an empty axis', () => {
    const { h } = ctx;
    const x = h.info(arr([], [0, 3], 'float64'));
    expectValues(
      h.read(h.kernels.argReduce('argmax', x, 0, { shape: [3], dtype: 'int32' })),
      [0, 0, 0],
      'int32',
    );
  });
}

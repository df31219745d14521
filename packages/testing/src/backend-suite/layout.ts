// The suite's layout tests (transpose, slice, gather, scatterAdd, concat, pad, fill) against naive index
// arithmetic, on random shapes and on shapes big enough for tiled and bulk-copy paths.
import { type DType, type Shape, sizeOf } from '@mg/core';
import * as fc from 'fast-check';
import { expect } from 'vitest';
import { arrArb, permutationArb, shapeArb, valueArb } from './arbitraries.js';
import { expectValues } from './expect.js';
import type { SuiteContext, SuiteGroup } from './harness.js';
import {
  arr,
  DTYPES,
  ravelMultiIndex,
  type TestArray,
  truthy,
  typed,
  unravelIndex,
  wrap32,
} from './reference.js';

/** Output element i of `outShape` is `at(index of i)`. */
function build(outShape: Shape, at: (idx: number[]) => number): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_, i) => at(unravelIndex(i, outShape)));
}

const byDtype = DTYPES.map((dtype) => ({ dtype }));
const dtypeName = ({ dtype }: { dtype: DType }) => dtype;

function transposeTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (x: TestArray, perm: readonly number[]) => {
    const outShape = perm.map((p) => x.shape[p]);
    const out = h.read(h.kernels.transpose(h.info(x), perm, { shape: outShape, dtype: x.dtype }));
    const expected = build(outShape, (idx) => {
      const src = new Array<number>(perm.length);
      perm.forEach((p, j) => {
        src[p] = idx[j];
      });
      return x.values[ravelMultiIndex(src, x.shape)];
    });
    expectValues(out, expected, x.dtype, { signedZero: true });
  };

  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      shapeArb({ maxDim: 5 }).chain((s) =>
        fc.record({ x: arrArb(s, dtype), perm: permutationArb(s.length) }),
      ),
    check: (_, { x, perm }) => check(x, perm),
  });

  // Tiled 2-D transposes with partial tiles, batched ones, a rank-4 shuffle, and the identity over long rows.
  const PATHS: [Shape, number[]][] = [
    [
      [70, 90],
      [1, 0],
    ],
    [
      [3, 40, 50],
      [0, 2, 1],
    ],
    [
      [5, 6, 7, 8],
      [2, 0, 3, 1],
    ],
    [
      [4, 100],
      [0, 1],
    ],
    [
      [1, 33, 1, 40],
      [3, 1, 2, 0],
    ],
  ];
  g.table(
    PATHS.flatMap((path) => DTYPES.map((dtype) => ({ path, dtype }))),
    {
      name: ({ path: [shape, perm], dtype }) => `(${shape.join(', ')}) by [${perm.join(', ')}] ${dtype}`,
      arb: ({ path: [shape, perm], dtype }) => arrArb(shape, dtype).map((x) => ({ x, perm })),
      check: (_, { x, perm }) => check(x, perm),
      runs: 2,
      shrink: false,
    },
  );
}

/** Per axis: a step in ±1..3, a start in range, and a count that keeps every index read in range. */
function sliceArb(shape: Shape) {
  return fc
    .tuple(
      ...shape.map((d) =>
        d === 0
          ? fc.constant({ begin: 0, step: 1, count: 0 })
          : fc
              .record({
                begin: fc.integer({ min: 0, max: d - 1 }),
                step: fc.integer({ min: 1, max: 3 }),
                back: fc.boolean(),
              })
              .chain(({ begin, step, back }) => {
                const s = back ? -step : step;
                const max = s > 0 ? Math.floor((d - 1 - begin) / s) + 1 : Math.floor(begin / -s) + 1;
                return fc.integer({ min: 0, max }).map((count) => ({ begin, step: s, count }));
              }),
      ),
    )
    .map((axes) => ({
      begin: axes.map((a) => a.begin),
      step: axes.map((a) => a.step),
      count: axes.map((a) => a.count),
    }));
}

function sliceTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (x: TestArray, begin: number[], step: number[], count: number[]) => {
    const out = h.read(h.kernels.slice(h.info(x), begin, step, { shape: count, dtype: x.dtype }));
    const expected = build(
      count,
      (idx) =>
        x.values[
          ravelMultiIndex(
            idx.map((j, i) => begin[i] + j * step[i]),
            x.shape,
          )
        ],
    );
    expectValues(out, expected, x.dtype);
  };

  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      shapeArb({ maxDim: 6 }).chain((s) => fc.record({ x: arrArb(s, dtype), at: sliceArb(s) })),
    check: (_, { x, at }) => check(x, at.begin, at.step, at.count),
  });

  const PATHS: [string, Shape, number[], number[], number[]][] = [
    ['reversed rows and columns', [50, 60], [49, 59], [-1, -2], [50, 30]],
    ['long contiguous rows', [10, 100], [2, 10], [3, 1], [3, 80]],
    ['strided columns of long rows', [40, 64], [0, 1], [1, 2], [40, 32]],
    ['one column', [40, 3], [0, 2], [1, 1], [40, 1]],
  ];
  g.table(
    PATHS.flatMap((path) => DTYPES.map((dtype) => ({ path, dtype }))),
    {
      name: ({ path: [name], dtype }) => `${name} ${dtype}`,
      arb: ({ path: [, shape], dtype }) => arrArb(shape, dtype),
      check: ({ path: [, , begin, step, count] }, x) => check(x, begin, step, count),
      runs: 2,
      shrink: false,
    },
  );
}

/** Indices (int32) of rank 0..2 with values in [0, size), drawn from few values so repeats are common. */
function indicesArb(size: number) {
  return shapeArb({ maxRank: 2, maxDim: 5 })
    .map((s) => (size === 0 && sizeOf(s) > 0 ? [0, ...s] : s))
    .chain((s) => arrArb(s, 'int32', fc.integer({ min: 0, max: Math.max(0, Math.min(size, 3) - 1) })));
}

function gathered(outer: Shape, idx: Shape, inner: Shape): Shape {
  return [...outer, ...idx, ...inner];
}

function gatherTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (x: TestArray, indices: TestArray, axis: number) => {
    const outShape = gathered(x.shape.slice(0, axis), indices.shape, x.shape.slice(axis + 1));
    const out = h.read(
      h.kernels.gather(h.info(x), h.info(indices), axis, { shape: outShape, dtype: x.dtype }),
    );
    const r = indices.shape.length;
    const expected = build(outShape, (idx) => {
      const t = indices.values[ravelMultiIndex(idx.slice(axis, axis + r), indices.shape)];
      return x.values[ravelMultiIndex([...idx.slice(0, axis), t, ...idx.slice(axis + r)], x.shape)];
    });
    expectValues(out, expected, x.dtype);
  };

  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      shapeArb({ minRank: 1 }).chain((s) =>
        fc
          .integer({ min: 0, max: s.length - 1 })
          .chain((axis) =>
            fc.record({ x: arrArb(s, dtype), indices: indicesArb(s[axis]), axis: fc.constant(axis) }),
          ),
      ),
    check: (_, { x, indices, axis }) => check(x, indices, axis),
  });

  g.test('copies long inner slices (bulk copy path)', () => {
    const x = arr(
      Array.from({ length: 6 * 5 * 40 }, (_, i) => i),
      [6, 5, 40],
      'float32',
    );
    check(x, arr([3, 0, 3, 4], [2, 2], 'int32'), 1);
  });
}

/** Adds in the dtype's own arithmetic, in updates order: float32 rounds each step, int32 wraps, bool is or. */
function accumulate(acc: number, u: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(acc + u);
  if (dtype === 'int32') return wrap32(BigInt(acc) + BigInt(u));
  if (dtype === 'bool') return Number(truthy(acc) || truthy(u));
  return acc + u;
}

function scatterAddTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (updates: TestArray, indices: TestArray, axis: number, outShape: Shape) => {
    const spec = { shape: outShape, dtype: updates.dtype };
    const out = h.read(h.kernels.scatterAdd(h.info(updates), h.info(indices), axis, spec));
    const expected = new Array<number>(sizeOf(outShape)).fill(0);
    const r = indices.shape.length;
    for (let u = 0; u < updates.values.length; u++) {
      const idx = unravelIndex(u, updates.shape);
      const t = indices.values[ravelMultiIndex(idx.slice(axis, axis + r), indices.shape)];
      const o = ravelMultiIndex([...idx.slice(0, axis), t, ...idx.slice(axis + r)], outShape);
      expected[o] = accumulate(expected[o], updates.values[u], updates.dtype);
    }
    expectValues(out, typed(expected, updates.dtype), updates.dtype);
  };

  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      shapeArb({ minRank: 1 }).chain((out) =>
        fc.integer({ min: 0, max: out.length - 1 }).chain((axis) =>
          indicesArb(out[axis]).chain((indices) => {
            const shape = gathered(out.slice(0, axis), indices.shape, out.slice(axis + 1));
            return arrArb(shape, dtype).map((updates) => ({ updates, indices, axis, out }));
          }),
        ),
      ),
    check: (_, { updates, indices, axis, out }) => check(updates, indices, axis, out),
  });

  g.test('accumulates repeated indices into memory that held other data before', () => {
    // Free a block full of other values, so a backend that reuses memory is likely to hand it to the output:
    // the output must be zeroed first.
    h.backend.dispose(h.kernels.fill(123, { shape: [4], dtype: 'float64' }));
    check(arr([1, 2, 3, 4, 5, 6], [3, 2], 'float64'), arr([1, 1, 0], [3], 'int32'), 0, [2, 2]);
  });
}

function concatTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (xs: TestArray[], axis: number) => {
    const outShape = xs[0].shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + x.shape[axis], 0) : d));
    const dtype = xs[0].dtype;
    const out = h.read(
      h.kernels.concat(
        xs.map((x) => h.info(x)),
        axis,
        { shape: outShape, dtype },
      ),
    );
    const expected = build(outShape, (idx) => {
      let at = idx[axis];
      for (const x of xs) {
        if (at < x.shape[axis])
          return x.values[
            ravelMultiIndex(
              idx.map((v, i) => (i === axis ? at : v)),
              x.shape,
            )
          ];
        at -= x.shape[axis];
      }
      throw new Error('unreachable');
    });
    expectValues(out, expected, dtype);
  };

  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      shapeArb({ minRank: 1 }).chain((s) =>
        fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
          fc
            .array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 })
            .chain((sizes) =>
              fc.tuple(
                ...sizes.map((size) =>
                  arrArb(
                    s.map((d, i) => (i === axis ? size : d)),
                    dtype,
                  ),
                ),
              ),
            )
            .map((xs) => ({ xs, axis })),
        ),
      ),
    check: (_, { xs, axis }) => check(xs, axis),
  });

  g.test('joins long runs along an inner axis', () => {
    const a = arr(
      Array.from({ length: 3 * 40 }, (_, i) => i),
      [3, 40],
      'int32',
    );
    const b = arr(
      Array.from({ length: 3 * 7 }, (_, i) => -i),
      [3, 7],
      'int32',
    );
    check([a, b, a], 1);
  });
}

function padTests(g: SuiteGroup, { h }: SuiteContext): void {
  const check = (x: TestArray, paddings: [number, number][], value: number) => {
    const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const out = h.read(h.kernels.pad(h.info(x), paddings, value, { shape: outShape, dtype: x.dtype }));
    const expected = build(outShape, (idx) => {
      const src = idx.map((j, i) => j - paddings[i][0]);
      return src.every((j, i) => j >= 0 && j < x.shape[i]) ? x.values[ravelMultiIndex(src, x.shape)] : value;
    });
    expectValues(out, typed(expected, x.dtype), x.dtype);
  };

  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      shapeArb().chain((s) =>
        fc.record({
          x: arrArb(s, dtype),
          paddings: fc.tuple(
            ...s.map(() => fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))),
          ),
          value: dtype === 'int32' ? fc.integer({ min: -9, max: 9 }) : valueArb(dtype),
        }),
      ),
    check: (_, { x, paddings, value }) => check(x, paddings, value),
  });

  g.test('pads long rows and 0-d tensors', () => {
    const x = arr(
      Array.from({ length: 30 * 40 }, (_, i) => i / 8),
      [30, 40],
      'float64',
    );
    check(
      x,
      [
        [1, 2],
        [3, 0],
      ],
      -1,
    );
    check(arr([5], [], 'float32'), [], 0);
  });
}

function fillTests(g: SuiteGroup, { h }: SuiteContext): void {
  g.table(byDtype, {
    name: dtypeName,
    arb: ({ dtype }) =>
      fc.record({
        shape: fc.oneof(shapeArb(), fc.constantFrom([37], [3, 40])),
        value: dtype === 'int32' ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) : valueArb('float64'),
      }),
    check: ({ dtype }, { shape, value }) => {
      const out = h.read(h.kernels.fill(value, { shape, dtype }));
      const expected = typed(new Array<number>(sizeOf(shape)).fill(value), dtype);
      expectValues(out, expected, dtype, { signedZero: true });
    },
  });

  g.test('casts the value like a store: NaN is true as bool, float32 rounds, -0 is kept', () => {
    expectValues(h.read(h.kernels.fill(Number.NaN, { shape: [2], dtype: 'bool' })), [1, 1], 'bool');
    expectValues(
      h.read(h.kernels.fill(0.1, { shape: [1], dtype: 'float32' })),
      [Math.fround(0.1)],
      'float32',
    );
    expect(Object.is(h.read(h.kernels.fill(-0, { shape: [1], dtype: 'float64' }))[0], -0)).toBe(true);
  });
}

/** Registers the layout groups. */
export function layoutTests(ctx: SuiteContext): void {
  ctx.root.group('transpose', (g) => transposeTests(g, ctx));
  ctx.root.group('slice', (g) => sliceTests(g, ctx));
  ctx.root.group('gather', (g) => gatherTests(g, ctx));
  ctx.root.group('scatterAdd', (g) => scatterAddTests(g, ctx));
  ctx.root.group('concat', (g) => concatTests(g, ctx));
  ctx.root.group('pad', (g) => padTests(g, ctx));
  ctx.root.group('fill', (g) => fillTests(g, ctx));
}

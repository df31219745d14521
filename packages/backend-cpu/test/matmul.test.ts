// Batched matmul in all four transpose combinations against a naive triple loop, including block-edge shapes.
import { broadcastShapes, type DType, type Shape, sizeOf } from '@mg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Arr,
  arr,
  arrArb,
  broadcastArb,
  broadcastSource,
  expectValues,
  FLOATS,
  info,
  kernels,
  propertyTable,
  read,
  typed,
  unravel,
} from './helpers.js';

interface Case {
  readonly a: Arr;
  readonly b: Arr;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/** Naive C = op(A) op(B) with index arithmetic, summed sequentially in double; also returns sum |A||B| per entry. */
function refMatmul({ a, b, transposeA, transposeB, m, k, n }: Case, outShape: Shape) {
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = outShape.slice(0, -2);
  const values: number[] = [];
  const scale: number[] = [];
  for (let t = 0; t < sizeOf(outBatch); t++) {
    const idx = unravel(t, outBatch);
    const ab = broadcastSource(idx, aBatch) * m * k;
    const bb = broadcastSource(idx, bBatch) * k * n;
    const A = (i: number, p: number) => a.values[ab + (transposeA ? p * m + i : i * k + p)];
    const B = (p: number, j: number) => b.values[bb + (transposeB ? j * k + p : p * n + j)];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let z = 0;
        for (let p = 0; p < k; p++) {
          s += A(i, p) * B(p, j);
          z += Math.abs(A(i, p) * B(p, j));
        }
        values.push(s);
        scale.push(z);
      }
    }
  }
  return { values, scale };
}

function check(c: Case, dtype: DType, exact = false): void {
  const outShape = [...broadcastShapes('matmul', c.a.shape.slice(0, -2), c.b.shape.slice(0, -2)), c.m, c.n];
  const out = read(
    kernels.matmul(info(c.a), info(c.b), c.transposeA, c.transposeB, { shape: outShape, dtype }),
  );
  const { values, scale } = refMatmul(c, outShape);
  const rel = exact ? 0 : dtype === 'float32' ? 1e-6 : 1e-12;
  expectValues(out, typed(values, dtype), dtype, { abs: (i) => rel * scale[i] });
}

/** Stored operand shapes: a transposed operand keeps its last two axes swapped. */
function operandShapes(
  batchA: Shape,
  batchB: Shape,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
) {
  return {
    a: [...batchA, ...(transposeA ? [k, m] : [m, k])],
    b: [...batchB, ...(transposeB ? [n, k] : [k, n])],
  };
}

const COMBOS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;
const ROWS = FLOATS.flatMap((dtype) =>
  COMBOS.map(([transposeA, transposeB]) => ({ dtype, transposeA, transposeB })),
);
const label = ({ dtype, transposeA, transposeB }: (typeof ROWS)[number]) =>
  `${dtype} ${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}`;

describe('matmul', () => {
  propertyTable(ROWS, {
    name: label,
    arb: ({ dtype, transposeA, transposeB }) =>
      fc
        .record({
          batch: broadcastArb(2, 2),
          m: fc.integer({ min: 0, max: 5 }),
          k: fc.integer({ min: 0, max: 5 }),
          n: fc.integer({ min: 0, max: 5 }),
        })
        .chain(({ batch: { shapes }, m, k, n }) => {
          const s = operandShapes(shapes[0], shapes[1], m, k, n, transposeA, transposeB);
          return fc
            .record({ a: arrArb(s.a, dtype), b: arrArb(s.b, dtype) })
            .map(({ a, b }) => ({ a, b, m, k, n }));
        }),
    check: ({ dtype, transposeA, transposeB }, c) => check({ ...c, transposeA, transposeB }, dtype),
  });

  // Shapes around the kernels' edges: odd M (two-row blocks), K past the k-block and not a multiple of 4,
  // N past the column block and odd, a K so long the dot-product kernel's column panel is tiny, and broadcast
  // batch dims. Dyadic inputs make every sum exact in double, so these compare exactly.
  const EDGES: [string, Shape, Shape, number, number, number][] = [
    ['block edges', [], [], 5, 131, 517],
    ['long K', [], [], 3, 9000, 7],
    ['one row, one column', [], [], 1, 300, 1],
    ['broadcast batch dims', [2, 1], [3], 3, 70, 5],
    ['broadcast batch dims, mirrored', [3], [2, 1], 3, 70, 5],
    ['batch against a plain matrix', [4], [], 2, 9, 3],
  ];
  propertyTable(
    EDGES.flatMap((edge) => ROWS.map((row) => ({ edge, ...row }))),
    {
      name: (row) => `${row.edge[0]}: ${label(row)}`,
      arb: ({ edge: [, batchA, batchB, m, k, n], dtype, transposeA, transposeB }) => {
        const s = operandShapes(batchA, batchB, m, k, n, transposeA, transposeB);
        const dyadic = fc.integer({ min: -640, max: 640 }).map((v) => v / 64);
        return fc
          .record({ a: arrArb(s.a, dtype, dyadic), b: arrArb(s.b, dtype, dyadic) })
          .map(({ a, b }) => ({ a, b, m, k, n }));
      },
      check: ({ dtype, transposeA, transposeB }, c) => check({ ...c, transposeA, transposeB }, dtype, true),
      runs: 2,
      shrink: false,
    },
  );

  it('rounds float32 results once, from a double accumulation', () => {
    // 1 + 2^-24 (twice) is lost by float32 steps but kept by a double sum: 1 + 2^-23 is a float32.
    const a = arr([1, 2 ** -24, 2 ** -24], [1, 3], 'float32');
    const b = arr([1, 1, 1], [3, 1], 'float32');
    expect(read(kernels.matmul(info(a), info(b), false, false, { shape: [1, 1], dtype: 'float32' }))[0]).toBe(
      1 + 2 ** -23,
    );
  });

  it('gives zeros for K = 0 and propagates NaN and infinities', () => {
    const empty = read(
      kernels.matmul(info(arr([], [2, 0], 'float64')), info(arr([], [0, 3], 'float64')), false, false, {
        shape: [2, 3],
        dtype: 'float64',
      }),
    );
    expectValues(empty, [0, 0, 0, 0, 0, 0], 'float64');
    const a = arr([Number.NaN, 1, Infinity, 1, 0, 1], [3, 2], 'float64');
    const b = arr([1, 0, 1, 1], [2, 2], 'float64');
    const out = read(kernels.matmul(info(a), info(b), false, false, { shape: [3, 2], dtype: 'float64' }));
    expectValues(out, [Number.NaN, Number.NaN, Infinity, Number.NaN, 1, 1], 'float64');
  });
});

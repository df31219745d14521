// Batched matmul in all four transpose combinations against a naive triple loop, around the packing and
// tiling edges (4-row panels, 8- or 4-column panels, 256-deep k blocks, 64-row and 256-column blocks).
import { broadcastShapes, type DType, type Shape, sizeOf } from '@mg/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  type Arr,
  arr,
  arrArb,
  broadcastArb,
  broadcastSource,
  epsilon,
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

/** Naive C = op(A) op(B), summed sequentially in double; also returns sum |A||B| per entry. */
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
    const A = (i: number, p: number) => a.values[ab + (transposeA ? p * m + i : i * k + p)]!;
    const B = (p: number, j: number) => b.values[bb + (transposeB ? j * k + p : p * n + j)]!;
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

/**
 * Checks within the classic bound for a length-k dot product, k·eps·sum|a||b| (f32 accumulates in f32 here,
 * like BLAS sgemm), or exactly when every partial sum is representable.
 */
function check(c: Case, dtype: DType, exact = false): void {
  const outShape = [...broadcastShapes('matmul', c.a.shape.slice(0, -2), c.b.shape.slice(0, -2)), c.m, c.n];
  const out = read(
    kernels.matmul(info(c.a), info(c.b), c.transposeA, c.transposeB, { shape: outShape, dtype }),
  );
  const { values, scale } = refMatmul(c, outShape);
  const rel = exact ? 0 : (c.k + 2) * epsilon(dtype);
  expectValues(out, typed(values, dtype), dtype, { abs: (i) => rel * scale[i]! });
}

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
          m: fc.integer({ min: 0, max: 10 }),
          k: fc.integer({ min: 0, max: 10 }),
          n: fc.integer({ min: 0, max: 10 }),
        })
        .chain(({ batch: { shapes }, m, k, n }) => {
          const s = operandShapes(shapes[0]!, shapes[1]!, m, k, n, transposeA, transposeB);
          return fc
            .record({ a: arrArb(s.a, dtype), b: arrArb(s.b, dtype) })
            .map(({ a, b }) => ({ a, b, m, k, n }));
        }),
    check: ({ dtype, transposeA, transposeB }, c) => check({ ...c, transposeA, transposeB }, dtype),
  });

  // Sizes around every blocking edge. Small dyadic inputs keep every partial sum exact in float32 too (|sum|
  // < 2^11 in steps of 2^-12), so these compare exactly.
  const EDGES: [string, Shape, Shape, number, number, number][] = [
    ['tile edges', [], [], 5, 7, 9],
    ['block edges', [], [], 67, 300, 261],
    ['long K', [], [], 3, 2000, 7],
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
        const dyadic = fc.integer({ min: -64, max: 64 }).map((v) => v / 64);
        return fc
          .record({ a: arrArb(s.a, dtype, dyadic), b: arrArb(s.b, dtype, dyadic) })
          .map(({ a, b }) => ({ a, b, m, k, n }));
      },
      check: ({ dtype, transposeA, transposeB }, c) => check({ ...c, transposeA, transposeB }, dtype, true),
      runs: 1,
      shrink: false,
    },
  );

  it('gives zeros for K = 0 and propagates NaN and infinities', () => {
    for (const dtype of FLOATS) {
      const empty = read(
        kernels.matmul(info(arr([], [2, 0], dtype)), info(arr([], [0, 3], dtype)), false, false, {
          shape: [2, 3],
          dtype,
        }),
      );
      expectValues(empty, [0, 0, 0, 0, 0, 0], dtype);
      const a = arr([Number.NaN, 1, Infinity, 1, 0, 1], [3, 2], dtype);
      const b = arr([1, 0, 1, 1], [2, 2], dtype);
      const out = read(kernels.matmul(info(a), info(b), false, false, { shape: [3, 2], dtype }));
      expectValues(out, [Number.NaN, Number.NaN, Infinity, Number.NaN, 1, 1], dtype);
    }
  });
});

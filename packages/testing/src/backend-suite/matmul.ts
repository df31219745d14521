// The suite's matmul tests: all four transpose combinations with broadcast batch dimensions against a naive
// triple loop, around the sizes where blocked and packed kernels change regime, within the error bound the
// backend's float32 accumulation allows.
import { broadcastShapes, type DType, type Shape, sizeOf } from '@mg/core';
import * as fc from 'fast-check';
import { expect } from 'vitest';
import { arrArb, broadcastArb } from './arbitraries.js';
import { expectValues } from './expect.js';
import type { SuiteContext } from './harness.js';
import { arr, broadcastSource, epsilon, FLOATS, type TestArray, typed, unravelIndex } from './reference.js';

interface Case {
  readonly a: TestArray;
  readonly b: TestArray;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/** Naive C = op(A) op(B) with index arithmetic, summed sequentially in double; also sum |A||B| per entry. */
function refMatmul({ a, b, transposeA, transposeB, m, k, n }: Case, outShape: Shape) {
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = outShape.slice(0, -2);
  const values: number[] = [];
  const scale: number[] = [];
  for (let t = 0; t < sizeOf(outBatch); t++) {
    const idx = unravelIndex(t, outBatch);
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

/** Stored operand shapes: a transposed operand keeps its last two axes swapped. */
function operandShapes(
  batchA: Shape,
  batchB: Shape,
  c: { m: number; k: number; n: number; tA: boolean; tB: boolean },
) {
  return {
    a: [...batchA, ...(c.tA ? [c.k, c.m] : [c.m, c.k])],
    b: [...batchB, ...(c.tB ? [c.n, c.k] : [c.k, c.n])],
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

// Sizes around blocking edges: small tiles, odd M, K past a k-block and not a multiple of 4, N past a column
// block and odd, a K so long a dot-product kernel's column panel is tiny, and broadcast batch dims.
const EDGES: [string, Shape, Shape, number, number, number][] = [
  ['tile edges', [], [], 5, 7, 9],
  ['block edges', [], [], 5, 131, 517],
  ['block edges', [], [], 67, 300, 261],
  ['long K', [], [], 3, 2000, 7],
  ['long K', [], [], 3, 9000, 7],
  ['one row, one column', [], [], 1, 300, 1],
  ['broadcast batch dims', [2, 1], [3], 3, 70, 5],
  ['broadcast batch dims, mirrored', [3], [2, 1], 3, 70, 5],
  ['batch against a plain matrix', [4], [], 2, 9, 3],
];

/**
 * Dyadic values v/64 small enough that every partial sum of a length-k dot product is exact even in float32
 * (multiples of 2^-12 below 2^11 in magnitude), so results compare exactly whatever the accumulation.
 */
function exactValues(k: number): fc.Arbitrary<number> {
  const bound = Math.min(64, Math.floor(64 * Math.sqrt(2047 / Math.max(k, 1))));
  return fc.integer({ min: -bound, max: bound }).map((v) => v / 64);
}

/** Registers the matmul group. */
export function matmulTests({ root, h, tolerance }: SuiteContext): void {
  const f32InDouble = tolerance.float32MatmulAccumulation === 'float64';

  /**
   * Within the classic bound of a length-k dot product, (k + 2)·eps·Σ|a||b|; a float32 result accumulated in
   * double is within one float32 rounding of the double sum instead. Exactly when `exact`.
   */
  const check = (c: Case, dtype: DType, exact = false) => {
    const outShape = [...broadcastShapes('matmul', c.a.shape.slice(0, -2), c.b.shape.slice(0, -2)), c.m, c.n];
    const out = h.read(
      h.kernels.matmul(h.info(c.a), h.info(c.b), c.transposeA, c.transposeB, { shape: outShape, dtype }),
    );
    const { values, scale } = refMatmul(c, outShape);
    const rel = exact
      ? 0
      : dtype === 'float32' && f32InDouble
        ? epsilon('float32') + (c.k + 2) * epsilon('float64')
        : (c.k + 2) * epsilon(dtype);
    expectValues(out, typed(values, dtype), dtype, { abs: (i) => rel * scale[i] });
  };

  root.group('matmul', (g) => {
    g.table(ROWS, {
      name: label,
      arb: ({ dtype, transposeA: tA, transposeB: tB }) =>
        fc
          .record({
            batch: broadcastArb(2, 2),
            m: fc.integer({ min: 0, max: 10 }),
            k: fc.integer({ min: 0, max: 10 }),
            n: fc.integer({ min: 0, max: 10 }),
          })
          .chain(({ batch: { shapes }, m, k, n }) => {
            const s = operandShapes(shapes[0], shapes[1], { m, k, n, tA, tB });
            return fc
              .record({ a: arrArb(s.a, dtype), b: arrArb(s.b, dtype) })
              .map(({ a, b }) => ({ a, b, m, k, n }));
          }),
      check: ({ dtype, transposeA, transposeB }, c) => check({ ...c, transposeA, transposeB }, dtype),
    });

    g.table(
      EDGES.flatMap((edge) => ROWS.map((row) => ({ edge, ...row }))),
      {
        name: (row) => `${row.edge[0]} (${row.edge.slice(3).join('×')}): ${label(row)}`,
        arb: ({ edge: [, batchA, batchB, m, k, n], dtype, transposeA: tA, transposeB: tB }) => {
          const s = operandShapes(batchA, batchB, { m, k, n, tA, tB });
          return fc
            .record({ a: arrArb(s.a, dtype, exactValues(k)), b: arrArb(s.b, dtype, exactValues(k)) })
            .map(({ a, b }) => ({ a, b, m, k, n }));
        },
        check: ({ dtype, transposeA, transposeB }, c) => check({ ...c, transposeA, transposeB }, dtype, true),
        runs: 2,
        shrink: false,
      },
    );

    if (f32InDouble) {
      g.test('rounds float32 results once, from a double accumulation', () => {
        // 1 + 2^-24 (twice) is lost by float32 steps but kept by a double sum: 1 + 2^-23 is a float32.
        const a = arr([1, 2 ** -24, 2 ** -24], [1, 3], 'float32');
        const b = arr([1, 1, 1], [3, 1], 'float32');
        const out = h.kernels.matmul(h.info(a), h.info(b), false, false, { shape: [1, 1], dtype: 'float32' });
        expect(h.read(out)[0]).toBe(1 + 2 ** -23);
      });
    }

    g.test('gives zeros for K = 0 and propagates NaN and infinities', () => {
      for (const dtype of FLOATS) {
        const matmul = (a: TestArray, b: TestArray, shape: Shape) =>
          h.read(h.kernels.matmul(h.info(a), h.info(b), false, false, { shape, dtype }));
        expectValues(
          matmul(arr([], [2, 0], dtype), arr([], [0, 3], dtype), [2, 3]),
          [0, 0, 0, 0, 0, 0],
          dtype,
        );
        const a = arr([Number.NaN, 1, Infinity, 1, 0, 1], [3, 2], dtype);
        const b = arr([1, 0, 1, 1], [2, 2], dtype);
        expectValues(matmul(a, b, [3, 2]), [Number.NaN, Number.NaN, Infinity, Number.NaN, 1, 1], dtype);
      }
    });
  });
}

// Every loss against its definition written out in plain JS, against central differences, through MyGrad's
// validation (error classes in its order), constant propagation and memory; on whichever backend the run selects
// (cpu, or wasm with MG_BACKEND=wasm).
import { getBackend, MgIndexError, MgTypeError, MgValueError, type Tensor, tensor, tidy } from '@mg/core';
import { checkGradients, checkNoLeaks, expectClose } from '@mg/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  focalLoss,
  marginRankingLoss,
  multiclassHinge,
  negativeLogLikelihood,
  softmaxCrossentropy,
  softmaxFocalLoss,
} from '../src/index.js';

/** A fixed pseudo-random (n × c) score matrix in [-3, 3), row-major. */
function scores(n: number, c: number, seed = 7): number[] {
  let s = seed;
  return Array.from({ length: n * c }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (6 * s) / 2 ** 31 - 3;
  });
}

const rowsOf = (data: readonly number[], c: number) =>
  Array.from({ length: data.length / c }, (_, i) => data.slice(i * c, (i + 1) * c));

function softmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/** Gradient checks with the losses' int labels closed over (checkGradients differentiates float inputs only). */
function expectGradientsMatch(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: { data: number[]; shape: number[] }[],
) {
  expect(checkGradients(fn, inputs).mismatches).toEqual([]);
}

const N = 5;
const C = 4;
const X = scores(N, C);
const LABELS = [0, 3, 1, 1, 2];

describe('softmaxCrossentropy', () => {
  it('is the mean of -log softmax at the true class', () => {
    const expected =
      -rowsOf(X, C).reduce((acc, row, i) => acc + Math.log(softmaxRow(row)[LABELS[i]!]!), 0) / N;
    expectClose(softmaxCrossentropy(tensor(X).reshape([N, C]), LABELS), expected);
  });

  it('has the gradient (softmax - onehot) / N, and agrees with finite differences', () => {
    const x = tensor(X).reshape([N, C]);
    softmaxCrossentropy(x, LABELS).backward();
    const expected = rowsOf(X, C).flatMap((row, i) =>
      softmaxRow(row).map((p, j) => (p - (j === LABELS[i] ? 1 : 0)) / N),
    );
    expectClose(x.grad!, tensor(expected).reshape([N, C]));
    expectGradientsMatch((s) => softmaxCrossentropy(s, LABELS), [{ data: X, shape: [N, C] }]);
  });

  it('is stable for huge scores; float32 scores give a float64 loss, as in MyGrad', () => {
    // MyGrad divides the float32 sum (a NumPy scalar) by the Python int N: NumPy 1.24 promotes that to float64.
    const loss = softmaxCrossentropy(tensor([[0, 0, 1e6]], { dtype: 'float32' }), [2]);
    expect(loss.dtype).toBe('float64');
    expect(loss.item()).toBe(-0); // -(0) / 1, as MyGrad's
  });

  it('takes labels as an int32 tensor, an integer TypedArray or integers, negative ones from the end', () => {
    const x = tensor(X).reshape([N, C]);
    const expected = softmaxCrossentropy(x, LABELS).item();
    expect(softmaxCrossentropy(x, tensor(new Int32Array(LABELS))).item()).toBe(expected);
    expect(softmaxCrossentropy(x, Int32Array.from(LABELS)).item()).toBe(expected);
    expect(
      softmaxCrossentropy(
        x,
        LABELS.map((l) => l - C),
      ).item(),
    ).toBe(expected);
  });

  it("raises MyGrad's errors, in its order", () => {
    const x = tensor(X).reshape([N, C]);
    expect(() => softmaxCrossentropy(tensor([1, 2, 3]), [0, 1, 2])).toThrow(MgValueError);
    expect(() => softmaxCrossentropy(x, [0, 1.5, 1, 1, 2])).toThrow(MgTypeError);
    expect(() => softmaxCrossentropy(x, tensor(LABELS))).toThrow(MgTypeError); // float64 labels
    expect(() => softmaxCrossentropy(x, Float64Array.from(LABELS))).toThrow(MgTypeError);
    expect(() => softmaxCrossentropy(x, tensor([true, false, true, false, true]))).toThrow(MgTypeError);
    expect(() => softmaxCrossentropy(x, [0, 1])).toThrow(
      /shape-\(N,\) array: expected shape \(5,\), got \(2,\)/,
    );
    expect(() => softmaxCrossentropy(x, [[0, 1, 2, 3, 0]])).toThrow(MgValueError);
    expect(() => softmaxCrossentropy(x, [0, 1, 4, 1, 2])).toThrow(MgIndexError);
    expect(() => softmaxCrossentropy(x, [0, 1, -5, 1, 2])).toThrow(MgIndexError);
  });

  it('is constant when asked, or when x is', () => {
    expect(softmaxCrossentropy(tensor(X).reshape([N, C]), LABELS, { constant: true }).constant).toBe(true);
    expect(softmaxCrossentropy(tensor(X, { constant: true }).reshape([N, C]), LABELS).constant).toBe(true);
    expect(softmaxCrossentropy(tensor(X).reshape([N, C]), LABELS).constant).toBe(false);
  });
});

describe('negativeLogLikelihood', () => {
  const W = [0.5, 2, 1, 3];

  it('is -mean(x[i, y_i]·w[y_i]), with unit weights by default', () => {
    const rows = rowsOf(X, C);
    const weighted = -rows.reduce((acc, row, i) => acc + row[LABELS[i]!]! * W[LABELS[i]!]!, 0) / N;
    const plain = -rows.reduce((acc, row, i) => acc + row[LABELS[i]!]!, 0) / N;
    expectClose(negativeLogLikelihood(tensor(X).reshape([N, C]), LABELS, { weights: W }), weighted);
    expectClose(negativeLogLikelihood(tensor(X).reshape([N, C]), LABELS), plain);
  });

  it('agrees with finite differences, and gives the weights no gradient', () => {
    expectGradientsMatch(
      (x) => negativeLogLikelihood(x, LABELS, { weights: W }),
      [{ data: X, shape: [N, C] }],
    );
    const w = tensor(W);
    negativeLogLikelihood(tensor(X).reshape([N, C]), LABELS, { weights: w }).backward();
    expect(w.grad).toBeNull();
  });

  it('refuses weights that are not shape-(C,)', () => {
    expect(() => negativeLogLikelihood(tensor(X).reshape([N, C]), LABELS, { weights: [1, 1] })).toThrow(
      /`weights` must be a shape-\(C,\) array: expected shape \(4,\), got \(2,\)/,
    );
  });
});

describe('multiclassHinge', () => {
  /** Σ over wrong classes of max(0, x_j - x_y + hinge), / N, and its gradient, in plain JS. */
  function reference(hinge: number) {
    let loss = 0;
    const grad = new Array<number>(N * C).fill(0);
    rowsOf(X, C).forEach((row, i) => {
      const y = LABELS[i]!;
      row.forEach((v, j) => {
        const margin = v - row[y]! + hinge;
        if (j === y || margin <= 0) return;
        loss += margin / N;
        grad[i * C + j]! += 1 / N;
        grad[i * C + y]! -= 1 / N;
      });
    });
    return { loss, grad };
  }

  it.each([1, 0.5, 3])('is the mean SVM loss, with its gradient, for hinge %s', (hinge) => {
    const x = tensor(X).reshape([N, C]);
    const loss = multiclassHinge(x, LABELS, { hinge });
    const expected = reference(hinge);
    expectClose(loss, expected.loss);
    loss.backward();
    expectClose(x.grad!, tensor(expected.grad).reshape([N, C]));
  });

  it('gives a margin of exactly 0 no gradient and keeps a NaN margin NaN, as MyGrad', () => {
    const x = tensor([[1, 0, 2, Number.NaN]]);
    const loss = multiclassHinge(x, [2]);
    expect(loss.item()).toBeNaN();
    loss.backward();
    // Margins 0 (column 0) and -1 (column 1) do not count; NaN (column 3) does, with slope 1.
    expect(x.grad!.toArray()).toEqual([[0, 0, -1, 1]]);
  });

  it('refuses a hinge that is not a number', () => {
    expect(() =>
      multiclassHinge(tensor(X).reshape([N, C]), LABELS, { hinge: '1' as unknown as number }),
    ).toThrow(MgTypeError);
  });
});

describe('marginRankingLoss', () => {
  const A = scores(6, 1, 3);
  const B = scores(6, 1, 11);
  const Y = [1, -1, 1, 1, -1, -1];

  it('is mean(max(0, margin - y·(x1 - x2))), with y a scalar or per pair, x 1-d or 2-d', () => {
    const expected = A.reduce((acc, a, i) => acc + Math.max(0, 0.5 - Y[i]! * (a - B[i]!)), 0) / 6;
    expectClose(marginRankingLoss(tensor(A), tensor(B), Y, 0.5), expected);
    const scalar = A.reduce((acc, a, i) => acc + Math.max(0, 0.5 - (a - B[i]!)), 0) / 6;
    expectClose(marginRankingLoss(tensor(A), tensor(B), 1, 0.5), scalar);
    // (3, 2): y per row, broadcast over the second axis.
    const y2 = [1, -1, 1];
    const twoD =
      A.reduce((acc, a, i) => acc + Math.max(0, 0.5 - y2[Math.floor(i / 2)]! * (a - B[i]!)), 0) / 6;
    expectClose(marginRankingLoss(tensor(A).reshape([3, 2]), tensor(B).reshape([3, 2]), y2, 0.5), twoD);
  });

  it('agrees with finite differences for both inputs', () => {
    expectGradientsMatch(
      (a, b) => marginRankingLoss(a!, b!, Y, 0.5),
      [
        { data: A, shape: [6] },
        { data: B, shape: [6] },
      ],
    );
  });

  it('keeps float32 with a scalar y', () => {
    const f32 = { dtype: 'float32' } as const;
    expect(marginRankingLoss(tensor(A, f32), tensor(B, f32), 1, 1).dtype).toBe('float32');
  });

  it("raises MyGrad's errors, in its order", () => {
    const a = tensor(A);
    expect(() => marginRankingLoss(tensor(1), tensor(2), 1, 1)).toThrow(/shape \(N,\) or \(N, D\)/);
    expect(() => marginRankingLoss(a, tensor(A.slice(1)), 1, 1)).toThrow(/the same shape/);
    expect(() => marginRankingLoss(tensor([1, 2], { dtype: 'int32' }), tensor([1, 2]), 1, 1)).toThrow(
      MgTypeError,
    );
    expect(() => marginRankingLoss(tensor([1, 2]), tensor([1, 2], { dtype: 'int32' }), 1, 1)).toThrow(
      MgTypeError,
    );
    expect(() => marginRankingLoss(a, tensor(B), 1, -1)).toThrow(/non-negative scalar/);
    expect(() => marginRankingLoss(a, tensor(B), 1, tensor(1) as unknown as number)).toThrow(MgValueError);
    expect(() => marginRankingLoss(a, tensor(B), [1, -1], 1)).toThrow(/scalar or shape-\(N,\)/);
  });
});

describe('focalLoss and softmaxFocalLoss', () => {
  const P = rowsOf(X, C).flatMap(softmaxRow);

  it.each([
    [1, 0],
    [0.25, 2],
    [1, 0.5],
    [0.5, 1],
  ])(
    'are -α(1 - p)^γ·log p per datum (α = %s, γ = %s), with gradients matching finite differences',
    (alpha, gamma) => {
      const expected = rowsOf(P, C).map((row, i) => {
        const p = row[LABELS[i]!]!;
        return -alpha * (1 - p) ** gamma * Math.log(p);
      });
      expectClose(focalLoss(tensor(P).reshape([N, C]), LABELS, { alpha, gamma }), expected);
      expectClose(softmaxFocalLoss(tensor(X).reshape([N, C]), LABELS, { alpha, gamma }), expected);
      expectGradientsMatch((p) => focalLoss(p, LABELS, { alpha, gamma }), [{ data: P, shape: [N, C] }]);
      expectGradientsMatch(
        (s) => softmaxFocalLoss(s, LABELS, { alpha, gamma }),
        [{ data: X, shape: [N, C] }],
      );
    },
  );

  it("has MyGrad's finite gradient at p = 1, where the composition's is NaN", () => {
    for (const gamma of [0, 0.5, 1, 2]) {
      const p = tensor([
        [1, 0],
        [0.5, 0.5],
      ]);
      focalLoss(p, [0, 1], { gamma }).backward();
      const grad = p.grad!.toArray() as number[][];
      // dL/dp at p = 1: -α·(0^γ / 1 - γ·0^(γ-1)·log 1) = -1 for γ = 0, else 0 (the second term by L'Hôpital).
      expect(grad[0]).toEqual([gamma === 0 ? -1 : 0, 0]);
      expect(grad[1]![0]).toBe(0);
      expect(Number.isFinite(grad[1]![1]!)).toBe(true);
    }
  });

  it('refuses a negative or non-number gamma with MgValueError (MyGrad: ValueError), a non-number alpha', () => {
    const p = tensor(P).reshape([N, C]);
    expect(() => focalLoss(p, LABELS, { gamma: -1 })).toThrow(
      /`gamma` must be a non-negative number, got: -1/,
    );
    expect(() => focalLoss(p, LABELS, { gamma: '2' as unknown as number })).toThrow(MgValueError);
    expect(() => focalLoss(p, LABELS, { alpha: null as unknown as number })).toThrow(MgTypeError);
  });
});

describe('every loss', () => {
  const all: [string, (x: Tensor) => Tensor][] = [
    ['softmaxCrossentropy', (x) => softmaxCrossentropy(x, LABELS)],
    ['negativeLogLikelihood', (x) => negativeLogLikelihood(x, LABELS)],
    ['multiclassHinge', (x) => multiclassHinge(x, LABELS)],
    ['focalLoss', (x) => focalLoss(x, LABELS, { gamma: 2 })],
    ['softmaxFocalLoss', (x) => softmaxFocalLoss(x, LABELS, { gamma: 2 })],
  ];

  it.each(all)('%s leaves no memory behind in a tidy, backward included', (_name, fn) => {
    const x = tensor(rowsOf(X, C).flatMap(softmaxRow)).reshape([N, C]);
    const step = () =>
      tidy(() => {
        fn(x).sum().backward();
        x.grad?.dispose();
        x.nullGrad();
      });
    step(); // the first backward may fill caches of the engine (its size-1 seeds), which later runs reuse
    const report = checkNoLeaks(step);
    expect([report.bytes, report.buffers]).toEqual([0, 0]);
    x.dispose();
  });

  it('runs on the backend of the run', () => {
    expect(['cpu', 'wasm']).toContain(getBackend().name);
  });
});

describe('random inputs (fast-check)', () => {
  /** N×C scores in [-4, 4), probabilities (softmax rows) of them, and N labels in [0, C). */
  const arbProblem = fc
    .record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 5 }) })
    .chain(({ n, c }) =>
      fc.record({
        n: fc.constant(n),
        c: fc.constant(c),
        x: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n * c, maxLength: n * c }),
        labels: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
      }),
    );

  it('every loss has the gradient central differences give', () => {
    fc.assert(
      fc.property(arbProblem, ({ n, c, x, labels }) => {
        // The hinge has kinks where a margin is 0: finite differences straddling one are meaningless.
        const rows = rowsOf(x, c);
        fc.pre(rows.every((row, i) => row.every((v) => Math.abs(v - row[labels[i]!]! + 0.7) > 1e-3)));
        const probs = rows.flatMap(softmaxRow);
        const cases: [(t: Tensor) => Tensor, number[]][] = [
          [(t) => softmaxCrossentropy(t, labels), x],
          [
            (t) =>
              negativeLogLikelihood(t, labels, { weights: Array.from({ length: c }, (_, j) => j + 0.5) }),
            x,
          ],
          [(t) => multiclassHinge(t, labels, { hinge: 0.7 }), x],
          [(t) => focalLoss(t, labels, { alpha: 0.5, gamma: 1.5 }), probs],
          [(t) => softmaxFocalLoss(t, labels, { gamma: 2 }), x],
        ];
        for (const [fn, data] of cases) {
          expect(
            checkGradients(fn, [{ data, shape: [n, c] }], { rtol: 1e-4, atol: 1e-6 }).mismatches,
          ).toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
  });
});

// softmax and logSoftmax: stable forward over any axes, MyGrad's gradient formulas (checked against MyGrad's
// Theano-verified cases and finite differences), 0-d and empty inputs, dtypes, constants and axis validation.

import './mode.js';

import { AxisError, MgTypeError, MgValueError, multiply, sum, tensor } from '@mg/core';
import { arbArray, arbShape, checkBackward, expectClose, type GeneratedArray } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { logSoftmax, logsoftmax, softmax } from '../src/index.js';
import { values } from './helpers.js';

// MyGrad's test_softmax.py: f = sum(skew · softmax(x)) (or logsoftmax), verified against Theano to ~1e-7.
const skew = [
  [0.87566484, 0.53596079, 0.85693981, 0.09526036],
  [0.32024455, 0.81532148, 0.2480434, 0.85119342],
  [0.57943085, 0.33958252, 0.95864464, 0.22881712],
];
const scores = [
  [0.0, 1.0, 2.0, 3.0],
  [4.0, 5.0, 6.0, 7.0],
  [8.0, 9.0, 10.0, 11.0],
];

/** Softmax of one slice, in plain JS. */
function softmaxOf(xs: readonly number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((v) => Math.exp(v - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

describe('softmax', () => {
  it("matches MyGrad's Theano-verified 1-d and 2-d cases, values and gradients", () => {
    const x1 = tensor(scores[0]!);
    const f1 = sum(multiply(softmax(x1), skew[0]!));
    expectClose(f1, [0.33911235096116465], { rtol: 1e-7 });
    f1.backward();
    expectClose(x1.grad!, [0.01720112, 0.01715422, 0.12266443, -0.15701977], { rtol: 1e-5, atol: 1e-5 });

    const x2 = tensor(scores);
    const f2 = sum(multiply(softmax(x2), skew));
    expectClose(f2, [1.449875865467131], { rtol: 1e-7 });
    f2.backward();
    expectClose(
      x2.grad!,
      [
        [0.01720112, 0.01715422, 0.12266443, -0.15701977],
        [-0.01179518, 0.01108053, -0.10425844, 0.10497309],
        [0.00502799, -0.00723393, 0.12698131, -0.12477536],
      ].flat(),
      { rtol: 1e-5, atol: 1e-5 },
    );
  });

  it('normalises over the last axis by default, or over the given axis, axes, or all of them', () => {
    const x = tensor(scores);
    expectClose(softmax(x), scores.flatMap(softmaxOf));
    const byColumn = values(softmax(x, { axis: 0 }));
    for (let j = 0; j < 4; j++) {
      expectClose(
        [0, 1, 2].map((i) => byColumn[i * 4 + j]!),
        softmaxOf(scores.map((row) => row[j]!)),
      );
    }
    const all = softmaxOf(scores.flat());
    expectClose(softmax(x, { axis: null }), all);
    expectClose(softmax(x, { axis: [0, 1] }), all);
    expectClose(softmax(x, { axis: [-1, 0] }), all);
    // No axes: every element is its own slice.
    expect(softmax(x, { axis: [] }).toArray()).toEqual(scores.map((row) => row.map(() => 1)));
  });

  it('is numerically stable for huge and tiny scores (MyGrad docstring: [2e50, 2e50, 1e50] → [0.5, 0.5, 0])', () => {
    expect(
      softmax(
        tensor([
          [2, 2, 2],
          [2e50, 2e50, 1e50],
        ]),
      ).toArray(),
    ).toEqual([
      [1 / 3, 1 / 3, 1 / 3],
      [0.5, 0.5, 0],
    ]);
    expectClose(softmax(tensor([1000, 1001, 999])), softmaxOf([0, 1, -1]));
    expectClose(softmax(tensor([-1000, -1000.5, -999])), softmaxOf([-1, -1.5, 0]));
    const big = softmax(tensor([1e308, -1e308, 0]));
    expect(big.toArray()).toEqual([1, 0, 0]);
  });

  it("back-propagates p·g - p·Σ(p·g), MyGrad's formula, and agrees with finite differences", () => {
    const x = tensor([0, Math.log(3)]);
    softmax(x).backward(tensor([1, 0]));
    expectClose(x.grad!, [0.1875, -0.1875]);
    for (const axis of [-1, 0, null, [0, 1]] as const) {
      checkBackward((t) => softmax(t, { axis }), {
        inputs: arbArray({ shape: [2, 3], min: -5, max: 5 }).map((a): readonly GeneratedArray[] => [a]),
        numRuns: 8,
      });
    }
    checkBackward((t) => softmax(t), {
      inputs: arbArray({ shape: arbShape({ minDims: 1, maxDims: 3, maxSide: 3 }), min: -5, max: 5 }).map(
        (a): readonly GeneratedArray[] => [a],
      ),
    });
  });

  it('gives 1 with gradient 0 for a 0-d input, whatever the axis', () => {
    for (const axis of [-1, 0, 5, null, []]) {
      const x = tensor(7.5);
      const y = softmax(x, { axis });
      expect([y.item(), y.shape]).toEqual([1, []]);
      y.backward();
      expect(x.grad?.item()).toBe(0);
    }
    expect(softmax(tensor(Number.NaN)).item()).toBe(1);
  });

  it('gives an empty result (of ones) for an empty input', () => {
    const y = softmax(tensor([], { shape: [0, 3] }), { axis: 0 });
    expect([y.shape, y.dtype]).toEqual([[0, 3], 'float64']);
    expect(softmax(tensor([], { shape: [2, 0] })).shape).toEqual([2, 0]);
    expect(softmax(tensor([], { shape: [0], dtype: 'int32' })).dtype).toBe('float64');
  });

  it('keeps float32, turns ints into constant float64, and propagates constant', () => {
    const f = softmax(tensor([1, 2, 25], { dtype: 'float32' }));
    expect(f.dtype).toBe('float32');
    expectClose(f, softmaxOf([1, 2, 25]));
    const i = softmax(
      tensor(
        [
          [0, -2, 0],
          [2, 1, -1],
        ],
        { dtype: 'int32' },
      ),
    );
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expectClose(i, [...softmaxOf([0, -2, 0]), ...softmaxOf([2, 1, -1])]);
    const x = tensor([1, 2]);
    expect(softmax(x).constant).toBe(false);
    expect(softmax(x, { constant: true }).constant).toBe(true);
    expect(softmax([1, 2], { constant: false }).constant).toBe(false);
  });

  it('rejects bad axes: out of range (AxisError), repeated (MgValueError), not integers (MgTypeError)', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => softmax(x, { axis: 2 })).toThrow(AxisError);
    expect(() => softmax(x, { axis: [0, -3] })).toThrow(AxisError);
    expect(() => softmax(x, { axis: [0, -2] })).toThrow(MgValueError);
    expect(() => softmax(x, { axis: 0.5 })).toThrow(MgTypeError);
    expect(() => softmax(x, { axis: '0' as unknown as number })).toThrow(MgTypeError);
    expect(() => softmax(tensor(1), { axis: 0.5 })).toThrow(MgTypeError);
    expect(() => softmax(tensor(1), { axis: [1.5] })).toThrow(MgTypeError);
  });
});

describe('logSoftmax', () => {
  it("matches MyGrad's Theano-verified 1-d and 2-d cases, values and gradients", () => {
    const x1 = tensor(scores[0]!);
    const f1 = sum(multiply(logSoftmax(x1), skew[0]!));
    expectClose(f1, [-5.596387676353177], { rtol: 1e-7 });
    f1.backward();
    expectClose(x1.grad!, [0.79988389, 0.3299668, 0.29699009, -1.42684078], { rtol: 1e-5, atol: 1e-5 });

    const x2 = tensor(scores);
    const f2 = sum(multiply(logSoftmax(x2), skew));
    expectClose(f2, [-13.722895761739732], { rtol: 1e-7 });
    f2.backward();
    expectClose(
      x2.grad!,
      [
        [0.79988389, 0.3299668, 0.29699009, -1.42684078],
        [0.24859989, 0.62057111, -0.281343, -0.587828],
        [0.5119002, 0.15601518, 0.45965687, -1.12757225],
      ].flat(),
      { rtol: 1e-5, atol: 1e-5 },
    );
  });

  it('is log(softmax) over the given axes', () => {
    const x = tensor(scores);
    for (const axis of [-1, 0, null, [0, 1]] as const) {
      expectClose(logSoftmax(x, { axis }), values(softmax(x, { axis })).map(Math.log));
    }
  });

  it('is stable: huge scores give finite values, tiny probabilities keep their logs', () => {
    const y = logSoftmax(
      tensor([
        [2, 2, 2],
        [2e50, 2e50, 1e50],
      ]),
    );
    expectClose(y, [-Math.log(3), -Math.log(3), -Math.log(3), 0, 0, -1e50]);
    expectClose(logSoftmax(tensor([0, -800])), [0, -800]);
    // A slice whose maximum is not finite is not shifted, as in MyGrad's logsumexp.
    expect(values(logSoftmax(tensor([Number.NEGATIVE_INFINITY, 0])))).toEqual([Number.NEGATIVE_INFINITY, 0]);
    expect(values(logSoftmax(tensor([Number.POSITIVE_INFINITY, 0])))).toEqual([
      Number.NaN,
      Number.NEGATIVE_INFINITY,
    ]);
  });

  it("back-propagates g - softmax(x)·Σg, MyGrad's formula, and agrees with finite differences", () => {
    const x = tensor([0, Math.log(3)]);
    logSoftmax(x).backward(tensor([1, 0]));
    expectClose(x.grad!, [0.75, -0.75]);
    for (const axis of [-1, 0, null, [0, 1]] as const) {
      checkBackward((t) => logSoftmax(t, { axis }), {
        inputs: arbArray({ shape: [2, 3], min: -5, max: 5 }).map((a): readonly GeneratedArray[] => [a]),
        numRuns: 8,
      });
    }
  });

  it('gives 0 with gradient 0 for a 0-d input (NaN for a non-finite one, as MyGrad)', () => {
    const x = tensor(-4.25);
    const y = logSoftmax(x);
    expect([y.item(), y.shape]).toEqual([0, []]);
    y.backward();
    expect(x.grad?.item()).toBe(0);
    expect(logSoftmax(tensor(3), { axis: null }).item()).toBe(0);
    expect(logSoftmax(tensor(Number.POSITIVE_INFINITY)).item()).toBeNaN();
  });

  it('follows NumPy on empty inputs: empty results, but no maximum of an empty slice', () => {
    expect(logSoftmax(tensor([], { shape: [0, 3] })).shape).toEqual([0, 3]);
    expect(() => logSoftmax(tensor([], { shape: [2, 0] }))).toThrow(MgValueError);
  });

  it('keeps float32, turns ints into constant float64, and propagates constant', () => {
    expect(logSoftmax(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
    const i = logSoftmax(tensor([2, 2, 0], { dtype: 'int32' }));
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expectClose(i, softmaxOf([2, 2, 0]).map(Math.log));
    const x = tensor([1, 2]);
    expect(logSoftmax(x).constant).toBe(false);
    expect(logSoftmax(x, { constant: true }).constant).toBe(true);
  });

  it('rejects bad axes like softmax', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => logSoftmax(x, { axis: -3 })).toThrow(AxisError);
    expect(() => logSoftmax(x, { axis: [1, 1] })).toThrow(MgValueError);
    expect(() => logSoftmax(x, { axis: 1.5 })).toThrow(MgTypeError);
  });

  it("is also exported under MyGrad's name, logsoftmax", () => {
    expect(logsoftmax).toBe(logSoftmax);
  });

  it('has gradients that sum to zero over each slice when the upstream is uniform', () => {
    const x = tensor([
      [0.3, -1.2, 2],
      [5, 5, 5],
    ]);
    logSoftmax(x).backward();
    const g = values(x.grad);
    expectClose([g[0]! + g[1]! + g[2]!, g[3]! + g[4]! + g[5]!], [0, 0], { atol: 1e-12 });
  });
});

// glu: first half · σ(second half) along an axis, gradients to both halves, special values, float32, every
// dtype, axis and shape validation, on whichever path the suite runs (see mode.ts).

import './mode.js';

import { AxisError, MgTypeError, MgValueError, type Tensor, tensor } from '@mg/core';
import { arbArray, checkBackward, checkGradients, expectClose, type GeneratedArray } from '@mg/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { glu } from '../src/index.js';
import { values } from './helpers.js';

const sigma = (v: number) => 1 / (1 + Math.exp(-v));

/** A·σ(B) for x of `shape` split in half along `axis`, in plain JS (row-major flat data). */
function reference(data: readonly number[], shape: readonly number[], axis: number): number[] {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const half = shape[axis]! / 2;
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let h = 0; h < half; h++) {
      for (let i = 0; i < inner; i++) {
        const a = data[(o * 2 * half + h) * inner + i]!;
        const b = data[(o * 2 * half + h + half) * inner + i]!;
        out.push(a * sigma(b));
      }
    }
  }
  return out;
}

describe('glu', () => {
  it("splits the last axis by default: MyGrad's docstring example", () => {
    const x = tensor([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
    const y = glu(x);
    expectClose(y, [-2.5, -2.92423431, -2.64239123, -1.90514825, -0.98201379], { rtol: 1e-8 });
    y.backward();
    // σ(B)·upstream for A; A·σ'(B) for B.
    expectClose(x.grad!, [
      ...[0, 1, 2, 3, 4].map(sigma),
      ...[0, 1, 2, 3, 4].map((b, i) => (-5 + i) * sigma(b) * (1 - sigma(b))),
    ]);
  });

  it('splits along any axis (negative ones too) of n-d inputs', () => {
    const data = Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
    for (const [shape, axis] of [
      [[2, 3, 4], 0],
      [[2, 3, 4], 2],
      [[2, 3, 4], -1],
      [[4, 2, 3], -2],
      [[6, 4], 1],
    ] as const) {
      const y = glu(tensor(data, { shape }), { axis });
      const normal = axis < 0 ? axis + shape.length : axis;
      expect(y.shape).toEqual(shape.map((d, i) => (i === normal ? d / 2 : d)));
      expectClose(y, reference(data, shape, normal));
    }
  });

  it('passes infinities, NaN and huge values through the split exactly', () => {
    const y = glu(tensor([Number.POSITIVE_INFINITY, Number.NaN, 1e308, 0]));
    expect(values(y)).toEqual([Number.POSITIVE_INFINITY, Number.NaN]);
    expect(values(glu(tensor([1e308, 2, 50, -800])))).toEqual([1e308, 0]);
  });

  it('maps special values as (A + 0)·σ(B): ∞·σ(-∞) is NaN, -0 becomes 0, σ underflows to 0 for very negative B', () => {
    const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;
    const pairs = [
      [-0, 3],
      [inf, ninf],
      [inf, inf],
      [ninf, 0],
      [nan, 0],
      [2, nan],
      [5, inf],
      [-3, -1000],
    ];
    const x = tensor(pairs.flat(), { shape: [pairs.length, 2] });
    const y = glu(x);
    expect(values(y)).toEqual([0, nan, inf, ninf, nan, nan, 5, -0]);
    y.backward();
    // dA = σ(B) + 0 and dB = A·σ(B)·(1 - σ(B)) + 0, as the composite's two paths sum.
    const s3 = sigma(3);
    expect(values(x.grad)).toEqual([s3, 0, 0, nan, 1, nan, 0.5, ninf, 0.5, nan, nan, nan, 1, 0, 0, 0]);
  });

  it('keeps float32, with σ saturating to 0 and 1 in float32', () => {
    const x = tensor([3, -1, -200, 200, 0.5, 1, 2, 0], { dtype: 'float32', shape: [2, 4] });
    const y = glu(x);
    expect(y.dtype).toBe('float32');
    expect(values(y).filter((_, i) => i !== 2)).toEqual([0, -1, 0.5]);
    expectClose(y, [0, -1, 0.5 * sigma(2), 0.5]);
    y.backward();
    expect(x.grad?.dtype).toBe('float32');
    expectClose(x.grad!, [0, 1, 0, 0, sigma(2), 0.5, 0.5 * sigma(2) * (1 - sigma(2)), 0.25]);
  });

  it('agrees with finite differences along each axis', () => {
    const cases: [number[], number][] = [
      [[4], -1],
      [[2, 4], 0],
      [[2, 4], 1],
      [[3, 2, 2], 1],
    ];
    for (const [shape, axis] of cases) {
      const inputs = fc.sample(arbArray({ shape, min: -4, max: 4 }), { numRuns: 3, seed: 7 });
      for (const x of inputs) {
        expect(checkGradients((t: Tensor) => glu(t, { axis }), [x]).mismatches).toEqual([]);
      }
    }
    checkBackward((t) => glu(t, { axis: 0 }), {
      inputs: arbArray({ shape: [2, 3], min: -4, max: 4 }).map((x): readonly GeneratedArray[] => [x]),
    });
  });

  it('accepts the axis as a one-element int tensor', () => {
    expect(
      glu(
        tensor([
          [1, 2],
          [0, 100],
        ]),
        { axis: tensor(0, { dtype: 'int32' }) },
      ).toArray(),
    ).toEqual([[0.5, 2]]);
  });

  it('handles a size-0 axis and other empty dimensions', () => {
    expect(glu(tensor([], { shape: [3, 0] })).shape).toEqual([3, 0]);
    expect(glu(tensor([], { shape: [0, 4] })).shape).toEqual([0, 2]);
  });

  it('rejects an odd size along the axis with MgValueError', () => {
    expect(() => glu(tensor([1, 2, 3]))).toThrow(MgValueError);
    expect(() =>
      glu(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        { axis: 0 },
      ),
    ).toThrow(/odd/);
    expect(() =>
      glu(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        { axis: 0 },
      ),
    ).not.toThrow(AxisError);
  });

  it('rejects an axis that is not an integer with MgTypeError naming it', () => {
    expect(() => glu([1, 2], { axis: 1.5 })).toThrow(MgTypeError);
    expect(() => glu([1, 2], { axis: 1.5 })).toThrow(/axis.*1\.5.*number/);
    expect(() => glu([1, 2], { axis: null as unknown as number })).toThrow(/axis.*null/);
    expect(() => glu([1, 2], { axis: '0' as unknown as number })).toThrow(MgTypeError);
    // `.item()` of a float array is a Python float in MyGrad: a TypeError even when it is whole.
    expect(() => glu([1, 2], { axis: tensor(0) })).toThrow(MgTypeError);
    expect(() => glu([1, 2], { axis: [0] })).toThrow(MgTypeError);
  });

  it('rejects an axis out of range, including any axis of a 0-d input, with AxisError', () => {
    expect(() => glu(tensor([1, 2]), { axis: 1 })).toThrow(AxisError);
    expect(() => glu(tensor([1, 2]), { axis: -2 })).toThrow(AxisError);
    expect(() => glu(tensor(2))).toThrow(AxisError);
  });

  it('keeps float32, gives float64 for ints and bools (constants), and propagates constant', () => {
    expect(glu(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
    const i = glu(tensor([2, 0], { dtype: 'int32' }));
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expect(i.toArray()).toEqual([1]);
    const b = glu(tensor([true, false, true, true]), { axis: 0 });
    expect([b.dtype, b.constant]).toEqual(['float64', true]);
    expectClose(b, [sigma(1), 0]);
    for (const dtype of ['float64', 'float32'] as const) {
      const e = tensor([], { shape: [0, 4], dtype });
      const out = glu(e);
      expect([out.dtype, out.shape]).toEqual([dtype, [0, 2]]);
      out.backward();
      expect(e.grad?.shape).toEqual([0, 4]);
    }
    const x = tensor([1, 2]);
    expect(glu(x).constant).toBe(false);
    expect(glu(x, { constant: true }).constant).toBe(true);
    expect(glu([1, 2], { constant: false }).constant).toBe(false);
  });
});

// hardTanh: maximum(lower, minimum(x, upper)) with zero gradient at the bounds, special values, crossed, equal,
// NaN and infinite bounds, float32 rounding of the bounds, bound validation, every dtype, on whichever path the
// suite runs (see mode.ts).

import './mode.js';

import { MgTypeError, tensor } from '@mg/core';
import { checkBackward } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { hardTanh } from '../src/index.js';
import { awayFrom, values } from './helpers.js';

const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;

describe('hardTanh', () => {
  it('clips to [-1, 1] by default and to the given bounds otherwise', () => {
    expect(hardTanh(tensor([-3, -1, -0.25, 0, 0.5, 1, 7])).toArray()).toEqual([-1, -1, -0.25, 0, 0.5, 1, 1]);
    const y = hardTanh(tensor([-5, -4, -3, -2, 0, 2, 3, 4]), { lowerBound: -3, upperBound: 3 });
    expect(y.toArray()).toEqual([-3, -3, -3, -2, 0, 2, 3, 3]);
    expect(hardTanh(tensor([-1, 0.1, 5]), { lowerBound: 0 }).toArray()).toEqual([0, 0.1, 1]);
  });

  it('has gradient 1 strictly inside the bounds and 0 outside and exactly at them (ties)', () => {
    const x = tensor([-2, -1, 0, 1, 3]);
    hardTanh(x).backward();
    expect(x.grad?.toArray()).toEqual([0, 0, 1, 0, 0]);
  });

  it('agrees with finite differences away from the bounds', () => {
    checkBackward((x) => hardTanh(x), { inputs: awayFrom([-1, 1]) });
    checkBackward((x) => hardTanh(x, { lowerBound: -0.5, upperBound: 2 }), { inputs: awayFrom([-0.5, 2]) });
  });

  it('maps special values: ±∞ clip to the bounds, NaN stays NaN, -0 inside stays -0; gradient 0 at NaN', () => {
    const x = tensor([nan, ninf, inf, -1, 1, -0, 0, -1.5, 0.25, 5e-324]);
    const y = hardTanh(x);
    expect(values(y)).toEqual([nan, -1, 1, -1, 1, -0, 0, -1, 0.25, 5e-324]);
    // A NaN upstream does not reach x where maximum or minimum passes no gradient (outside, at the bounds).
    y.backward(tensor([1, nan, nan, nan, nan, 1, 1, nan, 1, 1]));
    expect(values(x.grad)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 1, 1]);
  });

  it('gives lowerBound everywhere, with no gradient, when the bounds cross or are equal', () => {
    for (const [lowerBound, upperBound] of [
      [1, -1],
      [0.5, 0.5],
    ]) {
      const x = tensor([nan, ninf, -3, -1, 0, 0.5, 1, 3, inf]);
      const y = hardTanh(x, { lowerBound, upperBound });
      expect(values(y)).toEqual([nan, ...new Array<number>(8).fill(lowerBound!)]);
      y.backward();
      expect(values(x.grad)).toEqual(new Array<number>(9).fill(0));
    }
  });

  it('gives NaN everywhere for a NaN bound, and passes ±∞ bounds through (gradient 0 only at ±∞, ties)', () => {
    for (const bounds of [{ lowerBound: nan }, { upperBound: nan }]) {
      const x = tensor([ninf, -2, 0, 0.5, 2, inf]);
      const y = hardTanh(x, bounds);
      expect(values(y)).toEqual(new Array<number>(6).fill(nan));
      y.backward();
      expect(values(x.grad)).toEqual(new Array<number>(6).fill(0));
    }
    const x = tensor([ninf, -1e308, -0, 3, inf]);
    const y = hardTanh(x, { lowerBound: ninf, upperBound: inf });
    expect(values(y)).toEqual([ninf, -1e308, -0, 3, inf]);
    y.backward();
    expect(values(x.grad)).toEqual([0, 1, 1, 1, 0]);
  });

  it('clips to signed-zero bounds as maximum and minimum do (ties give the second operand)', () => {
    const y = hardTanh(tensor([-2, -0, 0, 2]), { lowerBound: -0, upperBound: 0 });
    // min(x, 0) is 0 for x = ±0, then max(-0, ·) keeps it; negatives clip to the lower bound -0.
    expect(values(y)).toEqual([-0, 0, 0, 0]);
  });

  it('rounds the bounds to float32 for float32 inputs, so a float32 value equal to a rounded bound is a tie', () => {
    const bounds = { lowerBound: 0.1, upperBound: 0.7 };
    const data = [Math.fround(0.1), 0.5, Math.fround(0.7)];
    const x32 = tensor(data, { dtype: 'float32' });
    const y32 = hardTanh(x32, bounds);
    expect(values(y32)).toEqual(data);
    y32.backward();
    expect(values(x32.grad)).toEqual([0, 1, 0]);
    // In float64 the same values lie strictly inside (fround(0.1) > 0.1) or outside (fround(0.7) < 0.7).
    const x64 = tensor(data);
    const y64 = hardTanh(x64, bounds);
    expect(values(y64)).toEqual(data);
    y64.backward();
    expect(values(x64.grad)).toEqual([1, 1, 1]);
  });

  it('accepts bounds as 0-d tensors and one-element typed arrays', () => {
    const y = hardTanh(tensor([-3, 3]), { lowerBound: tensor(-2), upperBound: Float64Array.of(2) });
    expect(y.toArray()).toEqual([-2, 2]);
  });

  it('rejects bounds that are not real scalars with a TypeError naming the bound, value and type', () => {
    expect(() => hardTanh([1], { upperBound: 'b' as unknown as number })).toThrow(MgTypeError);
    expect(() => hardTanh([1], { upperBound: 'b' as unknown as number })).toThrow(/upperBound.*b.*string/);
    expect(() => hardTanh([1], { lowerBound: null as unknown as number })).toThrow(/lowerBound.*null/);
    expect(() => hardTanh([1], { lowerBound: [1, 2] })).toThrow(MgTypeError);
    expect(() => hardTanh([1], { lowerBound: tensor([1, 2]) })).toThrow(MgTypeError);
  });

  it('keeps float32, gives float64 for ints and bools (the bounds are float64 scalars), handles 0-d and empty inputs, and propagates constant', () => {
    expect(hardTanh(tensor([-3, 3], { dtype: 'float32' })).dtype).toBe('float32');
    const i = hardTanh(tensor([-3, 0, 3], { dtype: 'int32' }));
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expect(i.toArray()).toEqual([-1, 0, 1]);
    const b = hardTanh(tensor([true, false]), { lowerBound: 0.25, upperBound: 0.75 });
    expect([b.dtype, b.constant, b.toArray()]).toEqual(['float64', true, [0.75, 0.25]]);
    // A 0-d float32 input is a scalar among scalars: the result is float64 (its gradient float32).
    const s = tensor(0.5, { dtype: 'float32' });
    const z = hardTanh(s);
    expect([z.dtype, z.shape, z.item()]).toEqual(['float64', [], 0.5]);
    z.backward();
    expect([s.grad?.dtype, s.grad?.item()]).toEqual(['float32', 1]);
    for (const dtype of ['float64', 'float32'] as const) {
      const e = tensor([], { shape: [0], dtype });
      const out = hardTanh(e);
      expect([out.dtype, out.shape]).toEqual([dtype, [0]]);
      out.backward();
      expect(e.grad?.shape).toEqual([0]);
    }
    const x = tensor([0.5]);
    expect(hardTanh(x).constant).toBe(false);
    expect(hardTanh(x, { constant: true }).constant).toBe(true);
    expect(hardTanh([0.5], { constant: false }).constant).toBe(false);
  });
});

// leakyRelu: maximum(x, 0) + slope·minimum(x, 0), zero gradient at 0, special values and slopes, float32
// rounding, slope validation, every dtype, on whichever path the suite runs (see mode.ts).

import './mode.js';

import { MgTypeError, tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../src/index.js';
import { awayFrom, values } from './helpers.js';

const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;

describe('leakyRelu', () => {
  it('is x for x > 0 and slope·x for x < 0', () => {
    const data = [-300, -2, -1e-8, 0, 0.5, 3];
    expectClose(
      leakyRelu(tensor(data), 0.1),
      data.map((v) => (v > 0 ? v : 0.1 * v)),
    );
    expect(leakyRelu(tensor([-5, 5]), 2).toArray()).toEqual([-10, 5]);
  });

  it('has gradient slope for x < 0, 1 for x > 0, and 0 at x = 0 (both maximum and minimum tie there)', () => {
    const x = tensor([-1, 0, 2]);
    leakyRelu(x, 0.2).backward();
    expect(x.grad?.toArray()).toEqual([0.2, 0, 1]);
  });

  it('agrees with finite differences away from 0', () => {
    checkBackward((x) => leakyRelu(x, 0.3), { inputs: awayFrom([0]) });
    checkBackward((x) => leakyRelu(x, -1.7), { inputs: awayFrom([0]) });
  });

  it('maps special values as max(x, 0) + slope·min(x, 0): ±0 give 0, NaN stays NaN, gradient 0 at 0 and NaN', () => {
    const x = tensor([nan, ninf, inf, -0, 0, -2, 3, 5e-324, -5e-324]);
    const y = leakyRelu(x, 0.1);
    // 0.1·-5e-324 underflows to -0, and 0 + -0 is 0.
    expect(values(y)).toEqual([nan, ninf, inf, 0, 0, 0.1 * -2, 3, 5e-324, 0]);
    y.backward(tensor([nan, 1, 1, nan, nan, 1, 1, 1, 1]));
    // A NaN upstream does not reach x where neither maximum nor minimum passes the gradient.
    expect(values(x.grad)).toEqual([0, 0.1, 1, 0, 0, 0.1, 1, 1, 0.1]);
  });

  it('follows IEEE arithmetic for non-finite and zero slopes (slope·0 is NaN for an infinite slope)', () => {
    const data = [ninf, -2, -0, 0, 3, inf];
    const cases: [number, number[], number[]][] = [
      [inf, [ninf, ninf, nan, nan, nan, nan], [inf, inf, 0, 0, 1, 1]],
      [ninf, [inf, inf, nan, nan, nan, nan], [ninf, ninf, 0, 0, 1, 1]],
      [nan, [nan, nan, nan, nan, nan, nan], [nan, nan, 0, 0, 1, 1]],
      [0, [nan, 0, 0, 0, 3, inf], [0, 0, 0, 0, 1, 1]],
      [-0.5, [inf, 1, 0, 0, 3, inf], [-0.5, -0.5, 0, 0, 1, 1]],
    ];
    for (const [slope, output, gradient] of cases) {
      const x = tensor(data);
      const y = leakyRelu(x, slope);
      expect(values(y)).toEqual(output);
      y.backward();
      expect(values(x.grad)).toEqual(gradient);
    }
  });

  it('rounds the slope, and slope·x, to float32 for float32 inputs (so a tiny product gives 0, not -0)', () => {
    const x = tensor([-1, -1e-45, 2], { dtype: 'float32' });
    const y = leakyRelu(x, 0.1);
    const slope = Math.fround(0.1);
    expect(values(y)).toEqual([-slope, 0, 2]);
    y.backward(tensor([1, -1e-45, 1], { dtype: 'float32' }));
    expect(values(x.grad)).toEqual([slope, 0, 1]);
  });

  it('accepts the slope as a 0-d tensor (its value; it gets no gradient) or one-element array', () => {
    const slope = tensor(0.5);
    const x = tensor([-2, 2]);
    const y = leakyRelu(x, slope);
    expect(y.toArray()).toEqual([-1, 2]);
    y.backward();
    expect(x.grad?.toArray()).toEqual([0.5, 1]);
    expect(slope.grad).toBeNull();
    expect(leakyRelu([-2], Float32Array.of(0.25)).toArray()).toEqual([-0.5]);
  });

  it('rejects a slope that is not a real scalar with a TypeError naming the value and its type', () => {
    expect(() => leakyRelu([1], 'x' as unknown as number)).toThrow(MgTypeError);
    expect(() => leakyRelu([1], 'x' as unknown as number)).toThrow(/slope.*x.*string/);
    expect(() => leakyRelu([1], null as unknown as number)).toThrow(/slope.*null/);
    expect(() => leakyRelu([1], [0.1, 0.2])).toThrow(/slope.*\[0\.1,0\.2\].*array/);
    expect(() => leakyRelu([1], tensor([true]))).toThrow(MgTypeError);
  });

  it('keeps float32, gives float64 for ints and bools (constants), handles 0-d and empty inputs, and propagates constant', () => {
    expect(leakyRelu(tensor([-1, 1], { dtype: 'float32' }), 0.1).dtype).toBe('float32');
    const i = leakyRelu(tensor([-2, 2], { dtype: 'int32' }), 0.5);
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expect(i.toArray()).toEqual([-1, 2]);
    const b = leakyRelu(tensor([true, false]), 0.5);
    expect([b.dtype, b.constant, b.toArray()]).toEqual(['float64', true, [1, 0]]);
    // A 0-d float32 input is a scalar among scalars: the result is float64 (its gradient float32).
    const s = tensor(-2, { dtype: 'float32' });
    const z = leakyRelu(s, 0.1);
    expect([z.dtype, z.shape, z.item()]).toEqual(['float64', [], 0.1 * -2]);
    z.backward();
    expect([s.grad?.dtype, s.grad?.item()]).toEqual(['float32', Math.fround(0.1)]);
    for (const dtype of ['float64', 'float32'] as const) {
      const e = tensor([], { shape: [2, 0], dtype });
      const out = leakyRelu(e, 0.1);
      expect([out.dtype, out.shape]).toEqual([dtype, [2, 0]]);
      out.backward();
      expect(e.grad?.shape).toEqual([2, 0]);
    }
    const x = tensor([1]);
    expect(leakyRelu(x, 0.1).constant).toBe(false);
    expect(leakyRelu(x, 0.1, { constant: true }).constant).toBe(true);
    expect(leakyRelu([1], 0.1, { constant: false }).constant).toBe(false);
  });
});

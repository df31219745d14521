// leakyRelu: maximum(x, 0) + slope·minimum(x, 0), zero gradient at 0, slope validation, dtypes.

import './mode.js';

import { MgTypeError, tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../src/index.js';
import { awayFrom } from './helpers.js';

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

  it('keeps float32, gives float64 for ints, and propagates constant', () => {
    expect(leakyRelu(tensor([-1, 1], { dtype: 'float32' }), 0.1).dtype).toBe('float32');
    const i = leakyRelu(tensor([-2, 2], { dtype: 'int32' }), 0.5);
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expect(i.toArray()).toEqual([-1, 2]);
    const x = tensor([1]);
    expect(leakyRelu(x, 0.1).constant).toBe(false);
    expect(leakyRelu(x, 0.1, { constant: true }).constant).toBe(true);
    expect(leakyRelu([1], 0.1, { constant: false }).constant).toBe(false);
  });
});

// sigmoid: 1 / (1 + e^-x) without overflow, MyGrad's gradient σ(1 - σ), dtypes and constants.

import './mode.js';

import { tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../src/index.js';
import { values } from './helpers.js';

const reference = (v: number) => 1 / (1 + Math.exp(-v));

describe('sigmoid', () => {
  it('computes 1 / (1 + e^-x)', () => {
    const data = [-5, -1.5, -1e-8, 0, 0.001, 2, 30];
    expectClose(sigmoid(tensor(data)), data.map(reference));
    expect(sigmoid(tensor(0)).item()).toBe(0.5);
  });

  it('is stable for large |x|: 0 and 1 at the extremes, tiny (not flushed) values below -709, no NaN', () => {
    const y = sigmoid(tensor([-1e308, -1000, -745, -300, 300, 1000, 1e308]));
    const v = values(y);
    expect(v[0]).toBe(0);
    expect(v[1]).toBe(0);
    expect(v[2]).toBeGreaterThan(0);
    expect(Math.abs(v[3]! / Math.exp(-300) - 1)).toBeLessThan(1e-12);
    expect(v.slice(4)).toEqual([1, 1, 1]);
    const x = tensor([-1000, 1000, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    sigmoid(x).backward();
    expect(x.grad?.toArray()).toEqual([0, 0, 0, 0]);
    expect(values(sigmoid(tensor([Number.NaN])))).toEqual([Number.NaN]);
  });

  it("back-propagates grad·σ·(1 - σ), MyGrad's formula", () => {
    const x = tensor([-1, 0, 2]);
    sigmoid(x).backward(tensor([1, 2, 3]));
    const s = [-1, 0, 2].map(reference);
    expectClose(
      x.grad!,
      s.map((v, i) => (i + 1) * v * (1 - v)),
    );
  });

  it('agrees with finite differences', () => {
    checkBackward((x) => sigmoid(x), { min: -8, max: 8 });
  });

  it('keeps float32 (also for large inputs) and turns ints into constant float64', () => {
    const f = sigmoid(tensor([-300, 0.5, 300], { dtype: 'float32' }));
    expect(f.dtype).toBe('float32');
    expect([values(f)[0], values(f)[2]]).toEqual([0, 1]);
    expectClose(f, [0, reference(0.5), 1]);
    const i = sigmoid(tensor([-2, 3], { dtype: 'int32' }));
    expect(i.dtype).toBe('float64');
    expect(i.constant).toBe(true);
    expectClose(i, [reference(-2), reference(3)]);
  });

  it('propagates constant', () => {
    const x = tensor([1, 2]);
    expect(sigmoid(x).constant).toBe(false);
    expect(sigmoid(x, { constant: true }).constant).toBe(true);
    expect(sigmoid([1, 2]).constant).toBe(true);
    expect(sigmoid([1, 2], { constant: false }).constant).toBe(false);
  });
});

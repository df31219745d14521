// softSign: x / (1 + |x|) composed of divide and absolute, gradient 1 at 0, dtypes and constants.

import './mode.js';

import { tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { softSign } from '../src/index.js';

describe('softSign', () => {
  it('computes x / (1 + |x|)', () => {
    const data = [-300, -3, -1e-8, 0, 1, 4];
    expectClose(
      softSign(tensor(data)),
      data.map((v) => v / (1 + Math.abs(v))),
    );
  });

  it('has gradient 1 / (1 + |x|)² — 1 at 0', () => {
    const x = tensor([-3, 0, 1]);
    softSign(x).backward();
    expect(x.grad?.toArray()).toEqual([1 / 16, 1, 1 / 4]);
  });

  it('agrees with finite differences (it is smooth enough at 0)', () => {
    checkBackward((x) => softSign(x));
  });

  it('keeps float32, turns ints into constant float64, and propagates constant', () => {
    expect(softSign(tensor([-1, 1], { dtype: 'float32' })).dtype).toBe('float32');
    const i = softSign(tensor([-1, 3], { dtype: 'int32' }));
    expect(i.dtype).toBe('float64');
    expect(i.constant).toBe(true);
    expect(i.toArray()).toEqual([-0.5, 0.75]);
    const x = tensor([1]);
    expect(softSign(x).constant).toBe(false);
    expect(softSign(x, { constant: true }).constant).toBe(true);
    expect(softSign([1], { constant: false }).constant).toBe(false);
  });
});

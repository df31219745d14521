// relu: x·(x > 0) with MyGrad's conventions (-0 for negatives, gradient 0 at 0), dtypes and constants.

import './mode.js';

import { ConstantIntegerError, tensor } from '@mg/core';
import { checkBackward } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { relu } from '../src/index.js';
import { awayFrom, values } from './helpers.js';

describe('relu', () => {
  it('is x where x > 0, else 0 — as the product x·0, so negatives give -0 and NaN stays NaN', () => {
    const y = relu(tensor([-2, -0.5, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY]));
    expect(values(y)).toEqual([-0, -0, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(Object.is(values(y)[0], -0)).toBe(true);
    expect(y.shape).toEqual([6]);
  });

  it('has gradient 1 where x > 0 and 0 elsewhere, including at the kink x = 0', () => {
    const x = tensor([
      [-1, 0],
      [1e-8, 3],
    ]);
    relu(x).backward(
      tensor([
        [2, 3],
        [4, 5],
      ]),
    );
    expect(x.grad?.toArray()).toEqual([
      [0, 0],
      [4, 5],
    ]);
  });

  it('agrees with finite differences away from 0', () => {
    checkBackward((x) => relu(x), { inputs: awayFrom([0]) });
  });

  it('keeps the input dtype: float32 stays float32, int32 stays int32 (constant)', () => {
    const f = relu(tensor([-1, 2], { dtype: 'float32' }));
    expect(f.dtype).toBe('float32');
    expect(f.constant).toBe(false);
    const i = relu(
      tensor(
        [
          [-2, 2],
          [-1, 3],
        ],
        { dtype: 'int32' },
      ),
    );
    expect(i.dtype).toBe('int32');
    expect(i.constant).toBe(true);
    expect(i.toArray()).toEqual([
      [0, 2],
      [0, 3],
    ]);
    expect(relu(tensor([true, false])).dtype).toBe('bool');
  });

  it('propagates constant: from the input, or as forced', () => {
    const x = tensor([-1, 1]);
    expect(relu(x).constant).toBe(false);
    expect(relu(x, { constant: true }).constant).toBe(true);
    expect(relu([-1, 1]).constant).toBe(true);
    expect(relu(tensor([1], { constant: true }), { constant: false }).constant).toBe(false);
    const y = relu(x, { constant: true });
    y.backward();
    expect(x.grad).toBeNull();
    expect(() => relu(tensor([1], { dtype: 'int32' }), { constant: false })).toThrow(ConstantIntegerError);
  });
});

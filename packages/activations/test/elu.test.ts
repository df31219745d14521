// ELU: forward and gradient against MyGrad's definition, finite differences, validation.

import './mode.js';

import { MgTypeError, tensor } from '@mg/core';
import { checkGradients } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { elu } from '../src/index.js';

describe('elu', () => {
  it('computes alpha·(e^x - 1) for x < 0 and x elsewhere, gradient 1 at 0', () => {
    const x = tensor([-2, -0.5, 0, 1.5]);
    const y = elu(x, 2);
    expect(y.toArray()).toEqual([2 * (Math.exp(-2) - 1), 2 * (Math.exp(-0.5) - 1), 0, 1.5]);
    y.backward();
    expect(x.grad?.toArray()).toEqual([2 * Math.exp(-2), 2 * Math.exp(-0.5), 1, 1]);
  });

  it('agrees with finite differences', () => {
    const { mismatches } = checkGradients(
      (x) => elu(x, 0.7),
      [{ data: [-3, -1.2, -0.1, 0.3, 2], shape: [5] }],
    );
    expect(mismatches).toEqual([]);
  });

  it('keeps float32 and propagates constant', () => {
    const x = tensor([-1, 1], { dtype: 'float32' });
    expect(elu(x, 1).dtype).toBe('float32');
    expect(elu(x, 1).constant).toBe(false);
    expect(elu(x, 1, { constant: true }).constant).toBe(true);
    expect(elu([-1, 1], 1).constant).toBe(true);
  });

  it('accepts alpha as a 0-d tensor and rejects non-real alpha with a TypeError naming it', () => {
    expect(elu([-1], tensor(2)).item()).toBeCloseTo(2 * (Math.exp(-1) - 1), 15);
    expect(() => elu([-1], 'a' as unknown as number)).toThrow(MgTypeError);
    expect(() => elu([-1], [1, 2])).toThrow(/alpha.*\[1,2\]/);
  });
});

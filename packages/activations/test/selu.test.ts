// selu: λ·ELU_α(x) with MyGrad's constants, gradient λ at 0, dtypes and constants.

import './mode.js';

import { tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { selu } from '../src/index.js';
import { awayFrom } from './helpers.js';

const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;
const reference = (v: number) => SCALE * (v < 0 ? ALPHA * (Math.exp(v) - 1) : v);

describe('selu', () => {
  it("computes λ·x for x >= 0 and λ·α·(e^x - 1) for x < 0 with MyGrad's λ, α", () => {
    const data = [-300, -2, -1e-8, 0, 1e-8, 0.5, 300];
    expectClose(selu(tensor(data)), data.map(reference));
    // MyGrad's docstring: selu(arange(-5, 6)) starts at -1.74625336 and ends at 5.25350494.
    expectClose(selu(tensor([-5, 5])), [-1.74625336, 5.25350494], { rtol: 1e-8 });
  });

  it('has gradient λ·α·e^x for x < 0 and λ for x >= 0 (λ at the kink x = 0)', () => {
    const x = tensor([-1, 0, 2]);
    selu(x).backward();
    expectClose(x.grad!, [SCALE * ALPHA * Math.exp(-1), SCALE, SCALE]);
  });

  it('agrees with finite differences away from 0', () => {
    checkBackward((x) => selu(x), { inputs: awayFrom([0]) });
  });

  it('keeps float32, turns ints into constant float64, and propagates constant', () => {
    expect(selu(tensor([-1, 1], { dtype: 'float32' })).dtype).toBe('float32');
    const i = selu(tensor([-1, 2], { dtype: 'int32' }));
    expect(i.dtype).toBe('float64');
    expect(i.constant).toBe(true);
    expectClose(i, [reference(-1), reference(2)]);
    const x = tensor([1]);
    expect(selu(x).constant).toBe(false);
    expect(selu(x, { constant: true }).constant).toBe(true);
  });
});

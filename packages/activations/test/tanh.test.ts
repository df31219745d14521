// tanh: @mg/core's tanh, offered among the activations as MyGrad does.

import './mode.js';

import * as core from '@mg/core';
import { tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { tanh } from '../src/index.js';

describe('tanh', () => {
  it("is @mg/core's tanh itself", () => {
    expect(tanh).toBe(core.tanh);
  });

  it('computes tanh(x) with gradient 1 - tanh²(x), stable at large |x|', () => {
    const data = [-300, -25, -1, 0, 1e-8, 2.5];
    const x = tensor(data);
    const y = tanh(x);
    expectClose(y, data.map(Math.tanh));
    y.backward();
    expectClose(
      x.grad!,
      data.map((v) => 1 - Math.tanh(v) ** 2),
    );
    checkBackward((t) => tanh(t));
  });

  it('keeps float32, turns ints into constant float64, and propagates constant', () => {
    expect(tanh(tensor([1], { dtype: 'float32' })).dtype).toBe('float32');
    const i = tanh(tensor([1], { dtype: 'int32' }));
    expect([i.dtype, i.constant]).toEqual(['float64', true]);
    expect(tanh(tensor([1]), { constant: true }).constant).toBe(true);
  });
});

// softSign: x / (1 + |x|) with the composite's gradient (1 at 0, NaN at ±∞), special values, every dtype and
// constants, on whichever path the suite runs (see mode.ts).

import './mode.js';

import { getBackend, setForceComposite, tensor } from '@mg/core';
import { checkBackward, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { softSign } from '../src/index.js';
import { values } from './helpers.js';

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
    checkBackward((x) => softSign(x), { min: -300, max: 300 });
  });

  it('maps NaN and ±∞ to NaN (∞/∞) with a NaN gradient, keeps the sign of zero, and saturates at ±1', () => {
    const x = tensor([Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0, 1e300, -1e300]);
    const y = softSign(x);
    expect(values(y)).toEqual([Number.NaN, Number.NaN, Number.NaN, -0, 0, 1, -1]);
    y.backward();
    // As the composite: for ±1e300, (1+|x|)² overflows, leaving the 1/(1+|x|) term; at ±∞ the x/(1+|x|)² term
    // is ∞/∞.
    expect(values(x.grad)).toEqual([Number.NaN, Number.NaN, Number.NaN, 1, 1, 1e-300, 1e-300]);
  });

  // float32: the cpu kernel computes in double and rounds once; the composite, and the wasm kernel (f32x4, the
  // composite's formula, as MyGrad's float32 is), round every step, so the gradient's cancellation costs them up to
  // ~1e-4 relative at |x| = 700.
  it('computes float32 in double and rounds once on the cpu fused path; the composite rounds every step', () => {
    const inDouble = getBackend().name === 'cpu';
    const data = [-700, -3, -0.1, 0.2, 5, 123.5];
    const f32 = data.map(Math.fround);
    for (const [composite, rtol, gradRtol] of [
      [false, inDouble ? 1e-7 : 2e-7, inDouble ? 1e-6 : 1e-4],
      [true, 1e-4, 1e-4],
    ] as const) {
      const previous = setForceComposite(composite);
      try {
        const x = tensor(data, { dtype: 'float32' });
        const y = softSign(x);
        y.backward();
        expectClose(
          y,
          f32.map((v) => v / (1 + Math.abs(v))),
          { rtol, atol: 0 },
        );
        // The composite's gradient, 1/d - x·sign(x)/d², cancels: its float32 error grows with |x|.
        expectClose(
          x.grad!,
          f32.map((v) => 1 / (1 + Math.abs(v)) ** 2),
          { rtol: gradRtol, atol: 0 },
        );
      } finally {
        setForceComposite(previous);
      }
    }
  });

  it('keeps the shape and dtype of 0-d and empty inputs (a 0-d float32 gives float64: 1 is a float64 scalar)', () => {
    const x = tensor(-1, { dtype: 'float32' });
    const y = softSign(x);
    expect([y.dtype, y.shape, y.item()]).toEqual(['float64', [], -0.5]);
    y.backward();
    expect([x.grad?.dtype, x.grad?.item()]).toEqual(['float32', 0.25]);
    for (const dtype of ['float64', 'float32'] as const) {
      const e = tensor([], { shape: [0, 2], dtype });
      const z = softSign(e);
      expect([z.dtype, z.shape]).toEqual([dtype, [0, 2]]);
      z.backward();
      expect(e.grad?.shape).toEqual([0, 2]);
    }
  });

  it('keeps float32, turns ints into constant float64, and propagates constant', () => {
    expect(softSign(tensor([-1, 1], { dtype: 'float32' })).dtype).toBe('float32');
    const i = softSign(tensor([-1, 3], { dtype: 'int32' }));
    expect(i.dtype).toBe('float64');
    expect(i.constant).toBe(true);
    expect(i.toArray()).toEqual([-0.5, 0.75]);
    const b = softSign(tensor([true, false]));
    expect([b.dtype, b.constant, b.toArray()]).toEqual(['float64', true, [0.5, 0]]);
    const x = tensor([1]);
    expect(softSign(x).constant).toBe(false);
    expect(softSign(x, { constant: true }).constant).toBe(true);
    expect(softSign([1], { constant: false }).constant).toBe(false);
  });
});

// ELU: forward and gradient against MyGrad's definition, finite differences, validation.

import { MgTypeError, setForceComposite, type Tensor, tensor } from '@mg/core';
import { checkGradients } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { elu, selu } from '../src/index.js';
import { FORCED_COMPOSITE } from './mode.js';
import './mode.js';

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

describe('elu and selu on float32 (the branch-free cpu loops, or the composite under MG_FORCE_COMPOSITE)', () => {
  /** float32 values with the bits given, e.g. a NaN with the sign bit set (what x86 arithmetic makes). */
  const fromBits = (...bits: number[]) => Array.from(new Float32Array(Uint32Array.from(bits).buffer));
  const special = [
    0,
    -0,
    Infinity,
    -Infinity,
    Number.NaN,
    ...fromBits(0xffc00000, 0xff800001, 0x80000001, 0x00000001),
    -17.49,
    -17.5,
    -17.51,
    -100,
    -1e-7,
    1e-7,
    -0.3465,
    -0.3466,
    -Math.LN2,
    3e38,
  ];

  /** y, and x.grad for an upstream of ramp values, of fn on float32 x. */
  const run = (fn: (x: Tensor) => Tensor, data: readonly number[], composite: boolean) => {
    const previous = setForceComposite(composite);
    try {
      const x = tensor(Float32Array.from(data), { dtype: 'float32' });
      const y = fn(x);
      y.backward(
        tensor(
          Float32Array.from(data, (_, i) => (i % 7) - 3.5),
          { dtype: 'float32' },
        ),
      );
      return { y: Array.from(y.dataSync()), dx: Array.from(x.grad!.dataSync()) };
    } finally {
      setForceComposite(previous);
    }
  };

  it.each([
    ['elu', (x: Tensor) => elu(x, 1)],
    ['elu α=0.3', (x: Tensor) => elu(x, 0.3)],
    ['elu α=-2', (x: Tensor) => elu(x, -2)],
    ['elu α=0', (x: Tensor) => elu(x, 0)],
    ['selu', (x: Tensor) => selu(x)],
  ])(
    '%s: the same values and gradients as the composite, special values and signed zeros included',
    (_, fn) => {
      const data = [...special, ...Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 6)];
      const fused = run(fn, data, false);
      const composite = run(fn, data, true);
      // Exact where the result is not finite or the input is a zero (its sign included); elsewhere a few float32
      // ulps plus the cancellation both formulas have: near x = 0 the composite's float32 e^x - 1 is a multiple of
      // 2^-24 (-1.19e-7 at x = -1e-7, fused -1e-7), and the slope α·(e^x - 1) + α of either path cancels to a few
      // ulps of α: times |α·λ| ≤ 2 and |g| ≤ 3.5, under 2^-18 absolute.
      const close = (v: number, e: number, i: number, what: string) => {
        if (!Number.isFinite(e) || data[i] === 0) {
          expect(Object.is(v, e), `${what}[${i}]: ${v} vs ${e}`).toBe(true);
        } else {
          expect(Math.abs(v - e), `${what}[${i}]: ${v} vs ${e}`).toBeLessThanOrEqual(
            4e-7 * Math.abs(e) + 2 ** -18,
          );
        }
      };
      fused.y.forEach((v, i) => {
        close(v, composite.y[i]!, i, 'y');
      });
      fused.dx.forEach((v, i) => {
        close(v, composite.dx[i]!, i, 'dx');
      });
    },
  );

  it('elu on float64: the fused loops give the values and gradients of the composite bit for bit', () => {
    const data = [...special, ...Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 6)];
    for (const alpha of [1, 0.3, -2]) {
      const result = (composite: boolean) => {
        const previous = setForceComposite(composite);
        try {
          const x = tensor(Float64Array.from(data));
          const y = elu(x, alpha);
          y.backward(tensor(Float64Array.from(data, (_, i) => (i % 7) - 3.5)));
          return [...Array.from(y.dataSync()), ...Array.from(x.grad!.dataSync())];
        } finally {
          setForceComposite(previous);
        }
      };
      const composite = result(true);
      result(false).forEach((v, i) => {
        expect(Object.is(v, composite[i]), `[${i}]: ${v} vs ${composite[i]}`).toBe(true);
      });
    }
  });

  it('elu is within 1 float32 ulp of e^x - 1 on a sweep of [-20, 0]', () => {
    const previous = setForceComposite(false);
    try {
      const xs = Float32Array.from({ length: 20_001 }, (_, i) => -20 + i * 0.001);
      const y = elu(tensor(xs, { dtype: 'float32', constant: true }), 1).dataSync();
      let worst = 0;
      xs.forEach((x, i) => {
        const exact = Math.fround(Math.expm1(x));
        if (exact === 0) {
          expect(y[i]).toBe(0);
          return;
        }
        const ulp = 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 23);
        worst = Math.max(worst, Math.abs(y[i]! - exact) / ulp);
      });
      expect(worst).toBeLessThanOrEqual(FORCED_COMPOSITE ? Number.POSITIVE_INFINITY : 1);
    } finally {
      setForceComposite(previous);
    }
  });
});

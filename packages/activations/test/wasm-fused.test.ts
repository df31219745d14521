// The fused wasm kernels against their composites on the wasm backend: values, dtypes and gradients agree
// (float32 and float64, random data of every length mod 16, special values, 0-d and empty inputs; softmax and
// logSoftmax over the last axis, all axes, trailing axes and the axes that fall back to the composite), and
// every kernel module stays a valid, synchronously compilable plugin module.

import './mode.js';

import { validateWasmKernels, wasm } from '@mg/backend-wasm';
import {
  type DType,
  kernelCoverage,
  registerBackend,
  setBackend,
  setForceComposite,
  type Tensor,
  tensor,
  tidy,
} from '@mg/core';
import { arbArray, arbShape } from '@mg/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  elu,
  glu,
  hardTanh,
  leakyRelu,
  logSoftmax,
  relu,
  selu,
  sigmoid,
  softmax,
  softSign,
} from '../src/index.js';
import { kernelModules, SYNC_COMPILE_LIMIT } from '../src/wasm.js';

beforeAll(async () => {
  registerBackend(wasm());
  await setBackend('wasm');
});
afterAll(async () => {
  await setBackend('cpu');
});

interface Outcome {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: number[];
  readonly grad: number[];
}

/** A deterministic upstream gradient with positive and negative entries. */
const upstream = (size: number) => Array.from({ length: size }, (_, i) => ((i * 7) % 11) / 4 - 1.2);

/** fn(x) and x's gradient for a fixed upstream, on the composite or the fused path. */
function run(
  composite: boolean,
  fn: (x: Tensor) => Tensor,
  data: readonly number[],
  shape: readonly number[],
  dtype: DType,
): Outcome {
  const previous = setForceComposite(composite);
  try {
    const x = tensor(Float64Array.from(data), { dtype }).reshape(shape);
    const y = fn(x);
    y.backward(tensor(Float64Array.from(upstream(y.size)), { dtype: y.dtype }).reshape(y.shape));
    return {
      dtype: y.dtype,
      shape: y.shape,
      values: Array.from(y.dataSync()),
      grad: Array.from(x.grad!.dataSync()),
    };
  } finally {
    setForceComposite(previous);
  }
}

/** Values equal up to a relative `tol` (NaN matches NaN, infinities match exactly). */
function expectClose(actual: number[], expected: number[], tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else
      expect(Math.abs(a - e), `${what}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(e)),
      );
  });
}

/** Runs both paths and checks they agree; returns whether the fused path called into the wasm kernels. */
function agree(fn: (x: Tensor) => Tensor, data: readonly number[], shape: readonly number[], dtype: DType) {
  const spy = vi.spyOn(wasm(), 'kernelData');
  const fused = run(false, fn, data, shape, dtype);
  const usedWasm = spy.mock.calls.length > 0;
  spy.mockRestore();
  const composite = run(true, fn, data, shape, dtype);
  expect([fused.dtype, fused.shape]).toEqual([composite.dtype, composite.shape]);
  const tol = fused.dtype === 'float32' ? 2e-6 : 1e-13;
  expectClose(fused.values, composite.values, tol, 'values');
  expectClose(fused.grad, composite.grad, fused.dtype === 'float32' ? 1e-5 : 1e-12, 'grad');
  return usedWasm;
}

/** n values from a fixed pseudo-random sequence in [lo, hi). */
function values(n: number, lo: number, hi: number, seed = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return lo + ((hi - lo) * s) / 2 ** 31;
  });
}

const SPECIAL = [0, -0, 1e-30, -1e-30, -1e-40, -1.4e-45, 1.4e-45, -1e-8, -5, -87.5, -100, -1e30, 3, 1e30];

describe('the wasm kernel modules', () => {
  it.each(kernelModules.map((m) => [m.name, m] as const))(
    '%s is a valid plugin module, small enough to compile synchronously',
    (_name, module) => {
      expect(() => validateWasmKernels(module.bytes)).not.toThrow();
      expect(module.bytes.length).toBeLessThan(SYNC_COMPILE_LIMIT);
    },
  );

  it('provide fused wasm kernels for every activation op', () => {
    expect(kernelCoverage().wasm?.fused).toEqual(
      expect.arrayContaining([
        'mg.elu',
        'mg.glu',
        'mg.hardTanh',
        'mg.leakyRelu',
        'mg.logSoftmax',
        'mg.relu',
        'mg.selu',
        'mg.sigmoid',
        'mg.softmax',
        'mg.softSign',
      ]),
    );
  });
});

/** The element-wise activations: each runs the same checks below. */
const POINTWISE: readonly (readonly [string, (x: Tensor) => Tensor])[] = [
  ['elu', (x) => elu(x, 0.7)],
  ['selu', (x) => selu(x)],
  ['relu', (x) => relu(x)],
  ['sigmoid', (x) => sigmoid(x)],
  ['softSign', (x) => softSign(x)],
  ['leakyRelu', (x) => leakyRelu(x, 0.1)],
  ['leakyRelu, slope -2', (x) => leakyRelu(x, -2)],
  ['hardTanh', (x) => hardTanh(x)],
  ['hardTanh, [-0.5, 3]', (x) => hardTanh(x, { lowerBound: -0.5, upperBound: 3 })],
  ['hardTanh, crossed bounds', (x) => hardTanh(x, { lowerBound: 2, upperBound: -1 })],
  ['hardTanh, NaN lower bound', (x) => hardTanh(x, { lowerBound: Number.NaN })],
  ['hardTanh, infinite bounds', (x) => hardTanh(x, { lowerBound: -Infinity, upperBound: Infinity })],
  ['leakyRelu, infinite slope', (x) => leakyRelu(x, Infinity)],
];

describe.each(['float32', 'float64'] as const)('element-wise activations on wasm, %s', (dtype) => {
  describe.each(POINTWISE)('%s', (_name, fn) => {
    it('agrees with the composite at every length mod 16 (SIMD bodies, overlapping last blocks, scalar tails)', () => {
      for (const n of [...Array.from({ length: 33 }, (_, i) => i + 1), 64, 1001]) {
        expect(agree(fn, values(n, -6, 4, n), [n], dtype)).toBe(true);
      }
      expect(agree(fn, values(60, -3, 3), [3, 4, 5], dtype)).toBe(true);
    });

    it('agrees on special values (zeros, tiny, large, below the fast exp range, infinities, NaN)', () => {
      const data = [...SPECIAL, Infinity, -Infinity, NaN, -2, -0.5, 0.5, 20, -20, 88, -88, 89, -89];
      expect(agree(fn, data, [data.length], dtype)).toBe(true);
    });

    it('runs the composite for 0-d and empty inputs', () => {
      expect(agree(fn, [-1.5], [], dtype)).toBe(false);
      expect(agree(fn, [], [0], dtype)).toBe(false);
      expect(agree(fn, [], [2, 0, 3], dtype)).toBe(false);
    });
  });

  it('elu with other alphas', () => {
    expect(agree((x) => elu(x, 2), values(60, -3, 3), [3, 4, 5], dtype)).toBe(true);
    expect(agree((x) => elu(x, 0), values(9, -3, 3), [9], dtype)).toBe(true);
    expect(agree((x) => elu(x, -1.5), values(9, -3, 3), [9], dtype)).toBe(true);
  });
});

const ROWWISE: readonly (readonly [string, typeof softmax])[] = [
  ['softmax', softmax],
  ['logSoftmax', logSoftmax],
];

describe.each(ROWWISE)('%s on wasm', (name, softmax) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    it('agrees with the composite over the last axis (rows of every length, tails included)', () => {
      for (const [rows, len] of [
        [1, 1],
        [3, 7],
        [4, 8],
        [5, 33],
        [2, 1000],
      ] as const) {
        expect(agree((x) => softmax(x), values(rows * len, -5, 5, len), [rows, len], dtype)).toBe(true);
      }
    });

    it('agrees over all axes and over trailing axes, on the wasm kernels', () => {
      const data = values(24, -3, 3);
      expect(agree((x) => softmax(x, { axis: null }), data, [2, 3, 4], dtype)).toBe(true);
      expect(agree((x) => softmax(x, { axis: [1, 2] }), data, [2, 3, 4], dtype)).toBe(true);
      expect(agree((x) => softmax(x, { axis: [-1, -2] }), data, [2, 3, 4], dtype)).toBe(true);
    });

    it('agrees over a leading or scattered axis set, through the composite', () => {
      const data = values(24, -3, 3);
      expect(agree((x) => softmax(x, { axis: 0 }), data, [2, 3, 4], dtype)).toBe(false);
      expect(agree((x) => softmax(x, { axis: [0, 2] }), data, [2, 3, 4], dtype)).toBe(false);
    });

    it('agrees on large, infinite and NaN scores', () => {
      const data = [1000, 1000, 999, -1000, 0, -Infinity, 5, 2, Infinity, 1, 3, NaN, 0, 0, -100, -200];
      expect(agree((x) => softmax(x), data, [4, 4], dtype)).toBe(true);
      // Rows of odd length: NaN in the scalar tail, NaN in a vector's first lane, +∞ among finite values, all -∞
      // (logSoftmax's gradient is NaN on each such row, as MyGrad's, which recomputes softmax from x).
      const odd = [
        [1, 2, 3, 4, NaN],
        [NaN, 1, 2, 3, 4],
        [0, -Infinity, Infinity, 1, 2],
        [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
      ].flat();
      expect(agree((x) => softmax(x), odd, [4, 5], dtype)).toBe(true);
    });

    it('runs the composite for 0-d and empty inputs', () => {
      expect(agree((x) => softmax(x), [2], [], dtype)).toBe(false);
      if (name === 'softmax') expect(agree((x) => softmax(x), [], [3, 0], dtype)).toBe(false);
      else {
        // MyGrad's logsumexp takes the max of an empty slice: NumPy's ValueError, on both paths.
        for (const composite of [false, true]) {
          expect(() => run(composite, (x) => softmax(x), [], [3, 0], dtype)).toThrow(/zero-size array/);
        }
      }
    });
  });
});

describe.each(['float32', 'float64'] as const)('glu on wasm, %s', (dtype) => {
  it('agrees with the composite along every axis (SIMD body and scalar tail)', () => {
    for (const [shape, axis] of [
      [[2, 6], -1],
      [[4, 3], 0],
      [[3, 10, 2], 1],
      [[2, 2, 34], 2],
      [[2, 1], 0],
    ] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      expect(agree((x) => glu(x, { axis }), values(n, -6, 6, n), shape, dtype)).toBe(true);
    }
  });

  it('agrees on special values, signed zeros included', () => {
    const a = [-0, 0, Infinity, -Infinity, NaN, 2, 5, -3, 1e30, -1e-30];
    const b = [3, 0, -Infinity, Infinity, 0, NaN, Infinity, -1000, -89, 89];
    expect(agree((x) => glu(x), [...a, ...b], [2, 10], dtype)).toBe(true);
    expect(agree((x) => glu(x, { axis: 0 }), [...a, ...b], [2, 10], dtype)).toBe(true);
    const y = run(false, (x) => glu(x, { axis: 0 }), [-0, -0], [2, 1], dtype);
    expect(Object.is(y.values[0], 0)).toBe(true);
  });
});

describe.each(['float32', 'float64'] as const)(
  'on random %s inputs (fast-check), fused wasm = composite',
  (dtype) => {
    const shapes = arbShape({ minDims: 1, maxDims: 3, maxSide: 9 });
    const real = fc.double({ min: -4, max: 4, noNaN: true });
    const cases: readonly (readonly [string, fc.Arbitrary<(x: Tensor) => Tensor>])[] = [
      ['elu', real.map((alpha) => (x: Tensor) => elu(x, alpha))],
      ['selu', fc.constant((x: Tensor) => selu(x))],
      ['relu', fc.constant((x: Tensor) => relu(x))],
      ['sigmoid', fc.constant((x: Tensor) => sigmoid(x))],
      ['softSign', fc.constant((x: Tensor) => softSign(x))],
      ['leakyRelu', real.map((slope) => (x: Tensor) => leakyRelu(x, slope))],
      [
        'hardTanh',
        fc.tuple(real, real).map(
          ([lowerBound, upperBound]) =>
            (x: Tensor) =>
              hardTanh(x, { lowerBound, upperBound }),
        ),
      ],
      ['softmax', fc.constant((x: Tensor) => softmax(x))],
      ['logSoftmax', fc.constant((x: Tensor) => logSoftmax(x))],
    ];
    it.each(cases)('%s', (_name, fns) => {
      fc.assert(
        fc.property(arbArray({ shape: shapes, min: -30, max: 30, dtype }), fns, (x, fn) => {
          agree(fn, x.data, x.shape, dtype);
        }),
        { numRuns: 40 },
      );
    });

    it('glu, along a random axis of even size', () => {
      const evenShapes = fc
        .tuple(arbShape({ minDims: 1, maxDims: 3, maxSide: 5 }), fc.nat())
        .map(([shape, pick]) => {
          const axis = pick % shape.length;
          return { shape: shape.map((d, i) => (i === axis ? 2 * d : d)), axis };
        });
      fc.assert(
        fc.property(
          evenShapes.chain(({ shape, axis }) =>
            arbArray({ shape, min: -30, max: 30, dtype }).map((x) => ({ x, axis })),
          ),
          ({ x, axis }) => {
            agree((t) => glu(t, { axis }), x.data, x.shape, dtype);
          },
        ),
        { numRuns: 40 },
      );
    });
  },
);

/** |a - e| in units of the float32 ulp at e (e the exact value, rounded to float32 first). */
function ulps(a: number, exact: number): number {
  const e = Math.fround(exact);
  if (e === 0) return a === 0 ? 0 : Number.POSITIVE_INFINITY;
  const ulp = 2 ** (Math.floor(Math.log2(Math.abs(e))) - 23);
  return Math.abs(a - e) / ulp;
}

describe('float32 accuracy of the SIMD exponentials (against float64, 20,001 points)', () => {
  // The fused kernels' accuracy, also in the forced-composite run (whose float32 e^x - 1 rounds twice).
  let previous = false;
  beforeAll(() => {
    previous = setForceComposite(false);
  });
  afterAll(() => {
    setForceComposite(previous);
  });
  const xs = Array.from({ length: 20_001 }, (_, i) => -20 + i * 0.00105);
  const worst = (fn: (x: Tensor) => Tensor, exact: (x: number) => number) => {
    const x = tensor(Float64Array.from(xs), { dtype: 'float32', constant: true });
    const y = fn(x).dataSync();
    const inputs = x.dataSync();
    let max = 0;
    y.forEach((v, i) => {
      max = Math.max(max, ulps(v, exact(inputs[i]!)));
    });
    return max;
  };

  it('elu: within 1 ulp (measured: 1)', () => {
    expect(
      worst(
        (x) => elu(x, 1),
        (v) => (v < 0 ? Math.expm1(v) : v),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('sigmoid: within 4 ulp (measured: 3)', () => {
    expect(worst(sigmoid, (v) => 1 / (1 + Math.exp(-v)))).toBeLessThanOrEqual(4);
  });

  it('softmax: subnormal probabilities are rounded, not flushed to 0 (a row spanning more than 87)', () => {
    const row = [0, -10, -88, -95, -100, -103, -104.5, -120, -Infinity];
    const p = softmax(tensor(row, { dtype: 'float32', constant: true })).dataSync();
    const total = row.reduce((acc, v) => acc + Math.exp(v), 0);
    row.forEach((v, j) => {
      const exact = Math.fround(Math.exp(v) / total);
      // The float32 ulp at exact; below 2^-126 (subnormal) it is the smallest subnormal, 2^-149.
      const ulp = exact < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(exact)) - 23);
      expect(Math.abs(p[j]! - exact), `p[${j}] = ${p[j]} for x = ${v}`).toBeLessThanOrEqual(4 * ulp);
    });
    expect(p[2]).toBeGreaterThan(0);
    expect(p[5]).toBeGreaterThan(0);
    expect(p[7]).toBe(0);
  });

  it('softmax: within 4 ulp of every probability above 1e-30 (measured: 3)', () => {
    const rows = 20;
    const len = 1000;
    const data = values(rows * len, -40, 10);
    const p = softmax(
      tensor(Float64Array.from(data), { dtype: 'float32', constant: true }).reshape([rows, len]),
    );
    const got = p.dataSync();
    const inputs = Float32Array.from(data);
    let max = 0;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(inputs.subarray(r * len, (r + 1) * len));
      const m = Math.max(...row);
      // x - m rounded to float32 first, as every float32 softmax computes it (MyGrad's included).
      const total = row.reduce((acc, v) => acc + Math.exp(Math.fround(v - m)), 0);
      row.forEach((v, j) => {
        const exact = Math.exp(Math.fround(v - m)) / total;
        if (exact > 1e-30) max = Math.max(max, ulps(got[r * len + j]!, exact));
      });
    }
    expect(max).toBeLessThanOrEqual(4);
  });
});

describe('wasm kernels in a program', () => {
  it('int inputs give float64 through the composite', () => {
    const y = elu(tensor([-1, 2], { dtype: 'int32' }), 1);
    expect(y.dtype).toBe('float64');
    expectClose(Array.from(y.dataSync()), [Math.exp(-1) - 1, 2], 1e-15, 'elu int32');
  });

  it('backward still works after the backend was switched to cpu', async () => {
    const x = tensor([-1, 0.5, -2, 3], { dtype: 'float32' });
    const y = elu(x, 1);
    await setBackend('cpu');
    try {
      y.backward();
      expectClose(Array.from(x.grad!.dataSync()), [Math.exp(-1), 1, Math.exp(-2), 1], 1e-6, 'grad');
    } finally {
      await setBackend('wasm');
    }
  });

  it('leaves no wasm memory behind after tidy (the fused path, its saved state included)', () => {
    const previous = setForceComposite(false);
    try {
      const before = wasm().memory();
      const x = tensor(values(1000, -3, 3), { dtype: 'float32' });
      for (let i = 0; i < 3; i++) {
        tidy(() => {
          softmax(elu(x, 1)).sum().backward();
        });
      }
      x.nullGrad();
      x.dispose();
      expect(wasm().memory()).toEqual(before);
    } finally {
      setForceComposite(previous);
    }
  });
});

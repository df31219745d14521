// gelu and silu: values against plain-JS formulas, gradients against finite differences on both paths, the
// fused kernels against the composites (values, dtypes, gradients), constants, and registration. The suite
// runs on the cpu backend, and again on wasm with MG_BACKEND=wasm (see test/setup.ts), checking the fused
// kernels of the backend under test.

import {
  type DType,
  executeOp,
  getBackend,
  kernelCoverage,
  listOps,
  PluginApiVersionError,
  requirePluginApi,
  setForceComposite,
  type Tensor,
  tensor,
} from '@mg/core';
import { checkBackward, checkGradients, expectClose } from '@mg/testing';
import { describe, expect, it } from 'vitest';
import { Gelu, gelu, Silu, silu } from '../src/index.js';

/** The backend test/setup.ts selected. */
const BACKEND = process.env.MG_BACKEND === 'wasm' ? 'wasm' : 'cpu';
const K = Math.sqrt(2 / Math.PI);
const OPS = [
  {
    name: 'gelu',
    fn: (x: Tensor) => gelu(x),
    Op: Gelu,
    reference: (v: number) => 0.5 * v * (1 + Math.tanh(K * (v + 0.044715 * v ** 3))),
  },
  { name: 'silu', fn: (x: Tensor) => silu(x), Op: Silu, reference: (v: number) => v / (1 + Math.exp(-v)) },
] as const;

/** Runs `body` with composites forced (or not), restoring the previous setting. */
function withComposite<T>(composite: boolean, body: () => T): T {
  const previous = setForceComposite(composite);
  try {
    return body();
  } finally {
    setForceComposite(previous);
  }
}

/** Output and input gradient of `fn` on one path, as plain data. */
function run(composite: boolean, fn: (x: Tensor) => Tensor, data: number[], shape: number[], dtype: DType) {
  return withComposite(composite, () => {
    const x = tensor(data, { shape, dtype });
    const y = fn(x);
    if (!y.constant)
      y.backward(
        tensor(
          data.map((_, i) => (i % 3) - 0.75),
          { shape, dtype: y.dtype },
        ),
      );
    return {
      dtype: y.dtype,
      constant: y.constant,
      values: Array.from(y.dataSync(), Number),
      grad: x.grad ? Array.from(x.grad.dataSync(), Number) : null,
    };
  });
}

describe.each(OPS)('$name', ({ fn, Op, reference }) => {
  const data = [-6, -2.5, -1, -0.1, 0, 0.3, 1, 2, 7.5];

  it('computes its formula', () => {
    expectClose(fn(tensor(data)), data.map(reference), { rtol: 1e-12, atol: 1e-15 });
  });

  it('agrees with finite differences, fused and composite', () => {
    for (const composite of [false, true]) {
      withComposite(composite, () => {
        expect(checkGradients(fn, [{ data, shape: [3, 3] }]).mismatches).toEqual([]);
        checkBackward(fn, { min: -5, max: 5, numRuns: 15 });
      });
    }
  });

  it.each([
    ['a 2-d input', [3, 3], data],
    ['a 0-d input', [], [-0.7]],
    ['an empty input', [0, 2], []],
    [
      'NaN, infinities and huge values',
      [7],
      [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -800, 800, -0, 1e-9],
    ],
  ])('has a fused kernel that agrees with the composite on %s', (_what, shape, values) => {
    for (const dtype of ['float64', 'float32', 'int32', 'bool'] as const) {
      const input = dtype === 'bool' ? values.map((v) => Number(v > 0)) : values;
      if (dtype === 'int32' && input.some((v) => !Number.isFinite(v))) continue;
      const fused = run(false, fn, input, shape, dtype);
      const composite = run(true, fn, input, shape, dtype);
      expect([fused.dtype, fused.constant]).toEqual([composite.dtype, composite.constant]);
      // float32 inputs: the composite rounds its steps to float32 (also where a 0-d result is float64).
      const tolerance = dtype === 'float32' ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 1e-13, atol: 1e-15 };
      expectClose(fused.values, composite.values, tolerance);
      expect(fused.grad === null).toBe(composite.grad === null);
      if (fused.grad && composite.grad) expectClose(fused.grad, composite.grad, tolerance);
    }
  });

  it('keeps float dtypes of arrays, gives float64 for ints, bools and 0-d float32 (as MyGrad)', () => {
    expect(fn(tensor([1, 2], { dtype: 'float32' })).dtype).toBe('float32');
    expect(fn(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float64');
    expect(fn(tensor(1.5, { dtype: 'float32' })).dtype).toBe('float64');
  });

  it('propagates constant', () => {
    const x = tensor([1, 2]);
    expect(fn(x).constant).toBe(false);
    expect(fn(tensor([1, 2], { constant: true })).constant).toBe(true);
    expect(executeOp(Op, [x], { constant: true }).constant).toBe(true);
  });

  it(`registers its op, and fused kernels on cpu and on ${BACKEND}, the backend under test`, () => {
    expect(getBackend().name).toBe(BACKEND);
    expect(listOps()).toContain(Op.id);
    expect(kernelCoverage().cpu!.fused).toContain(Op.id);
    expect(kernelCoverage()[BACKEND]!.fused).toContain(Op.id);
  });
});

describe('the plugin API version', () => {
  it('is the one this plugin targets; another version is refused', () => {
    expect(() => requirePluginApi(1, '@mg/example-plugin')).not.toThrow();
    expect(() => requirePluginApi(2, '@mg/example-plugin')).toThrow(PluginApiVersionError);
  });
});

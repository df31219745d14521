// Fused cpu kernels against the composites: for every activation, values, dtypes, constant flags and gradients
// agree (float64 and float32; 0-d, size-0, special values; softmax over every kind of axis set), each case run
// once on the fused path and once with setForceComposite(true).

import './mode.js';

import { readdirSync, readFileSync } from 'node:fs';
import { cpu } from '@mg/backend-cpu';
import {
  type Backend,
  type DType,
  kernelCoverage,
  MgValueError,
  registerBackend,
  setBackend,
  setForceComposite,
  type Tensor,
  tensor,
} from '@mg/core';
import { describe, expect, it } from 'vitest';
import { wrap } from '../src/fused.js';
import {
  Elu,
  elu,
  glu,
  hardTanh,
  LogSoftmax,
  leakyRelu,
  logSoftmax,
  Relu,
  relu,
  Selu,
  Sigmoid,
  Softmax,
  selu,
  sigmoid,
  softmax,
  softSign,
} from '../src/index.js';
import { FORCED_COMPOSITE } from './mode.js';

/** What one run produces: the output and the input's gradient, as plain data. */
interface Outcome {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly constant: boolean;
  readonly values: number[];
  readonly grad: number[] | null;
}

/** A deterministic upstream gradient with positive and negative entries. */
const upstream = (size: number) => Array.from({ length: size }, (_, i) => ((i * 7) % 11) / 4 - 1.2);

/** Runs `fn` on x (and back-propagates a fixed upstream unless the output is constant) on one path. */
function runOn(
  composite: boolean,
  fn: (x: Tensor) => Tensor,
  data: readonly number[],
  shape: readonly number[],
  dtype: DType,
): Outcome {
  const previous = setForceComposite(composite);
  try {
    const x = tensor(data as number[], { shape, dtype });
    const y = fn(x);
    if (!y.constant) y.backward(tensor(upstream(y.size), { shape: y.shape, dtype: y.dtype }));
    return {
      dtype: y.dtype,
      shape: y.shape,
      constant: y.constant,
      values: Array.from(y.dataSync(), Number),
      grad: x.grad ? Array.from(x.grad.dataSync(), Number) : null,
    };
  } finally {
    setForceComposite(previous);
  }
}

/**
 * Same NaNs, same infinities, and otherwise |a - e| <= atol + rtol·|e|; with `signOfZero`, 0 and -0 differ.
 * The composite rounds every intermediate to the dtype, so its absolute error grows with the inputs' magnitude
 * `scale` (logSoftmax of [1000, 1001] in float32 rounds logsumexp to a multiple of 2^-14).
 */
function agree(
  actual: readonly number[],
  expected: readonly number[],
  dtype: DType,
  scale: number,
  signOfZero: boolean,
) {
  const [rtol, atol] = dtype === 'float32' ? [2e-6, 1e-6 * scale] : [1e-12, 1e-13 * scale];
  expect(actual.length).toBe(expected.length);
  const bad = actual.flatMap((a, i) => {
    const e = expected[i]!;
    const ok =
      Number.isNaN(e) || Number.isNaN(a)
        ? Number.isNaN(e) && Number.isNaN(a)
        : !Number.isFinite(e) || !Number.isFinite(a)
          ? a === e
          : signOfZero && a === 0 && e === 0
            ? Object.is(a, e)
            : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    return ok ? [] : [`[${i}] fused ${a}, composite ${e}`];
  });
  expect(bad).toEqual([]);
}

/** Runs one case on both paths and checks that they agree; returns the fused outcome. */
function both(
  fn: (x: Tensor) => Tensor,
  data: readonly number[],
  shape: readonly number[],
  dtype: DType,
): Outcome {
  const fused = runOn(false, fn, data, shape, dtype);
  const composite = runOn(true, fn, data, shape, dtype);
  const scale = Math.max(1, ...data.map((v) => (Number.isFinite(Math.fround(v)) ? Math.abs(v) : 0)));
  expect([fused.dtype, fused.shape, fused.constant]).toEqual([
    composite.dtype,
    composite.shape,
    composite.constant,
  ]);
  agree(fused.values, composite.values, fused.dtype, scale, true);
  expect(fused.grad === null).toBe(composite.grad === null);
  if (fused.grad && composite.grad) agree(fused.grad, composite.grad, fused.dtype, scale, false);
  return fused;
}

const ramp = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 3);
const SPECIAL = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -800, 800, -1e-8, -0, 0];

/** Inputs every element-wise activation is checked on: shape and data. */
const ELEMENTWISE_INPUTS: readonly [string, readonly number[], readonly number[]][] = [
  ['1-d with both signs and zeros', [8], [-3, -1.5, -0.25, -0, 0, 0.5, 2, 4]],
  ['2-d', [3, 4], ramp(12)],
  ['0-d', [], [-0.75]],
  ['size 0', [0, 3], []],
  ['NaN, infinities, huge and tiny values', [8], SPECIAL],
];

const ELEMENTWISE: readonly [string, (x: Tensor) => Tensor][] = [
  ['elu', (x) => elu(x, 0.7)],
  ['selu', (x) => selu(x)],
  ['relu', (x) => relu(x)],
  ['sigmoid', (x) => sigmoid(x)],
  // Compositions run the fused kernels of their pieces (softSign and leakyRelu have none; glu has sigmoid's).
  ['hardTanh', (x) => hardTanh(x, { lowerBound: -0.5, upperBound: 1.5 })],
  ['leakyRelu', (x) => leakyRelu(x, 0.1)],
  ['softSign', (x) => softSign(x)],
];

describe('fused kernels', () => {
  it('are registered on cpu for every activation op', () => {
    const fused = kernelCoverage().cpu!.fused;
    for (const Op of [Elu, Selu, Relu, Sigmoid, Softmax, LogSoftmax]) expect(fused).toContain(Op.id);
  });

  it('run instead of the composites: a forward calls no primitive kernel (it adopts its output)', () => {
    const x = tensor(ramp(1000));
    const kernels = cpu().kernels as unknown as Record<string, (...args: unknown[]) => unknown>;
    let calls = 0;
    const originals = { ...kernels };
    for (const [name, kernel] of Object.entries(originals)) {
      kernels[name] = (...args) => {
        calls++;
        return kernel(...args);
      };
    }
    try {
      for (const fn of [(t: Tensor) => elu(t, 1), selu, relu, sigmoid, softmax, logSoftmax]) {
        const count = (composite: boolean) => {
          const previous = setForceComposite(composite);
          calls = 0;
          try {
            const y = fn(x);
            expect(y.size).toBe(x.size);
            return calls;
          } finally {
            setForceComposite(previous);
          }
        };
        expect(count(false)).toBe(0);
        expect(count(true)).toBeGreaterThan(0);
      }
    } finally {
      Object.assign(kernels, originals);
    }
  });

  it('copy their output in with write on a backend without adopt', async () => {
    const plain: Backend = { ...cpu(), name: 'cpu-without-adopt' };
    delete (plain as { adopt?: unknown }).adopt;
    registerBackend(plain);
    await setBackend('cpu-without-adopt');
    try {
      const values = new Float32Array([1, 2, 3]);
      const t = wrap(values, [3], 'float32');
      expect(t.dataSync()).not.toBe(values);
      expect([t.dtype, t.toArray()]).toEqual(['float32', [1, 2, 3]]);
    } finally {
      await setBackend('cpu');
    }
    const values = new Float64Array([4]);
    expect(wrap(values, [], 'float64').dataSync()).toBe(values);
  });

  describe.each(ELEMENTWISE)('%s agrees with its composite', (_name, fn) => {
    it.each(ELEMENTWISE_INPUTS)('on %s, float64 and float32', (_what, shape, data) => {
      for (const dtype of ['float64', 'float32'] as const) both(fn, data, shape, dtype);
    });

    it('on int32 and bool inputs (constant results, same dtype)', () => {
      both(fn, [-2, 0, 3], [3], 'int32');
      both(fn, [1, 0, 1], [3], 'bool');
    });
  });

  it('keep the kink conventions: ELU and SELU slope at 0 from the right, relu 0 at 0 and -0 for negatives', () => {
    const x = [-0, 0];
    const g = upstream(2);
    expect(both((t) => elu(t, 0.5), x, [2], 'float64').grad).toEqual(g);
    expect(both(selu, x, [2], 'float64').grad).toEqual(g.map((v) => v * 1.0507009873554805));
    const r = both(relu, [-0, 0, -2], [3], 'float64');
    expect(r.grad!.every((v) => v === 0)).toBe(true);
    expect(Object.is(r.values[2], -0)).toBe(true);
    expect(both(relu, [-2, 3], [2], 'int32').values).toEqual([0, 3]);
  });

  it('glu agrees with its composite (its sigmoid is fused)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      both((x) => glu(x), ramp(12), [3, 4], dtype);
      both((x) => glu(x, { axis: 0 }), ramp(12), [2, 6], dtype);
      both((x) => glu(x), [], [0, 4], dtype);
    }
  });
});

describe.each([
  ['softmax', softmax],
  ['logSoftmax', logSoftmax],
] as const)('%s fused agrees with its composite', (_name, fn) => {
  const AXES = [-1, 0, 1, 2, [0, 2], [1, 2], [0, 1], null, []] as const;

  it.each(AXES.map((axis) => [JSON.stringify(axis), axis] as const))(
    'over axis %s of a 3-d input, float64 and float32',
    (_label, axis) => {
      for (const dtype of ['float64', 'float32'] as const)
        both((x) => fn(x, { axis }), ramp(24), [2, 3, 4], dtype);
    },
  );

  it('over axes separated only by size-1 axes (contiguous slices) and with size-1 slices', () => {
    both((x) => fn(x, { axis: [0, 2] }), ramp(12), [3, 1, 4], 'float64');
    both((x) => fn(x, { axis: 1 }), ramp(12), [3, 1, 4], 'float64');
    both((x) => fn(x, { axis: 0 }), ramp(4), [1, 4], 'float32');
  });

  it('on 0-d inputs (finite and not), whatever the axis', () => {
    for (const value of [2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const axis of [-1, null, []] as const) {
        for (const dtype of ['float64', 'float32'] as const) both((x) => fn(x, { axis }), [value], [], dtype);
      }
    }
  });

  it('on empty inputs', () => {
    both((x) => fn(x, { axis: 1 }), [], [0, 3], 'float64');
    both((x) => fn(x, { axis: 1 }), [], [0, 3], 'float32');
    both((x) => fn(x, { axis: [0, 2] }), [], [2, 0, 3], 'float64');
  });

  it('on slices holding NaN, infinities, or huge values (stability)', () => {
    const rows = [
      [1, Number.NaN, 2],
      [Number.POSITIVE_INFINITY, 0, 1],
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, 0, 3],
      [1000, 1001, 999],
      [2e50, 2e50, 1e50],
      [-1e308, 1e308, 0],
      [-800, 0, -0],
    ];
    for (const dtype of ['float64', 'float32'] as const) {
      both((x) => fn(x), rows.flat(), [rows.length, 3], dtype);
      // The same rows as columns: the gathered (non-contiguous) path.
      const columns = [0, 1, 2].flatMap((j) => rows.map((row) => row[j]!));
      both((x) => fn(x, { axis: 0 }), columns, [3, rows.length], dtype);
    }
  });

  it('on int32 and bool inputs (constant float64 results)', () => {
    expect(both((x) => fn(x), [0, -2, 0, 2, 1, -1], [2, 3], 'int32').dtype).toBe('float64');
    both((x) => fn(x, { axis: 0 }), [1, 0, 1, 1], [2, 2], 'bool');
  });
});

describe('logSoftmax fused', () => {
  it("raises NumPy's error for an empty slice of a non-empty result, as the composite does", () => {
    for (const composite of [false, true]) {
      const previous = setForceComposite(composite);
      try {
        expect(() => logSoftmax(tensor([], { shape: [2, 0] }))).toThrow(MgValueError);
        expect(() => logSoftmax(tensor([], { shape: [0, 3] }), { axis: 0 })).toThrow(MgValueError);
        expect(softmax(tensor([], { shape: [0, 3] }), { axis: 0 }).shape).toEqual([0, 3]);
      } finally {
        setForceComposite(previous);
      }
    }
  });
});

describe('the suite', () => {
  it('runs in the mode MG_FORCE_COMPOSITE asks for', () => {
    const previous = setForceComposite(FORCED_COMPOSITE);
    expect(previous).toBe(FORCED_COMPOSITE);
  });

  it('sets the mode in every test file', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const missing = readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts'))
      .filter((name) => !readFileSync(`${dir}${name}`, 'utf8').includes("import './mode.js';"));
    expect(missing).toEqual([]);
  });
});

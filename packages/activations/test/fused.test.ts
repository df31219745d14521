// Fused kernels against the composites, on the backend the suite runs on (cpu, or wasm with MG_BACKEND=wasm): for
// every activation, values, dtypes, constant flags and gradients agree (float64 and float32; 0-d, size-0, special
// values; softmax over every kind of axis set; random inputs), each case run once on the fused path and once with
// setForceComposite(true). And the ops that replaced
// compositions (softSign, leakyRelu, hardTanh, glu) against those compositions, on both paths.

import './mode.js';

import { readdirSync, readFileSync } from 'node:fs';
import { cpu } from '@mg/backend-cpu';
import {
  absolute,
  add,
  type Backend,
  type DType,
  divide,
  getBackend,
  kernelCoverage,
  MgValueError,
  maximum,
  minimum,
  multiply,
  registerBackend,
  reshape,
  setBackend,
  setForceComposite,
  sum,
  type Tensor,
  tensor,
  where,
} from '@mg/core';
import { arbArray, arbShape, type GeneratedArray } from '@mg/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrap } from '../src/fused.js';
import { Glu } from '../src/glu.js';
import { HardTanh } from '../src/hard-tanh.js';
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
import { LeakyRelu } from '../src/leaky-relu.js';
import { SoftSign } from '../src/soft-sign.js';
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

/** Runs `fn` on x (and back-propagates `up`, by default `upstream`, unless the output is constant) on one path. */
function runOn(
  composite: boolean,
  fn: (x: Tensor) => Tensor,
  data: readonly number[],
  shape: readonly number[],
  dtype: DType,
  up: (size: number) => number[] = upstream,
): Outcome {
  const previous = setForceComposite(composite);
  try {
    const x = tensor(data as number[], { shape, dtype });
    const y = fn(x);
    if (!y.constant) y.backward(tensor(up(y.size), { shape: y.shape, dtype: y.dtype }));
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
  expectAgreement(fused, runOn(true, fn, data, shape, dtype), data);
  return fused;
}

/** Checks that a fused outcome agrees with a composite one, on inputs `data` (see `agree`). */
function expectAgreement(fused: Outcome, composite: Outcome, data: readonly number[]): void {
  const scale = Math.max(1, ...data.map((v) => (Number.isFinite(Math.fround(v)) ? Math.abs(v) : 0)));
  expect([fused.dtype, fused.shape, fused.constant]).toEqual([
    composite.dtype,
    composite.shape,
    composite.constant,
  ]);
  agree(fused.values, composite.values, fused.dtype, scale, true);
  expect(fused.grad === null).toBe(composite.grad === null);
  if (fused.grad && composite.grad) agree(fused.grad, composite.grad, fused.dtype, scale, false);
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
  ['hardTanh', (x) => hardTanh(x, { lowerBound: -0.5, upperBound: 1.5 })],
  ['leakyRelu', (x) => leakyRelu(x, 0.1)],
  ['softSign', (x) => softSign(x)],
];

describe('fused kernels', () => {
  it('are registered on cpu for every activation op', () => {
    const fused = kernelCoverage().cpu!.fused;
    for (const Op of [Elu, Selu, Relu, Sigmoid, Softmax, LogSoftmax, SoftSign, LeakyRelu, HardTanh, Glu]) {
      expect(fused).toContain(Op.id);
    }
  });

  it('run instead of the composites: a forward calls no primitive kernel of the backend', () => {
    const x = tensor(ramp(1000));
    const kernels = getBackend().kernels as unknown as Record<string, (...args: unknown[]) => unknown>;
    let calls = 0;
    const originals = { ...kernels };
    for (const [name, kernel] of Object.entries(originals)) {
      kernels[name] = (...args) => {
        calls++;
        return kernel(...args);
      };
    }
    try {
      const fns = [
        (t: Tensor) => elu(t, 1),
        selu,
        relu,
        sigmoid,
        softmax,
        logSoftmax,
        softSign,
        (t: Tensor) => leakyRelu(t, 0.1),
        hardTanh,
        glu,
      ];
      for (const fn of fns) {
        const count = (composite: boolean) => {
          const previous = setForceComposite(composite);
          calls = 0;
          try {
            const y = fn(x);
            expect(y.size).toBe(fn === glu ? x.size / 2 : x.size);
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

  it('keep the kink conventions: leakyRelu and hardTanh pass no gradient at ties, even a NaN one', () => {
    const nan = (size: number) => new Array<number>(size).fill(Number.NaN);
    for (const composite of [false, true]) {
      const leaky = runOn(composite, (t) => leakyRelu(t, 0.5), [-0, 0], [2], 'float64', nan);
      expect([leaky.values, leaky.grad]).toEqual([
        [0, 0],
        [0, 0],
      ]);
      const bounds = { lowerBound: -0.5, upperBound: 1.5 };
      const clipped = runOn(composite, (t) => hardTanh(t, bounds), [-0.5, 1.5, 0], [3], 'float64', nan);
      expect([clipped.values, clipped.grad]).toEqual([
        [-0.5, 1.5, 0],
        [0, 0, Number.NaN],
      ]);
    }
  });

  it('glu agrees with its composite along every axis, float64 and float32', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      both((x) => glu(x), ramp(12), [3, 4], dtype);
      both((x) => glu(x, { axis: 0 }), ramp(12), [2, 6], dtype);
      both((x) => glu(x, { axis: 1 }), ramp(24), [2, 4, 3], dtype);
      both((x) => glu(x, { axis: -3 }), ramp(24), [2, 3, 4], dtype);
      both((x) => glu(x), SPECIAL, [4, 2], dtype);
      both((x) => glu(x, { axis: 0 }), SPECIAL, [2, 4], dtype);
      both((x) => glu(x), [], [0, 4], dtype);
    }
  });

  it('glu runs its composite on int32 and bool inputs (constant float64 results)', () => {
    expect(both((x) => glu(x), [-2, 0, 3, 1], [2, 2], 'int32').dtype).toBe('float64');
    expect(both((x) => glu(x, { axis: 0 }), [1, 0, 1, 1], [2, 2], 'bool').dtype).toBe('float64');
  });
});

/** Runs one case on both paths and checks that they agree to the last bit (signed zeros and NaN included). */
function identical(
  fn: (x: Tensor) => Tensor,
  data: readonly number[],
  shape: readonly number[],
  dtype: DType,
  up?: (size: number) => number[],
): void {
  expect(runOn(false, fn, data, shape, dtype, up)).toEqual(runOn(true, fn, data, shape, dtype, up));
}

/** A generated float array with its first elements replaced by `ties` (in the array's dtype), as far as it holds. */
function withTies(x: GeneratedArray, ties: readonly number[]): number[] {
  const round = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  return x.data.map((v, i) => (i < ties.length ? round(ties[i]!) : v));
}

describe.each(['float64', 'float32'] as const)(
  'on random %s inputs, the fused kernels agree with their composites',
  (dtype) => {
    const shapes = arbShape({ maxDims: 3, maxSide: 4 });
    const slopes = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, -0, 1));

    it('leakyRelu, to the last bit', () => {
      fc.assert(
        fc.property(arbArray({ shape: shapes, min: -5, max: 5, dtype }), slopes, (x, slope) => {
          identical((t) => leakyRelu(t, slope), withTies(x, [0, -0]), x.shape, dtype);
        }),
        { numRuns: 60 },
      );
    });

    it('hardTanh, to the last bit, for bounds in either order and values at the bounds', () => {
      const bound = fc.double({ min: -3, max: 3, noNaN: true });
      fc.assert(
        fc.property(
          arbArray({ shape: shapes, min: -5, max: 5, dtype }),
          bound,
          bound,
          (x, lowerBound, upperBound) => {
            const ties = withTies(x, [lowerBound, upperBound]);
            identical((t) => hardTanh(t, { lowerBound, upperBound }), ties, x.shape, dtype);
          },
        ),
        { numRuns: 60 },
      );
    });

    it(`softSign${dtype === 'float64' ? ', to the last bit' : ''}`, () => {
      fc.assert(
        fc.property(arbArray({ shape: shapes, min: -1e3, max: 1e3, dtype }), (x) => {
          if (dtype === 'float64') identical(softSign, x.data, x.shape, dtype);
          else both(softSign, x.data, x.shape, dtype);
        }),
        { numRuns: 60 },
      );
    });

    it(`glu along a random axis${dtype === 'float64' ? ', to the last bit' : ''}`, () => {
      const inputs = fc
        .tuple(arbShape({ minDims: 1, maxDims: 3, maxSide: 3 }), fc.nat())
        .chain(([shape, k]) => {
          const axis = k % shape.length;
          const even = shape.map((d, i) => (i === axis ? 2 * d : d));
          return arbArray({ shape: even, min: -8, max: 8, dtype }).map((x) => ({ x, axis }));
        });
      fc.assert(
        fc.property(inputs, ({ x, axis }) => {
          const fn = (t: Tensor) => glu(t, { axis });
          if (dtype === 'float64') identical(fn, x.data, x.shape, dtype);
          else both(fn, x.data, x.shape, dtype);
        }),
        { numRuns: 60 },
      );
    });
  },
);

/**
 * The compositions softSign, leakyRelu, hardTanh and glu were before they became ops (MyGrad's, as this package
 * had them), kept here to check that the ops reproduce them.
 */
const COMPOSITIONS = {
  softSign: (x: Tensor) => divide(x, add(1, absolute(x))),
  leakyRelu: (slope: number) => (x: Tensor) => add(maximum(x, 0), multiply(slope, minimum(x, 0))),
  hardTanh: (lower: number, upper: number) => (x: Tensor) => maximum(lower, minimum(x, upper)),
  glu: (axis: number) => (x: Tensor) => {
    const normal = axis < 0 ? axis + x.ndim : axis;
    const half = (which: 0 | 1) => {
      const split = [...x.shape.slice(0, normal), 2, x.shape[normal]! / 2, ...x.shape.slice(normal + 1)];
      const mask = tensor(Uint8Array.of(1 - which, which), {
        shape: [2, ...new Array<number>(x.ndim - normal).fill(1)],
        dtype: 'bool',
      });
      return sum(where(mask, reshape(x, split), 0), { axis: normal });
    };
    return multiply(half(0), sigmoid(half(1)));
  },
};

/** Special values: NaN, infinities, signed zeros, huge, tiny and subnormal values, and ordinary ones. */
const EXTREME = [
  ...SPECIAL,
  ...[1e308, -1e308, 3e38, -3e38, 5e-324, -1e-45, 1e-8, -1, 1, 0.5, -0.5, 0.1, -0.1, 2, -2, 1.5, -3, 40],
];

/** Upstream gradients with NaN, infinities, signed zeros and huge values. */
const specialUpstream = (size: number) =>
  Array.from({ length: size }, (_, i) => [Number.NaN, Infinity, -Infinity, -0, 0, 1e308, -2.5, 3e38][i % 8]!);

const DTYPES = ['float64', 'float32', 'int32', 'bool'] as const;

/** Element-wise inputs of a dtype: special values (and `ties`, as given and rounded to float32), 2-d, empty, 0-d. */
function inputsOf(dtype: DType, ties: readonly number[] = []): [number[], number[]][] {
  const special =
    dtype === 'bool'
      ? [0, 1, 1, 0]
      : dtype === 'int32'
        ? [-5, -1, 0, 1, 2, 7, -2147483648, 2147483647]
        : [...EXTREME, ...ties, ...ties.map(Math.fround)];
  return [
    [special, [special.length]],
    [ramp(12), [3, 4]],
    [[], [0, 3]],
    ...special.slice(0, 12).map((v): [number[], number[]] => [[v], []]),
  ];
}

/** One configuration of a replaced composition: the op's public function, the composition, values to tie with. */
interface Replaced {
  readonly fn: (x: Tensor) => Tensor;
  readonly composition: (x: Tensor) => Tensor;
  readonly ties: readonly number[];
}

const REPLACED: readonly [string, readonly Replaced[]][] = [
  ['softSign', [{ fn: softSign, composition: COMPOSITIONS.softSign, ties: [] }]],
  [
    'leakyRelu',
    [0.1, 0, -0, -0.5, 2, Number.NaN, Infinity, -Infinity, 1e300, 5e-324].map((slope) => ({
      fn: (x: Tensor) => leakyRelu(x, slope),
      composition: COMPOSITIONS.leakyRelu(slope),
      ties: [],
    })),
  ],
  [
    'hardTanh',
    (
      [
        [-1, 1],
        [-0.5, 1.5],
        [1, -1],
        [0.5, 0.5],
        [-0, 0],
        [Number.NaN, 1],
        [-1, Number.NaN],
        [-Infinity, Infinity],
        [0.1, 0.7],
        [-1e300, 1e300],
      ] as const
    ).map(([lowerBound, upperBound]) => ({
      fn: (x: Tensor) => hardTanh(x, { lowerBound, upperBound }),
      composition: COMPOSITIONS.hardTanh(lowerBound, upperBound),
      ties: [lowerBound, upperBound],
    })),
  ],
];

describe.each(REPLACED)('%s reproduces the composition it replaced', (name, variants) => {
  it.each(DTYPES)('on %s inputs, to the last bit on the composite path', (dtype) => {
    for (const { fn, composition, ties } of variants) {
      for (const [data, shape] of inputsOf(dtype, ties)) {
        for (const up of [upstream, specialUpstream]) {
          expect(runOn(true, fn, data, shape, dtype, up)).toEqual(
            runOn(true, composition, data, shape, dtype, up),
          );
        }
      }
    }
  });

  it.each(DTYPES)('on %s inputs, on the fused path', (dtype) => {
    for (const { fn, composition, ties } of variants) {
      if (name === 'softSign' && dtype === 'float32') {
        // Computed in double and rounded once: up to rounding, for inputs whose float32 steps do not overflow.
        for (const [data, shape] of [...ELEMENTWISE_INPUTS.map(([, s, d]) => [d, s] as const)]) {
          expectAgreement(
            runOn(false, fn, data, shape, dtype),
            runOn(false, composition, data, shape, dtype),
            data,
          );
        }
        continue;
      }
      // To the last bit: float64 computes the composite's steps in its order, leakyRelu and hardTanh round
      // where it rounds, and other dtypes run the composite.
      for (const [data, shape] of inputsOf(dtype, ties)) {
        for (const up of [upstream, specialUpstream]) {
          expect(runOn(false, fn, data, shape, dtype, up)).toEqual(
            runOn(false, composition, data, shape, dtype, up),
          );
        }
      }
    }
  });
});

describe('glu reproduces the composition it replaced', () => {
  /** Pairs (a, b) of values, as rows [a, b] (split along axis -1) or as two rows A and B (axis 0). */
  const pairs = (values: readonly number[]) => values.flatMap((a) => values.flatMap((b) => [a, b]));
  const rowsOf = (grid: readonly number[]) => [
    ...grid.filter((_, i) => i % 2 === 0),
    ...grid.filter((_, i) => i % 2 === 1),
  ];
  const cases = (values: readonly number[]): [number[], number[], number][] => {
    const grid = pairs(values);
    return [
      [grid, [grid.length / 2, 2], -1],
      [rowsOf(grid), [2, grid.length / 2], 0],
      [ramp(24), [2, 4, 3], 1],
      [ramp(24), [2, 3, 4], -1],
      [[], [0, 4], -1],
      [[], [3, 0], 1],
    ];
  };
  const valuesOf = (dtype: DType) =>
    dtype === 'bool' ? [0, 1] : dtype === 'int32' ? [-7, -1, 0, 1, 2, 40, -2147483648] : EXTREME;

  it.each(DTYPES)('on %s inputs, to the last bit on the composite path', (dtype) => {
    for (const [data, shape, axis] of cases(valuesOf(dtype))) {
      for (const up of [upstream, specialUpstream]) {
        const fn = (x: Tensor) => glu(x, { axis });
        expect(runOn(true, fn, data, shape, dtype, up)).toEqual(
          runOn(true, COMPOSITIONS.glu(axis), data, shape, dtype, up),
        );
      }
    }
  });

  it.each(DTYPES)('on %s inputs, on the fused path', (dtype) => {
    if (dtype === 'float32') {
      // Computed in double and rounded once: up to rounding, for inputs whose float32 steps do not overflow.
      for (const [data, shape, axis] of cases(SPECIAL)) {
        const fused = runOn(false, (x) => glu(x, { axis }), data, shape, dtype);
        expectAgreement(fused, runOn(false, COMPOSITIONS.glu(axis), data, shape, dtype), data);
      }
      return;
    }
    // To the last bit: float64 computes sigmoid's kernel's and multiply's steps in their order; ints and bools
    // run the composite.
    for (const [data, shape, axis] of cases(valuesOf(dtype))) {
      for (const up of [upstream, specialUpstream]) {
        const fn = (x: Tensor) => glu(x, { axis });
        expect(runOn(false, fn, data, shape, dtype, up)).toEqual(
          runOn(false, COMPOSITIONS.glu(axis), data, shape, dtype, up),
        );
      }
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

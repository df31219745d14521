// Property tests: every differentiable core op's gradient agrees with central finite differences on random
// shapes (mutually broadcastable for n-ary ops) and random values inside the op's smooth domain.
import { arbArray, arbBroadcastableShapes, checkBackward, type GeneratedArray } from '@mg/testing';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as mg from '../src/index.js';

type Fn = (...xs: mg.Tensor[]) => mg.Tensor;
type Range = readonly [number, number];

/** Inputs with mutually broadcastable shapes, input i drawn from ranges[i]. */
function inputs(ranges: readonly Range[], maxDims = 3): fc.Arbitrary<readonly GeneratedArray[]> {
  return arbBroadcastableShapes(ranges.length, { maxDims, maxSide: 3 }).chain(({ inputShapes }) =>
    fc.tuple(...inputShapes.map((shape, i) => arbArray({ shape, min: ranges[i]![0], max: ranges[i]![1] }))),
  );
}

/** Inputs of one shape (from `shape`), input i drawn from ranges[i]. */
function sameShape(
  ranges: readonly Range[],
  shape: fc.Arbitrary<number[]>,
): fc.Arbitrary<readonly GeneratedArray[]> {
  return shape.chain((s) => fc.tuple(...ranges.map(([min, max]) => arbArray({ shape: s, min, max }))));
}

/**
 * Like `inputs`, but every value distinct and away from 0, at least 1/1000 of its range apart from the others:
 * off the kinks of max/min/where/std, where finite differences and MyGrad's conventions differ. Values come
 * from a unique grid of odd offsets (filtering random doubles for distinctness can starve).
 */
function offKinks(ranges: readonly Range[]): fc.Arbitrary<readonly GeneratedArray[]> {
  return inputs(ranges)
    .chain((xs) => {
      const total = xs.reduce((n, x) => n + x.data.length, 0);
      return fc
        .uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: total, maxLength: total })
        .map((grid) => {
          let k = 0;
          return xs.map((x, i) => {
            const [lo, hi] = ranges[i]!;
            return { ...x, data: x.data.map(() => lo + ((grid[k++]! * 2 + 1) / 2000) * (hi - lo)) };
          });
        });
    })
    .filter((xs) => {
      // Inputs with different ranges map the grid with different steps, so two of them can still meet.
      const values = xs.flatMap((x) => [...x.data]).sort((a, b) => a - b);
      return values.every((v, i) => i === 0 || v - values[i - 1]! > 1e-4);
    });
}

const anyReal: Range = [-3, 3];
const positive: Range = [0.2, 3];
const unit: Range = [-0.9, 0.9];
const aboveOne: Range = [1.1, 4];
const nearZero: Range = [-1.2, 1.2];

const unary: [string, Fn, Range][] = [
  ['exp', mg.exp, anyReal],
  ['exp2', mg.exp2, anyReal],
  ['expm1', mg.expm1, anyReal],
  ['log', mg.log, positive],
  ['log2', mg.log2, positive],
  ['log10', mg.log10, positive],
  ['log1p', mg.log1p, [-0.8, 3]],
  ['sin', mg.sin, anyReal],
  ['cos', mg.cos, anyReal],
  ['tan', mg.tan, nearZero],
  ['arcsin', mg.arcsin, unit],
  ['arccos', mg.arccos, unit],
  ['arctan', mg.arctan, anyReal],
  ['sinc', mg.sinc, positive],
  ['cot', mg.cot, [0.3, 2.8]],
  ['csc', mg.csc, [0.3, 2.8]],
  ['sec', mg.sec, nearZero],
  ['arccot', mg.arccot, positive],
  ['arccsc', mg.arccsc, aboveOne],
  ['arcsec', mg.arcsec, aboveOne],
  ['sinh', mg.sinh, anyReal],
  ['cosh', mg.cosh, anyReal],
  ['tanh', mg.tanh, anyReal],
  ['arcsinh', mg.arcsinh, anyReal],
  ['arccosh', mg.arccosh, aboveOne],
  ['arctanh', mg.arctanh, unit],
  ['coth', mg.coth, positive],
  ['csch', mg.csch, positive],
  ['sech', mg.sech, anyReal],
  ['arccoth', mg.arccoth, aboveOne],
  ['arccsch', mg.arccsch, positive],
  ['sqrt', mg.sqrt, positive],
  ['cbrt', mg.cbrt, positive],
  ['absolute', (x) => mg.absolute(x), positive],
  ['negative', mg.negative, anyReal],
  ['positive', mg.positive, anyReal],
  ['reciprocal', mg.reciprocal, positive],
  ['square', mg.square, anyReal],
];

const kinked = new Set(['maximum', 'minimum', 'max', 'min', 'std', 'where']);

const binary: [string, Fn, Range, Range][] = [
  ['add', mg.add, anyReal, anyReal],
  ['subtract', mg.subtract, anyReal, anyReal],
  ['multiply', mg.multiply, anyReal, anyReal],
  ['divide', mg.divide, anyReal, positive],
  ['power', mg.power, positive, [-2, 2]],
  ['maximum', mg.maximum, anyReal, anyReal],
  ['minimum', mg.minimum, anyReal, anyReal],
  ['arctan2', mg.arctan2, anyReal, positive],
  ['logaddexp', mg.logaddexp, anyReal, anyReal],
  ['logaddexp2', mg.logaddexp2, anyReal, anyReal],
];

const RUNS = { numRuns: 15 };

describe('element-wise gradients match finite differences', () => {
  it.each(unary)('%s', (_name, fn, range) => checkBackward(fn, { ...RUNS, inputs: inputs([range]) }));
  it.each(binary)('%s (broadcasting)', (name, fn, a, b) => {
    checkBackward(fn, { ...RUNS, inputs: kinked.has(name) ? offKinks([a, b]) : inputs([a, b]) });
  });
  it('clip with tensor bounds', () =>
    checkBackward((x, lo, hi) => mg.clip(x, lo!, hi!), {
      ...RUNS,
      inputs: offKinks([anyReal, [-3, -1], [1, 3]]),
    }));
  it('where', () =>
    checkBackward((x, y) => mg.where(mg.greater(x, 0), x, y!), {
      ...RUNS,
      inputs: offKinks([anyReal, anyReal]),
    }));
  it('addSequence and multiplySequence', () => {
    checkBackward((a, b, c) => mg.addSequence(a, b!, c!), {
      ...RUNS,
      inputs: inputs([anyReal, anyReal, anyReal]),
    });
    checkBackward((a, b, c) => mg.multiplySequence(a, b!, c!), {
      ...RUNS,
      inputs: inputs([anyReal, anyReal, anyReal]),
    });
  });
});

/** A shape of 1..3 dims with sides 1..4 and an axis of it (or null: all axes). */
const shapeAndAxis = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((shape) =>
    fc.tuple(fc.constant(shape), fc.option(fc.integer({ min: -shape.length, max: shape.length - 1 }))),
  );

describe('reduction gradients match finite differences', () => {
  const reductions: [string, (x: mg.Tensor, axis: number | null) => mg.Tensor][] = [
    ['sum', (x, axis) => mg.sum(x, { axis })],
    ['mean', (x, axis) => mg.mean(x, { axis, keepdims: true })],
    ['var', (x, axis) => mg.variance(x, { axis })],
    ['std', (x, axis) => mg.std(x, { axis, ddof: 0 })],
    ['prod', (x, axis) => mg.prod(x, { axis })],
    ['max', (x, axis) => mg.max(x, { axis })],
    ['min', (x, axis) => mg.min(x, { axis, keepdims: true })],
    ['cumsum', (x, axis) => mg.cumsum(x, { axis })],
    ['cumprod', (x, axis) => mg.cumprod(x, { axis })],
  ];
  it.each(reductions)('%s over a random axis', (name, reduce) => {
    fc.assert(
      fc.property(shapeAndAxis, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ([shape, axis], seed) => {
        // std over a single element has zero deviation: a kink, where MyGrad's gradient is NaN.
        const reduced = axis === null ? shape.reduce((a, b) => a * b, 1) : shape.at(axis)!;
        fc.pre(name !== 'std' || reduced > 1);
        const arb = sameShape([[0.3, 3]], fc.constant(shape));
        const distinct = arb.chain(([x]) =>
          fc
            .shuffledSubarray(
              Array.from({ length: 1000 }, (_, i) => 0.3 + i * 0.0027),
              {
                minLength: x!.data.length,
                maxLength: x!.data.length,
              },
            )
            .map((data) => [{ ...x!, data }]),
        );
        checkBackward((x) => reduce(x, axis), {
          numRuns: 1,
          seed,
          inputs: kinked.has(name) ? distinct : arb,
        });
      }),
      { numRuns: 10 },
    );
  });
});

describe('shape-op gradients match finite differences', () => {
  const shape23 = fc.constant([2, 3]).map((s) => [...s]);
  const cases: [string, Fn, number][] = [
    ['reshape', (x) => mg.reshape(x, [3, 2]), 1],
    ['transpose', (x) => mg.transpose(x), 1],
    ['moveaxis', (x) => mg.moveaxis(x, 0, -1), 1],
    ['swapaxes', (x) => mg.swapaxes(x, 0, 1), 1],
    ['expandDims', (x) => mg.expandDims(x, 1), 1],
    ['squeeze', (x) => mg.squeeze(mg.expandDims(x, 0)), 1],
    ['broadcastTo', (x) => mg.broadcastTo(x, [4, 2, 3]), 1],
    ['ravel', (x) => mg.ravel(x), 1],
    ['flatten', (x) => mg.flatten(x), 1],
    ['roll', (x) => mg.roll(x, 2, { axis: 1 }), 1],
    ['repeat', (x) => mg.repeat(x, 2, { axis: 0 }), 1],
    ['tile', (x) => mg.tile(x, [2, 1]), 1],
    ['concatenate', (a, b) => mg.concatenate([a, b!], { axis: 1 }), 2],
    ['stack', (a, b) => mg.stack([a, b!], { axis: 2 }), 2],
    ['matmul', (a, b) => mg.matmul(a, mg.transpose(b!)), 2],
    ['einsum', (a, b) => mg.einsum('ij,kj->ik', a, b!), 2],
    ['multiMatmul', (a, b, c) => mg.multiMatmul([a, mg.transpose(b!), c!]), 3],
    ['getitem (basic)', (x) => mg.getitem(x, [{ start: 1, stop: null, step: -1 }, null, 2]), 1],
    [
      'getitem (advanced, repeated)',
      (x) =>
        mg.getitem(x, [
          [1, 0, 1],
          [2, 2, 0],
        ]),
      1,
    ],
    ['getitem (mask)', (x) => mg.getitem(x, [[true, false]]), 1],
  ];
  it.each(cases)('%s', (_name, fn, arity) =>
    checkBackward(fn, { ...RUNS, inputs: sameShape(Array(arity).fill(anyReal), shape23) }),
  );
  // Away from the zero vector, where MyGrad's 2-norm gradient is NaN by convention.
  it.each([
    ['norm', (x: mg.Tensor) => mg.norm(mg.atleast2d(x), { axis: -1 })],
    ['norm (ord 3, flattened)', (x: mg.Tensor) => mg.norm(mg.ravel(x), { ord: 3 })],
    ['norm (ord -inf)', (x: mg.Tensor) => mg.norm(mg.atleast2d(x), { ord: -Infinity, axis: 0 })],
  ] as const)('%s', (_name, fn) => checkBackward(fn, { ...RUNS, inputs: offKinks([[0.3, 3]]) }));
  it('batched matmul with broadcast batch dims', () =>
    checkBackward((a, b) => mg.matmul(a, b!), {
      ...RUNS,
      inputs: fc.tuple(arbArray({ shape: [2, 1, 2, 3] }), arbArray({ shape: [3, 3, 2] })),
    }));
});

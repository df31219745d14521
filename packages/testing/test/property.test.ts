// fast-check helpers: generated shapes and arrays respect their bounds, and the forward/backward properties
// pass for correct functions and fail for wrong ones.
import { add, broadcastShapes, multiply, noAutodiff, type Tensor, tensor } from '@mg/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbArray,
  arbBroadcastableShapes,
  arbShape,
  checkBackward,
  checkForward,
  type GeneratedArray,
} from '../src/index.js';

describe('arbShape', () => {
  it('respects its bounds', () => {
    fc.assert(
      fc.property(arbShape({ minDims: 1, maxDims: 3, minSide: 0, maxSide: 2 }), (shape) => {
        expect(shape.length).toBeGreaterThanOrEqual(1);
        expect(shape.length).toBeLessThanOrEqual(3);
        for (const d of shape) expect(d >= 0 && d <= 2 && Number.isInteger(d)).toBe(true);
      }),
    );
  });
  it('defaults to at most 3 dims of sides 1..4', () => {
    for (const shape of fc.sample(arbShape(), 50)) {
      expect(shape.length).toBeLessThanOrEqual(3);
      for (const d of shape) expect(d >= 1 && d <= 4).toBe(true);
    }
  });
});

describe('arbBroadcastableShapes', () => {
  it('makes shapes that broadcast to the reported result shape', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => arbBroadcastableShapes(n, { minSide: 0 })),
        ({ inputShapes, resultShape }) => {
          expect(broadcastShapes('test', ...inputShapes)).toEqual(resultShape);
        },
      ),
    );
  });
  it('makes exactly n shapes within the dimension bounds', () => {
    for (const { inputShapes } of fc.sample(arbBroadcastableShapes(3, { minDims: 1, maxDims: 2 }), 30)) {
      expect(inputShapes).toHaveLength(3);
      for (const s of inputShapes) expect(s.length >= 1 && s.length <= 2).toBe(true);
    }
  });
  it('sometimes differs between inputs (it really exercises broadcasting)', () => {
    const samples = fc.sample(arbBroadcastableShapes(2, { minDims: 2, maxDims: 2, minSide: 2 }), {
      numRuns: 100,
      seed: 1,
    });
    expect(samples.some(({ inputShapes: [a, b] }) => a!.join() !== b!.join())).toBe(true);
  });
});

describe('arbArray', () => {
  it('fills the shape with values in range, per dtype', () => {
    for (const dtype of ['float64', 'float32', 'int32', 'bool'] as const) {
      fc.assert(
        fc.property(arbArray({ shape: [2, 3], min: -2, max: 2, dtype }), (x) => {
          expect(x.shape).toEqual([2, 3]);
          expect(x.dtype).toBe(dtype);
          expect(x.data).toHaveLength(6);
          for (const v of x.data) {
            expect(Number.isFinite(v) && v >= -2 && v <= 2).toBe(true);
            if (dtype === 'int32' || dtype === 'bool') expect(Number.isInteger(v)).toBe(true);
            if (dtype === 'float32') expect(Math.fround(v)).toBe(v);
            if (dtype === 'bool') expect(v === 0 || v === 1).toBe(true);
          }
        }),
        { numRuns: 20 },
      );
    }
  });
  it('takes an arbitrary of shapes', () => {
    for (const x of fc.sample(arbArray({ shape: arbShape({ minDims: 1, maxDims: 1 }) }), 20)) {
      expect(x.data).toHaveLength(x.shape[0]!);
    }
  });
});

const pairwise = (f: (a: number, b: number) => number) => (a: GeneratedArray, b: GeneratedArray) => {
  const shape = broadcastShapes('reference', a.shape, b.shape);
  const at = (x: GeneratedArray, index: number[]) => {
    let flat = 0;
    const offset = shape.length - x.shape.length;
    x.shape.forEach((d, i) => {
      flat = flat * d + (d === 1 ? 0 : index[i + offset]!);
    });
    return x.data[flat]!;
  };
  const data: number[] = [];
  const size = shape.reduce((p, d) => p * d, 1);
  for (let k = 0; k < size; k++) {
    const index: number[] = [];
    let rest = k;
    for (let i = shape.length - 1; i >= 0; i--) {
      index.unshift(rest % shape[i]!);
      rest = Math.floor(rest / shape[i]!);
    }
    data.push(f(at(a, index), at(b, index)));
  }
  return { data, shape };
};

describe('checkForward', () => {
  it('passes for a correct function with broadcasting inputs', () => {
    expect(() =>
      checkForward(
        (a, b) => add(a, b),
        pairwise((x, y) => x + y),
        { numRuns: 30 },
      ),
    ).not.toThrow();
  });
  it('fails with a counterexample for a wrong reference', () => {
    expect(() =>
      checkForward(
        (a, b) => add(a, b),
        pairwise((x, y) => x - y),
        { numRuns: 30 },
      ),
    ).toThrow(/elements differ|Counterexample/);
  });
  it('fails on a shape mismatch', () => {
    expect(() =>
      checkForward(
        (a) => a.sum?.() ?? a,
        (a) => ({ data: a.data, shape: [...a.shape, 1] }),
        { numRuns: 5 },
      ),
    ).toThrow();
  });
  it('uses given inputs and the float32 tolerance', () => {
    const inputs = arbArray({ shape: [4], dtype: 'float32' }).map((x) => [x]);
    expect(() =>
      checkForward(
        (a) => multiply(a, a),
        (a) => ({ data: a.data.map((v) => v * v), shape: a.shape }),
        { inputs, numRuns: 20 },
      ),
    ).not.toThrow();
  });
});

describe('checkBackward', () => {
  it('passes for correct gradients', () => {
    expect(() => checkBackward((a, b) => multiply(a, b), { numRuns: 10 })).not.toThrow();
  });
  it('fails when backward disagrees with finite differences', () => {
    // Detaching the graph makes backward() give no gradient while the function still depends on x.
    const detached = (x: Tensor) =>
      multiply(
        noAutodiff(() => tensor(x.dataSync(), { shape: x.shape })),
        2,
      );
    expect(() => checkBackward(detached, { numRuns: 5, shapes: { minDims: 1 } })).toThrow(
      /gradient mismatches/,
    );
  });
});

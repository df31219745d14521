// MyGrad's initializers: shapes (sizes or one array), dtypes, constant flags, validation in MyGrad's terms, the
// spread each formula promises (mean and standard deviation of a large draw), and reproducibility under
// random.seed.
import { MgValueError, random, type Tensor } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { initializers } from '../src/index.js';

const { constant, dirac, glorotNormal, glorotUniform, heNormal, heUniform, normal, uniform } = initializers;

/** |actual / expected - 1| within 3 % (every draw below has at least 20,000 samples: a few standard errors). */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThan(0.03);
}

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync() as ArrayLike<number>);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('initializers', () => {
  it('take the shape as sizes or as one array, and default to float32, not constant', () => {
    for (const t of [
      normal(3, 4),
      normal([3, 4]),
      uniform(3, 4, {}),
      glorotNormal([3, 4]),
      heUniform(3, 4),
    ]) {
      expect([t.shape, t.dtype, t.constant]).toEqual([[3, 4], 'float32', false]);
    }
    expect(normal(2, { dtype: 'float64', constant: true }).dtype).toBe('float64');
    expect(normal(2, { constant: true }).constant).toBe(true);
  });

  it('draw with the spread their formulas give', () => {
    random.seed(3);
    const n = normal(200, 500, { mean: 2, std: 0.5 });
    expect(stats(n).mean).toBeCloseTo(2, 1);
    expectNear(stats(n).std, 0.5);
    const u = uniform(200, 500, { lowerBound: -3, upperBound: 1 });
    expect(stats(u).min).toBeGreaterThanOrEqual(-3);
    expect(stats(u).max).toBeLessThan(1);
    expectNear(stats(u).std, 4 / Math.sqrt(12));
    // Glorot normal, as MyGrad computes the fans: shape[1]·shape[-1] and shape[0]·shape[-1].
    expect(stats(glorotNormal(100, 50, 20, { gain: 2 })).std).toBeCloseTo(
      2 * Math.sqrt(2 / (50 * 20 + 100 * 20)),
      3,
    );
    const bound = Math.sqrt(6 / (300 + 200));
    const gu = stats(glorotUniform(200, 300));
    expect(gu.max).toBeLessThan(bound);
    expectNear(gu.std, (2 * bound) / Math.sqrt(12));
    expectNear(stats(heNormal(100, 40, 5)).std, 1 / Math.sqrt(200));
    // MyGrad's He-uniform bound: gain / √(3 / shape[1] · ∏shape[2:]).
    const he = 1 / Math.sqrt((3 / 40) * 5);
    expectNear(stats(heUniform(100, 40, 5)).std, (2 * he) / Math.sqrt(12));
  });

  it('are reproducible under random.seed', () => {
    random.seed(42);
    const a = glorotUniform(3, 3).toArray();
    random.seed(42);
    expect(glorotUniform(3, 3).toArray()).toEqual(a);
  });

  it('set constants and Dirac deltas', () => {
    expect(constant(2, { value: 3 }).toArray()).toEqual([3, 3]);
    expect(constant([2, 1]).toArray()).toEqual([[0], [0]]);
    expect(dirac(2, 2, 3).toArray()).toEqual([
      [
        [0, 1, 0],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [0, 1, 0],
      ],
    ]);
    expect(dirac(3, 2).dtype).toBe('float32');
  });

  it("raise MyGrad's ValueErrors", () => {
    expect(() => normal(2, { std: -1 })).toThrow(/Standard deviation must be non-negative/);
    expect(() => normal(2, { dtype: 'int32' })).toThrow(MgValueError);
    expect(() => uniform(2, { lowerBound: 1, upperBound: 1 })).toThrow(/lower bound cannot be greater/);
    for (const init of [glorotNormal, glorotUniform, heNormal, heUniform, dirac]) {
      expect(() => init(5)).toThrow(/at least two dimensions/);
    }
  });
});

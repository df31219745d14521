// Tests of the random functions: determinism after seed, shapes, dtypes, constant flags, rough statistics.
import { describe, expect, it } from 'vitest';
// Imported from the module until index.ts re-exports it.
import {
  ConstantIntegerError,
  DTypeError,
  MgTypeError,
  MgValueError,
  rand,
  randint,
  randn,
  random,
  randomSample,
  ranf,
  ShapeError,
  sample,
  seed,
  tensor,
} from '../src/index.js';

function stats(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

const UNIFORM = [
  ['randomSample', randomSample],
  ['ranf', ranf],
  ['sample', sample],
  ['random.random', random.random],
] as const;

describe('seed', () => {
  it('makes every function reproducible', () => {
    const draw = () => [
      rand(3).toArray(),
      randn(2, 2).toArray(),
      randint(0, 100, { shape: [4] }).toArray(),
      randomSample([2]).toArray(),
      randn(3).toArray(),
    ];
    seed(42);
    const first = draw();
    seed(42);
    expect(draw()).toEqual(first);
    seed(43);
    expect(draw()).not.toEqual(first);
  });

  it('resets the cached second normal of a pair', () => {
    seed(7);
    const one = randn().item();
    seed(7);
    expect(randn().item()).toBe(one);
    seed(7);
    expect(randn(2).dataSync()[0]).toBe(one);
  });

  it('gives unrelated streams for neighbouring seeds', () => {
    seed(0);
    const a = rand(4).dataSync();
    seed(1);
    const b = rand(4).dataSync();
    for (let i = 0; i < 4; i++) expect(Math.abs(a[i]! - b[i]!)).toBeGreaterThan(1e-6);
  });

  it('accepts the full 32-bit range and rejects the rest', () => {
    expect(() => seed(0)).not.toThrow();
    expect(() => seed(2 ** 32 - 1)).not.toThrow();
    expect(() => seed(-1)).toThrow(MgValueError);
    expect(() => seed(2 ** 32)).toThrow(MgValueError);
    expect(() => seed(1.5)).toThrow(MgTypeError);
    expect(() => seed('1' as unknown as number)).toThrow(MgTypeError);
  });
});

describe('rand, randn', () => {
  it.each([
    ['rand', rand],
    ['randn', randn],
  ] as const)('%s takes the shape as separate sizes', (_name, fn) => {
    const x = fn(2, 3);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe('float64');
    expect(x.constant).toBe(false);
    expect(fn().shape).toEqual([]);
    expect(fn(0, 4).shape).toEqual([0, 4]);
    expect(fn(2, { constant: true }).constant).toBe(true);
    expect(fn({ constant: true }).shape).toEqual([]);
    expect(() => fn(-1)).toThrow(ShapeError);
    expect(() => fn(1.5)).toThrow(MgTypeError);
    expect(() => fn(2, { constant: 'no' as unknown as boolean })).toThrow(MgTypeError);
  });

  it('rand is uniform on [0, 1)', () => {
    seed(1);
    const values = rand(10000).dataSync();
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    const { mean, std } = stats(values);
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(std).toBeGreaterThan(0.27);
    expect(std).toBeLessThan(0.31);
    expect(new Set(values).size).toBe(values.length);
  });

  it('randn is standard normal', () => {
    seed(2);
    const values = randn(10000).dataSync();
    const { mean, std } = stats(values);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(std).toBeGreaterThan(0.95);
    expect(std).toBeLessThan(1.05);
    const within1 = Array.from(values).filter((v) => Math.abs(v) < 1).length / values.length;
    expect(within1).toBeGreaterThan(0.65);
    expect(within1).toBeLessThan(0.72);
    expect(values.every(Number.isFinite)).toBe(true);
  });
});

describe('random, randomSample, ranf, sample', () => {
  it.each(UNIFORM)('%s takes one shape argument', (_name, fn) => {
    expect(fn().shape).toEqual([]);
    expect(fn(null).shape).toEqual([]);
    expect(fn(3).shape).toEqual([3]);
    const x = fn([2, 4]);
    expect(x.shape).toEqual([2, 4]);
    expect(x.dtype).toBe('float64');
    expect(x.constant).toBe(false);
    expect(fn([2], { constant: true }).constant).toBe(true);
    expect(() => fn([-2])).toThrow(ShapeError);
    const { mean } = stats(fn(5000).dataSync());
    expect(mean).toBeGreaterThan(0.46);
    expect(mean).toBeLessThan(0.54);
  });

  it('are one stream', () => {
    seed(5);
    const a = [ranf().item(), sample().item(), randomSample().item()];
    seed(5);
    expect(rand(3).toArray()).toEqual(a);
  });
});

describe('randint', () => {
  it('draws constant int32 values in [low, high)', () => {
    seed(3);
    const x = randint(1, 7, { shape: [2, 5] });
    expect(x.shape).toEqual([2, 5]);
    expect(x.dtype).toBe('int32');
    expect(x.constant).toBe(true);
    const values = randint(-3, 4, { shape: 7000 }).dataSync();
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) {
      expect(c).toBeGreaterThan(800);
      expect(c).toBeLessThan(1200);
    }
  });

  it('draws from [0, low) without high, 0-d without shape', () => {
    const x = randint(1);
    expect(x.shape).toEqual([]);
    expect(x.item()).toBe(0);
    const values = randint(3, null, { shape: [100] }).dataSync();
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(2);
  });

  it('broadcasts array bounds', () => {
    const x = randint([0, 10, 100], [1, 11, 101]);
    expect(x.toArray()).toEqual([0, 10, 100]);
    const y = randint([0, 10], 20, { shape: [3, 2] });
    expect(y.shape).toEqual([3, 2]);
    const ys = y.dataSync();
    for (let i = 0; i < ys.length; i++) expect(ys[i]).toBeGreaterThanOrEqual(i % 2 === 0 ? 0 : 10);
    const z = randint(tensor(Int32Array.of(2, 5)), undefined, { shape: [4, 2] });
    expect(z.shape).toEqual([4, 2]);
  });

  it('covers the full int32 range', () => {
    const x = randint(-(2 ** 31), 2 ** 31, { shape: 100 }).dataSync();
    expect(Math.min(...x)).toBeLessThan(0);
    expect(Math.max(...x)).toBeGreaterThan(0);
  });

  it('takes a bool dtype', () => {
    const b = randint(0, 2, { shape: 50, dtype: 'bool' });
    expect(b.dtype).toBe('bool');
    expect(new Set(b.toArray() as boolean[])).toEqual(new Set([true, false]));
    expect(() => randint(0, 3, { dtype: 'bool' })).toThrow(MgValueError);
  });

  it('validates its arguments', () => {
    expect(() => randint(5, 5)).toThrow(MgValueError);
    expect(() => randint(0)).toThrow(/low >= high/);
    expect(() => randint([0, 5], [1, 5])).toThrow(MgValueError);
    expect(() => randint(1.5, 3)).toThrow(MgTypeError);
    expect(() => randint(0, 2 ** 31 + 1)).toThrow(MgValueError);
    expect(() => randint(-(2 ** 31) - 1, 0)).toThrow(MgValueError);
    expect(() => randint(0, 5, { dtype: 'float64' })).toThrow(DTypeError);
    expect(() => randint(0, 5, { constant: false })).toThrow(ConstantIntegerError);
    expect(() => randint(0, 5, { shape: [-1] })).toThrow(ShapeError);
    expect(() => randint([0, 1, 2], 5, { shape: [2] })).toThrow(ShapeError);
    expect(() => randint([0, 1], 5, { shape: [2, 1] })).toThrow(ShapeError);
  });
});

describe('the random namespace', () => {
  it('holds every function of mygrad.random', () => {
    expect(Object.keys(random).sort()).toEqual(
      ['rand', 'randint', 'randn', 'random', 'randomSample', 'ranf', 'sample', 'seed'].sort(),
    );
    random.seed(9);
    const a = random.rand(2).toArray();
    seed(9);
    expect(rand(2).toArray()).toEqual(a);
  });
});

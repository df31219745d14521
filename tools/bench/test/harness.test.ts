// Tests of the harness itself — statistics, result comparison, the round-robin runner, the report and the
// command line — with fake contenders and a fake clock. No timing is measured here.
import { describe, expect, it } from 'vitest';
import { compareReadouts, FLOAT32_TOLERANCE, type Readout } from '../src/check.js';
import { parseArgs, runOptions } from '../src/cli.js';
import { type Contender, pickReference, runWorkload } from '../src/harness.js';
import { oneHot, rng, uniform } from '../src/inputs.js';
import { formatMs, formatReport, hasFailures, verdicts } from '../src/report.js';
import { median, quantileSorted, repsForBudget, speedup, summarize } from '../src/stats.js';
import { type ContenderId, selectWorkloads, WORKLOADS, type WorkloadSpec } from '../src/workloads.js';

describe('statistics', () => {
  it('takes the median of odd and even samples, in any order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates quantiles linearly between order statistics', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 1)).toBe(8);
    expect(quantileSorted(sorted, 0.25)).toBeCloseTo(2.75, 12);
    expect(quantileSorted(sorted, 0.75)).toBeCloseTo(6.25, 12);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantileSorted([1], 1.5)).toThrow(RangeError);
  });

  it('summarises a sample: median, min, max and quartiles', () => {
    expect(summarize([9, 1, 5, 3, 7])).toEqual({ reps: 5, median: 5, min: 1, max: 9, q1: 3, q3: 7 });
  });

  it('fits repetitions to the budget within [min, max]', () => {
    expect(repsForBudget(100, 5000, 7, 41)).toBe(41);
    expect(repsForBudget(500, 5000, 7, 41)).toBe(10);
    expect(repsForBudget(3000, 5000, 7, 41)).toBe(7);
    expect(repsForBudget(0, 5000, 7, 41)).toBe(41);
  });

  it('reports peer / mg as the speed-up, null when a side is missing', () => {
    expect(speedup(30, 10)).toBe(3);
    expect(speedup(null, 10)).toBeNull();
    expect(speedup(30, 0)).toBeNull();
  });
});

describe('compareReadouts', () => {
  const ref: Readout = [Float64Array.of(1, -2, 1000), Float64Array.of(0.5)];

  it('accepts float32 rounding noise', () => {
    expect(compareReadouts(ref, [Float32Array.of(1.0000001, -2.0001, 1000.2), [0.5]])).toBeNull();
  });

  it('catches a relative error above 1e-3 and names the element', () => {
    const mismatch = compareReadouts(ref, [Float32Array.of(1, -2.1, 1000), [0.5]]);
    expect(mismatch).toMatchObject({ output: 0, index: 1, expected: -2, actual: expect.closeTo(-2.1, 5) });
    expect(mismatch?.message).toContain('output 0[1]');
  });

  it('scales the absolute slack with the largest magnitude, for values near zero', () => {
    // 1e-9 against 0 is rounding noise next to 1000 (slack 1e-5 × 1000 = 0.01) but 0.1 is not.
    expect(compareReadouts([[1000, 0]], [[1000, 1e-9]])).toBeNull();
    expect(compareReadouts([[1000, 0]], [[1000, 0.1]])).toMatchObject({ index: 1 });
  });

  it('catches NaN, Infinity, wrong lengths and wrong output counts', () => {
    expect(compareReadouts([[1, 2]], [[1, Number.NaN]])).toMatchObject({ index: 1 });
    expect(compareReadouts([[1, Number.POSITIVE_INFINITY]], [[1, Number.POSITIVE_INFINITY]])).toBeNull();
    expect(compareReadouts([[1, 2]], [[1, 2, 3]])).toMatchObject({ output: 0, index: -1 });
    expect(compareReadouts([[1]], [[1], [2]])).toMatchObject({ output: -1 });
  });

  it('is float32 rtol 1e-3 by default', () => {
    expect(FLOAT32_TOLERANCE.rtol).toBe(1e-3);
  });
});

describe('seeded inputs', () => {
  it('are reproducible float32 values in range', () => {
    const a = uniform(rng(42), [3, 4], -1, 1);
    const b = uniform(rng(42), [3, 4], -1, 1);
    expect(a.values).toEqual(b.values);
    expect(a.values).toBeInstanceOf(Float32Array);
    expect(a.shape).toEqual([3, 4]);
    expect([...a.values].every((v) => v >= -1 && v < 1)).toBe(true);
    expect(uniform(rng(43), [12], -1, 1).values).not.toEqual(a.values);
  });

  it('one-hot rows hold exactly one 1', () => {
    const { values } = oneHot(rng(1), 5, 10);
    for (let r = 0; r < 5; r++)
      expect(values.subarray(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0)).toBe(1);
  });
});

/** A fake clock: each call advances by the next step of `steps` (cycled). */
function fakeClock(steps: readonly number[]) {
  let t = 0;
  let i = 0;
  return () => {
    t += steps[i++ % steps.length]!;
    return t;
  };
}

const spec: WorkloadSpec = {
  id: 'sum',
  title: 'fake sum',
  description: 'sums the input',
  targets: [{ peer: 'tfjs-cpu', min: 2 }],
  inputs: () => ({ x: { values: Float32Array.of(1, 2, 3), shape: [3] } }),
};

/** A contender that returns `value` as its sum (and `extra` from verify), logging the order it ran in. */
function fake(id: ContenderId, value: number, log: string[], extra?: number): Contender {
  return {
    id,
    async activate() {},
    prepare: () => ({
      run: () => {
        log.push(id);
        return [[value]];
      },
      verify: extra === undefined ? undefined : () => [[extra]],
      release() {},
      dispose() {},
    }),
  };
}

const options = { warmup: 1, minReps: 7, maxReps: 7, budgetMs: 1000 };

describe('runWorkload', () => {
  it('times every contender the same number of rounds, rotating the order', async () => {
    const log: string[] = [];
    const result = await runWorkload(spec, [fake('mg-cpu-f64', 6, log), fake('tfjs-cpu', 6, log)], {
      ...options,
      now: fakeClock([1]),
    });
    expect(result.results.map((r) => r.times.length)).toEqual([7, 7]);
    // Warm-up then rounds 0..6: the first runner alternates.
    expect(log.slice(2, 6)).toEqual(['mg-cpu-f64', 'tfjs-cpu', 'tfjs-cpu', 'mg-cpu-f64']);
    expect(result.results.every((r) => r.mismatch === null && r.error === null)).toBe(true);
    expect(result.results[0]!.summary?.reps).toBe(7);
  });

  it('flags a contender that computes a different result, against the float64 reference', async () => {
    const log: string[] = [];
    const result = await runWorkload(
      spec,
      [fake('tfjs-cpu', 6, log), fake('mg-cpu-f64', 6, log), fake('mg-cpu-f32', 6.1, log)],
      { ...options, now: fakeClock([1]) },
    );
    expect(result.reference).toBe('mg-cpu-f64');
    const wrong = result.results.find((r) => r.contender === 'mg-cpu-f32')!;
    expect(wrong.mismatch).toMatchObject({ expected: 6, actual: expect.closeTo(6.1, 6) });
    expect(result.results.find((r) => r.contender === 'tfjs-cpu')!.mismatch).toBeNull();
    expect(hasFailures([result])).toBe(true);
  });

  it('checks the untimed verify() outputs too', async () => {
    const log: string[] = [];
    const result = await runWorkload(spec, [fake('mg-cpu-f64', 6, log, 1), fake('tfjs-wasm', 6, log, 2)], {
      ...options,
      now: fakeClock([1]),
    });
    expect(result.results.find((r) => r.contender === 'tfjs-wasm')!.mismatch).toMatchObject({ output: 1 });
  });

  it('times run + release but not the check in between', async () => {
    // now() is read four times per run: start, after run, after the check, after release.
    const result = await runWorkload(spec, [fake('mg-cpu-f64', 6, [])], {
      ...options,
      now: fakeClock([0, 2, 100, 3]),
    });
    expect(result.results[0]!.times).toEqual([5, 5, 5, 5, 5, 5, 5]);
  });

  it('records a contender that throws and keeps the others', async () => {
    const broken: Contender = {
      id: 'mg-wasm',
      async activate() {},
      prepare: () => {
        throw new Error('kernel missing');
      },
    };
    const result = await runWorkload(spec, [fake('mg-cpu-f64', 6, []), broken], {
      ...options,
      now: fakeClock([1]),
    });
    expect(result.results.find((r) => r.contender === 'mg-wasm')!.error).toBe('prepare: kernel missing');
    expect(result.results.find((r) => r.contender === 'mg-cpu-f64')!.summary?.median).toBe(2);
    expect(hasFailures([result])).toBe(true);
  });

  it('lists skipped contenders with their reason', async () => {
    const result = await runWorkload(
      spec,
      [fake('mg-cpu-f64', 6, [])],
      { ...options, now: fakeClock([1]) },
      new Map([['mg-wasm', 'not built']]),
    );
    expect(result.results.find((r) => r.contender === 'mg-wasm')).toMatchObject({
      skipped: 'not built',
      times: [],
    });
    expect(hasFailures([result])).toBe(false);
  });

  it('prefers mg-cpu f64 as the reference', () => {
    expect(pickReference(['tfjs-cpu', 'mg-cpu-f64'])).toBe('mg-cpu-f64');
    expect(pickReference(['tfjs-cpu', 'tfjs-wasm'])).toBe('tfjs-cpu');
    expect(pickReference([])).toBeNull();
  });
});

describe('report', () => {
  const timed = (contender: ContenderId, ms: number, mismatch = false) => ({
    contender,
    times: [ms],
    summary: summarize([ms]),
    error: null,
    skipped: null,
    mismatch: mismatch
      ? { output: 0, index: 0, expected: 1, actual: 2, message: 'output 0[0] is 2, expected 1' }
      : null,
  });

  it('shows medians, ratios and target verdicts', () => {
    const result = {
      workload: 'sum' as const,
      reference: 'mg-cpu-f32' as const,
      results: [timed('mg-cpu-f32', 10), timed('tfjs-cpu', 25)],
    };
    expect(verdicts(spec, result)).toEqual([{ peer: 'tfjs-cpu', min: 2, ratio: 2.5, status: 'met' }]);
    const text = formatReport([spec], [result]);
    expect(text).toContain('| fake sum | 10.0 (10.0–10.0) | 25.0 (25.0–25.0) | 2.50× | — | cpu ≥2×: met |');
    const slow = { ...result, results: [timed('mg-cpu-f32', 20), timed('tfjs-cpu', 25)] };
    expect(formatReport([spec], [slow])).toContain('cpu ≥2×: NOT met');
  });

  it('marks a wrong result and gives it no ratio', () => {
    const result = {
      workload: 'sum' as const,
      reference: 'tfjs-cpu' as const,
      results: [timed('mg-cpu-f32', 10, true), timed('tfjs-cpu', 25)],
    };
    const text = formatReport([spec], [result]);
    expect(text).toContain('**WRONG** 10.0');
    expect(text).toContain('cpu ≥2×: n/a');
    expect(text).toContain('**WRONG RESULT** fake sum / mg-cpu f32');
  });

  it('formats milliseconds to about three significant digits', () => {
    expect(formatMs(1234.5)).toBe('1235');
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(0.99996)).toBe('1.00');
    expect(formatMs(0.01234)).toBe('0.012');
  });
});

describe('command line', () => {
  it('parses flags', () => {
    expect(parseArgs(['--quick', '--filter', 'elu', '--filter=matmul', '--json', 'out.json'])).toMatchObject({
      quick: true,
      filters: ['elu', 'matmul'],
      json: 'out.json',
    });
    expect(parseArgs(['--contenders', 'mg-cpu-f32,tfjs-cpu'])).toMatchObject({
      contenders: ['mg-cpu-f32', 'tfjs-cpu'],
    });
    expect(parseArgs(['--help'])).toBe('help');
    expect(() => parseArgs(['--contenders', 'numpy'])).toThrow('unknown contender numpy');
    expect(() => parseArgs(['--bogus'])).toThrow('unknown argument');
    expect(() => parseArgs(['--json'])).toThrow('--json needs a value');
  });

  it('keeps at least 7 timed repetitions in a full run', () => {
    const full = parseArgs([]);
    if (full === 'help') throw new Error('unexpected');
    expect(runOptions(full).minReps).toBeGreaterThanOrEqual(7);
  });

  it('selects workloads by exact id or by substring', () => {
    expect(selectWorkloads(WORKLOADS, ['matmul-512']).map((w) => w.id)).toEqual(['matmul-512']);
    expect(selectWorkloads(WORKLOADS, ['matmul-5']).map((w) => w.id)).toEqual([
      'matmul-512',
      'matmul-512-fwd-bwd',
    ]);
    expect(selectWorkloads(WORKLOADS, ['elu,sum']).map((w) => w.id)).toEqual([
      'elu-fwd',
      'elu-fwd-bwd',
      'sum',
    ]);
    expect(selectWorkloads(WORKLOADS, [])).toHaveLength(WORKLOADS.length);
  });
});

// The backend suite as a test kit: on cpu backends with planted bugs (run by a child vitest, since those tests
// must fail) exactly the tests that should catch each bug fail, and its tolerance options excuse what they
// say; plus the assertion it is built on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectValues, ulps } from '../src/backend-suite/index.js';

interface JsonReport {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

describe('describeBackendKernels on mutant backends', () => {
  it('fails exactly the tests that catch each planted bug', () => {
    const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '../vitest.mjs');
    const config = fileURLToPath(new URL('./backend-suite/mutants.config.ts', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'mg-backend-suite-'));
    try {
      const output = join(dir, 'report.json');
      spawnSync(
        process.execPath,
        [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${output}`],
        {
          encoding: 'utf8',
        },
      );
      const report = JSON.parse(readFileSync(output, 'utf8')) as JsonReport;
      const ran = Object.fromEntries(
        report.testResults
          .flatMap((file) => file.assertionResults)
          .filter((t) => t.status === 'passed' || t.status === 'failed')
          .map((t) => [[...t.ancestorTitles, t.title].join(' > '), t.status]),
      );
      expect(ran).toEqual({
        'exp one ulp off > unary > exp float64': 'failed',
        'exp one ulp off > names only existing tests in its skip patterns': 'passed',
        'exp one ulp off, one ulp allowed > unary > exp float64': 'passed',
        'exp one ulp off, one ulp allowed > names only existing tests in its skip patterns': 'passed',
        // The leak shows in the memory check after the test, which fails it.
        'leaky transpose > transpose > float64': 'failed',
        'leaky transpose > slice > float64': 'passed',
        'leaky transpose > names only existing tests in its skip patterns': 'passed',
        'aliasing cast > kernel outputs > cast to the same dtype returns a new buffer': 'failed',
        'aliasing cast > kernel outputs > full slice returns a new buffer': 'passed',
        'aliasing cast > names only existing tests in its skip patterns': 'passed',
        'skip typo > backend > has a name and every primitive kernel': 'passed',
        'skip typo > names only existing tests in its skip patterns': 'failed',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('expectValues', () => {
  it("requires the dtype's TypedArray and the expected length", () => {
    expect(() => expectValues(new Float64Array([1]), [1], 'float32')).toThrow(/Float32Array/);
    expect(() => expectValues(new Int32Array([1, 2]), [1], 'int32')).toThrow();
  });

  it('matches NaN with NaN and infinities exactly, finite values within the tolerance', () => {
    expectValues(
      new Float64Array([Number.NaN, Infinity, 1 + 2 ** -52]),
      [Number.NaN, Infinity, 1],
      'float64',
      {
        abs: 2 ** -52,
      },
    );
    expect(() => expectValues(new Float64Array([1]), [Number.NaN], 'float64')).toThrow(
      'element 0: got 1, expected NaN',
    );
    expect(() => expectValues(new Float64Array([1e308]), [Infinity], 'float64', { abs: Infinity })).toThrow(
      'element 0: got 1e+308, expected Infinity',
    );
    expect(() => expectValues(new Float32Array([1, 3]), [1, 2], 'float32', { abs: 0.5 })).toThrow(
      'element 1: got 3, expected 2 (tolerance 0.5)',
    );
  });

  it('tells -0 from 0 only when asked', () => {
    expectValues(new Float64Array([-0]), [0], 'float64');
    expect(() => expectValues(new Float64Array([-0]), [0], 'float64', { signedZero: true })).toThrow(
      'element 0',
    );
  });
});

describe('ulps', () => {
  it('is relative to each expected value, and never below the subnormal spacing', () => {
    const tolerance = ulps([1, 2 ** 10, 0], 'float32', 2);
    expect([tolerance(0), tolerance(1), tolerance(2)]).toEqual([2 ** -22, 2 ** -12, 2 ** -148]);
  });
});

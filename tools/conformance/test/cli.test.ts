// The runner end to end on a synthetic fixture directory (one passing, one failing, one unsupported case):
// runConformance's counts, the built CLI's output lines, exit codes and JSON report, and argument parsing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatReport, parseArgs } from '../src/cli.js';
import { runConformance } from '../src/run.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const x = '{"shape": [2], "dtype": "float64", "data": [1.0, 2.0]}';
const y = '{"shape": [2], "dtype": "float64", "data": [3.0, 4.0]}';
const CASES = `[
  {"id": "good/0", "fn": "mygrad.add", "args": [${x}, ${y}], "kwargs": {},
   "out": {"shape": [2], "dtype": "float64", "data": [4.0, 6.0]}, "out_constant": false,
   "upstream": {"shape": [2], "dtype": "float64", "data": [1.0, -1.0]},
   "grads": [{"shape": [2], "dtype": "float64", "data": [1.0, -1.0]}, {"shape": [2], "dtype": "float64", "data": [1.0, -1.0]}]},
  {"id": "bad/0", "fn": "mygrad.add", "args": [${x}, ${y}], "kwargs": {},
   "out": {"shape": [2], "dtype": "float64", "data": [4.0, 7.0]}, "out_constant": false, "upstream": null, "grads": [null, null]},
  {"id": "odd/0", "fn": "mygrad.frobnicate", "args": [${x}], "kwargs": {}, "out": null}
]`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mg-conformance-'));
  writeFileSync(join(dir, 'synthetic.json'), CASES);
  writeFileSync(join(dir, 'MANIFEST.json'), '{"files": {"synthetic.json": {"cases": 3}}}');
});

describe('runConformance', () => {
  it('passes, fails and skips the right cases', async () => {
    const report = await runConformance({ fixtures: dir, backends: ['cpu', 'nonexistent'] });
    expect(report.cases).toBe(3);
    const [cpu, missing] = report.backends;
    expect(cpu).toMatchObject({ backend: 'cpu', skipped: null, passed: 1, failed: 1, unsupported: 1 });
    expect(cpu!.results.map((r) => [r.id, r.status])).toEqual([
      ['good/0', 'pass'],
      ['bad/0', 'fail'],
      ['odd/0', 'unsupported'],
    ]);
    expect(missing!.skipped).toMatch(/cannot import @mg\/backend-nonexistent/);
  });

  it('runs the composites when asked, and says so in the report', async () => {
    const core = await import('@mg/core');
    try {
      const report = await runConformance({ fixtures: dir, backends: ['cpu'], composite: true });
      expect(report.backends[0]).toMatchObject({ backend: 'cpu (composite)', passed: 1, failed: 1 });
      expect(core.setForceComposite(false)).toBe(true);
    } finally {
      core.setForceComposite(false);
    }
  });
});

describe('formatReport', () => {
  const report = {
    backend: 'cpu',
    skipped: null,
    passed: 1,
    failed: 1,
    unsupported: 2,
    results: [
      { id: 'a/0', fn: 'mygrad.a', status: 'pass' as const, reasons: [] },
      { id: 'b/0', fn: 'mygrad.b', status: 'fail' as const, reasons: ['out: x', 'args[0].grad: y'] },
      { id: 'c/0', fn: 'mygrad.c', status: 'unsupported' as const, reasons: ['no c'] },
      { id: 'c/1', fn: 'mygrad.c', status: 'unsupported' as const, reasons: ['no c'] },
    ],
  };
  it('prints failures and the summary line', () => {
    expect(formatReport(report, false)).toEqual([
      'FAIL b/0: out: x; args[0].grad: y',
      'conformance cpu: 1 passed, 1 failed, 2 unsupported',
    ]);
  });
  it('groups unsupported cases by function when verbose', () => {
    expect(formatReport(report, true)).toContain('UNSUPPORTED mygrad.c (2): no c [c/0, c/1]');
  });
  it('notes skipped backends', () => {
    expect(formatReport({ ...report, skipped: 'no factory', results: [] }, false)).toEqual([
      'conformance cpu: skipped (no factory)',
    ]);
  });
});

describe('parseArgs', () => {
  it('has defaults and reads every flag', () => {
    expect(parseArgs([])).toMatchObject({ backend: 'cpu', verbose: false, json: null });
    expect((parseArgs([]) as { fixtures: string }).fixtures).toMatch(/tools\/conformance\/fixtures$/);
    expect(
      parseArgs(['--fixtures', 'd', '--backend=all', '--verbose', '--json', 'r.json', '--composite']),
    ).toEqual({
      fixtures: 'd',
      backend: 'all',
      composite: true,
      verbose: true,
      json: 'r.json',
    });
    expect(parseArgs(['--help'])).toBe('help');
  });
  it('rejects bad input', () => {
    expect(() => parseArgs(['--backend', 'gpu'])).toThrow(/cpu, wasm or all/);
    expect(() => parseArgs(['--fixtures'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--what'])).toThrow(/unknown argument/);
  });
});

describe.skipIf(!existsSync(CLI))('the built CLI', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  it('prints a FAIL line and the summary, writes JSON, and exits 1 on a failure', () => {
    const json = join(dir, 'report.json');
    const { status, stdout } = run('--fixtures', dir, '--json', json, '--verbose');
    expect(status).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('FAIL bad/0: out: 1 of 2 elements differ: [1] got 6, expected 7');
    expect(lines).toContain(
      'UNSUPPORTED mygrad.frobnicate (1): the signature table has no mygrad.frobnicate [odd/0]',
    );
    expect(lines.at(-1)).toBe('conformance cpu: 1 passed, 1 failed, 1 unsupported');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.backends[0]).toMatchObject({ backend: 'cpu', passed: 1, failed: 1, unsupported: 1 });
  });

  it('exits 0 when nothing fails, and skips unavailable backends with --backend all', () => {
    const clean = mkdtempSync(join(tmpdir(), 'mg-conformance-'));
    writeFileSync(join(clean, 'ok.json'), JSON.stringify(JSON.parse(CASES).slice(0, 1)));
    const { status, stdout } = run('--fixtures', clean, '--backend', 'all');
    expect(stdout).toContain('conformance cpu: 1 passed, 0 failed, 0 unsupported');
    expect(stdout).toMatch(/conformance wasm: (skipped \(.*\)|\d+ passed, \d+ failed, \d+ unsupported)/);
    expect(status).toBe(0);
  });

  it('exits 2 on bad arguments or a missing fixture directory', () => {
    expect(run('--backend', 'gpu').status).toBe(2);
    const missing = run('--fixtures', join(dir, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/conformance: .*nope/);
  });
});

// Packs every publishable package and checks the tarballs the way a user meets them: lint the package
// metadata (publint, attw), inspect the contents, and install a pick-and-choose subset with plain npm into a
// project outside the workspace.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workspace = resolve(import.meta.dirname, '../../..');
const packagesDir = join(workspace, 'packages');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

const publishable = readdirSync(packagesDir)
  .map((dir) => ({
    dir: join(packagesDir, dir),
    manifest: readJson<Manifest>(join(packagesDir, dir, 'package.json')),
  }))
  .filter(({ manifest }) => !manifest.private);

const work = mkdtempSync(join(tmpdir(), 'mg-pack-check-'));
const tarballs = new Map<string, string>();

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tarList(tarball: string): string[] {
  return run('tar', ['-tzf', tarball], work)
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''));
}

function tarRead(tarball: string, file: string): string {
  return run('tar', ['-xzOf', tarball, `package/${file}`], work);
}

beforeAll(() => {
  const packDir = join(work, 'tarballs');
  mkdirSync(packDir);
  for (const { dir, manifest } of publishable) {
    run('pnpm', ['pack', '--pack-destination', packDir], dir);
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    tarballs.set(manifest.name, join(packDir, file));
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(publishable.map(({ manifest }) => manifest.name))('%s tarball', (name) => {
  it('ships only the build, README, LICENSE and package.json', () => {
    const files = tarList(tarballs.get(name)!);
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/index.d.cts');
    const unexpected = files.filter(
      (file) =>
        !/^(dist\/|README\.md$|LICENSE$|package\.json$|CHANGELOG\.md$)/.test(file) || /\.test\./.test(file),
    );
    expect(unexpected).toEqual([]);
  });

  it('has source maps whose sources are embedded', () => {
    const tarball = tarballs.get(name)!;
    const maps = tarList(tarball).filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const parsed = readJson<{ sources: string[]; sourcesContent?: (string | null)[] }>(
        writeTemp(tarRead(tarball, map)),
      );
      expect(parsed.sources.length, map).toBeGreaterThan(0);
      // The sources are not shipped, so every one must be embedded or the map is broken for users.
      expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length);
      expect(
        parsed.sourcesContent?.every((content) => typeof content === 'string' && content.length > 0),
      ).toBe(true);
      // No map may point into another package's sources.
      expect(parsed.sources.filter((source) => source.includes('node_modules/@mg/'))).toEqual([]);
    }
  });

  it('passes publint --strict', () => {
    const out = run('pnpm', ['exec', 'publint', 'run', tarballs.get(name)!, '--strict'], workspace);
    expect(out).not.toMatch(/warning|error|suggestion/i);
  });

  it('passes arethetypeswrong', () => {
    // Throws (non-zero exit) on any problem for node10, node16 (CJS and ESM) and bundler resolution.
    const out = run('pnpm', ['exec', 'attw', tarballs.get(name)!, '--format', 'ascii'], workspace);
    expect(out).toMatch(/No problems found/);
  });
});

let tempCount = 0;
function writeTemp(content: string): string {
  const file = join(work, `tmp-${tempCount++}.json`);
  writeFileSync(file, content);
  return file;
}

describe('pick-and-choose install with npm, outside the workspace', () => {
  const chosen = ['@mg/core', '@mg/backend-cpu', '@mg/activations'];
  let project = '';

  beforeAll(() => {
    project = join(work, 'user-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
    const specs = chosen.map((name) => tarballs.get(name)!);
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], project);
  });

  it('installs only the chosen packages', () => {
    const installed = readdirSync(join(project, 'node_modules', '@mg')).sort();
    expect(installed).toEqual(chosen.map((name) => name.slice('@mg/'.length)).sort());
  });

  const program = (load: string) => `${load}
const x = tensor([[-1.5, 0.5], [2, -0.25]]);
const y = elu(x, 1).mul(x).sum();
y.backward();
console.log(JSON.stringify({ y: y.item(), grad: x.grad.toArray(), backend: getBackend().name }));
`;
  const expected = (() => {
    const xs = [-1.5, 0.5, 2, -0.25];
    const elu = (v: number) => (v < 0 ? Math.expm1(v) : v);
    const dElu = (v: number) => (v < 0 ? Math.exp(v) : 1);
    return {
      y: xs.reduce((acc, v) => acc + elu(v) * v, 0),
      grad: [xs.slice(0, 2), xs.slice(2)].map((row) => row.map((v) => elu(v) + v * dElu(v))),
    };
  })();

  function check(output: string) {
    const result = JSON.parse(output) as { y: number; grad: number[][]; backend: string };
    expect(result.backend).toBe('cpu');
    expect(result.y).toBeCloseTo(expected.y, 12);
    const want = expected.grad.flat();
    for (const [i, g] of result.grad.flat().entries()) expect(g).toBeCloseTo(want[i]!, 12);
  }

  it('runs from ESM', () => {
    const file = join(project, 'main.mjs');
    writeFileSync(
      file,
      program(`import { tensor, getBackend } from '@mg/core';
import '@mg/backend-cpu/register';
import { elu } from '@mg/activations';`),
    );
    check(run('node', [file], project));
  });

  it('shares one backend between the register entry and the main entry', () => {
    const file = join(project, 'register-twice.mjs');
    writeFileSync(
      file,
      `import { registerBackend, listBackends } from '@mg/core';
import '@mg/backend-cpu/register';
import { cpu } from '@mg/backend-cpu';
registerBackend(cpu());
console.log(JSON.stringify(listBackends()));`,
    );
    expect(JSON.parse(run('node', [file], project))).toEqual(['cpu']);
  });

  it('runs from CommonJS', () => {
    const file = join(project, 'main.cjs');
    writeFileSync(
      file,
      program(`const { tensor, getBackend } = require('@mg/core');
require('@mg/backend-cpu/register');
const { elu } = require('@mg/activations');`),
    );
    check(run('node', [file], project));
  });
});

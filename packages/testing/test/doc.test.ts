// Runs every ```ts example in the kit's TSDoc (src/ and src/backend-suite/): import lines are dropped (their
// bindings are in scope) and each `expr; // <json>` line must evaluate to that JSON value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@mg/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as suite from '../src/backend-suite/index.js';
import * as kit from '../src/index.js';

const RESERVED = new Set(['var', 'default', 'delete', 'in', 'new', 'function']);
const scopeOf = (bindings: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(bindings).filter(([name]) => !RESERVED.has(name) && /^[A-Za-z_$][\w$]*$/.test(name)),
  );
const base = { ...core, ...kit, ...fs, ...os, ...path, fc };
// The suite's examples see its exports over core's (its `typed`, not a tensor op); describeBackendKernels
// registers tests, which vitest refuses inside a running test, so its example runs against a stand-in that
// checks the arguments (the real thing runs in the backends' kernels.test.ts and in backend-suite.test.ts).
const suiteScope = scopeOf({
  ...base,
  ...suite,
  describeBackendKernels: (name: unknown, create: unknown, options: unknown = {}) => {
    expect(typeof name).toBe('string');
    expect(typeof create).toBe('function');
    expect(typeof options).toBe('object');
  },
});
const kitScope = scopeOf(base);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

function examplesIn(dir: string, scope: Record<string, unknown>) {
  const url = new URL(`../src/${dir}`, import.meta.url);
  const files = fs.readdirSync(url).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const source = fs.readFileSync(new URL(file, url), 'utf8');
    return [...source.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, i) => ({
      name: `${dir}${file} example ${i}`,
      scope,
      code: match[1]!
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n'),
    }));
  });
}

const examples = [...examplesIn('', kitScope), ...examplesIn('backend-suite/', suiteScope)];

describe('TSDoc examples', () => {
  it('exist', () => {
    expect(examples.length).toBeGreaterThan(15);
  });
  it.each(examples)('$name', async ({ code, scope }) => {
    const checks: [unknown, string][] = [];
    const body = code
      .split('\n')
      .filter((line) => !line.startsWith('import '))
      .map((line) => {
        const m = /^(.*);\s*\/\/ (.*)$/.exec(line);
        return m ? `__check(${m[1]}, ${JSON.stringify(m[2])});` : line;
      })
      .join('\n');
    const run = new AsyncFunction(...Object.keys(scope), '__check', body);
    await run(...Object.values(scope), (value: unknown, expected: string) => checks.push([value, expected]));
    for (const [value, expected] of checks)
      expect(JSON.stringify(value), code).toBe(JSON.stringify(JSON.parse(expected)));
  });
});

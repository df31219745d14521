// Runs every ```ts example in the kit's TSDoc: import lines are dropped (their bindings are in scope) and each
// `expr; // <json>` line must evaluate to that JSON value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@mg/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as kit from '../src/index.js';

const RESERVED = new Set(['var', 'default', 'delete', 'in', 'new', 'function']);
const scope: Record<string, unknown> = Object.fromEntries(
  Object.entries({ ...core, ...kit, ...fs, ...os, ...path, fc }).filter(
    ([name]) => !RESERVED.has(name) && /^[A-Za-z_$][\w$]*$/.test(name),
  ),
);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

const files = fs.readdirSync(new URL('../src', import.meta.url)).filter((f) => f.endsWith('.ts'));
const examples = files.flatMap((file) => {
  const source = fs.readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');
  return [...source.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, i) => ({
    name: `${file} example ${i}`,
    code: match[1]!
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, ''))
      .join('\n'),
  }));
});

describe('TSDoc examples', () => {
  it('exist', () => {
    expect(examples.length).toBeGreaterThan(15);
  });
  it.each(examples)('$name', async ({ code }) => {
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

// Runs every TSDoc @example in core's sources (see tools/doctest).

import { cpu } from '@mg/backend-cpu';
import { describe, expect, it } from 'vitest';
import { extractExamples, runExample } from '../../../tools/doctest/doctest.js';
import * as core from '../src/index.js';

const examples = extractExamples(new URL('../src', import.meta.url).pathname);

describe('TSDoc examples', () => {
  it('exist for every runtime export', () => {
    const documented = new Set(examples.map((e) => e.symbol));
    const exports = Object.entries(core) as [string, unknown][];
    // An alias (abs = absolute) is covered by its original's example.
    const covered = new Set(exports.filter(([name]) => documented.has(name)).map(([, value]) => value));
    const missing = exports
      .filter(
        ([, value]) => (typeof value === 'function' || typeof value === 'object') && !covered.has(value),
      )
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.symbol}`, e] as const))(
    '%s',
    async (_name, example) => {
      await runExample(example, { ...core, cpu });
    },
  );
});

// Runs every TSDoc @example in this package's sources (see tools/doctest), with @mg/core's exports and this
// package's in scope.

import * as core from '@mg/core';
import { describe, expect, it } from 'vitest';
import { extractExamples, runExample } from '../../doctest/doctest.js';
import * as plugin from '../src/index.js';

const examples = extractExamples(new URL('../src', import.meta.url).pathname);

describe('TSDoc examples', () => {
  it('exist for every exported function', () => {
    const documented = new Set(examples.map((e) => e.symbol));
    const missing = Object.entries(plugin)
      .filter(([, value]) => typeof value === 'function' && !(value.prototype instanceof core.Operation))
      .map(([name]) => name)
      .filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.symbol}`, e] as const))(
    '%s',
    async (_name, example) => {
      expect(await runExample(example, { ...core, ...plugin })).toBeGreaterThan(0);
    },
  );
});

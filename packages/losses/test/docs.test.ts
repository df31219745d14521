// Runs every TSDoc @example in this package's sources (see tools/doctest), with @mg/core's exports and this
// package's in scope.

import { cpu } from '@mg/backend-cpu';
import * as core from '@mg/core';
import { Operation } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { extractExamples, runExample } from '../../../tools/doctest/doctest.js';
import * as losses from '../src/index.js';

const examples = extractExamples(new URL('../src', import.meta.url).pathname);

describe('TSDoc examples', () => {
  it('exist for every exported function', () => {
    const documented = new Set(examples.map((e) => e.symbol));
    const exports = Object.entries(losses) as [string, unknown][];
    // Op classes are documented as classes; their examples are their public functions'.
    const covered = new Set(exports.filter(([name]) => documented.has(name)).map(([, value]) => value));
    const missing = exports
      .filter(([, value]) => typeof value === 'function' && !(value.prototype instanceof Operation))
      .filter(([, value]) => !covered.has(value))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.symbol}`, e] as const))(
    '%s',
    async (_name, example) => {
      expect(await runExample(example, { ...core, ...losses, cpu })).toBeGreaterThan(0);
    },
  );
});

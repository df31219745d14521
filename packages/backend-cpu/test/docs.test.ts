// Runs every TSDoc @example in this package's sources (see tools/doctest), and requires one per runtime export.
import * as core from '@mg/core';
import { describe, expect, it } from 'vitest';
import { extractExamples, runExample } from '../../../tools/doctest/doctest.js';
import * as backend from '../src/index.js';

const examples = extractExamples(new URL('../src', import.meta.url).pathname);

describe('TSDoc examples', () => {
  it('exist for every runtime export', () => {
    const documented = new Set(examples.map((e) => e.symbol));
    expect(Object.keys(backend).filter((name) => !documented.has(name))).toEqual([]);
  });
  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.symbol}`, e] as const))(
    '%s',
    async (_name, example) => {
      await runExample(example, { ...core, ...backend });
    },
  );
});

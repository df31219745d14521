// Runs every TSDoc @example in core's sources (see tools/doctest).

import { cpu } from '@mg/backend-cpu';
import { describe, expect, it } from 'vitest';
import { extractExamples, runExample } from '../../../tools/doctest/doctest.js';
import * as core from '../src/index.js';

const examples = extractExamples(new URL('../src', import.meta.url).pathname);

describe('TSDoc examples', () => {
  it('exist', () => expect(examples.length).toBeGreaterThan(50));
  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.symbol}`, e] as const))(
    '%s',
    async (_name, example) => {
      await runExample(example, { ...core, cpu });
    },
  );
});

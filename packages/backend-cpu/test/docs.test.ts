// Runs every TSDoc @example in this package's sources (see tools/doctest), and requires one per runtime export.
import * as core from '@mg/core';
import { describeDocTests } from '../../../tools/doctest/doctest.js';
import * as backend from '../src/index.js';

describeDocTests(new URL('../src', import.meta.url), {
  exports: backend,
  scope: { ...core, ...backend },
  needsExample: () => true,
  requireChecks: false,
});

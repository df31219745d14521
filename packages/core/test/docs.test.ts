// Runs every TSDoc @example in core's sources (see tools/doctest), and requires one per runtime export (an alias,
// abs = absolute, is covered by its original's).

import { cpu } from '@mg/backend-cpu';
import { describeDocTests } from '../../../tools/doctest/doctest.js';
import * as core from '../src/index.js';

describeDocTests(new URL('../src', import.meta.url), {
  exports: core,
  scope: { ...core, cpu },
  needsExample: (value) => typeof value === 'function' || (typeof value === 'object' && value !== null),
  requireChecks: false,
});

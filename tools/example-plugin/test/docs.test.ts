// Runs every TSDoc @example in this package's sources (see tools/doctest), with @mg/core's exports and this
// package's in scope, and requires one for every exported function but the op classes.
import * as core from '@mg/core';
import { describeDocTests } from '../../doctest/doctest.js';
import * as plugin from '../src/index.js';

describeDocTests(new URL('../src', import.meta.url), {
  exports: plugin,
  scope: { ...core, ...plugin },
  needsExample: (value) => typeof value === 'function' && !(value.prototype instanceof core.Operation),
});

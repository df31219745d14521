// Runs every TSDoc @example in this package's sources (see tools/doctest), with @mg/core's exports and this
// package's in scope, and requires one for every exported function (op classes are documented as classes, their
// examples are their public functions').
import * as core from '@mg/core';
import { describeDocTests } from '../../../tools/doctest/doctest.js';
import * as layers from '../src/index.js';

describeDocTests(new URL('../src', import.meta.url), {
  exports: layers,
  scope: { ...core, ...layers },
  needsExample: (value) => typeof value === 'function' && !(value.prototype instanceof core.Operation),
});

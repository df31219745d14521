// Runs every TSDoc @example in this package's sources (see tools/doctest), with @mg/core's exports and this
// package's in scope, and requires one for every exported function (an alias, logsoftmax = logSoftmax, is
// covered by its original's; op classes are documented as classes, their examples are their public functions').

import './mode.js';

import { cpu } from '@mg/backend-cpu';
import * as core from '@mg/core';
import { describeDocTests } from '../../../tools/doctest/doctest.js';
import * as activations from '../src/index.js';

describeDocTests(new URL('../src', import.meta.url), {
  exports: activations,
  scope: { ...core, ...activations, cpu },
  needsExample: (value) => typeof value === 'function' && !(value.prototype instanceof core.Operation),
});

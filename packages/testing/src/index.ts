// @mg/testing: the test kit for mg op authors: golden fixtures, tolerances, gradient checks, property tests
// and leak checks.
export * from './golden.js';
export * from './gradcheck.js';
export * from './leak.js';
export * from './property.js';
export * from './tolerance.js';

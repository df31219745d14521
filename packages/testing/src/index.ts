// @mg/testing: the test kit for mg op authors.
export * from './gradcheck.js';

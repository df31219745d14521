// @mg/testing/backend-suite: the kernel-level conformance suite for mg backends (describeBackendKernels), and
// the naive references, arbitraries and assertion it is built from, for a backend's own extra tests. The only
// entry of @mg/testing that imports vitest.
export {
  arrArb,
  broadcastArb,
  broadcastableTo,
  permutationArb,
  type ShapeArbOptions,
  SPECIALS,
  shapeArb,
  valueArb,
} from './arbitraries.js';
export { expectValues, type ValueTolerance } from './expect.js';
export type { BackendSuiteOptions, BackendSuiteTolerance, SkipPattern, TranscendentalOp } from './harness.js';
export {
  arr,
  BOOL_OUTPUT,
  broadcastSource,
  DTYPES,
  epsilon,
  FLOAT_FUNCTIONS,
  FLOATS,
  NUMERIC,
  PREDICATES,
  REFERENCE_BINARY,
  REFERENCE_UNARY,
  ravelMultiIndex,
  refBroadcast,
  refCast,
  type TestArray,
  truthy,
  typed,
  ulps,
  unravelIndex,
  wrap32,
} from './reference.js';
export { describeBackendKernels } from './suite.js';

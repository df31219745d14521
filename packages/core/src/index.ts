// @mg/core: tensors, autodiff, the op and kernel registries, the backend contract, and MyGrad's core functions.
export * from './backend.js';
export * from './dtype.js';
export { asInput, type ExecuteOptions, executeOp, isGradEnabled, noAutodiff } from './engine.js';
export * from './errors.js';
export { expFloat32 } from './fastmath.js';
export { loopCopy } from './loop-copy.js';
export { keep, type MemoryUsage, memory, tidy } from './memory.js';
export { type FusedKernel, type OpAttrs, type OpClass, Operation, type OpId } from './operation.js';
export * from './ops/arithmetic.js';
export {
  ceil,
  equal,
  floor,
  greater,
  greaterEqual,
  isfinite,
  isinf,
  isnan,
  less,
  lessEqual,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  notEqual,
  rint,
  sign,
  trunc,
} from './ops/compare.js';
export * from './ops/creation.js';
export type { BinaryFunction, OpOptions, UnaryFunction } from './ops/define.js';
export * from './ops/indexing.js';
export * from './ops/linalg.js';
export * from './ops/minmax.js';
export * from './ops/norm.js';
export * from './ops/random.js';
export * from './ops/reductions.js';
export * from './ops/shape.js';
export * from './ops/unary-math.js';
export {
  CORE_MAJOR,
  findBackend,
  getBackend,
  kernelCoverage,
  listBackends,
  listOps,
  PLUGIN_API_VERSION,
  registerBackend,
  registerKernel,
  registerOp,
  requirePluginApi,
  setBackend,
  setForceComposite,
} from './registry.js';
export * from './shape.js';
export { makeTensor, type NestedArray, Tensor, type TensorLike, type TensorOptions } from './tensor.js';

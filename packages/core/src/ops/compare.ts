// Comparisons, logical functions and other non-differentiable element-wise functions: they return constant
// tensors (MyGrad returns plain arrays), and refuse non-constant inputs where MyGrad does.
import type { BinaryOp, UnaryOp } from '../backend.js';
import { floatResult, isFloat } from '../dtype.js';
import { asInput } from '../engine.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { requireConstant } from './define.js';
import { binaryKernel, castTo, computeDType, runKernel, unaryKernel } from './kernel.js';

function comparison(name: string, op: BinaryOp) {
  return (x1: TensorLike, x2: TensorLike): Tensor => {
    const a = asInput(x1);
    const b = asInput(x2);
    return binaryKernel(name, op, a, b, computeDType(a, b), 'bool');
  };
}

function logical(name: string, op: BinaryOp) {
  return (x1: TensorLike, x2: TensorLike): Tensor =>
    binaryKernel(name, op, asInput(x1), asInput(x2), undefined, 'bool');
}

function predicate(op: UnaryOp) {
  return (x: TensorLike): Tensor => unaryKernel(op, asInput(x), 'bool');
}

/** Element-wise `x1 == x2` as a constant bool tensor. @example `equal(tensor([1, 2]), 2).toArray(); // [false, true]` */
export const equal = comparison('equal', 'equal');
/** Element-wise `x1 != x2` as a constant bool tensor. @example `notEqual(tensor([1, 2]), 2).toArray(); // [true, false]` */
export const notEqual = comparison('notEqual', 'notEqual');
/** Element-wise `x1 < x2` as a constant bool tensor. @example `less(tensor([1, 2]), 2).toArray(); // [true, false]` */
export const less = comparison('less', 'less');
/** Element-wise `x1 <= x2` as a constant bool tensor. @example `lessEqual(tensor([1, 3]), 2).toArray(); // [true, false]` */
export const lessEqual = comparison('lessEqual', 'lessEqual');
/** Element-wise `x1 > x2` as a constant bool tensor. @example `greater(tensor([1, 3]), 2).toArray(); // [false, true]` */
export const greater = comparison('greater', 'greater');
/** Element-wise `x1 >= x2` as a constant bool tensor. @example `greaterEqual(tensor([1, 2]), 2).toArray(); // [false, true]` */
export const greaterEqual = comparison('greaterEqual', 'greaterEqual');
/** Element-wise logical and (non-zero is true). @example `logicalAnd([true, true], [true, false]).toArray(); // [true, false]` */
export const logicalAnd = logical('logicalAnd', 'logicalAnd');
/** Element-wise logical or. @example `logicalOr([false, true], [false, false]).toArray(); // [false, true]` */
export const logicalOr = logical('logicalOr', 'logicalOr');
/** Element-wise logical exclusive or. @example `logicalXor([true, true], [true, false]).toArray(); // [false, true]` */
export const logicalXor = logical('logicalXor', 'logicalXor');
/** Element-wise logical not. @example `logicalNot([true, false]).toArray(); // [false, true]` */
export const logicalNot = predicate('logicalNot');
/** Element-wise NaN test. @example `isnan([1, NaN]).toArray(); // [false, true]` */
export const isnan = predicate('isnan');
/** Element-wise ±Infinity test. @example `isinf([1, -Infinity]).toArray(); // [false, true]` */
export const isinf = predicate('isinf');
/** Element-wise finiteness test. @example `isfinite([1, NaN]).toArray(); // [true, false]` */
export const isfinite = predicate('isfinite');

function constantOnly(name: string, op: UnaryOp) {
  return (x: TensorLike): Tensor => {
    requireConstant(name, x);
    const t = asInput(x);
    return unaryKernel(op, isFloat(t.dtype) || op === 'sign' ? t : castTo(t, floatResult(t.dtype)));
  };
}

/** Element-wise floor (constant inputs only, as MyGrad). @example `floor([1.5, -1.5]).toArray(); // [1, -2]` */
export const floor = constantOnly('floor', 'floor');
/** Element-wise ceiling (constant inputs only). @example `ceil([1.5, -1.5]).toArray(); // [2, -1]` */
export const ceil = constantOnly('ceil', 'ceil');
/** Element-wise truncation toward zero (constant inputs only). @example `trunc([1.5, -1.5]).toArray(); // [1, -1]` */
export const trunc = constantOnly('trunc', 'trunc');
/** Element-wise rounding half to even (constant inputs only). @example `rint([0.5, 1.5]).toArray(); // [0, 2]` */
export const rint = constantOnly('rint', 'round');
/** Element-wise sign: -1, 0 or 1 (constant inputs only). @example `sign([-3, 0, 2]).toArray(); // [-1, 0, 1]` */
export const sign = constantOnly('sign', 'sign');

/** @internal Graph-free element-wise select, used by gradients: `cond ? a : b` broadcast together. */
export function select(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const ta = typeof a === 'number' ? asInput(a) : a;
  const tb = typeof b === 'number' ? asInput(b) : b;
  const dtype = computeDType(ta, tb);
  const shape = broadcastShapes('where', cond.shape, ta.shape, tb.shape);
  const ca = castTo(ta, dtype);
  const cb = castTo(tb, dtype);
  const c = castTo(cond, 'bool');
  return runKernel(shape, dtype, (k, info) => k.where(info(c), info(ca), info(cb), { shape, dtype }));
}

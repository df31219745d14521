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

/**
 * Element-wise `x1 == x2`, with broadcasting, as a constant bool tensor (not differentiable).
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * equal(tensor([1, 2]), 2).toArray(); // [false, true]
 * equal([[1], [2]], [1, 2]).toArray(); // [[true, false], [false, true]]
 * equal(tensor([NaN]), NaN).toArray(); // [false]
 * equal(tensor([1.5], { constant: false }), 1.5).constant; // true
 * ```
 */
export const equal = comparison('equal', 'equal');
/**
 * Element-wise `x1 != x2`, with broadcasting, as a constant bool tensor (not differentiable).
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * notEqual(tensor([1, 2]), 2).toArray(); // [true, false]
 * notEqual(tensor([NaN]), NaN).toArray(); // [true]
 * ```
 */
export const notEqual = comparison('notEqual', 'notEqual');
/**
 * Element-wise `x1 < x2`, with broadcasting, as a constant bool tensor (not differentiable).
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * less(tensor([1, 2]), 2).toArray(); // [true, false]
 * less(tensor([1, 2], { dtype: 'int32' }), tensor([1.5])).dtype; // "bool"
 * ```
 */
export const less = comparison('less', 'less');
/**
 * Element-wise `x1 <= x2`, with broadcasting, as a constant bool tensor (not differentiable).
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * lessEqual(tensor([1, 3]), 2).toArray(); // [true, false]
 * lessEqual(tensor([2]), 2).toArray(); // [true]
 * ```
 */
export const lessEqual = comparison('lessEqual', 'lessEqual');
/**
 * Element-wise `x1 > x2`, with broadcasting, as a constant bool tensor (not differentiable).
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * greater(tensor([1, 3]), 2).toArray(); // [false, true]
 * greater([[0], [5]], [1, 4]).toArray(); // [[false, false], [true, true]]
 * ```
 */
export const greater = comparison('greater', 'greater');
/**
 * Element-wise `x1 >= x2`, with broadcasting, as a constant bool tensor (not differentiable).
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * greaterEqual(tensor([1, 2]), 2).toArray(); // [false, true]
 * greaterEqual(tensor([NaN]), 0).toArray(); // [false]
 * ```
 */
export const greaterEqual = comparison('greaterEqual', 'greaterEqual');
/**
 * Element-wise logical and, with broadcasting: non-zero (and NaN) counts as true.
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * logicalAnd([true, true], [true, false]).toArray(); // [true, false]
 * logicalAnd(tensor([0, 2, NaN]), 1).toArray(); // [false, true, true]
 * ```
 */
export const logicalAnd = logical('logicalAnd', 'logicalAnd');
/**
 * Element-wise logical or, with broadcasting: non-zero (and NaN) counts as true.
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * logicalOr([false, true], [false, false]).toArray(); // [false, true]
 * logicalOr(tensor([0, -3]), 0).toArray(); // [false, true]
 * ```
 */
export const logicalOr = logical('logicalOr', 'logicalOr');
/**
 * Element-wise logical exclusive or, with broadcasting: non-zero (and NaN) counts as true.
 *
 * @param x1 - A tensor or array-like.
 * @param x2 - A tensor or array-like, broadcastable with `x1`.
 * @returns A constant bool tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * logicalXor([true, true], [true, false]).toArray(); // [false, true]
 * logicalXor(tensor([[0], [1]]), [0, 1]).toArray(); // [[false, true], [true, false]]
 * ```
 */
export const logicalXor = logical('logicalXor', 'logicalXor');
/**
 * Element-wise logical not: true where `x` is zero.
 *
 * @param x - A tensor or array-like.
 * @returns A constant bool tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * logicalNot([true, false]).toArray(); // [false, true]
 * logicalNot(tensor([0, 2.5])).toArray(); // [true, false]
 * ```
 */
export const logicalNot = predicate('logicalNot');
/**
 * Element-wise test for NaN.
 *
 * @param x - A tensor or array-like.
 * @returns A constant bool tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * isnan([1, NaN]).toArray(); // [false, true]
 * isnan(tensor([1, 2], { dtype: 'int32' })).toArray(); // [false, false]
 * ```
 */
export const isnan = predicate('isnan');
/**
 * Element-wise test for positive or negative infinity.
 *
 * @param x - A tensor or array-like.
 * @returns A constant bool tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * isinf([1, -Infinity, NaN]).toArray(); // [false, true, false]
 * ```
 */
export const isinf = predicate('isinf');
/**
 * Element-wise test for finite values: neither infinite nor NaN.
 *
 * @param x - A tensor or array-like.
 * @returns A constant bool tensor of `x`'s shape.
 *
 * @example
 * ```ts
 * isfinite([1, NaN, Infinity]).toArray(); // [true, false, false]
 * ```
 */
export const isfinite = predicate('isfinite');

function constantOnly(name: string, op: UnaryOp) {
  return (x: TensorLike): Tensor => {
    requireConstant(name, x);
    const t = asInput(x);
    return unaryKernel(op, isFloat(t.dtype) || op === 'sign' ? t : castTo(t, floatResult(t.dtype)));
  };
}

/**
 * Element-wise floor: the largest integer not above each element. Not differentiable: as MyGrad, it refuses
 * non-constant tensors.
 * Float inputs keep their dtype; int and bool inputs give float64, as NumPy.
 *
 * @param x - A constant tensor, or array-like data.
 * @returns A constant tensor of `x`'s shape.
 * @throws MgValueError when `x` is a non-constant tensor.
 *
 * @example
 * ```ts
 * floor([1.5, -1.5]).toArray(); // [1, -2]
 * floor(tensor([3], { dtype: 'int32' })).dtype; // "float64"
 * const err = (() => {
 *   try {
 *     floor(tensor([1.5]));
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof MgValueError; // true
 * ```
 */
export const floor = constantOnly('floor', 'floor');
/**
 * Element-wise ceiling: the smallest integer not below each element. Not differentiable: as MyGrad, it
 * refuses non-constant tensors.
 * Float inputs keep their dtype; int and bool inputs give float64, as NumPy.
 *
 * @param x - A constant tensor, or array-like data.
 * @returns A constant tensor of `x`'s shape.
 * @throws MgValueError when `x` is a non-constant tensor.
 *
 * @example
 * ```ts
 * ceil([1.5, -1.5]).toArray(); // [2, -1]
 * ceil(tensor([1.2], { constant: true })).toArray(); // [2]
 * ```
 */
export const ceil = constantOnly('ceil', 'ceil');
/**
 * Element-wise truncation toward zero. Not differentiable: as MyGrad, it refuses non-constant tensors.
 * Float inputs keep their dtype; int and bool inputs give float64, as NumPy.
 *
 * @param x - A constant tensor, or array-like data.
 * @returns A constant tensor of `x`'s shape.
 * @throws MgValueError when `x` is a non-constant tensor.
 *
 * @example
 * ```ts
 * trunc([1.5, -1.5]).toArray(); // [1, -1]
 * trunc(tensor([2.7], { dtype: 'float32', constant: true })).dtype; // "float32"
 * ```
 */
export const trunc = constantOnly('trunc', 'trunc');
/**
 * Element-wise rounding to the nearest integer, halves to even (NumPy's `rint`). Not differentiable: as
 * MyGrad, it refuses non-constant tensors.
 * Float inputs keep their dtype; int and bool inputs give float64, as NumPy.
 *
 * @param x - A constant tensor, or array-like data.
 * @returns A constant tensor of `x`'s shape.
 * @throws MgValueError when `x` is a non-constant tensor.
 *
 * @example
 * ```ts
 * rint([0.5, 1.5, 2.5, -0.5]).toArray(); // [0, 2, 2, -0]
 * rint([1.4999]).toArray(); // [1]
 * ```
 */
export const rint = constantOnly('rint', 'round');
/**
 * Element-wise sign: -1, 0 or 1 (NaN stays NaN). Not differentiable: as MyGrad, it refuses non-constant
 * tensors. The output keeps the input's dtype (ints stay ints).
 *
 * @param x - A constant tensor, or array-like data.
 * @returns A constant tensor of `x`'s shape.
 * @throws MgValueError when `x` is a non-constant tensor.
 *
 * @example
 * ```ts
 * sign([-3, 0, 2]).toArray(); // [-1, 0, 1]
 * sign(tensor([-7, 4], { dtype: 'int32' })).dtype; // "int32"
 * ```
 */
export const sign = constantOnly('sign', 'sign');

/**
 * @internal Graph-free element-wise select, used by gradients: `cond ? a : b` broadcast together. Unlike
 * `where`, it records nothing and accepts non-constant tensors; the result is a constant tensor of `a` and
 * `b`'s promoted dtype.
 *
 * @param cond - The condition (cast to bool: non-zero is true).
 * @param a - The values where `cond` is true.
 * @param b - The values where `cond` is false.
 * @returns A constant tensor of the broadcast shape of the three.
 * @throws ShapeError when the shapes cannot be broadcast together.
 */
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

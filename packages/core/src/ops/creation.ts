// Tensor creation: tensor, astensor, astype, copy, and MyGrad's graph-free constructors (zeros, ones, full,
// eye, arange, linspace, logspace, geomspace and the *Like family).
import { type DType, isFloat, parseDType, resultType, type TypedArray } from '../dtype.js';
import { asInput } from '../engine.js';
import { MgTypeError, MgValueError, ShapeError } from '../errors.js';
import { getBackend } from '../registry.js';
import { broadcastShapes, checkShape, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../shape.js';
import { makeTensor, resolveConstant, Tensor, type TensorLike, type TensorOptions } from '../tensor.js';
import { castTo, filled, runKernel } from './kernel.js';

/**
 * Makes a new tensor from array-like data (always a copy), as MyGrad's `tensor`. JS numbers are float64,
 * booleans bool; Int32Array (and other integer TypedArrays) give int32; pass `dtype` to choose.
 * @throws MgTypeError for non-numeric data or a non-boolean `constant`; ShapeError for ragged nested arrays;
 *   ConstantIntegerError for `constant: false` on integer data.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.dtype; // "float64"
 * ```
 */
export function tensor(data: TensorLike, options: TensorOptions = {}): Tensor {
  return new Tensor(data, options);
}

/**
 * Returns `data` itself when it is already a tensor of the requested dtype and constant-ness (keeping its graph
 * and grad); otherwise a new tensor.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * astensor(x) === x; // true
 * ```
 */
export function astensor(
  data: TensorLike,
  options: { dtype?: string | null; constant?: boolean | null } = {},
): Tensor {
  if (data instanceof Tensor) {
    const dtypeOk =
      options.dtype === undefined ||
      options.dtype === null ||
      parseDType(options.dtype, 'astensor') === data.dtype;
    const constantOk =
      options.constant === undefined || options.constant === null || options.constant === data.constant;
    if (dtypeOk && constantOk) return data;
  }
  return new Tensor(data, { dtype: options.dtype ?? undefined, constant: options.constant });
}

/**
 * A new graph-free tensor holding `x`'s data as `dtype`. Its constant flag is `constant` if given, else inferred
 * from the new dtype (float: not constant).
 * @example
 * ```ts
 * tensor([1.7, -1.7]).astype('int32').toArray(); // [1, -1]
 * ```
 */
export function astype(x: TensorLike, dtype: string, options: { constant?: boolean | null } = {}): Tensor {
  const source = x instanceof Tensor ? x : new Tensor(x);
  const target = parseDType(dtype, 'astype');
  const out = castTo(source, target);
  const result = out === source ? new Tensor(source) : out;
  result.constant = resolveConstant('astype', options.constant, target, undefined);
  return result;
}

/**
 * A graph-free copy of `x`'s data and grad.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * const y = copy(x);
 * y === x; // false
 * ```
 */
export function copy(x: Tensor, options: { constant?: boolean | null } = {}): Tensor {
  const out = new Tensor(x, { constant: options.constant ?? x.constant });
  if (x.grad) out.grad = new Tensor(x.grad, { constant: true });
  return out;
}

// The chainable methods of Tensor (x.add(y).sum()), each a thin call to the public function of the same op.
// Kept apart from tensor.ts so the class file stays about data and autodiff.
import type { DType } from './dtype.js';
import { add, divide, multiply, negative, power, subtract } from './ops/arithmetic.js';
import { astype, copy } from './ops/creation.js';
import type { OpOptions } from './ops/define.js';
import { getitem, type Index } from './ops/indexing.js';
import { matmul } from './ops/linalg.js';
import { clip } from './ops/minmax.js';
import {
  any,
  argmax,
  argmin,
  cumprod,
  cumsum,
  max,
  mean,
  min,
  prod,
  type ReduceOptions,
  std,
  sum,
  type VarianceOptions,
  variance,
} from './ops/reductions.js';
import { flatten, moveaxis, ravel, reshape, squeeze, swapaxes, transpose } from './ops/shape.js';
import { absolute, exp, log, sqrt } from './ops/unary-math.js';
import type { Tensor, TensorLike } from './tensor.js';

type Self = Tensor;

/** The methods installed on Tensor.prototype. `this` is the tensor. */
export const tensorMethods = {
  /** `this + other` (see `add`). */
  add(this: Self, other: TensorLike, options?: OpOptions): Tensor {
    return add(this, other, options);
  },
  /** `this - other` (see `subtract`). */
  sub(this: Self, other: TensorLike, options?: OpOptions): Tensor {
    return subtract(this, other, options);
  },
  /** `this * other` (see `multiply`). */
  mul(this: Self, other: TensorLike, options?: OpOptions): Tensor {
    return multiply(this, other, options);
  },
  /** `this / other` (see `divide`). */
  div(this: Self, other: TensorLike, options?: OpOptions): Tensor {
    return divide(this, other, options);
  },
  /** `this ** other` (see `power`). */
  pow(this: Self, other: TensorLike, options?: OpOptions): Tensor {
    return power(this, other, options);
  },
  /** `-this` (see `negative`). */
  neg(this: Self, options?: OpOptions): Tensor {
    return negative(this, options);
  },
  /** `this @ other` (see `matmul`). */
  matmul(this: Self, other: TensorLike, options?: OpOptions): Tensor {
    return matmul(this, other, options);
  },
  /** e^this (see `exp`). */
  exp(this: Self, options?: OpOptions): Tensor {
    return exp(this, options);
  },
  /** Natural log (see `log`). */
  log(this: Self, options?: OpOptions): Tensor {
    return log(this, options);
  },
  /** Square root (see `sqrt`). */
  sqrt(this: Self, options?: OpOptions): Tensor {
    return sqrt(this, options);
  },
  /** |this| (see `absolute`). */
  abs(this: Self, options?: OpOptions): Tensor {
    return absolute(this, options);
  },
  /** Sum over axes (see `sum`). */
  sum(this: Self, options?: ReduceOptions): Tensor {
    return sum(this, options);
  },
  /** Mean over axes (see `mean`). */
  mean(this: Self, options?: ReduceOptions): Tensor {
    return mean(this, options);
  },
  /** Variance over axes (see `variance`). */
  var(this: Self, options?: VarianceOptions): Tensor {
    return variance(this, options);
  },
  /** Standard deviation over axes (see `std`). */
  std(this: Self, options?: VarianceOptions): Tensor {
    return std(this, options);
  },
  /** Product over axes (see `prod`). */
  prod(this: Self, options?: ReduceOptions): Tensor {
    return prod(this, options);
  },
  /** Maximum over axes (see `max`). */
  max(this: Self, options?: ReduceOptions): Tensor {
    return max(this, options);
  },
  /** Minimum over axes (see `min`). */
  min(this: Self, options?: ReduceOptions): Tensor {
    return min(this, options);
  },
  /** Cumulative sum (see `cumsum`). */
  cumsum(this: Self, options?: { axis?: number | null; constant?: boolean | null }): Tensor {
    return cumsum(this, options);
  },
  /** Cumulative product (see `cumprod`). */
  cumprod(this: Self, options?: { axis?: number | null; constant?: boolean | null }): Tensor {
    return cumprod(this, options);
  },
  /** Index of the maximum (see `argmax`). */
  argmax(this: Self, options?: { axis?: number | null }): Tensor {
    return argmax(this, options);
  },
  /** Index of the minimum (see `argmin`). */
  argmin(this: Self, options?: { axis?: number | null }): Tensor {
    return argmin(this, options);
  },
  /** Whether any element is truthy (see `any`). */
  any(this: Self, options?: { axis?: number | readonly number[] | null; keepdims?: boolean }): Tensor {
    return any(this, options);
  },
  /** `this[index]`: basic and advanced indexing (see `getitem`). */
  getitem(this: Self, index: Index, options?: OpOptions): Tensor {
    return getitem(this, index, options);
  },
  /** A new shape with the same data (see `reshape`). */
  reshape(this: Self, ...newShape: (number | readonly number[])[]): Tensor {
    return reshape(this, newShape.length === 1 ? newShape[0]! : (newShape as number[]));
  },
  /** A 1-D copy (see `flatten`). */
  flatten(this: Self, options?: OpOptions): Tensor {
    return flatten(this, options);
  },
  /** Flattened to 1-D (see `ravel`). */
  ravel(this: Self, options?: OpOptions): Tensor {
    return ravel(this, options);
  },
  /** Size-1 axes removed (see `squeeze`). */
  squeeze(
    this: Self,
    options?: { axis?: number | readonly number[] | null; constant?: boolean | null },
  ): Tensor {
    return squeeze(this, options);
  },
  /** Two axes interchanged (see `swapaxes`). */
  swapaxes(this: Self, axis1: number, axis2: number, options?: OpOptions): Tensor {
    return swapaxes(this, axis1, axis2, options);
  },
  /** Axes permuted; reversed when none are given (see `transpose`). */
  transpose(this: Self, ...axes: (number | readonly number[])[]): Tensor {
    return transpose(this, ...axes);
  },
  /** Axes moved (see `moveaxis`). */
  moveaxis(
    this: Self,
    source: number | readonly number[],
    destination: number | readonly number[],
    options?: OpOptions,
  ): Tensor {
    return moveaxis(this, source, destination, options);
  },
  /** Values limited to [aMin, aMax] (see `clip`). */
  clip(this: Self, aMin: TensorLike | null, aMax: TensorLike | null, options?: OpOptions): Tensor {
    return clip(this, aMin, aMax, options);
  },
  /** A graph-free copy as `dtype` (see `astype`). */
  astype(this: Self, dtype: DType | string, options?: { constant?: boolean | null }): Tensor {
    return astype(this, dtype, options);
  },
  /** A graph-free copy of data and grad (see `copy`). */
  copy(this: Self, options?: { constant?: boolean | null }): Tensor {
    return copy(this, options);
  },
};

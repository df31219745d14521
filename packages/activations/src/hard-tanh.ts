// Hard tanh: x clipped to [lowerBound, upperBound] — MyGrad's nnet.activations.hard_tanh, a composition of mg ops.
import { maximum, minimum, type Tensor, type TensorLike } from '@mg/core';
import { realScalar } from './validate.js';

/** Options of `hardTanh`. */
export interface HardTanhOptions {
  /** The value below which the output is flat: a real number (or a one-element tensor/array). Default -1. */
  lowerBound?: number | TensorLike;
  /** The value above which the output is flat: a real number (or a one-element tensor/array). Default 1. */
  upperBound?: number | TensorLike;
  /** Force the output to be (or not be) a constant; default: constant iff `x` is. */
  constant?: boolean | null;
}

/**
 * The hard hyperbolic tangent: `lowerBound` where x <= lowerBound, `upperBound` where x >= upperBound, x in
 * between. Built, as MyGrad's, as `maximum(lowerBound, minimum(x, upperBound))`, so the gradient is 1 strictly
 * between the bounds and 0 elsewhere — including exactly at a bound (a tie in maximum/minimum).
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `lowerBound` (default -1), `upperBound` (default 1), `constant`.
 * @returns hardtanh(x), of x's shape. The bounds are JS numbers (float64 scalars), so float inputs keep their
 *   dtype and int inputs give float64.
 * @throws MgTypeError when a bound is not a real scalar (the message names the value and its type).
 * @example
 * ```ts
 * const x = tensor([-3, -1, 0.5, 2]);
 * const y = hardTanh(x, { lowerBound: -2, upperBound: 1 });
 * y.toArray(); // [-2, -1, 0.5, 1]
 * y.backward();
 * x.grad?.toArray(); // [0, 1, 1, 0]
 * ```
 */
export function hardTanh(x: TensorLike, options: HardTanhOptions = {}): Tensor {
  // An explicit null is MyGrad's None: a TypeError, not the default.
  const { lowerBound = -1, upperBound = 1 } = options;
  const lower = realScalar('hardTanh', 'lowerBound', lowerBound);
  const upper = realScalar('hardTanh', 'upperBound', upperBound);
  const { constant } = options;
  return maximum(lower, minimum(x, upper, { constant }), { constant });
}

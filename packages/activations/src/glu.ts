// GLU: A·σ(B) with A, B the halves of x along an axis — MyGrad's nnet.activations.glu, a composition of mg ops.
import {
  asInput,
  MgValueError,
  multiply,
  normalizeAxis,
  reshape,
  sum,
  type Tensor,
  type TensorLike,
  tensor,
  where,
} from '@mg/core';
import { sigmoid } from './sigmoid.js';
import { integerScalar } from './validate.js';

/** Options of `glu`. */
export interface GluOptions {
  /** The axis to split in half (an integer, or a one-element int tensor). Default -1. */
  axis?: number | TensorLike;
  /** Force the output to be (or not be) a constant; default: constant iff `x` is. */
  constant?: boolean | null;
}

/**
 * One half of `x` along `axis` (0: the first, 1: the second), differentiable. @mg/core has no slicing op, so x
 * is viewed with that axis split into [2, n/2] and the other half is masked out and summed away: each element
 * is `value + 0`, exact but for the sign of a zero.
 */
function half(x: Tensor, axis: number, which: 0 | 1): Tensor {
  const size = x.shape[axis]!;
  const split = [...x.shape.slice(0, axis), 2, size / 2, ...x.shape.slice(axis + 1)];
  const maskShape = [2, ...new Array<number>(x.ndim - axis).fill(1)];
  const mask = tensor(Uint8Array.of(which === 0 ? 1 : 0, which === 1 ? 1 : 0), {
    shape: maskShape,
    dtype: 'bool',
  });
  return sum(where(mask, reshape(x, split), 0), { axis });
}

/**
 * The gated linear unit (Dauphin et al., "Language Modeling with Gated Convolutional Networks", 2016): x is
 * split in half along `axis` into A (first half) and B (second half), and the result is `A · σ(B)`. Built, as
 * MyGrad's, as `multiply(A, sigmoid(B))`, so both halves get gradients.
 *
 * @param x - The input; its size along `axis` must be even.
 * @param options - `axis` (default -1), `constant`.
 * @returns A·σ(B): x's shape with the size along `axis` halved; float inputs keep their dtype, int inputs give
 *   float64.
 * @throws MgTypeError when `axis` is not an integer (the message names the value and its type); AxisError when
 *   it is out of range for x (a 0-d x has no axis to split); MgValueError when x's size along `axis` is odd.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 0, 100]]);
 * const y = glu(x);
 * y.toArray(); // [[0.5, 2]]
 * y.backward();
 * x.grad?.toArray(); // [[0.5, 1, 0.25, 0]]
 * glu(tensor([[1, 2], [0, 100]]), { axis: 0 }).toArray(); // [[0.5, 2]]
 * ```
 */
export function glu(x: TensorLike, options: GluOptions = {}): Tensor {
  const input = asInput(x);
  const { axis: given = -1 } = options;
  const axis = normalizeAxis('glu', integerScalar('glu', 'axis', given), input.ndim);
  if (input.shape[axis]! % 2 !== 0) {
    throw new MgValueError(
      `glu: x must split in half along axis ${axis}, but its shape [${input.shape.join(', ')}] has an odd size there`,
    );
  }
  return multiply(half(input, axis, 0), sigmoid(half(input, axis, 1)), { constant: options.constant });
}

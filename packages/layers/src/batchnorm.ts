// batchnorm: MyGrad's nnet.layers.batchnorm, composed of public mg functions.
import {
  add,
  asInput,
  divide,
  mean,
  multiply,
  type OpOptions,
  reshape,
  sqrt,
  subtract,
  type Tensor,
  type TensorLike,
  variance,
} from '@mg/core';

/** An optional per-channel parameter (MyGrad treats an empty one as absent), shaped to broadcast over x. */
function affine(value: TensorLike | null | undefined, perChannel: readonly number[]): Tensor | null {
  if (value === null || value === undefined) return null;
  const t = asInput(value);
  return t.size === 0 ? null : reshape(t, [...perChannel]);
}

/** Options of `batchnorm`. */
export interface BatchnormOptions extends OpOptions {
  /** Per-channel scale, shape (C,) (default: none). */
  readonly gamma?: TensorLike | null;
  /** Per-channel shift, shape (C,) (default: none). */
  readonly beta?: TensorLike | null;
}

/**
 * Batch normalisation over every axis but axis 1 (the channels): `(x - mean) / sqrt(var + eps)`, then times
 * `gamma` and plus `beta` per channel when given. Gradients reach x, gamma and beta.
 *
 * @param x - Shape (N, C, …).
 * @param eps - Added to the variance (MyGrad: keyword-only, required).
 * @param options - `gamma`, `beta`: shape-(C,) affine parameters; `constant`: force the output's constant flag.
 * @returns The normalised x, of x's shape.
 * @throws ShapeError when gamma or beta does not broadcast as shape (C,).
 * @example
 * ```ts
 * const x = tensor([[1, 10], [3, 30]]);
 * const y = batchnorm(x, 0, { beta: [0, 1] });
 * y.toArray(); // [[-1, 0], [1, 2]]
 * ```
 */
export function batchnorm(x: TensorLike, eps: number, options: BatchnormOptions = {}): Tensor {
  const data = asInput(x);
  const axes = data.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = data.shape.map((d, i) => (i === 1 ? d : 1));
  const { gamma, beta, constant } = options;
  const scale = affine(gamma, perChannel);
  const shift = affine(beta, perChannel);
  const centered = subtract(data, mean(data, { axis: axes, keepdims: true }));
  const std = sqrt(add(variance(data, { axis: axes, keepdims: true }), eps));
  // `constant` goes to the last op.
  if (scale === null && shift === null) return divide(centered, std, { constant });
  const normed = divide(centered, std);
  if (shift === null) return multiply(normed, scale!, { constant });
  return add(scale === null ? normed : multiply(normed, scale), shift, { constant });
}

// Leaky ReLU: max(x, 0) + slope·min(x, 0) — MyGrad's nnet.activations.leaky_relu, a composition of mg ops.
import { add, maximum, minimum, multiply, type OpOptions, type Tensor, type TensorLike } from '@mg/core';
import { realScalar } from './validate.js';

/**
 * The leaky rectified linear unit: x where x > 0, `slope·x` where x < 0. Built, as MyGrad's, as
 * `maximum(x, 0) + slope·minimum(x, 0)`; at x = 0 both terms tie, so the gradient there is 0.
 *
 * @param x - The input (any tensor or array-like).
 * @param slope - The slope of the negative part: a real number, or a 0-d tensor or 1-element array holding one
 *   (its value is used; it gets no gradient).
 * @param options - `constant`: force the output's constant flag.
 * @returns leaky_relu(x), of x's shape; float inputs keep their dtype, int inputs give float64.
 * @throws MgTypeError when `slope` is not a real scalar (the message names the value and its type).
 * @example
 * ```ts
 * const x = tensor([-2, 0, 3]);
 * const y = leakyRelu(x, 0.1);
 * y.toArray(); // [-0.2, 0, 3]
 * y.backward();
 * x.grad?.toArray(); // [0.1, 0, 1]
 * ```
 */
export function leakyRelu(x: TensorLike, slope: number | TensorLike, options: OpOptions = {}): Tensor {
  const s = realScalar('leakyRelu', 'slope', slope);
  const { constant } = options;
  return add(maximum(x, 0, { constant }), multiply(s, minimum(x, 0, { constant })));
}

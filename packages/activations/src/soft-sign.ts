// Soft sign: x / (1 + |x|) — MyGrad's nnet.activations.soft_sign, a composition of mg ops.
import { absolute, add, divide, type OpOptions, type Tensor, type TensorLike } from '@mg/core';

/**
 * The soft sign, `x / (1 + |x|)`, element-wise: a smooth map onto (-1, 1). Built, as MyGrad's, from `divide`
 * and `absolute`, so its gradient `1 / (1 + |x|)²` is 1 at 0.
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `constant`: force the output's constant flag.
 * @returns softsign(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws MgTypeError when `x` is not numeric data (as `tensor` does); nothing of its own.
 * @example
 * ```ts
 * const x = tensor([-3, 0, 1]);
 * const y = softSign(x);
 * y.toArray(); // [-0.75, 0, 0.5]
 * y.backward();
 * x.grad?.toArray(); // [0.0625, 1, 0.25]
 * ```
 */
export function softSign(x: TensorLike, options: OpOptions = {}): Tensor {
  return divide(x, add(1, absolute(x)), { constant: options.constant });
}

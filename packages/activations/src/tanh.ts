// tanh: MyGrad's nnet.activations.tanh is mygrad.tanh itself, so this is @mg/core's tanh.
import { tanh as coreTanh, type UnaryFunction } from '@mg/core';

/**
 * The hyperbolic tangent, element-wise: `@mg/core`'s `tanh` (the same function object), offered here as MyGrad
 * offers `mygrad.tanh` among its activations. Its gradient is `1 - tanh(x)²`.
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `constant`: force the output's constant flag.
 * @returns tanh(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws MgTypeError when `x` is not numeric data (as `tensor` does); nothing of its own.
 * @example
 * ```ts
 * const x = tensor([0, 1]);
 * const y = tanh(x);
 * y.toArray(); // [0, 0.7615941559557649]
 * y.backward();
 * x.grad?.toArray(); // [1, 0.41997434161402614]
 * ```
 */
export const tanh: UnaryFunction = coreTanh;

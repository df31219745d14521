// Arithmetic: add, subtract, multiply, divide, power, negative, positive, reciprocal, square, and the
// n-ary addSequence/multiplySequence, with MyGrad's gradients.

import { floatResult } from '../dtype.js';
import { executeOp } from '../engine.js';
import { MgValueError } from '../errors.js';
import { Operation } from '../operation.js';
import { registerOp } from '../registry.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { equal, select } from './compare.js';
import { binaryForward, defineBinary, defineUnary, type OpOptions, splitOptions } from './define.js';
import { binaryKernel, castTo, numeric, unaryKernel } from './kernel.js';
import { log } from './unary-math.js';

declare module '../operation.js' {
  interface OpAttrs {
    'mg.add': {};
    'mg.subtract': {};
    'mg.multiply': {};
    'mg.divide': {};
    'mg.power': {};
    'mg.negative': {};
    'mg.positive': {};
    'mg.reciprocal': {};
    'mg.square': {};
    'mg.addSequence': {};
    'mg.multiplySequence': {};
  }
}

const same = (grad: Tensor) => grad;

/**
 * Element-wise `x1 + x2`, broadcasting.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * add(x, 10).toArray(); // [11, 12]
 * ```
 */
export const add = defineBinary('mg.add', 'add', {
  forward: binaryForward('add', 'add'),
  grads: [same, same],
});

/**
 * Element-wise `x1 - x2`, broadcasting.
 * @example
 * ```ts
 * subtract(tensor([5, 7]), 2).toArray(); // [3, 5]
 * ```
 */
export const subtract = defineBinary('mg.subtract', 'subtract', {
  forward: binaryForward('subtract', 'sub'),
  grads: [same, (grad) => negative(grad)],
});

/**
 * Element-wise `x1 * x2`, broadcasting.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * const y = multiply(x, x);
 * y.backward();
 * x.grad?.toArray(); // [2, 4]
 * ```
 */
export const multiply = defineBinary('mg.multiply', 'multiply', {
  forward: binaryForward('multiply', 'mul'),
  grads: [(grad, _a, b) => multiply(grad, b), (grad, a) => multiply(grad, a)],
});

/**
 * Element-wise true division `x1 / x2` (integers divide to float64).
 * @example
 * ```ts
 * divide(tensor([1, 3]), 2).toArray(); // [0.5, 1.5]
 * ```
 */
export const divide = defineBinary('mg.divide', 'divide', {
  forward: binaryForward('divide', 'div', true),
  grads: [(grad, _a, b) => divide(grad, b), (grad, a, b) => negative(divide(multiply(grad, a), square(b)))],
});

/** Alias of `divide`. */
export const trueDivide = divide;

/**
 * Element-wise `x1 ** x2`. ∂/∂x1 = x2·x1^(x2-1) (0 where x2 = 0); ∂/∂x2 = x1^x2·log(x1) (0 where x1 = 0).
 * @example
 * ```ts
 * power(tensor([2, 3]), 2).toArray(); // [4, 9]
 * ```
 */
export const power = defineBinary('mg.power', 'power', {
  forward: binaryForward('power', 'pow'),
  grads: [
    (grad, a, b) => {
      const exponent = select(equal(b, 0), 1, subtract(b, 1));
      return multiply(multiply(grad, b), power(a, exponent));
    },
    (grad, a, _b, y) => multiply(multiply(grad, y), log(select(equal(a, 0), 1, a))),
  ],
});

/**
 * Element-wise `-x`.
 * @example
 * ```ts
 * negative(tensor([1, -2])).toArray(); // [-1, 2]
 * ```
 */
export const negative = defineUnary('mg.negative', 'negative', {
  forward: (x) => unaryKernel('neg', numeric(x)),
  grad: (grad) => negative(grad),
});

/**
 * Element-wise `+x` (a copy).
 * @example
 * ```ts
 * positive(tensor([1, -2])).toArray(); // [1, -2]
 * ```
 */
export const positive = defineUnary('mg.positive', 'positive', {
  forward: (x) => binaryKernel('positive', 'add', numeric(x), 0, numeric(x).dtype),
  grad: same,
});

/**
 * Element-wise `1 / x`.
 * @example
 * ```ts
 * reciprocal(tensor([2, 4])).toArray(); // [0.5, 0.25]
 * ```
 */
export const reciprocal = defineUnary('mg.reciprocal', 'reciprocal', {
  forward: (x) => unaryKernel('reciprocal', castTo(x, floatResult(x.dtype))),
  grad: (grad, x) => negative(divide(grad, square(x))),
});

/**
 * Element-wise `x ** 2`.
 * @example
 * ```ts
 * square(tensor([3, -2])).toArray(); // [9, 4]
 * ```
 */
export const square = defineUnary('mg.square', 'square', {
  forward: (x) => unaryKernel('square', numeric(x)),
  grad: (grad, x) => multiply(multiply(grad, 2), x),
});

function checkSequence(name: string, xs: readonly TensorLike[]): void {
  if (xs.length < 2) throw new MgValueError(`${name}: at least two tensors are required, got ${xs.length}`);
}

class AddSequence extends Operation<{}> {
  static readonly id = 'mg.addSequence';
  forward(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce<Tensor>((acc, x) => add(acc, x), xs[0]!);
  }
  backwardVar(grad: Tensor): Tensor {
    return grad;
  }
}
registerOp(AddSequence);

/**
 * `x0 + x1 + …` as one op (at least two tensors).
 * @example
 * ```ts
 * addSequence(tensor([1]), tensor([2]), tensor([3])).toArray(); // [6]
 * ```
 */
export function addSequence(...args: (TensorLike | OpOptions)[]): Tensor {
  const [xs, options] = splitOptions<TensorLike>(args);
  checkSequence('addSequence', xs);
  return executeOp(AddSequence, xs, { constant: options.constant });
}

class MultiplySequence extends Operation<{}> {
  static readonly id = 'mg.multiplySequence';
  forward(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce<Tensor>((acc, x) => multiply(acc, x), xs[0]!);
  }
  backwardVar(grad: Tensor, index: number): Tensor {
    // The product of the others, computed directly so zeros in the inputs give exact gradients.
    const others = this.variables.filter((_, i) => i !== index);
    return others.reduce<Tensor>((acc, x) => multiply(acc, x), grad);
  }
}
registerOp(MultiplySequence);

/**
 * `x0 * x1 * …` as one op (at least two tensors); exact gradients when inputs hold zeros.
 * @example
 * ```ts
 * multiplySequence(tensor([2]), tensor([3]), tensor([4])).toArray(); // [24]
 * ```
 */
export function multiplySequence(...args: (TensorLike | OpOptions)[]): Tensor {
  const [xs, options] = splitOptions<TensorLike>(args);
  checkSequence('multiplySequence', xs);
  return executeOp(MultiplySequence, xs, { constant: options.constant });
}

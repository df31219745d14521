// Sigmoid: 1 / (1 + e^-x), computed without overflow — MyGrad's nnet.activations.sigmoid, as a plugin op with
// fused cpu and wasm kernels.
import {
  absolute,
  add,
  divide,
  executeOp,
  exp,
  greaterEqual,
  multiply,
  negative,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  subtract,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { pointwiseKernel } from './fused.js';
import { pointwiseModule, wasmElementwise } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.sigmoid': {};
  }
}

/** σ(x) from e^-|x|, which never overflows: 1/(1 + e^-x) for x ≥ 0 and e^x/(1 + e^x) for x < 0. */
function stableSigmoid(x: Tensor): Tensor {
  const e = exp(negative(absolute(x)));
  const denominator = add(e, 1);
  return where(greaterEqual(x, 0), divide(1, denominator), divide(e, denominator));
}

/** The sigmoid op: forward caches σ(x); the gradient is σ(x)·(1 - σ(x)), as MyGrad's. */
export class Sigmoid extends Operation<{}> {
  static readonly id = 'mg.sigmoid';
  private output!: Tensor;

  forward([x]: readonly Tensor[]): Tensor {
    this.output = stableSigmoid(x!);
    return this.output;
  }

  backwardVar(grad: Tensor): Tensor {
    return multiply(multiply(grad, this.output), subtract(1, this.output));
  }
}
registerOp(Sigmoid);

// The same computation element by element: σ from e^-|x| (no overflow for large |x|) is both the output and
// what backward reuses.
registerKernel(
  Sigmoid.id,
  'cpu',
  pointwiseKernel(Sigmoid, {
    forward(xs, out) {
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        const e = Math.exp(-Math.abs(x));
        out[i] = x >= 0 ? 1 / (e + 1) : e / (e + 1);
      }
    },
    backward(gs, _xs, ys, dx) {
      for (let i = 0; i < ys.length; i++) {
        const s = ys[i]!;
        dx[i] = gs[i]! * s * (1 - s);
      }
    },
  }),
);

// On the wasm backend, one call into the pointwise module each way; backward from the output.
registerKernel(
  Sigmoid.id,
  'wasm',
  wasmElementwise(Sigmoid, pointwiseModule, {
    forward: ['sigmoidF32', 'sigmoidF64'],
    backward: ['sigmoidGradF32', 'sigmoidGradF64'],
    backwardFrom: 'y',
  }),
);

/**
 * The logistic sigmoid, `1 / (1 + e^-x)`, element-wise. Computed from e^-|x|, so large |x| gives 0 or 1 with
 * no overflow (and tiny values rather than a flush to 0 for very negative x).
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `constant`: force the output's constant flag.
 * @returns σ(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws MgTypeError when `x` is not numeric data (as `tensor` does); nothing of its own.
 * @example
 * ```ts
 * const x = tensor([-1, 0, 2]);
 * const y = sigmoid(x);
 * y.toArray(); // [0.2689414213699951, 0.5, 0.8807970779778823]
 * y.backward();
 * x.grad?.toArray(); // [0.19661193324148185, 0.25, 0.10499358540350662]
 * sigmoid(tensor([-1000, 1000])).toArray(); // [0, 1]
 * ```
 */
export function sigmoid(x: TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(Sigmoid, [x], { constant: options.constant });
}

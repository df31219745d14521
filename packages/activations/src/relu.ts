// ReLU: x·(x > 0) — MyGrad's nnet.activations.relu, registered as a plugin op with fused cpu and wasm
// kernels.
import {
  astype,
  executeOp,
  greater,
  multiply,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  type Tensor,
  type TensorLike,
} from '@mg/core';

import { pointwiseKernel } from './fused.js';
import { piecewiseModule, wasmElementwise } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.relu': {};
  }
}

/** The ReLU op: forward caches the 0/1 mask (in x's dtype), which is also the gradient's factor. */
export class Relu extends Operation<{}> {
  static readonly id = 'mg.relu';
  private mask!: Tensor;

  forward([x]: readonly Tensor[]): Tensor {
    this.mask = astype(greater(x!, 0), x!.dtype);
    // A product, not a selection, as MyGrad: negative inputs give -0, NaN stays NaN.
    const out = multiply(x!, this.mask);
    return out.dtype === x!.dtype ? out : astype(out, x!.dtype);
  }

  backwardVar(grad: Tensor): Tensor {
    return multiply(grad, this.mask);
  }
}
registerOp(Relu);

// The same computation element by element: the cached term is the mask, the output the product x·mask (so
// negatives give -0 and NaN stays NaN), and the dtype is kept (ints stay ints).
registerKernel(
  Relu.id,
  'cpu',
  pointwiseKernel(Relu, {
    dtype: (input) => input,
    forward(xs, out) {
      for (let i = 0; i < xs.length; i++) out[i] = xs[i]! * Number(xs[i]! > 0);
    },
    backward(gs, xs, _ys, dx) {
      for (let i = 0; i < xs.length; i++) dx[i] = gs[i]! * Number(xs[i]! > 0);
    },
  }),
);

// On the wasm backend (float dtypes; ints run the composite), one call into the piecewise module each way: the
// same product x·(x > 0 ? 1 : 0) and g·(x > 0 ? 1 : 0).
registerKernel(
  Relu.id,
  'wasm',
  wasmElementwise(Relu, piecewiseModule, {
    forward: ['reluF32', 'reluF64'],
    backward: ['reluGradF32', 'reluGradF64'],
    backwardFrom: 'x',
  }),
);

/**
 * The rectified linear unit, computed as MyGrad does, `x · (x > 0)`: x where x > 0, else 0 (-0 for negative
 * inputs). Its gradient is 1 where x > 0 and 0 elsewhere, including at 0.
 *
 * @param x - The input (any tensor or array-like); the output keeps its dtype (int inputs give int outputs).
 * @param options - `constant`: force the output's constant flag.
 * @returns ReLU(x), of x's shape and dtype.
 * @throws ConstantIntegerError for `constant: false` on an integer input.
 * @example
 * ```ts
 * const x = tensor([-2, 0, 3]);
 * const y = relu(x);
 * y.toArray(); // [0, 0, 3]
 * y.backward();
 * x.grad?.toArray(); // [0, 0, 1]
 * ```
 */
export function relu(x: TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(Relu, [x], { constant: options.constant });
}

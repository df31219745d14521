// SiLU (a.k.a. swish): x·σ(x) — the op, its typing, its public function and its fused cpu and wasm kernels.
import {
  add,
  divide,
  executeOp,
  exp,
  multiply,
  negative,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  requirePluginApi,
  subtract,
  type Tensor,
  type TensorLike,
} from '@mg/core';
import { elementwiseKernel } from './kernel.js';
import { wasmKernel } from './wasm.js';

// Fail at load, not at first use, if this core speaks another plugin API.
requirePluginApi(1, '@mg/example-plugin');

declare module '@mg/core' {
  interface OpAttrs {
    'example.silu': {};
  }
}

/** The SiLU op: forward caches s = σ(x) = 1/(1 + e^-x), which backward reuses. */
export class Silu extends Operation<{}> {
  static readonly id = 'example.silu';
  private s!: Tensor;

  forward([x]: readonly Tensor[]): Tensor {
    this.s = divide(1, add(exp(negative(x!)), 1));
    return multiply(x!, this.s);
  }

  backwardVar(grad: Tensor): Tensor {
    // d/dx [x·σ(x)] = σ(x)·(1 + x·(1 - σ(x)))
    return multiply(grad, multiply(this.s, add(multiply(this.variables[0]!, subtract(1, this.s)), 1)));
  }
}
registerOp(Silu);

// The same arithmetic, element by element and in the composite's order: one loop forward, one backward.
registerKernel(
  Silu.id,
  'cpu',
  elementwiseKernel({
    term: (x) => 1 / (Math.exp(-x) + 1),
    value: (x, s) => x * s,
    derivative: (x, s) => s * (x * (1 - s) + 1),
  }),
);

// On the wasm backend, one call into the plugin's kernel module each way (SIMD for float32; see wasm.ts).
registerKernel(Silu.id, 'wasm', wasmKernel(Silu, 'silu'));

/**
 * The sigmoid linear unit (swish with β = 1), `x·σ(x) = x / (1 + e^-x)`, element-wise. Very negative inputs
 * give -0 (σ underflows to 0); -∞ gives NaN.
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `constant`: force the output's constant flag.
 * @returns SiLU(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws MgTypeError when `x` is not numeric data (as `tensor` does).
 * @example
 * ```ts
 * const x = tensor([-1, 0, 2]);
 * const y = silu(x);
 * y.toArray(); // [-0.2689414213699951, 0, 1.7615941559557646]
 * y.backward();
 * x.grad?.toArray(); // [0.07232948812851325, 0.5, 1.0907842487848955]
 * ```
 */
export function silu(x: TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(Silu, [x], { constant: options.constant });
}

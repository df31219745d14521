// GELU (tanh approximation): the op, its typing, its public function and its fused cpu and wasm kernels.
import {
  add,
  executeOp,
  multiply,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  requirePluginApi,
  square,
  subtract,
  type Tensor,
  type TensorLike,
  tanh,
} from '@mg/core';
import { elementwiseKernel } from './kernel.js';
import { wasmKernel } from './wasm.js';

// Fail at load, not at first use, if this core speaks another plugin API.
requirePluginApi(1, '@mg/example-plugin');

// The op id and its attrs (none), so executeOp type-checks calls without casts.
declare module '@mg/core' {
  interface OpAttrs {
    'example.gelu': {};
  }
}

/** √(2/π) and the cubic coefficient of the tanh approximation (Hendrycks & Gimpel, 2016), and 3·C for ∂/∂x. */
const K = Math.sqrt(2 / Math.PI);
const C = 0.044715;
const C3 = 3 * C;

/** The GELU op: forward caches t = tanh(√(2/π)·(x + 0.044715·x³)), which backward reuses. */
export class Gelu extends Operation<{}> {
  static readonly id = 'example.gelu';
  private t!: Tensor;

  forward([x]: readonly Tensor[]): Tensor {
    this.t = tanh(multiply(add(x!, multiply(multiply(square(x!), x!), C)), K));
    return multiply(multiply(x!, 0.5), add(this.t, 1));
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    // d/dx [x/2 · (1 + t)] = (1 + t)/2 + x/2 · (1 - t²) · √(2/π) · (1 + 3·0.044715·x²)
    const dt = multiply(subtract(1, square(this.t)), multiply(add(multiply(square(x), C3), 1), K));
    return multiply(grad, add(multiply(add(this.t, 1), 0.5), multiply(multiply(x, 0.5), dt)));
  }
}
registerOp(Gelu);

// The same arithmetic, element by element and in the composite's order: one loop forward, one backward.
registerKernel(
  Gelu.id,
  'cpu',
  elementwiseKernel({
    term: (x) => Math.tanh((x + x * x * x * C) * K),
    value: (x, t) => x * 0.5 * (t + 1),
    derivative: (x, t) => (t + 1) * 0.5 + x * 0.5 * ((1 - t * t) * ((x * x * C3 + 1) * K)),
  }),
);

// On the wasm backend, one call into the plugin's kernel module each way (SIMD for float32; see wasm.ts).
registerKernel(Gelu.id, 'wasm', wasmKernel(Gelu, 'gelu'));

/**
 * The Gaussian error linear unit in its tanh approximation,
 * `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))` (PyTorch's `gelu(approximate='tanh')`), element-wise.
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `constant`: force the output's constant flag.
 * @returns GELU(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws MgTypeError when `x` is not numeric data (as `tensor` does).
 * @example
 * ```ts
 * const x = tensor([-1, 0, 2]);
 * const y = gelu(x);
 * y.toArray(); // [-0.15880800939172324, 0, 1.954597694087775]
 * y.backward();
 * x.grad?.toArray(); // [-0.08296408384578252, 0.5, 1.0860992566236183]
 * ```
 */
export function gelu(x: TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(Gelu, [x], { constant: options.constant });
}

// SELU: λ·ELU(x) with MyGrad's fixed λ and α (self-normalising), registered as a plugin op with fused cpu
// and wasm kernels.
import {
  add,
  executeOp,
  exp,
  less,
  multiply,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  subtract,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { eluKernel } from './elu-cpu.js';
import { pointwiseKernel } from './fused.js';
import { eluModule, wasmElementwise } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.selu': {};
  }
}

// Klambauer et al.'s α and λ: MyGrad's 1.6732632423543772848170429916717 and 1.0507009873554804934193349852946,
// as the doubles Python rounds them to.
const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;

/** The SELU op: forward caches α·(e^x - 1), which backward reuses. */
export class Selu extends Operation<{}> {
  static readonly id = 'mg.selu';
  private expTerm!: Tensor;
  private isNegative!: Tensor;

  forward([x]: readonly Tensor[]): Tensor {
    this.expTerm = multiply(subtract(exp(x!), 1), ALPHA);
    this.isNegative = less(x!, 0);
    return multiply(where(this.isNegative, this.expTerm, x!), SCALE);
  }

  backwardVar(grad: Tensor): Tensor {
    return multiply(multiply(grad, SCALE), where(this.isNegative, add(this.expTerm, ALPHA), 1));
  }
}
registerOp(Selu);

// The same computation element by element: float32 through ELU's branch-free loops with λ (elu-cpu.ts),
// other dtypes in the composite's order of operations.
registerKernel(
  Selu.id,
  'cpu',
  eluKernel(
    Selu,
    () => ({ alpha: ALPHA, scale: SCALE }),
    pointwiseKernel(Selu, {
      forward(xs, out) {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!;
          out[i] = (x < 0 ? (Math.exp(x) - 1) * ALPHA : x) * SCALE;
        }
      },
      // The composite's cached term (eˣ - 1)·α, recomputed (from y it would differ in the last bit).
      backward(gs, xs, _ys, dx) {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!;
          dx[i] = gs[i]! * SCALE * (x < 0 ? (Math.exp(x) - 1) * ALPHA + ALPHA : 1);
        }
      },
    }),
    { float64: false },
  ),
);

// On the wasm backend, the ELU module with λ: forward λ·α·(eˣ - 1) or λ·x, backward (y + λα) or λ from the
// output, in one call each.
registerKernel(
  Selu.id,
  'wasm',
  wasmElementwise(Selu, eluModule, {
    forward: ['eluF32', 'eluF64'],
    backward: ['eluGradF32', 'eluGradF64'],
    backwardFrom: 'xy',
    params: () => [ALPHA, SCALE],
  }),
);

/**
 * The scaled exponential linear unit: `λ·x` where x >= 0, `λ·α·(e^x - 1)` where x < 0, with MyGrad's
 * constants λ ≈ 1.0507 and α ≈ 1.6733 (Klambauer et al., "Self-Normalizing Neural Networks", 2017). Its
 * gradient at 0 is λ.
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `constant`: force the output's constant flag.
 * @returns SELU(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws MgTypeError when `x` is not numeric data (as `tensor` does); nothing of its own.
 * @example
 * ```ts
 * const x = tensor([-1, 0, 2]);
 * const y = selu(x);
 * y.toArray(); // [-1.1113307378125625, 0, 2.101401974710961]
 * y.backward();
 * x.grad?.toArray(); // [0.6467686030348142, 1.0507009873554805, 1.0507009873554805]
 * ```
 */
export function selu(x: TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(Selu, [x], { constant: options.constant });
}

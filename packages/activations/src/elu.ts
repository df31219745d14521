// ELU: alpha·(e^x - 1) where x < 0, x elsewhere — MyGrad's nnet.activations.elu, registered as a plugin op with
// fused cpu and wasm kernels.
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
import { realScalar } from './validate.js';
import { eluModule, wasmKernel } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.elu': { alpha: number };
  }
}

/** The ELU op: forward caches alpha·(e^x - 1), which backward reuses. */
export class Elu extends Operation<{ alpha: number }> {
  static readonly id = 'mg.elu';
  private expTerm!: Tensor;
  private isNegative!: Tensor;

  forward([x]: readonly Tensor[], { alpha }: { alpha: number }): Tensor {
    this.expTerm = multiply(subtract(exp(x!), 1), alpha);
    this.isNegative = less(x!, 0);
    return where(this.isNegative, this.expTerm, x!);
  }

  backwardVar(grad: Tensor): Tensor {
    return multiply(grad, where(this.isNegative, add(this.expTerm, this.attrs.alpha), 1));
  }
}
registerOp(Elu);

// The same computation element by element: float32 and float64 through the branch-free loops of elu-cpu.ts (output
// only; backward takes the slope from it), other dtypes through pointwiseKernel, where the term α·(eˣ - 1) is
// cached for backward, as the composite's is, but only computed where it is used (x < 0): exp is most of the
// cost.
registerKernel(
  Elu.id,
  'cpu',
  eluKernel(
    Elu,
    ({ alpha }) => ({ alpha, scale: 1 }),
    pointwiseKernel(Elu, {
      forward(xs, out, { alpha }) {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!;
          out[i] = x < 0 ? alpha * (Math.exp(x) - 1) : x;
        }
      },
      // y is the composite's cached term α·(eˣ - 1) where x < 0.
      backward(gs, xs, ys, dx, { alpha }) {
        for (let i = 0; i < xs.length; i++) dx[i] = xs[i]! < 0 ? gs[i]! * (ys[i]! + alpha) : gs[i]!;
      },
    }),
    { float64: true },
  ),
);

// On the wasm backend, one call into this package's ELU module each way (SIMD for float32). Backward needs no
// saved slope: it is the output plus α where x < 0 (α·eˣ, the composite's cached term + α), else 1. With α = 1
// (the usual choice) it reads y alone, not x and y (see eluGradY in assembly/elu.ts: exact, a third less to read).
registerKernel(
  Elu.id,
  'wasm',
  wasmKernel(Elu, eluModule, {
    forward(call, x, { alpha }) {
      const { eluF32, eluF64 } = call.kernels;
      const run = call.dtype === 'float32' ? eluF32 : eluF64;
      const output = call.compute(x.shape, (out) => run(call.ptr(x), out, x.size, alpha, 1));
      return { output, saved: output };
    },
    backward(call, grad, y, x, { alpha }) {
      const { eluGradF32, eluGradF64, eluGradYF32, eluGradYF64 } = call.kernels;
      const [g, yp, n] = [call.ptr(grad), call.ptr(y), x.size];
      const f32 = call.dtype === 'float32';
      if (alpha === 1)
        return call.compute(x.shape, (dx) => (f32 ? eluGradYF32 : eluGradYF64)(g, yp, dx, n, 1));
      return call.compute(x.shape, (dx) =>
        (f32 ? eluGradF32 : eluGradF64)(g, call.ptr(x), yp, dx, n, alpha, 1),
      );
    },
  }),
);

/**
 * The exponential linear unit: `x` where x >= 0, `alpha·(e^x - 1)` where x < 0. Its gradient at 0 is 1.
 *
 * @param x - The input (any float tensor or array-like).
 * @param alpha - The negative-side scale: a real number, or a 0-d tensor or 1-element array holding one.
 * @param options - `constant`: force the output's constant flag.
 * @returns ELU(x), of x's shape and (float) dtype.
 * @throws MgTypeError when `alpha` is not a real scalar (the message names the value and its type).
 * @example
 * ```ts
 * const x = tensor([-1, 0, 2]);
 * const y = elu(x, 0.5);
 * y.toArray(); // [-0.3160602794142788, 0, 2]
 * y.backward();
 * x.grad?.toArray(); // [0.18393972058572117, 1, 1]
 * ```
 */
export function elu(x: TensorLike, alpha: number | TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(Elu, [x], {
    attrs: { alpha: realScalar('elu', 'alpha', alpha) },
    constant: options.constant,
  });
}

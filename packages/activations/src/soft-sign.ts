// Soft sign: x / (1 + |x|) — MyGrad's nnet.activations.soft_sign, registered as a plugin op (its composite is
// MyGrad's composition of divide, add and absolute) with a fused cpu kernel.
import {
  absolute,
  add,
  astype,
  divide,
  executeOp,
  greater,
  isnan,
  less,
  multiply,
  negative,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  square,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { floatInputs, pointwiseKernel } from './fused.js';
import { pointwiseModule, wasmElementwise } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.softSign': {};
  }
}

/** `t` in `dtype` (the engine casts each input's gradient to the input's dtype before it sums them). */
const asDtype = (t: Tensor, dtype: Tensor['dtype']) => (t.dtype === dtype ? t : astype(t, dtype));

/**
 * The soft sign op. Forward is MyGrad's composition, `divide(x, add(1, absolute(x)))`, and caches the
 * denominator; backward is what back-propagating through that composition gives, term for term.
 */
export class SoftSign extends Operation<{}> {
  static readonly id = 'mg.softSign';
  private denominator!: Tensor;

  forward([x]: readonly Tensor[]): Tensor {
    this.denominator = add(1, absolute(x!));
    return divide(x!, this.denominator);
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    const d = this.denominator;
    // divide's gradient to the numerator, and to the denominator (-g·x/d²), which add passes to absolute; its
    // gradient is the latter times sign(x) (0 at 0, NaN for NaN), sign in float64 as @mg/core's absolute has it.
    const viaNumerator = divide(grad, d);
    const viaDenominator = asDtype(negative(divide(multiply(grad, x), square(d))), d.dtype);
    const sign = where(isnan(x), x, where(greater(x, 0), 1, where(less(x, 0), -1, 0)));
    const viaAbsolute = multiply(asDtype(viaDenominator, x.dtype), sign);
    return add(asDtype(viaNumerator, x.dtype), asDtype(viaAbsolute, x.dtype));
  }
}
registerOp(SoftSign);

// The same computation element by element (float inputs; ints and bools run the composite): the output is
// x / (1 + |x|), and backward recomputes the denominator from x rather than caching it. Float64 results are the
// composite's to the last bit (same operations in the same order, including -g·x/d² times sign(x), so ±∞ give
// a NaN gradient as the composite does); float32 ones are computed in double and rounded once.
registerKernel(
  SoftSign.id,
  'cpu',
  pointwiseKernel(SoftSign, {
    fuses: floatInputs,
    forward(xs, out) {
      for (let i = 0; i < xs.length; i++) out[i] = xs[i]! / (1 + Math.abs(xs[i]!));
    },
    backward(gs, xs, _ys, dx) {
      for (let i = 0; i < xs.length; i++) {
        const g = gs[i]!;
        const x = xs[i]!;
        const d = 1 + Math.abs(x);
        const sign = x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x;
        dx[i] = g / d + -((g * x) / (d * d)) * sign;
      }
    },
  }),
);

// On the wasm backend, one call into the pointwise module each way; backward recomputes 1 + |x| from x.
registerKernel(
  SoftSign.id,
  'wasm',
  wasmElementwise(SoftSign, pointwiseModule, {
    forward: ['softSignF32', 'softSignF64'],
    backward: ['softSignGradF32', 'softSignGradF64'],
    backwardFrom: 'x',
  }),
);

/**
 * The soft sign, `x / (1 + |x|)`, element-wise: a smooth map onto (-1, 1). Computed, as MyGrad's, from
 * `divide` and `absolute`, so its gradient `1 / (1 + |x|)²` is 1 at 0 (and NaN at ±∞, where the output is NaN).
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
  return executeOp(SoftSign, [x], { constant: options.constant });
}

// Leaky ReLU: max(x, 0) + slope·min(x, 0) — MyGrad's nnet.activations.leaky_relu, registered as a plugin op (its
// composite is MyGrad's composition of maximum, minimum, multiply and add) with a fused cpu kernel.
import {
  add,
  astype,
  executeOp,
  greater,
  less,
  maximum,
  minimum,
  multiply,
  Operation,
  type OpOptions,
  registerKernel,
  registerOp,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { floatInputs, pointwiseKernel } from './fused.js';
import { realScalar } from './validate.js';
import { piecewiseModule, wasmElementwise } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.leakyRelu': { slope: number };
  }
}

/** `t` in `dtype` (the engine casts each input's gradient to the input's dtype before it sums them). */
const asDtype = (t: Tensor, dtype: Tensor['dtype']) => (t.dtype === dtype ? t : astype(t, dtype));

/**
 * The leaky ReLU op. Forward is MyGrad's composition, `maximum(x, 0) + slope·minimum(x, 0)`; backward is what
 * back-propagating through it gives: maximum passes the gradient where x > 0, minimum passes slope times it
 * where x < 0, and at x = 0 (a tie in both) neither does. The two paths are summed, as the engine sums them.
 */
export class LeakyRelu extends Operation<{ slope: number }> {
  static readonly id = 'mg.leakyRelu';

  forward([x]: readonly Tensor[], { slope }: { slope: number }): Tensor {
    return add(maximum(x!, 0), multiply(slope, minimum(x!, 0)));
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    const viaMaximum = where(greater(x, 0), grad, 0);
    const viaMinimum = where(less(x, 0), multiply(grad, this.attrs.slope), 0);
    return add(asDtype(viaMaximum, x.dtype), asDtype(viaMinimum, x.dtype));
  }
}
registerOp(LeakyRelu);

/** @mg/core's maximum(x, 0) and minimum(x, 0): NaN wins, and a tie gives the second operand (so ±0 give 0). */
const positivePart = (x: number) => (x > 0 || Number.isNaN(x) ? x : 0);
const negativePart = (x: number) => (x < 0 || Number.isNaN(x) ? x : 0);

// The same computation element by element (float inputs; ints and bools run the composite), each step exact or
// rounded once where the composite rounds it: in float32 the slope is rounded first (the composite's multiply
// casts it to the array's dtype) and so is the product (which may underflow to -0, then 0 + -0 is 0). So the
// results are the composite's to the last bit, signed zeros and NaN included.
registerKernel(
  LeakyRelu.id,
  'cpu',
  pointwiseKernel(LeakyRelu, {
    fuses: floatInputs,
    attrs32: ({ slope }) => ({ slope: Math.fround(slope) }),
    forward(xs, out, { slope }, float32) {
      if (float32) {
        for (let i = 0; i < xs.length; i++)
          out[i] = positivePart(xs[i]!) + Math.fround(slope * negativePart(xs[i]!));
      } else {
        for (let i = 0; i < xs.length; i++) out[i] = positivePart(xs[i]!) + slope * negativePart(xs[i]!);
      }
    },
    backward(gs, xs, _ys, dx, { slope }, float32) {
      for (let i = 0; i < xs.length; i++) {
        const g = gs[i]!;
        const x = xs[i]!;
        const viaMinimum = float32 ? Math.fround(g * slope) : g * slope;
        dx[i] = (x > 0 ? g : 0) + (x < 0 ? viaMinimum : 0);
      }
    },
  }),
);

// On the wasm backend, one call into the piecewise module each way (float inputs; the slope is rounded to float32
// for float32 arrays by the call, as the composite's multiply casts it).
registerKernel(
  LeakyRelu.id,
  'wasm',
  wasmElementwise(LeakyRelu, piecewiseModule, {
    forward: ['leakyReluF32', 'leakyReluF64'],
    backward: ['leakyReluGradF32', 'leakyReluGradF64'],
    backwardFrom: 'x',
    params: ({ slope }) => [slope],
  }),
);

/**
 * The leaky rectified linear unit: x where x > 0, `slope·x` where x < 0. Computed, as MyGrad's, as
 * `maximum(x, 0) + slope·minimum(x, 0)`; at x = 0 both terms tie, so the gradient there is 0.
 *
 * @param x - The input (any tensor or array-like).
 * @param slope - The slope of the negative part: a real number, or a 0-d tensor or 1-element array holding one
 *   (its value is used; it gets no gradient).
 * @param options - `constant`: force the output's constant flag.
 * @returns leaky_relu(x), of x's shape; float inputs keep their dtype, int inputs give float64.
 * @throws MgTypeError when `slope` is not a real scalar (the message names the value and its type).
 * @example
 * ```ts
 * const x = tensor([-2, 0, 3]);
 * const y = leakyRelu(x, 0.1);
 * y.toArray(); // [-0.2, 0, 3]
 * y.backward();
 * x.grad?.toArray(); // [0.1, 0, 1]
 * ```
 */
export function leakyRelu(x: TensorLike, slope: number | TensorLike, options: OpOptions = {}): Tensor {
  return executeOp(LeakyRelu, [x], {
    attrs: { slope: realScalar('leakyRelu', 'slope', slope) },
    constant: options.constant,
  });
}

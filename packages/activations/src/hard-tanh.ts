// Hard tanh: x clipped to [lowerBound, upperBound] — MyGrad's nnet.activations.hard_tanh, registered as a plugin
// op (its composite is MyGrad's composition of maximum and minimum) with a fused cpu kernel.
import {
  executeOp,
  greater,
  less,
  maximum,
  minimum,
  Operation,
  registerKernel,
  registerOp,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { floatInputs, pointwiseKernel } from './fused.js';
import { realScalar } from './validate.js';
import { piecewiseModule, wasmElementwise } from './wasm.js';

/** The bounds of hardTanh, as real numbers. */
interface HardTanhAttrs {
  lowerBound: number;
  upperBound: number;
}

declare module '@mg/core' {
  interface OpAttrs {
    'mg.hardTanh': HardTanhAttrs;
  }
}

/**
 * The hard tanh op. Forward is MyGrad's composition, `maximum(lowerBound, minimum(x, upperBound))`; backward is
 * what back-propagating through it gives: the gradient passes where x < upperBound (minimum) and the clipped
 * value is > lowerBound (maximum), so nowhere at a bound (ties), nowhere for NaN, and nowhere when the bounds
 * cross (lowerBound > upperBound: the output is lowerBound everywhere).
 */
export class HardTanh extends Operation<HardTanhAttrs> {
  static readonly id = 'mg.hardTanh';

  forward([x]: readonly Tensor[], { lowerBound, upperBound }: HardTanhAttrs): Tensor {
    return maximum(lowerBound, minimum(x!, upperBound));
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    const { lowerBound, upperBound } = this.attrs;
    // maximum's test is on the clipped value, which is x itself wherever minimum passes the gradient on (x <
    // upperBound), and is made in the same dtype as the test on x: so the test on x gives the same selection.
    return where(less(x, upperBound), where(greater(x, lowerBound), grad, 0), 0);
  }
}
registerOp(HardTanh);

// The same computation element by element (float inputs; ints and bools run the composite), with @mg/core's
// maximum and minimum (NaN wins, ties give the second operand) and the bounds rounded to float32 for float32
// arrays as the composite's comparisons round them. Selections only: the results are the composite's exactly.
registerKernel(
  HardTanh.id,
  'cpu',
  pointwiseKernel(HardTanh, {
    fuses: floatInputs,
    attrs32: ({ lowerBound, upperBound }) => ({
      lowerBound: Math.fround(lowerBound),
      upperBound: Math.fround(upperBound),
    }),
    forward(xs, out, { lowerBound, upperBound }) {
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        const clipped = x < upperBound || Number.isNaN(x) ? x : upperBound;
        out[i] = lowerBound > clipped || Number.isNaN(lowerBound) ? lowerBound : clipped;
      }
    },
    backward(gs, xs, _ys, dx, { lowerBound, upperBound }) {
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        dx[i] = x < upperBound && x > lowerBound ? gs[i]! : 0;
      }
    },
  }),
);

// On the wasm backend, one call into the piecewise module each way (float inputs; the bounds are rounded to
// float32 for float32 arrays by the call, as the composite's comparisons round them).
registerKernel(
  HardTanh.id,
  'wasm',
  wasmElementwise(HardTanh, piecewiseModule, {
    forward: ['hardTanhF32', 'hardTanhF64'],
    backward: ['hardTanhGradF32', 'hardTanhGradF64'],
    backwardFrom: 'x',
    params: ({ lowerBound, upperBound }) => [lowerBound, upperBound],
  }),
);

/** Options of `hardTanh`. */
export interface HardTanhOptions {
  /** The value below which the output is flat: a real number (or a one-element tensor/array). Default -1. */
  lowerBound?: number | TensorLike;
  /** The value above which the output is flat: a real number (or a one-element tensor/array). Default 1. */
  upperBound?: number | TensorLike;
  /** Force the output to be (or not be) a constant; default: constant iff `x` is. */
  constant?: boolean | null;
}

/**
 * The hard hyperbolic tangent: `lowerBound` where x <= lowerBound, `upperBound` where x >= upperBound, x in
 * between. Computed, as MyGrad's, as `maximum(lowerBound, minimum(x, upperBound))`, so the gradient is 1
 * strictly between the bounds and 0 elsewhere — including exactly at a bound (a tie in maximum/minimum).
 *
 * @param x - The input (any tensor or array-like).
 * @param options - `lowerBound` (default -1), `upperBound` (default 1), `constant`.
 * @returns hardtanh(x), of x's shape. The bounds are JS numbers (float64 scalars), so float inputs keep their
 *   dtype and int inputs give float64.
 * @throws MgTypeError when a bound is not a real scalar (the message names the value and its type).
 * @example
 * ```ts
 * const x = tensor([-3, -1, 0.5, 2]);
 * const y = hardTanh(x, { lowerBound: -2, upperBound: 1 });
 * y.toArray(); // [-2, -1, 0.5, 1]
 * y.backward();
 * x.grad?.toArray(); // [0, 1, 1, 0]
 * ```
 */
export function hardTanh(x: TensorLike, options: HardTanhOptions = {}): Tensor {
  // An explicit null is MyGrad's None: a TypeError, not the default.
  const { lowerBound = -1, upperBound = 1 } = options;
  return executeOp(HardTanh, [x], {
    attrs: {
      lowerBound: realScalar('hardTanh', 'lowerBound', lowerBound),
      upperBound: realScalar('hardTanh', 'upperBound', upperBound),
    },
    constant: options.constant,
  });
}

// Softmax: e^x / Σe^x over one or more axes, with max subtraction — MyGrad's nnet.activations.softmax, as a
// plugin op with fused cpu and wasm kernels; also the graph-free softmax that logSoftmax's gradient reuses.
import {
  allocate,
  asInput,
  divide,
  executeOp,
  exp,
  expFloat32,
  floatResult,
  max,
  multiply,
  Operation,
  onesLike,
  registerKernel,
  registerOp,
  subtract,
  sum,
  type Tensor,
  type TensorLike,
  type TypedArray,
} from '@mg/core';
import {
  fusedKernel,
  gradValues,
  SliceFn,
  SliceLayout,
  sliceMax,
  slicePassMap,
  slicePassSum,
  wrap,
} from './fused.js';
import { softmaxAxes } from './validate.js';
import { softmaxModules, wasmRowwise } from './wasm.js';

/** The attrs of softmax and logSoftmax: the sorted, distinct axes normalised over (none for a 0-d input). */
export interface SoftmaxAttrs {
  readonly axes: readonly number[];
}

declare module '@mg/core' {
  interface OpAttrs {
    'mg.softmax': SoftmaxAttrs;
  }
}

/** Options of `softmax` and `logSoftmax`. */
export interface SoftmaxOptions {
  /** The axis or axes to normalise over (negative ones count from the end); null: all of them. Default -1. */
  axis?: number | readonly number[] | null;
  /** Force the output to be (or not be) a constant; default: constant iff `x` is. */
  constant?: boolean | null;
}

/**
 * Softmax of `x` over `axes`, computed as MyGrad's `_softmax`: e^(x - max) / Σe^(x - max), in x's float dtype
 * (ints give float64). An empty or 0-d input gives ones, as MyGrad's.
 */
export function softmaxData(x: Tensor, axes: readonly number[]): Tensor {
  if (x.ndim === 0 || x.size === 0) return onesLike(x, { dtype: floatResult(x.dtype) });
  const shifted = exp(subtract(x, max(x, { axis: axes, keepdims: true })));
  return divide(shifted, sum(shifted, { axis: axes, keepdims: true }));
}

/** The softmax op: forward caches the output p; ∂ℒ/∂x = p·g - p·Σ(p·g), MyGrad's formula. */
export class Softmax extends Operation<SoftmaxAttrs> {
  static readonly id = 'mg.softmax';
  private output!: Tensor;

  forward([x]: readonly Tensor[], { axes }: SoftmaxAttrs): Tensor {
    this.output = softmaxData(x!, axes);
    return this.output;
  }

  backwardVar(grad: Tensor): Tensor {
    const weighted = multiply(this.output, grad);
    const total = sum(weighted, { axis: this.attrs.axes, keepdims: true });
    return subtract(weighted, multiply(this.output, total));
  }
}
registerOp(Softmax);

// Softmax's passes over slices, each with its own compiled loops (see fused.ts).
const expShifted = slicePassSum(SliceFn.ExpShifted);
// float32 outputs: the float32-accurate exponential (about twice as fast), in loops of its own.
const expShifted32 = slicePassSum(SliceFn.ExpShifted32);
const divideBy = slicePassMap(SliceFn.Divide);
const dotProduct = slicePassSum(SliceFn.Product);
const softmaxGrad = slicePassMap(SliceFn.SoftmaxGrad);

/**
 * Softmax over consecutive rows (the last axis, or any trailing block: the common case), in loops of its own,
 * from each row's maximum (`sliceMax`): e^(x - max) written into the output while summing it, then the division.
 * float32 outputs use the float32-accurate `expFloat32` (about twice as fast as `Math.exp`).
 */
function softmaxRows(
  xs: ArrayLike<number>,
  out: TypedArray,
  max: Float64Array,
  length: number,
  float32: boolean,
): void {
  for (let r = 0, start = 0; r < max.length; r++, start += length) {
    const end = start + length;
    const m = max[r]!;
    let total = 0;
    if (float32) {
      for (let j = start; j < end; j++) {
        const e = expFloat32(xs[j]! - m);
        out[j] = e;
        total += e;
      }
    } else {
      for (let j = start; j < end; j++) {
        const e = Math.exp(xs[j]! - m);
        out[j] = e;
        total += e;
      }
    }
    for (let j = start; j < end; j++) out[j] = out[j]! / total;
  }
}

// The same computation slice by slice, without intermediate tensors: the maximum, e^(x - max) written into
// the output while summing it, then the division. Forward caches the output p, as the composite does.
registerKernel(
  Softmax.id,
  'cpu',
  fusedKernel<SoftmaxAttrs, TypedArray>(Softmax, {
    forward([x], { axes }) {
      const layout = new SliceLayout(x!.shape, axes);
      const dtype = floatResult(x!.dtype);
      const out = allocate(dtype, x!.size);
      if (layout.isRows) {
        const xs = x!.dataSync();
        softmaxRows(xs, out, sliceMax(layout, xs), layout.length, dtype === 'float32');
        return { output: wrap(out, x!.shape, dtype), saved: out };
      }
      const xs = layout.arrange(x!.dataSync());
      const result = layout.target(out);
      const exponentiate = dtype === 'float32' ? expShifted32 : expShifted;
      const total = exponentiate(layout, { a: xs, s: sliceMax(layout, xs) }, result);
      divideBy(layout, { a: result, s: total }, result);
      layout.restore(result, out);
      return { output: wrap(out, x!.shape, dtype), saved: out };
    },
    backwardVar(grad, _index, p, [x], { axes }) {
      const layout = new SliceLayout(x!.shape, axes);
      const dtype = floatResult(x!.dtype);
      const dx = allocate(dtype, x!.size);
      const ps = layout.arrange(p);
      const gs = layout.arrange(gradValues(grad, x!.shape, x!.size));
      const result = layout.target(dx);
      softmaxGrad(layout, { a: ps, b: gs, s: dotProduct(layout, { a: ps, b: gs }) }, result);
      layout.restore(result, dx);
      return wrap(dx, x!.shape, dtype);
    },
  }),
);

// On the wasm backend, softmax over the trailing axes (the default, the last one) is one call into this
// package's kernel module each way; other axes run the composite. Forward keeps its output p, as the composite
// does, for backward.
registerKernel(
  Softmax.id,
  'wasm',
  wasmRowwise(Softmax, softmaxModules, {
    forward: ['softmaxF32', 'softmaxF64'],
    backward: ['softmaxGradF32', 'softmaxGradF64'],
  }),
);

/**
 * The softmax, `e^x / Σ e^x`, over one or more axes: each slice along them becomes a probability distribution.
 * Numerically stable (the slice maximum is subtracted first), so large inputs do not overflow. A 0-d input
 * gives 1 (with gradient 0), an empty input an empty result.
 *
 * @param x - The scores (any tensor or array-like).
 * @param options - `axis`: an integer, a list of integers, or null for all axes (default -1, the last);
 *   `constant`.
 * @returns softmax(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   an axis that is not an integer, a list of integers or null.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [1000, 1000, 1000]]);
 * const y = softmax(x);
 * y.toArray(); // [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218], [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]]
 * softmax(tensor([1, 3]), { axis: null }).toArray(); // [0.11920292202211755, 0.8807970779778823]
 * const z = tensor([0, Math.log(3)]);
 * multiply(softmax(z), tensor([1, 0])).backward();
 * z.grad?.toArray(); // [0.1875, -0.1875]
 * ```
 */
export function softmax(x: TensorLike, options: SoftmaxOptions = {}): Tensor {
  const input = asInput(x);
  const { axis = -1, constant } = options;
  return executeOp(Softmax, [input], { attrs: { axes: softmaxAxes('softmax', axis, input.ndim) }, constant });
}

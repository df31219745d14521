// Log-softmax: x - log Σe^x over one or more axes, computed stably — MyGrad's nnet.activations.logsoftmax, as a
// plugin op with fused cpu and wasm kernels.
import {
  add,
  allocate,
  asInput,
  executeOp,
  exp,
  floatResult,
  isfinite,
  log,
  max,
  multiply,
  Operation,
  registerKernel,
  registerOp,
  subtract,
  sum,
  type Tensor,
  type TensorLike,
  where,
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
import { type SoftmaxAttrs, type SoftmaxOptions, softmaxData } from './softmax.js';
import { softmaxAxes } from './validate.js';
import { logSoftmaxModules, wasmRowwise } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.logSoftmax': SoftmaxAttrs;
  }
}

/**
 * log Σ e^x over `axes` (kept as size-1 axes), as MyGrad's internal logsumexp: the slice maximum (0 where it is
 * not finite) is factored out before exponentiating.
 */
function logSumExp(x: Tensor, axes: readonly number[]): Tensor {
  const highest = max(x, { axis: axes, keepdims: true });
  const shift = where(isfinite(highest), highest, 0);
  return add(log(sum(exp(subtract(x, shift)), { axis: axes, keepdims: true })), shift);
}

/** The log-softmax op: ∂ℒ/∂x = g - softmax(x)·Σg, MyGrad's formula (softmax recomputed from x, as MyGrad). */
export class LogSoftmax extends Operation<SoftmaxAttrs> {
  static readonly id = 'mg.logSoftmax';

  forward([x]: readonly Tensor[], { axes }: SoftmaxAttrs): Tensor {
    return subtract(x!, logSumExp(x!, axes));
  }

  backwardVar(grad: Tensor): Tensor {
    const { axes } = this.attrs;
    const soft = softmaxData(this.variables[0]!, axes);
    return subtract(grad, multiply(soft, sum(grad, { axis: axes, keepdims: true })));
  }
}
registerOp(LogSoftmax);

/** What the fused forward keeps per slice: its maximum m and Σe^(x - shift), from which backward gets softmax. */
interface SliceStats {
  readonly max: Float64Array;
  readonly sum: Float64Array;
}

// logSoftmax's passes over slices, each with its own compiled loops (see fused.ts).
const expShifted = slicePassSum(SliceFn.ExpShifted);
const minus = slicePassMap(SliceFn.Minus);
const gradTotal = slicePassSum(SliceFn.Second);
const logSoftmaxGrad = slicePassMap(SliceFn.LogSoftmaxGrad);

// The same computation slice by slice, without intermediate tensors. Instead of recomputing softmax(x) for the
// gradient, forward keeps each slice's maximum m and Σe^(x - m): softmax is then e^(x - m) / Σ, the
// composite's value wherever m is finite, and NaN (as the composite's) wherever it is not.
registerKernel(
  LogSoftmax.id,
  'cpu',
  fusedKernel<SoftmaxAttrs, SliceStats>(LogSoftmax, {
    forward([x], { axes }) {
      const layout = new SliceLayout(x!.shape, axes);
      const dtype = floatResult(x!.dtype);
      const out = allocate(dtype, x!.size);
      const xs = layout.arrange(x!.dataSync());
      const max = sliceMax(layout, xs);
      // MyGrad's logsumexp leaves a slice with a non-finite maximum unshifted.
      const shift = max.map((m) => (Number.isFinite(m) ? m : 0));
      const sum = expShifted(layout, { a: xs, s: shift });
      const lse = sum.map((total, k) => Math.log(total) + shift[k]!);
      const result = layout.target(out);
      minus(layout, { a: xs, s: lse }, result);
      layout.restore(result, out);
      return { output: wrap(out, x!.shape, dtype), saved: { max, sum } };
    },
    backwardVar(grad, _index, { max, sum }, [x], { axes }) {
      const layout = new SliceLayout(x!.shape, axes);
      const dtype = floatResult(x!.dtype);
      const dx = allocate(dtype, x!.size);
      const xs = layout.arrange(x!.dataSync());
      const gs = layout.arrange(gradValues(grad, x!.shape, x!.size));
      const total = gradTotal(layout, { a: xs, b: gs });
      // Σg / Σe^(x - m), or NaN where the slice maximum is not finite.
      const scale = total.map((g, k) => (Number.isFinite(max[k]!) ? g / sum[k]! : Number.NaN));
      const result = layout.target(dx);
      logSoftmaxGrad(layout, { a: xs, b: gs, s: max, t: scale }, result);
      layout.restore(result, dx);
      return wrap(dx, x!.shape, dtype);
    },
  }),
);

// On the wasm backend, log-softmax over the trailing axes (the default) is one call into the log-softmax module
// each way (other axes run the composite); backward recomputes softmax as e^y from the output y.
registerKernel(
  LogSoftmax.id,
  'wasm',
  wasmRowwise(LogSoftmax, logSoftmaxModules, {
    forward: ['logSoftmaxF32', 'logSoftmaxF64'],
    backward: ['logSoftmaxGradF32', 'logSoftmaxGradF64'],
  }),
);

/**
 * The log-softmax, `x - log Σ e^x`, over one or more axes: the log of `softmax(x)`, computed without forming
 * the softmax, so it is stable for large inputs and keeps precision for tiny probabilities. A 0-d input gives
 * 0 (with gradient 0). `logsoftmax` (MyGrad's spelling) is the same function.
 *
 * @param x - The scores (any tensor or array-like).
 * @param options - `axis`: an integer, a list of integers, or null for all axes (default -1, the last);
 *   `constant`.
 * @returns logsoftmax(x), of x's shape; float inputs keep their dtype, int and bool inputs give float64.
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   an axis that is not an integer, a list of integers or null; MgValueError when an axis normalised over has
 *   size 0 while the result would not be empty (NumPy's "zero-size array to reduction operation maximum").
 * @example
 * ```ts
 * const x = tensor([[0, Math.log(3)], [1000, 1000]]);
 * const y = logSoftmax(x);
 * y.toArray(); // [[-1.3862943611198906, -0.2876820724517809], [-0.6931471805598903, -0.6931471805598903]]
 * multiply(y, tensor([[1, 0], [0, 0]])).backward();
 * x.grad?.toArray(); // [[0.75, -0.75], [0, 0]]
 * logSoftmax(tensor(5)).item(); // 0
 * ```
 */
export function logSoftmax(x: TensorLike, options: SoftmaxOptions = {}): Tensor {
  const input = asInput(x);
  const { axis = -1, constant } = options;
  return executeOp(LogSoftmax, [input], {
    attrs: { axes: softmaxAxes('logSoftmax', axis, input.ndim) },
    constant,
  });
}

/**
 * MyGrad's name for `logSoftmax` (the same function).
 * @example
 * ```ts
 * logsoftmax(tensor([0, 0])).toArray(); // [-0.6931471805599453, -0.6931471805599453]
 * ```
 */
export const logsoftmax = logSoftmax;

// Fused-kernel plumbing shared by the activations: computed TypedArrays wrapped as tensors, the composite
// fallback for 0-d and empty inputs (and for inputs a kernel does not take), the builder that turns an
// element-wise scalar rule into a fused kernel, and the slice layouts and passes that softmax and logSoftmax are
// written in.
import {
  allocate,
  type Backend,
  broadcastTo,
  type DataId,
  type DType,
  expFloat32,
  type FusedKernel,
  floatResult,
  getBackend,
  isFloat,
  makeTensor,
  type OpClass,
  Operation,
  requirePluginApi,
  type Shape,
  type Tensor,
  type TypedArray,
} from '@mg/core';

// Every module here that registers an op or kernel imports this one, so this runs before any registration.
requirePluginApi(1, '@mg/activations');

/**
 * A backend that takes a TypedArray as a tensor's data without copying (`@mg/backend-cpu`'s `adopt`). Checked
 * structurally, so that this package imports no backend and installs without one.
 */
interface Adopting {
  adopt(values: TypedArray, dtype: DType): DataId;
}

/**
 * Freshly computed `values` (owned by nobody else) as a constant tensor on the active backend: adopted where
 * the backend can take them as they are, else copied in with `write`.
 */
export function wrap(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  const backend: Backend & Partial<Adopting> = getBackend();
  const dataId =
    typeof backend.adopt === 'function' ? backend.adopt(values, dtype) : backend.write(values, shape, dtype);
  return makeTensor(dataId, shape, dtype, backend);
}

/** `grad`'s values at `shape` (the engine hands backward a gradient of the output's shape already). */
export function gradValues(grad: Tensor, shape: Shape, size: number): TypedArray {
  return (grad.size === size ? grad : broadcastTo(grad, shape)).dataSync();
}

/**
 * `kernel`, except that 0-d and empty inputs run `Op`'s own composite forward and backward. One element (or
 * none) gains nothing from fusing, and there the composite's rules matter: NumPy 1.24's value-based casting
 * makes a 0-d result's dtype follow scalar promotion (a 0-d float32 ELU is float64 in MyGrad, because α is a
 * Python float), and an empty slice raises NumPy's errors. The composite reproduces both op by op.
 *
 * @param fuses - Which other inputs the kernel takes (default: all); the composite runs for the rest too, e.g.
 *   `floatInputs` for a kernel with float loops only.
 */
export function fusedKernel<A, S>(
  Op: OpClass<A>,
  kernel: FusedKernel<A, S>,
  fuses: (inputs: readonly Tensor[]) => boolean = () => true,
): FusedKernel<A, S | Operation<A>> {
  return {
    forward(inputs, attrs) {
      const fusable = inputs.every((x) => x.ndim > 0 && x.size > 0) && fuses(inputs);
      if (fusable) return kernel.forward(inputs, attrs);
      const op = new Op();
      op.variables = inputs;
      op.attrs = attrs;
      return { output: op.forward(inputs, attrs), saved: op };
    },
    backwardVar(grad, index, saved, inputs, attrs) {
      return saved instanceof Operation
        ? saved.backwardVar(grad, index)
        : kernel.backwardVar(grad, index, saved, inputs, attrs);
    },
  };
}

/**
 * Whether every input is float32 or float64: for kernels whose composite's int and bool results (constants, often
 * with dtype rules of their own) are not worth a loop of their own.
 */
export function floatInputs(inputs: readonly Tensor[]): boolean {
  return inputs.every((x) => isFloat(x.dtype));
}

/**
 * An element-wise activation as its two loops, from which `pointwiseKernel` builds a fused kernel. Each op writes
 * its own loops (a few lines) rather than scalar functions for a shared loop: V8 keeps type feedback per function
 * literal, and one loop calling many ops' scalar functions goes megamorphic and stops inlining them (~6x slower);
 * copying a shared loop at run time would take `new Function`, which mg does not ship (a strict Content Security
 * Policy forbids it). Forward computes in double precision and stores each result once in the output dtype's
 * TypedArray (so float32 results are rounded once, not once per composite step); backward gets the output y too.
 */
export interface PointwiseRule<A> {
  /** The output dtype for an input dtype. Default `floatResult`: float dtypes stay, ints and bools give float64. */
  readonly dtype?: (input: DType) => DType;
  /** Which inputs the loops take (see `fusedKernel`); the op's composite runs for the others. Default: all. */
  readonly fuses?: (inputs: readonly Tensor[]) => boolean;
  /**
   * The attrs as the composite uses them on a float32 array, when it rounds them: value-based casting keeps a
   * float32 array float32, so a JS-number constant combined with it is cast to float32 first (a slope of 0.1
   * multiplies as `Math.fround(0.1)`). Called once per call, for float32 outputs. Default: the attrs as given.
   */
  readonly attrs32?: (attrs: A) => A;
  /** y = op(x) for every element; `float32`: the output is float32 (for rules that round as the composite). */
  readonly forward: (xs: Values, out: TypedArray, attrs: A, float32: boolean) => void;
  /** ∂ℒ/∂x for every element, from the upstream gradient, x and the output y. */
  readonly backward: (
    gs: Values,
    xs: Values,
    ys: TypedArray,
    dx: TypedArray,
    attrs: A,
    float32: boolean,
  ) => void;
}

/**
 * The fused kernel of `Op` from its element-wise loops (see `fusedKernel` for 0-d and empty inputs): output
 * allocated in the output dtype and wrapped without copying, the output kept for backward.
 */
export function pointwiseKernel<A>(
  Op: OpClass<A>,
  rule: PointwiseRule<A>,
): FusedKernel<A, TypedArray | Operation<A>> {
  const { attrs32 } = rule;
  const outputDtype = rule.dtype ?? floatResult;
  const attrsFor = (dtype: DType, attrs: A) => (dtype === 'float32' && attrs32 ? attrs32(attrs) : attrs);
  return fusedKernel<A, TypedArray>(
    Op,
    {
      forward([x], attrs) {
        const xs = x!.dataSync();
        const dtype = outputDtype(x!.dtype);
        const out = allocate(dtype, xs.length);
        rule.forward(xs, out, attrsFor(dtype, attrs), dtype === 'float32');
        return { output: wrap(out, x!.shape, dtype), saved: out };
      },
      backwardVar(g, _index, ys, [x], attrs) {
        const xs = x!.dataSync();
        const dtype = outputDtype(x!.dtype);
        const dx = allocate(dtype, xs.length);
        const gs = gradValues(g, x!.shape, xs.length);
        rule.backward(gs, xs, ys, dx, attrsFor(dtype, attrs), dtype === 'float32');
        return wrap(dx, x!.shape, dtype);
      },
    },
    rule.fuses,
  );
}

/** Numbers a kernel reads: a tensor's data, or the same data arranged for a slice walk. */
export type Values = ArrayLike<number>;

/**
 * How the slices of a tensor along some axes lie in memory, for the slice passes below (softmax, logSoftmax).
 * Slices are numbered 0, 1, … the same way on every walk of one shape and axes, so forward can keep per-slice
 * statistics that backward reads.
 * - rows (`lanes` 1): the axes are trailing once size-1 axes are ignored (e.g. the last axis); each slice is
 *   `length` consecutive elements.
 * - lanes: the axes are one contiguous block followed by `lanes` elements (e.g. axis 0 of a matrix); `lanes`
 *   slices lie side by side, so the passes sweep whole rows of memory and update `lanes` statistics at once.
 * - any other set of axes (e.g. [0, 2] of a 3-d tensor): the data is first gathered into rows (`arrange`) and
 *   the result scattered back (`restore`).
 */
export class SliceLayout {
  /** Elements per slice. */
  readonly length: number;
  /** Number of slices. */
  readonly count: number;
  /** Slices side by side in memory (1: each slice is contiguous). */
  readonly lanes: number;
  private readonly gather: { readonly bases: Float64Array; readonly offsets: Float64Array } | null = null;

  constructor(shape: Shape, axes: readonly number[]) {
    let length = 1;
    for (const axis of axes) length *= shape[axis]!;
    let size = 1;
    for (const d of shape) size *= d;
    this.length = length;
    this.count = length === 0 ? 0 : size / length;
    // Drop size-1 axes: they do not change where anything lies.
    const dims = shape.map((d, axis) => ({ d, reduced: axes.includes(axis) })).filter(({ d }) => d !== 1);
    const first = dims.findIndex((dim) => dim.reduced);
    let last = dims.length - 1;
    while (last >= 0 && !dims[last]!.reduced) last--;
    const block = first < 0 || dims.slice(first, last + 1).every((dim) => dim.reduced);
    if (block) {
      this.lanes = first < 0 ? 1 : dims.slice(last + 1).reduce((n, dim) => n * dim.d, 1);
    } else {
      this.lanes = 1;
      const kept = shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
      this.gather = { bases: offsetsOver(shape, kept), offsets: offsetsOver(shape, axes) };
    }
  }

  /** Whether the slices are consecutive rows of the data as it lies (no gathering, one lane). */
  get isRows(): boolean {
    return this.lanes === 1 && this.gather === null;
  }

  /** `values` arranged for the passes: themselves, or gathered into rows when the slices are scattered. */
  arrange(values: Values): Values {
    if (!this.gather) return values;
    const { bases, offsets } = this.gather;
    const rows = new Float64Array(this.count * this.length);
    for (let k = 0, r = 0; k < this.count; k++) {
      for (let j = 0; j < this.length; j++, r++) rows[r] = values[bases[k]! + offsets[j]!]!;
    }
    return rows;
  }

  /** Where the passes write a result that belongs in `out`: `out` itself, or scratch rows to `restore` from. */
  target(out: TypedArray): TypedArray {
    return this.gather ? new Float64Array(out.length) : out;
  }

  /** Puts a result the passes wrote into `target(out)` into `out`, in the tensor's order. */
  restore(result: TypedArray, out: TypedArray): void {
    if (!this.gather) return;
    const { bases, offsets } = this.gather;
    for (let k = 0, r = 0; k < this.count; k++) {
      for (let j = 0; j < this.length; j++, r++) out[bases[k]! + offsets[j]!] = result[r]!;
    }
  }
}

/** Flat offsets of every index over `dims` (row-major among them), for a tensor of `shape`. */
function offsetsOver(shape: Shape, dims: readonly number[]): Float64Array {
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, s = 1; i >= 0; s *= shape[i]!, i--) strides[i] = s;
  let count = 1;
  for (const d of dims) count *= shape[d]!;
  const offsets = new Float64Array(count);
  const index = new Array<number>(dims.length).fill(0);
  let offset = 0;
  for (let k = 0; k < count; k++) {
    offsets[k] = offset;
    // Odometer: advance the last dim, carrying into earlier ones.
    for (let j = dims.length - 1; j >= 0; j--) {
      const d = dims[j]!;
      if (++index[j]! < shape[d]!) {
        offset += strides[d]!;
        break;
      }
      offset -= (index[j]! - 1) * strides[d]!;
      index[j] = 0;
    }
  }
  return offsets;
}

/**
 * Each slice's maximum, NaN where the slice holds a NaN (as `max`), -Infinity for an empty slice. It calls no
 * scalar function, so one copy serves every kernel.
 */
export function sliceMax(layout: SliceLayout, a: Values): Float64Array {
  const { length, lanes, count } = layout;
  const stats = new Float64Array(count);
  if (lanes === 1) {
    for (let k = 0, start = 0; k < count; k++, start += length) {
      let m = Number.NEGATIVE_INFINITY;
      for (let j = start, end = start + length; j < end; j++) {
        const v = a[j]!;
        if (v > m) m = v;
        else if (Number.isNaN(v)) {
          m = v;
          break;
        }
      }
      stats[k] = m;
    }
    return stats;
  }
  stats.fill(Number.NEGATIVE_INFINITY);
  for (let k0 = 0, row = 0; k0 < count; k0 += lanes) {
    for (let j = 0; j < length; j++, row += lanes) {
      for (let i = 0; i < lanes; i++) {
        const v = a[row + i]!;
        // Once a lane's maximum is NaN no comparison is true, so NaN sticks.
        if (v > stats[k0 + i]! || Number.isNaN(v)) stats[k0 + i] = v;
      }
    }
  }
  return stats;
}

/**
 * The per-element functions of the slice passes, numbered: the passes switch on the number inside their loops
 * (one loop for every use, each call site monomorphic: see PointwiseRule for why not a function per use). Each
 * gets the elements a and b and two statistics s and t of their slice.
 */
export enum SliceFn {
  /** e^(a - s): softmax's and logSoftmax's exponentials. */
  ExpShifted,
  /** The same with the float32-accurate `expFloat32`, for float32 outputs. */
  ExpShifted32,
  /** a / s. */
  Divide,
  /** a - s. */
  Minus,
  /** a·b. */
  Product,
  /** b. */
  Second,
  /** a·b - a·s: softmax's gradient from p (a) and g (b). */
  SoftmaxGrad,
  /** b - e^(a - s)·t: logSoftmax's gradient from x (a), g (b), the slice maximum s and Σg/Σe^(x - m) (t). */
  LogSoftmaxGrad,
}

/** The slice function number `f` at one element. */
function sliceScalar(f: SliceFn, a: number, b: number, s: number, t: number): number {
  switch (f) {
    case SliceFn.ExpShifted:
      return Math.exp(a - s);
    case SliceFn.ExpShifted32:
      return expFloat32(a - s);
    case SliceFn.Divide:
      return a / s;
    case SliceFn.Minus:
      return a - s;
    case SliceFn.Product:
      return a * b;
    case SliceFn.Second:
      return b;
    case SliceFn.SoftmaxGrad:
      return a * b - a * s;
    default:
      return b - Math.exp(a - s) * t;
  }
}

/**
 * Pass template: per slice, Σ f over its elements into `stats`, each value of f also written into `out` unless
 * `out` is `stats` (the caller's way of saying "sums only"). Two loop nests rather than a test per element: an
 * `if (out)` in the inner loop measured 10x slower (V8 stops inlining f there).
 */
function sumPass(
  a: Values,
  b: Values,
  s: Float64Array,
  t: Float64Array,
  f: SliceFn,
  length: number,
  lanes: number,
  stats: Float64Array,
  out: TypedArray,
): void {
  const count = stats.length;
  const write = out !== stats;
  if (lanes === 1) {
    for (let k = 0, start = 0; k < count; k++, start += length) {
      const sk = s[k]!;
      const tk = t[k]!;
      const end = start + length;
      let total = 0;
      if (write) {
        for (let j = start; j < end; j++) {
          const v = sliceScalar(f, a[j]!, b[j]!, sk, tk);
          out[j] = v;
          total += v;
        }
      } else {
        for (let j = start; j < end; j++) total += sliceScalar(f, a[j]!, b[j]!, sk, tk);
      }
      stats[k] = total;
    }
    return;
  }
  for (let k0 = 0, row = 0; k0 < count; k0 += lanes) {
    for (let j = 0; j < length; j++, row += lanes) {
      if (write) {
        for (let i = 0; i < lanes; i++) {
          const v = sliceScalar(f, a[row + i]!, b[row + i]!, s[k0 + i]!, t[k0 + i]!);
          out[row + i] = v;
          stats[k0 + i] += v;
        }
      } else {
        for (let i = 0; i < lanes; i++)
          stats[k0 + i] += sliceScalar(f, a[row + i]!, b[row + i]!, s[k0 + i]!, t[k0 + i]!);
      }
    }
  }
}

/** Pass template: every element of `out` is f of the elements of a and b and their slice's statistics. */
function mapPass(
  a: Values,
  b: Values,
  s: Float64Array,
  t: Float64Array,
  f: SliceFn,
  length: number,
  lanes: number,
  out: TypedArray,
): void {
  const count = s.length;
  if (lanes === 1) {
    for (let k = 0, start = 0; k < count; k++, start += length) {
      const sk = s[k]!;
      const tk = t[k]!;
      for (let j = start, end = start + length; j < end; j++) out[j] = sliceScalar(f, a[j]!, b[j]!, sk, tk);
    }
    return;
  }
  for (let k0 = 0, row = 0; k0 < count; k0 += lanes) {
    for (let j = 0; j < length; j++, row += lanes) {
      for (let i = 0; i < lanes; i++)
        out[row + i] = sliceScalar(f, a[row + i]!, b[row + i]!, s[k0 + i]!, t[k0 + i]!);
    }
  }
}

/** What a slice pass takes: arranged inputs a and b (b may be a again), and up to two per-slice statistics. */
export interface PassArgs {
  readonly a: Values;
  readonly b?: Values;
  readonly s?: Float64Array;
  readonly t?: Float64Array;
}

/** Statistics for a pass that uses fewer than two: zeros, so the loops read numbers of one kind. */
const zeros = (layout: SliceLayout) => new Float64Array(layout.count);

/**
 * A pass that sums `f` over each slice and returns the sums (writing every value of `f` into `out` too, if
 * given).
 */
export function slicePassSum(
  f: SliceFn,
): (layout: SliceLayout, args: PassArgs, out?: TypedArray) => Float64Array {
  return (layout, { a, b = a, s, t }, out) => {
    const stats = new Float64Array(layout.count);
    sumPass(
      a,
      b,
      s ?? zeros(layout),
      t ?? zeros(layout),
      f,
      layout.length,
      layout.lanes,
      stats,
      out ?? stats,
    );
    return stats;
  };
}

/** A pass that writes `f` of every element into `out`. */
export function slicePassMap(f: SliceFn): (layout: SliceLayout, args: PassArgs, out: TypedArray) => void {
  return (layout, { a, b = a, s, t }, out) => {
    mapPass(a, b, s ?? zeros(layout), t ?? zeros(layout), f, layout.length, layout.lanes, out);
  };
}

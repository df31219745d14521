// Reductions: sum, mean, var, std, prod, max/min, cumsum/cumprod (differentiable), and argmax/argmin/any.
import type { ReduceOp } from '../backend.js';
import { type DType, floatResult } from '../dtype.js';
import { asInput, executeOp } from '../engine.js';
import { describe, MgTypeError, MgValueError } from '../errors.js';
import { type OpAttrs, Operation } from '../operation.js';
import { registerOp } from '../registry.js';
import { normalizeAxes, normalizeAxis, reducedShape, type Shape, sizeOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { divide, multiply, subtract } from './arithmetic.js';
import { equal, isnan, logicalAnd, logicalOr, select } from './compare.js';
import { broadcastTo } from './engine-support.js';
import {
  binaryKernel,
  castTo,
  filled,
  numeric,
  reshapeData,
  runKernel,
  scalar,
  unaryKernel,
} from './kernel.js';

/** The attrs of a reduction over axes: the sorted, distinct axes and whether they are kept as size 1. */
interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/** The attrs of var and std: a reduction plus the delta degrees of freedom. */
interface SpreadAttrs extends ReduceAttrs {
  readonly ddof: number;
}

/** The attrs of cumsum and cumprod: the axis of the (possibly flattened) input the scan runs along. */
interface CumulativeAttrs {
  readonly axis: number;
  /** True when the scan runs over the flattened input (axis null, or a 0-d input). */
  readonly flatten: boolean;
}

declare module '../operation.js' {
  interface OpAttrs {
    'mg.sum': ReduceAttrs;
    'mg.mean': ReduceAttrs;
    'mg.prod': ReduceAttrs;
    'mg.max': ReduceAttrs;
    'mg.min': ReduceAttrs;
    'mg.var': SpreadAttrs;
    'mg.std': SpreadAttrs;
    'mg.cumsum': CumulativeAttrs;
    'mg.cumprod': CumulativeAttrs;
  }
}

/** Options of sum, mean, prod, max and min. */
export interface ReduceOptions {
  /** The axis or axes to reduce (negative ones count from the end); null or omitted: all of them. */
  axis?: number | readonly number[] | null;
  /** Keep the reduced axes as size-1 dimensions, so the result broadcasts against the input. Default false. */
  keepdims?: boolean;
  /** Force the output to be (or not be) a constant; default: constant iff the input is. */
  constant?: boolean | null;
}

/** Options of var and std. */
export interface VarianceOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is `N - ddof` for N reduced elements. Default 0. */
  ddof?: number;
}

/** Options of cumsum and cumprod. */
export interface CumulativeOptions {
  /** The one axis to scan along; null or omitted: scan the flattened input. */
  axis?: number | null;
  /** Force the output to be (or not be) a constant; default: constant iff the input is. */
  constant?: boolean | null;
}

/** Options of argmax and argmin. */
export interface ArgReduceOptions {
  /** The one axis to search along; null or omitted: search the flattened input and return a flat index. */
  axis?: number | null;
}

/** Options of any. */
export interface AnyOptions {
  /** The axis or axes to reduce; null or omitted: all of them. */
  axis?: number | readonly number[] | null;
  /** Keep the reduced axes as size-1 dimensions. Default false. */
  keepdims?: boolean;
}

// ---- graph-free building blocks (forward passes and gradients call these) ----

/** Reduces `x` over the sorted `axes` with a primitive kernel (keeping them as size-1 axes with `keepdims`). */
function reduceData(
  op: ReduceOp,
  x: Tensor,
  axes: readonly number[],
  keepdims: boolean,
  dtype: DType = x.dtype,
): Tensor {
  const shape = reducedShape(x.shape, axes, false);
  // The kept size-1 axes do not change the row-major data, so the kernel's output is labelled with them directly.
  const labelled = keepdims ? reducedShape(x.shape, axes, true) : shape;
  return runKernel(labelled, dtype, (k, info) => k.reduce(op, info(x), axes, { shape, dtype }));
}

/**
 * The gradient of a reduction over `axes`, spread back over the input's `shape`: `grad` (with or without the
 * kept size-1 axes) is given the keepdims shape, then broadcast, so each input element gets its slice's value.
 */
function spreadGrad(grad: Tensor, shape: Shape, axes: readonly number[]): Tensor {
  return broadcastTo(reshapeData(grad, reducedShape(shape, axes, true)), shape);
}

/** How many elements of `shape` each slice of a reduction over `axes` holds. */
function countOf(shape: Shape, axes: readonly number[]): number {
  return sizeOf(axes.map((a) => shape[a]!));
}

/** The mean over `axes`, in the dtype of `x` (a float dtype). */
function meanData(x: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  const total = reduceData('sum', x, axes, keepdims);
  return binaryKernel('mean', 'div', total, countOf(x.shape, axes), total.dtype);
}

/** `x` reversed along `axis` (a strided slice with step -1). */
function reverseAlong(x: Tensor, axis: number): Tensor {
  if (x.size === 0) return x;
  const begin = x.shape.map((d, i) => (i === axis ? d - 1 : 0));
  const step = x.shape.map((_, i) => (i === axis ? -1 : 1));
  return runKernel(x.shape, x.dtype, (k, info) =>
    k.slice(info(x), begin, step, { shape: x.shape, dtype: x.dtype }),
  );
}

/** Inclusive cumulative sum or product along `axis`. */
function scanData(op: 'cumsum' | 'cumprod', x: Tensor, axis: number): Tensor {
  return runKernel(x.shape, x.dtype, (k, info) =>
    k.cumulative(op, info(x), axis, { shape: x.shape, dtype: x.dtype }),
  );
}

/** (x0, x1, x2) -> (x0 + x1 + x2, x1 + x2, x2) along `axis`: the adjoint of cumsum. */
function reverseCumsum(x: Tensor, axis: number): Tensor {
  return reverseAlong(scanData('cumsum', reverseAlong(x, axis), axis), axis);
}

// ---- options ----

function readKeepdims(name: string, keepdims: unknown): boolean {
  if (keepdims === undefined || keepdims === null) return false;
  if (typeof keepdims !== 'boolean') throw new MgTypeError(name, 'a boolean for keepdims', keepdims);
  return keepdims;
}

function readReduce(name: string, x: Tensor, options: ReduceOptions): ReduceAttrs {
  return { axes: normalizeAxes(name, options.axis, x.ndim), keepdims: readKeepdims(name, options.keepdims) };
}

function readDdof(name: string, ddof: unknown): number {
  if (ddof === undefined || ddof === null) return 0;
  if (typeof ddof !== 'number' || !Number.isFinite(ddof))
    throw new MgTypeError(name, 'a finite number for ddof', ddof);
  return ddof;
}

/**
 * The axis of a scan or arg-reduction and whether the input is flattened first. Like NumPy, a 0-d input is
 * treated as 1-d (so axis 0 and -1 are valid for it); a list of axes is a TypeError.
 */
function readSingleAxis(name: string, x: Tensor, axis: unknown): CumulativeAttrs {
  if (axis === undefined || axis === null) return { axis: 0, flatten: true };
  if (typeof axis !== 'number') throw new MgTypeError(name, 'an integer or null for axis', axis);
  const flatten = x.ndim === 0;
  return { axis: normalizeAxis(name, axis, flatten ? 1 : x.ndim), flatten };
}

function flattened(x: Tensor, flatten: boolean): Tensor {
  return flatten ? reshapeData(x, [x.size]) : x;
}

// ---- differentiable reductions over axes ----

/** What a reduction computes: its forward from the input and ∂ℒ/∂x from the upstream grad, x and the output. */
interface ReductionSpec<A> {
  forward(x: Tensor, attrs: A): Tensor;
  grad(grad: Tensor, x: Tensor, y: Tensor, attrs: A): Tensor;
}

type ReduceId =
  | 'mg.sum'
  | 'mg.mean'
  | 'mg.prod'
  | 'mg.max'
  | 'mg.min'
  | 'mg.var'
  | 'mg.std'
  | 'mg.cumsum'
  | 'mg.cumprod';

/** Defines and registers the Operation class of a one-input reduction. */
function defineReduction<Id extends ReduceId>(id: Id, name: string, spec: ReductionSpec<OpAttrs[Id]>) {
  const Op = class extends Operation<OpAttrs[Id]> {
    static readonly id: Id = id;
    private output!: Tensor;
    forward([x]: readonly Tensor[], attrs: OpAttrs[Id]): Tensor {
      this.output = spec.forward(x!, attrs);
      return this.output;
    }
    backwardVar(grad: Tensor): Tensor {
      return spec.grad(grad, this.variables[0]!, this.output, this.attrs);
    }
  };
  Object.defineProperty(Op, 'name', { value: name });
  registerOp(Op);
  return Op;
}

const SumOp = defineReduction('mg.sum', 'Sum', {
  forward: (x, { axes, keepdims }) => reduceData('sum', numeric(x), axes, keepdims),
  grad: (grad, x, _y, { axes }) => spreadGrad(grad, x.shape, axes),
});

const MeanOp = defineReduction('mg.mean', 'Mean', {
  forward: (x, { axes, keepdims }) => meanData(castTo(x, floatResult(x.dtype)), axes, keepdims),
  grad: (grad, x, _y, { axes }) => spreadGrad(divide(grad, countOf(x.shape, axes)), x.shape, axes),
});

const ProdOp = defineReduction('mg.prod', 'Prod', {
  forward: (x, { axes, keepdims }) => reduceData('prod', numeric(x), axes, keepdims),
  // The product of the others, exactly: prod/x where a slice has no zero; where it has one zero, only that
  // element gets the product of the rest; where it has two or more, every element gets 0 (as MyGrad).
  grad: (grad, x, _y, { axes }) => {
    const isZero = equal(x, 0);
    const zeros = reduceData('sum', castTo(isZero, 'int32'), axes, true);
    const ofNonZeros = reduceData('prod', select(isZero, 1, x), axes, true);
    const atZero = select(equal(zeros, 1), ofNonZeros, 0);
    const elsewhere = select(equal(zeros, 0), divide(ofNonZeros, x), 0);
    return multiply(spreadGrad(grad, x.shape, axes), select(isZero, atZero, elsewhere));
  },
});

/**
 * The gradient of max/min: all of a slice's gradient goes to its FIRST extremum in row-major order over the
 * reduced axes (the first NaN when the slice holds one, as NumPy's argmax does), none to later ties.
 */
function extremumGrad(grad: Tensor, x: Tensor, y: Tensor, axes: readonly number[]): Tensor {
  const count = countOf(x.shape, axes);
  // Each element's row-major position inside its slice: 0..count-1 laid out over the reduced axes.
  const position = new Tensor(
    Int32Array.from({ length: count }, (_, i) => i),
    {
      shape: x.shape.map((d, i) => (axes.includes(i) ? d : 1)),
    },
  );
  const extremum = reshapeData(y, reducedShape(x.shape, axes, true));
  const hit = logicalOr(equal(x, extremum), isnan(x));
  const first = reduceData('min', select(hit, position, scalar(count, 'int32')), axes, true);
  return select(equal(position, first), spreadGrad(grad, x.shape, axes), 0);
}

const MaxOp = defineReduction('mg.max', 'Max', {
  forward: (x, { axes, keepdims }) => reduceData('max', x, axes, keepdims),
  grad: (grad, x, y, { axes }) => extremumGrad(grad, x, y, axes),
});

const MinOp = defineReduction('mg.min', 'Min', {
  forward: (x, { axes, keepdims }) => reduceData('min', x, axes, keepdims),
  grad: (grad, x, y, { axes }) => extremumGrad(grad, x, y, axes),
});

/** NumPy's var: mean squared deviation, divided by max(N - ddof, 0) (so inf or NaN when that is <= 0). */
function varianceData(x: Tensor, { axes, keepdims, ddof }: SpreadAttrs): Tensor {
  const xf = castTo(x, floatResult(x.dtype));
  const centered = binaryKernel('var', 'sub', xf, meanData(xf, axes, true));
  const squares = reduceData('sum', binaryKernel('var', 'mul', centered, centered), axes, keepdims);
  return binaryKernel('var', 'div', squares, Math.max(countOf(x.shape, axes) - ddof, 0), squares.dtype);
}

/** ∂var/∂x · grad = grad · 2(x - mean)/(N - ddof), with MyGrad's N - ddof (not clamped at 0). */
function varianceGrad(grad: Tensor, x: Tensor, { axes, ddof }: SpreadAttrs): Tensor {
  // An explicit empty axis list reduces nothing: MyGrad returns zeros rather than 0·(2/(1 - ddof)).
  if (axes.length === 0 && x.ndim > 0) return filled(x.shape, 0, x.dtype);
  const centered = subtract(x, meanData(x, axes, true));
  return multiply(spreadGrad(grad, x.shape, axes), multiply(centered, 2 / (countOf(x.shape, axes) - ddof)));
}

const VarOp = defineReduction('mg.var', 'Variance', {
  forward: varianceData,
  grad: (grad, x, _y, attrs) => varianceGrad(grad, x, attrs),
});

const StdOp = defineReduction('mg.std', 'StdDev', {
  forward: (x, attrs) => unaryKernel('sqrt', varianceData(x, attrs)),
  // d sqrt(v) = dv / (2 sqrt(v)), then back through the variance.
  grad: (grad, x, y, attrs) => varianceGrad(divide(grad, multiply(y, 2)), x, attrs),
});

/** The public function of a reduction over axes; `check` adds op-specific validation of the attrs. */
function reducer(
  name: string,
  Op: typeof SumOp | typeof MeanOp | typeof ProdOp | typeof MaxOp | typeof MinOp,
  check?: (x: Tensor, attrs: ReduceAttrs) => void,
): (x: TensorLike, options?: ReduceOptions) => Tensor {
  const fn = (x: TensorLike, options: ReduceOptions = {}): Tensor => {
    const t = asInput(x);
    const attrs = readReduce(name, t, options);
    check?.(t, attrs);
    return executeOp(Op, [t], { attrs, constant: options.constant });
  };
  return Object.defineProperty(fn, 'name', { value: name });
}

function spreader(
  name: string,
  Op: typeof VarOp | typeof StdOp,
): (x: TensorLike, options?: VarianceOptions) => Tensor {
  const fn = (x: TensorLike, options: VarianceOptions = {}): Tensor => {
    const t = asInput(x);
    const attrs = { ...readReduce(name, t, options), ddof: readDdof(name, options.ddof) };
    return executeOp(Op, [t], { attrs, constant: options.constant });
  };
  return Object.defineProperty(fn, 'name', { value: name });
}

/** NumPy refuses max/min over an empty slice (they have no identity) unless the result is empty too. */
function requireNonEmpty(name: string, numpyName: string) {
  return (x: Tensor, { axes }: ReduceAttrs): void => {
    if (axes.some((a) => x.shape[a] === 0) && sizeOf(reducedShape(x.shape, axes, false)) > 0) {
      throw new MgValueError(
        `${name}: zero-size array to reduction operation ${numpyName} which has no identity (shape [${x.shape.join(', ')}], axis ${describe(axes)})`,
      );
    }
  };
}

/**
 * Sum of the elements over the given axes (all by default). Bool and int32 inputs sum to int32 (constant).
 * @param x The tensor to sum.
 * @param options `axis` (an int, a list of ints, or null for all), `keepdims`, `constant`.
 * @returns The sums, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   a non-integer axis or a non-boolean keepdims.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * sum(x).item(); // 10
 * sum(x, { axis: 0 }).toArray(); // [4, 6]
 * sum(x, { axis: -1, keepdims: true }).toArray(); // [[3], [7]]
 * sum(tensor([true, true, false])).dtype; // "int32"
 * ```
 */
export const sum = reducer('sum', SumOp);

/**
 * Arithmetic mean over the given axes (all by default). Int and bool inputs give float64 (constant). The mean
 * of an empty slice is NaN, as NumPy's.
 * @param x The tensor to average.
 * @param options `axis` (an int, a list of ints, or null for all), `keepdims`, `constant`.
 * @returns The means, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   a non-integer axis or a non-boolean keepdims.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * mean(x).item(); // 2.5
 * mean(x, { axis: 1 }).toArray(); // [1.5, 3.5]
 * const y = mean(x);
 * y.backward();
 * x.grad?.toArray(); // [[0.25, 0.25], [0.25, 0.25]]
 * ```
 */
export const mean = reducer('mean', MeanOp);

/**
 * Product of the elements over the given axes (all by default). Bool and int32 inputs give int32. Gradients
 * are exact "products of the others" even when the input holds zeros.
 * @param x The tensor to multiply out.
 * @param options `axis` (an int, a list of ints, or null for all), `keepdims`, `constant`.
 * @returns The products, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   a non-integer axis or a non-boolean keepdims.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * prod(x, { axis: 1 }).toArray(); // [2, 12]
 * const z = tensor([2, 0, 5]);
 * prod(z).backward();
 * z.grad?.toArray(); // [0, 10, 0]
 * ```
 */
export const prod = reducer('prod', ProdOp);

/**
 * Maximum over the given axes (all by default); NaN propagates. The whole gradient of each slice goes to its
 * first maximum (ties: first occurrence only), as in MyGrad.
 * @param x The tensor to search.
 * @param options `axis` (an int, a list of ints, or null for all), `keepdims`, `constant`.
 * @returns The maxima, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws MgValueError when a reduced axis has size 0 (and the result is not empty: NumPy's "zero-size array to
 *   reduction operation maximum which has no identity"); AxisError for an axis out of range; ShapeError for a
 *   repeated axis; MgTypeError for a non-integer axis or a non-boolean keepdims.
 * @example
 * ```ts
 * const x = tensor([[1, 5, 5], [4, 2, 0]]);
 * max(x, { axis: 1 }).toArray(); // [5, 4]
 * max(x).backward();
 * x.grad?.toArray(); // [[0, 1, 0], [0, 0, 0]]
 * ```
 */
export const max = reducer('max', MaxOp, requireNonEmpty('max', 'maximum'));

/**
 * Minimum over the given axes (all by default); NaN propagates. The whole gradient of each slice goes to its
 * first minimum (ties: first occurrence only), as in MyGrad.
 * @param x The tensor to search.
 * @param options `axis` (an int, a list of ints, or null for all), `keepdims`, `constant`.
 * @returns The minima, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws MgValueError when a reduced axis has size 0 (and the result is not empty); AxisError for an axis out
 *   of range; ShapeError for a repeated axis; MgTypeError for a non-integer axis or a non-boolean keepdims.
 * @example
 * ```ts
 * const x = tensor([[1, 5], [0, 2]]);
 * min(x, { axis: 0 }).toArray(); // [0, 2]
 * min(x, { axis: [0, 1] }).item(); // 0
 * ```
 */
export const min = reducer('min', MinOp, requireNonEmpty('min', 'minimum'));

/**
 * Alias of `max`.
 * @example
 * ```ts
 * amax(tensor([1, 3, 2])).item(); // 3
 * ```
 */
export const amax = max;

/**
 * Alias of `min`.
 * @example
 * ```ts
 * amin(tensor([1, 3, 2])).item(); // 1
 * ```
 */
export const amin = min;

/**
 * Variance over the given axes (all by default): the mean squared deviation from the mean, divided by
 * `N - ddof`. Int and bool inputs give float64 (constant). As NumPy, `N - ddof <= 0` gives inf (or NaN for a
 * zero sum of squares) instead of an error.
 * @param x The tensor.
 * @param options `axis` (an int, a list of ints, or null for all), `ddof` (default 0), `keepdims`, `constant`.
 * @returns The variances, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   a non-integer axis, a non-boolean keepdims or a non-finite ddof.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * variance(x).item(); // 1.25
 * variance(x, { axis: 1 }).toArray(); // [0.25, 0.25]
 * variance(tensor([1, 2, 3, 4]), { ddof: 1 }).item(); // 1.6666666666666667
 * ```
 */
export const variance = spreader('var', VarOp);

/**
 * Standard deviation over the given axes (all by default): the square root of `variance` (same `ddof`
 * handling). Int and bool inputs give float64 (constant). Its gradient is NaN where the deviation is 0.
 * @param x The tensor.
 * @param options `axis` (an int, a list of ints, or null for all), `ddof` (default 0), `keepdims`, `constant`.
 * @returns The standard deviations, with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   a non-integer axis, a non-boolean keepdims or a non-finite ddof.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * std(x, { axis: 0 }).toArray(); // [1, 1]
 * std(tensor([2, 4, 4, 4, 5, 5, 7, 9])).item(); // 2
 * ```
 */
export const std = spreader('std', StdOp);

export { variance as var };

// ---- cumulative sums and products ----

const CumsumOp = defineReduction('mg.cumsum', 'CumSum', {
  forward: (x, { axis, flatten }) => scanData('cumsum', flattened(numeric(x), flatten), axis),
  grad: (grad, x, _y, { axis }) => reshapeData(reverseCumsum(grad, axis), x.shape),
});

const CumprodOp = defineReduction('mg.cumprod', 'CumProd', {
  forward: (x, { axis, flatten }) => scanData('cumprod', flattened(numeric(x), flatten), axis),
  // ∂ℒ/∂x_i = Σ_{j>=i} g_j·Π_{k<=j, k≠i} x_k. Before a run's first zero that is revcumsum(g·cumprod(x))/x_i; at
  // the first zero it is the same sum with that zero replaced by 1; after it every term holds the zero: 0.
  grad: (grad, x, _y, { axis, flatten }) => {
    const xs = flattened(x, flatten);
    const isZero = equal(xs, 0);
    const zerosSoFar = scanData('cumsum', castTo(isZero, 'int32'), axis);
    const firstZero = logicalAnd(isZero, equal(zerosSoFar, 1));
    const plain = divide(reverseCumsum(multiply(grad, scanData('cumprod', xs, axis)), axis), xs);
    const patched = reverseCumsum(multiply(grad, scanData('cumprod', select(firstZero, 1, xs), axis)), axis);
    const dx = select(equal(zerosSoFar, 0), plain, select(firstZero, patched, 0));
    return reshapeData(dx, x.shape);
  },
});

function scanner(name: string, Op: typeof CumsumOp | typeof CumprodOp) {
  const fn = (x: TensorLike, options: CumulativeOptions = {}): Tensor => {
    const t = asInput(x);
    return executeOp(Op, [t], { attrs: readSingleAxis(name, t, options.axis), constant: options.constant });
  };
  return Object.defineProperty(fn, 'name', { value: name });
}

/**
 * Cumulative sum along one axis (of the flattened input when `axis` is null or omitted). Bool inputs give
 * int32.
 * @param x The tensor.
 * @param options `axis` (one int, or null to flatten), `constant`.
 * @returns The running sums: x's shape, or 1-D of x's size when flattened.
 * @throws MgTypeError when `axis` is not an integer or null (e.g. a list); AxisError for an axis out of range.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * cumsum(x).toArray(); // [1, 3, 6, 10, 15, 21]
 * cumsum(x, { axis: 0 }).toArray(); // [[1, 2, 3], [5, 7, 9]]
 * ```
 */
export const cumsum = scanner('cumsum', CumsumOp);

/**
 * Cumulative product along one axis (of the flattened input when `axis` is null or omitted). Bool inputs give
 * int32. Gradients are exact when the input holds zeros.
 * @param x The tensor.
 * @param options `axis` (one int, or null to flatten), `constant`.
 * @returns The running products: x's shape, or 1-D of x's size when flattened.
 * @throws MgTypeError when `axis` is not an integer or null (e.g. a list); AxisError for an axis out of range.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * cumprod(x, { axis: 1 }).toArray(); // [[1, 2, 6], [4, 20, 120]]
 * const z = tensor([2, 0, 3]);
 * cumprod(z).backward();
 * z.grad?.toArray(); // [1, 8, 0]
 * ```
 */
export const cumprod = scanner('cumprod', CumprodOp);

// ---- non-differentiable reductions ----

function argReducer(name: 'argmax' | 'argmin') {
  const fn = (x: TensorLike, options: ArgReduceOptions = {}): Tensor => {
    const t = asInput(x);
    const { axis, flatten } = readSingleAxis(name, t, options.axis);
    const source = flattened(t, flatten);
    if (source.shape[axis] === 0)
      throw new MgValueError(`${name}: attempt to get ${name} of an empty sequence`);
    const shape = source.shape.filter((_, i) => i !== axis);
    return runKernel(shape, 'int32', (k, info) =>
      k.argReduce(name, info(source), axis, { shape, dtype: 'int32' }),
    );
  };
  return Object.defineProperty(fn, 'name', { value: name });
}

/**
 * Index of the first maximum along one axis, or the flat index into the flattened input when `axis` is null or
 * omitted; the first NaN counts as the maximum. Not differentiable: a constant int32 tensor.
 * @param x The tensor to search.
 * @param options `axis` (one int, or null to flatten).
 * @returns int32 indices with `axis` removed (0-d when flattened).
 * @throws MgValueError when the searched axis is empty; MgTypeError for an axis that is not an integer or null;
 *   AxisError for an axis out of range.
 * @example
 * ```ts
 * const x = tensor([[1, 7, 7], [9, 2, 3]]);
 * argmax(x).item(); // 3
 * argmax(x, { axis: 1 }).toArray(); // [1, 0]
 * ```
 */
export const argmax = argReducer('argmax');

/**
 * Index of the first minimum along one axis, or the flat index into the flattened input when `axis` is null or
 * omitted; the first NaN counts as the minimum. Not differentiable: a constant int32 tensor.
 * @param x The tensor to search.
 * @param options `axis` (one int, or null to flatten).
 * @returns int32 indices with `axis` removed (0-d when flattened).
 * @throws MgValueError when the searched axis is empty; MgTypeError for an axis that is not an integer or null;
 *   AxisError for an axis out of range.
 * @example
 * ```ts
 * const x = tensor([[4, 0, 0], [1, 2, 3]]);
 * argmin(x, { axis: 0 }).toArray(); // [1, 0, 0]
 * argmin(x).item(); // 1
 * ```
 */
export const argmin = argReducer('argmin');

/**
 * Whether any element is truthy (non-zero, NaN included) over the given axes (all by default). Not
 * differentiable: a constant bool tensor. An empty slice gives false.
 * @param x The tensor to test.
 * @param options `axis` (an int, a list of ints, or null for all), `keepdims`.
 * @returns Bools with the reduced axes removed (or kept as size 1 with `keepdims`).
 * @throws AxisError for an axis out of range; ShapeError (a MgValueError) for a repeated axis; MgTypeError for
 *   a non-integer axis or a non-boolean keepdims.
 * @example
 * ```ts
 * const x = tensor([[0, 0], [0, 3]]);
 * any(x).item(); // true
 * any(x, { axis: 1 }).toArray(); // [false, true]
 * ```
 */
export function any(x: TensorLike, options: AnyOptions = {}): Tensor {
  const t = asInput(x);
  // NumPy's ufunc reductions accept axis 0 or -1 on a 0-d array and reduce nothing.
  const scalarAxis = t.ndim === 0 && (options.axis === 0 || options.axis === -1);
  const axes = scalarAxis ? [] : normalizeAxes('any', options.axis, t.ndim);
  return reduceData('any', t, axes, readKeepdims('any', options.keepdims), 'bool');
}

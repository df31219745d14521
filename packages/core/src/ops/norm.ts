// linalg.norm: MyGrad's vector norms (ord 2, 1, ±inf, any p) with its gradient conventions; matrix norms are
// refused with NotImplementedError, as in MyGrad.
import { floatResult } from '../dtype.js';
import { asInput, executeOp } from '../engine.js';
import { MgNotImplementedError, MgTypeError, MgValueError } from '../errors.js';
import { Operation } from '../operation.js';
import { registerOp } from '../registry.js';
import { normalizeAxes, normalizeAxis, reducedShape } from '../shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { divide, multiply } from './arithmetic.js';
import { equal, select } from './compare.js';
import { binaryKernel, castTo, reshapeData, runKernel, scalar, unaryKernel } from './kernel.js';
import { max, min } from './reductions.js';
import { absolute } from './unary-math.js';

/** The attrs of a vector norm: the reduced axes (one, or all for the flattened 2-norm) and the order p. */
interface NormAttrs {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
  /** The order p (MyGrad's ord, with None as 2); never ±inf or 0 (those are not this op). */
  readonly ord: number;
  /** False: the gradient is NaN wherever x is 0. */
  readonly nanToNum: boolean;
}

declare module '../operation.js' {
  interface OpAttrs {
    'mg.norm': NormAttrs;
  }
}

/** Options of `norm`. */
export interface NormOptions {
  /**
   * The order: null or omitted for the 2-norm (of the flattened tensor when `axis` is null), a number p for
   * (Σ|x|^p)^(1/p), `Infinity` for max|x|, `-Infinity` for min|x|. Matrix orders (`'fro'`, `'nuc'`, or any
   * order over two axes) raise MgNotImplementedError; 0 too (not differentiable, as in MyGrad).
   */
  ord?: number | string | null;
  /** The axis holding the vectors; null or omitted: the whole (1-d, or flattened for the 2-norm) tensor. */
  axis?: number | readonly number[] | null;
  /** Keep the normed axes as size-1 dimensions. Default false. */
  keepdims?: boolean;
  /** True (default): the gradient where x is 0 is 0 where the formula allows; false: it is NaN there. */
  nanToNum?: boolean;
  /** Force the output to be (or not be) a constant; default: constant iff the input is. */
  constant?: boolean | null;
}

const NAME = 'norm';

/** Σ over `axes` of `x` (a float tensor), labelled with or without the kept size-1 axes. */
function sumOver(x: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  const shape = reducedShape(x.shape, axes, false);
  const labelled = keepdims ? reducedShape(x.shape, axes, true) : shape;
  return runKernel(labelled, x.dtype, (k, info) => k.reduce('sum', info(x), axes, { shape, dtype: x.dtype }));
}

/** `f(t)`, disposing `t` (an intermediate) afterwards. */
function consume(t: Tensor, f: (t: Tensor) => Tensor): Tensor {
  const out = f(t);
  t.dispose();
  return out;
}

function normData(x: Tensor, { axes, keepdims, ord }: NormAttrs): Tensor {
  if (ord === 2) {
    const squares = consume(binaryKernel(NAME, 'mul', x, x), (s) => sumOver(s, axes, keepdims));
    return consume(squares, (s) => unaryKernel('sqrt', s));
  }
  const magnitude = unaryKernel('abs', x);
  if (ord === 1) return consume(magnitude, (m) => sumOver(m, axes, keepdims));
  const powers = consume(magnitude, (m) => powScalar(m, ord));
  const total = consume(powers, (p) => sumOver(p, axes, keepdims));
  return consume(total, (t) => powScalar(t, 1 / ord));
}

/** `t ** p` in t's dtype (binaryKernel would leave its own 0-d copy of a plain-number `p` undisposed). */
function powScalar(t: Tensor, p: number): Tensor {
  return consume(scalar(p, t.dtype), (e) => binaryKernel(NAME, 'pow', t, e, t.dtype));
}

class Norm extends Operation<NormAttrs> {
  static readonly id = 'mg.norm';
  private output!: Tensor;

  forward([x]: readonly Tensor[], attrs: NormAttrs): Tensor {
    const xf = castTo(x!, floatResult(x!.dtype));
    this.output = normData(xf, attrs);
    if (xf !== x) xf.dispose();
    return this.output;
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    const { axes, ord, nanToNum } = this.attrs;
    // Output and upstream grad with the normed axes kept, so they broadcast against x.
    const kept = reducedShape(x.shape, axes, true);
    const upstream = reshapeData(grad, kept);
    const norm = reshapeData(this.output, kept);
    const sign = unaryKernel('sign', x);
    let out: Tensor;
    // MyGrad's formulas as written: the 2-norm's x/‖x‖ is NaN at the zero vector even with nanToNum.
    if (ord === 1) out = multiply(sign, upstream);
    else if (ord === 2) out = multiply(divide(x, norm), upstream);
    else {
      const magnitude = unaryKernel('abs', x);
      const scale = x.size === 0 ? norm : divide(norm, sumOver(powScalar(magnitude, ord), axes, true));
      const slope = multiply(powScalar(magnitude, ord - 1), sign);
      out = multiply(multiply(slope, scale), upstream);
    }
    return nanToNum ? out : select(equal(x, 0), Number.NaN, out);
  }
}
registerOp(Norm);

const MATRIX_ORDS: readonly (number | string | null)[] = [null, 1, -1, 2, -2, 'fro', 'f', 'nuc'];

function readFlag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new MgTypeError(NAME, `a boolean for ${name}`, value);
  return value;
}

function readAxis(axis: unknown): number | readonly number[] | null {
  if (axis === undefined || axis === null) return null;
  const valid = (a: unknown) => typeof a === 'number' && Number.isInteger(a);
  if (valid(axis) || (Array.isArray(axis) && axis.every(valid))) return axis as number | readonly number[];
  throw new MgTypeError(NAME, 'null, an integer or a list of integers for axis', axis);
}

function matrixNorms(): MgNotImplementedError {
  return new MgNotImplementedError(`${NAME}: mygrad.linalg.norm does not support matrix norms`);
}

/**
 * The attrs of a finite-order norm, after NumPy's validation of ord and axis (whose errors come first, as
 * MyGrad calls np.linalg.norm before its own checks), then MyGrad's refusals.
 */
function readNorm(
  x: Tensor,
  ord: number | string | null,
  axis: number | readonly number[] | null,
): Pick<NormAttrs, 'axes' | 'ord'> {
  const ndim = x.ndim;
  const all = Array.from({ length: ndim }, (_, i) => i);
  // NumPy's fast path: the 2-norm of the flattened tensor (also the Frobenius norm of a matrix).
  const flat =
    axis === null &&
    (ord === null || (ord === 2 && ndim === 1) || ((ord === 'fro' || ord === 'f') && ndim === 2));
  const list = axis === null ? all : typeof axis === 'number' ? [axis] : axis;
  if (!flat) {
    if (list.length === 1) {
      normalizeAxis(NAME, list[0], ndim);
      if (typeof ord === 'string') throw new MgValueError(`${NAME}: Invalid norm order '${ord}' for vectors`);
    } else if (list.length === 2) {
      const [row, col] = list.map((a) => normalizeAxis(NAME, a, ndim));
      if (row === col) throw new MgValueError(`${NAME}: Duplicate axes given.`);
      if (!MATRIX_ORDS.includes(ord)) throw new MgValueError(`${NAME}: Invalid norm order for matrices.`);
    } else throw new MgValueError(`${NAME}: Improper number of dimensions to norm.`);
  }
  if ((ndim === 2 && ord !== null && axis === null) || (list.length > 1 && !flat)) throw matrixNorms();
  if (ord === 0) {
    throw new MgNotImplementedError(
      `${NAME}: mygrad.linalg.norm(..., ord=0) is not a differentiable operation`,
    );
  }
  // Past the checks above, a string ord has thrown: only the flattened 2-norm and numeric orders remain.
  const p = typeof ord === 'number' ? ord : 2;
  return flat ? { axes: all, ord: 2 } : { axes: [normalizeAxis(NAME, list[0], ndim)], ord: p };
}

/**
 * Vector norms (MyGrad's `mygrad.linalg.norm`, also exported as `linalg.norm`): the 2-norm by default,
 * (Σ|x|^p)^(1/p) for a number p, max|x| for `Infinity` and min|x| for `-Infinity`, over one axis, or over the
 * whole tensor when `axis` is null (flattened for the default 2-norm; otherwise x must be 1-d). Int and bool
 * inputs give float64 (constant); the ±inf norms keep the input's dtype, being max/min of |x|.
 * Gradients follow MyGrad: ord 1 gives sign(x) (0 at 0); the 2-norm gives x/‖x‖, which is NaN for a zero
 * vector even with `nanToNum`; other p give |x|^(p-1)·sign(x)·‖x‖/Σ|x|^p; the ±inf norms give the whole
 * gradient to the first extremum. With `nanToNum: false` the gradient is NaN wherever x is 0.
 * @param x The tensor of vectors.
 * @param options `ord`, `axis`, `keepdims`, `nanToNum`, `constant`.
 * @returns The norms, with the normed axis removed (or kept as size 1 with `keepdims`).
 * @throws MgNotImplementedError for matrix norms (two axes, a matrix order such as `'fro'`, or any order but
 *   null for a 2-d tensor with axis null) and for ord 0; MgValueError for an invalid order or a tensor that is
 *   not 1-d with axis null and an order given; AxisError for an axis out of range; MgTypeError for an axis,
 *   keepdims or nanToNum of the wrong type.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [1, 0, 0]]);
 * norm(x, { axis: 1 }).toArray(); // [3.7416573867739413, 1]
 * norm(x, { axis: 0, ord: 1 }).toArray(); // [2, 2, 3]
 * norm(x, { axis: 1, ord: Infinity, keepdims: true }).toArray(); // [[3], [1]]
 * const v = tensor([3, 4]);
 * norm(v).backward();
 * v.grad?.toArray(); // [0.6, 0.8]
 * ```
 */
export function norm(x: TensorLike, options: NormOptions = {}): Tensor {
  const t = asInput(x);
  const ord = options.ord ?? null;
  if (ord !== null && typeof ord !== 'number' && typeof ord !== 'string') {
    throw new MgTypeError(NAME, 'a number, a string or null for ord', ord);
  }
  const axis = readAxis(options.axis);
  const keepdims = readFlag(options.keepdims, 'keepdims', false);
  const nanToNum = readFlag(options.nanToNum, 'nanToNum', true);
  if (ord === Infinity || ord === -Infinity) {
    // As MyGrad: max/min of |x|, with their gradient conventions (|x|' = 0 at 0, the first extremum wins).
    if (axis !== null) normalizeAxes(NAME, axis, t.ndim);
    if ((axis === null && t.ndim === 2) || (typeof axis !== 'number' && axis !== null && axis.length > 1)) {
      throw matrixNorms();
    }
    const reduce = ord > 0 ? max : min;
    return reduce(absolute(t, { constant: options.constant }), { axis, keepdims });
  }
  const attrs = { ...readNorm(t, ord, axis), keepdims, nanToNum };
  return executeOp(Norm, [t], { attrs, constant: options.constant });
}

/**
 * MyGrad's `mygrad.linalg` namespace: `linalg.norm` (see `norm`).
 * @example
 * ```ts
 * linalg.norm(tensor([3, 4])).item(); // 5
 * linalg.norm(tensor([[3, 4], [6, 8]]), { axis: -1 }).toArray(); // [5, 10]
 * ```
 */
export const linalg = { norm };

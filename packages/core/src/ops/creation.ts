// Tensor creation: tensor, astensor, astype, copy, and MyGrad's graph-free constructors (zeros, ones, full,
// eye, arange, linspace, logspace, geomspace and the *Like family).
import { type DType, isFloat, parseDType, resultType, type TypedArray } from '../dtype.js';
import { asInput } from '../engine.js';
import { MgTypeError, MgValueError, ShapeError } from '../errors.js';
import { getBackend } from '../registry.js';
import { broadcastShapes, checkShape, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../shape.js';
import { makeTensor, resolveConstant, Tensor, type TensorLike, type TensorOptions } from '../tensor.js';
import { castTo, filled, runKernel } from './kernel.js';

/**
 * Makes a new tensor from array-like data (always a copy), as MyGrad's `tensor`. JS numbers are float64,
 * booleans bool; Int32Array (and other integer TypedArrays) give int32; pass `dtype` to choose.
 * @param data - Nested arrays, a number, a boolean, a TypedArray or a tensor.
 * @param options - `dtype`, `constant`, `ndmin`, and `shape` for flat data.
 * @returns A new graph-free tensor.
 * @throws MgTypeError for non-numeric data or a non-boolean `constant`; ShapeError for ragged nested arrays;
 *   ConstantIntegerError for `constant: false` on integer data.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.dtype; // "float64"
 * ```
 */
export function tensor(data: TensorLike, options: TensorOptions = {}): Tensor {
  return new Tensor(data, options);
}

/**
 * Returns `data` itself when it is already a tensor of the requested dtype and constant-ness (keeping its graph
 * and grad); otherwise a new tensor.
 * @param data - A tensor or array-like data.
 * @param options - The wanted `dtype` and `constant` flag (null or omitted: any).
 * @returns `data` itself, or a new tensor.
 * @throws DTypeError for an unknown dtype; the errors of `tensor` for new data.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * astensor(x) === x; // true
 * ```
 */
export function astensor(
  data: TensorLike,
  options: { dtype?: string | null; constant?: boolean | null } = {},
): Tensor {
  if (data instanceof Tensor) {
    const dtypeOk =
      options.dtype === undefined ||
      options.dtype === null ||
      parseDType(options.dtype, 'astensor') === data.dtype;
    const constantOk =
      options.constant === undefined || options.constant === null || options.constant === data.constant;
    if (dtypeOk && constantOk) return data;
  }
  return new Tensor(data, { dtype: options.dtype ?? undefined, constant: options.constant });
}

/**
 * A new graph-free tensor holding `x`'s data as `dtype`. Its constant flag is `constant` if given, else inferred
 * from the new dtype (float: not constant).
 * @param x - A tensor or array-like data.
 * @param dtype - The dtype name.
 * @param options - `constant`.
 * @returns A new graph-free tensor.
 * @throws DTypeError for an unknown dtype; ConstantIntegerError for `constant: false` with an integer dtype.
 * @example
 * ```ts
 * tensor([1.7, -1.7]).astype('int32').toArray(); // [1, -1]
 * ```
 */
export function astype(x: TensorLike, dtype: string, options: { constant?: boolean | null } = {}): Tensor {
  const source = x instanceof Tensor ? x : new Tensor(x);
  const target = parseDType(dtype, 'astype');
  const out = castTo(source, target);
  const result = out === source ? new Tensor(source) : out;
  result.constant = resolveConstant('astype', options.constant, target, undefined);
  return result;
}

/**
 * A graph-free copy of `x`'s data and grad.
 * @param x - The tensor to copy.
 * @param options - `constant` (default: x's).
 * @returns A new tensor.
 * @throws ConstantIntegerError for `constant: false` on an integer tensor.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * const y = copy(x);
 * y === x; // false
 * ```
 */
export function copy(x: Tensor, options: { constant?: boolean | null } = {}): Tensor {
  const out = new Tensor(x, { constant: options.constant ?? x.constant });
  if (x.grad) out.grad = new Tensor(x.grad, { constant: true });
  return out;
}

/** Options of the creation functions: the new tensor's dtype and `constant` flag. */
export interface CreationOptions {
  /** The dtype, as a name (`'float64'`, `'float32'`, `'int32'`/`'int64'`, `'bool'`, …). */
  dtype?: DType | string | null;
  /** Whether the new tensor is a constant. Default: true exactly for integer and bool dtypes. */
  constant?: boolean | null;
}

/** Options of the `*Like` functions: overrides of `other`'s dtype and shape. */
export interface LikeOptions extends CreationOptions {
  /** The result's shape, instead of `other`'s. */
  shape?: number | readonly number[] | null;
}

/** Options of `eye`. */
export interface EyeOptions extends CreationOptions {
  /** The number of columns (default: N). */
  M?: number | null;
  /** The diagonal: 0 the main one, positive above it, negative below it. Default 0. */
  k?: number;
}

/** Options of `linspace` and `geomspace`. */
export interface SpaceOptions extends CreationOptions {
  /** The number of samples (non-negative). Default 50. */
  num?: number;
  /** Whether `stop` is the last sample. Default true. */
  endpoint?: boolean;
  /** The result axis the samples run along (for tensor-valued start/stop). Default 0. */
  axis?: number;
}

/** Options of `logspace`. */
export interface LogspaceOptions extends SpaceOptions {
  /** The base of the log space. Default 10. */
  base?: number;
}

/** A shape argument: a size or a list of sizes. */
export type ShapeLike = number | readonly number[];

function dtypeOption(op: string, dtype: DType | string | null | undefined, fallback: DType): DType {
  return dtype === undefined || dtype === null ? fallback : parseDType(dtype, op);
}

function withConstant(x: Tensor, constant: boolean): Tensor {
  x.constant = constant;
  return x;
}

/** The value a kernel stores for `value` as `dtype` (NumPy casts: NaN is truthy; ints truncate and wrap). */
function storedValue(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'int32') return value | 0;
  return value;
}

/** A tensor holding float64 `values` converted to `dtype` (ints truncate toward zero, bools are `!= 0`). */
function fromFloat64(values: Float64Array, shape: Shape, dtype: DType): Tensor {
  let typed: TypedArray;
  if (dtype === 'float64') typed = values;
  else if (dtype === 'float32') typed = Float32Array.from(values);
  else if (dtype === 'int32') typed = Int32Array.from(values);
  else typed = Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  const backend = getBackend();
  return makeTensor(backend.write(typed, shape, dtype), shape, dtype, backend);
}

function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[offset + i]);
}

/** A new tensor of `shape` filled with `fill` (a number, a boolean or anything broadcastable to `shape`). */
function fillWith(op: string, shape: Shape, fill: TensorLike, dtype: DType | undefined): Tensor {
  if (typeof fill === 'number' || typeof fill === 'boolean') {
    const target = dtype ?? (typeof fill === 'boolean' ? 'bool' : 'float64');
    return filled(shape, storedValue(+fill, target), target);
  }
  const value = asInput(fill);
  const target = dtype ?? value.dtype;
  if (!broadcastsTo(value.shape, shape)) {
    throw new ShapeError(
      `${op}: could not broadcast the fill value of shape (${value.shape.join(', ')}) into shape (${shape.join(', ')})`,
    );
  }
  const source = castTo(value, target);
  return runKernel(shape, target, (k, info) => k.broadcastTo(info(source), { shape, dtype: target }));
}

/** The public function of a tensor of `shape` filled with `value`, float32 by default as in MyGrad. */
function defineFilled(op: string, value: number): (shape: ShapeLike, options?: CreationOptions) => Tensor {
  return (shape, options = {}) => {
    const dims = checkShape(op, shape);
    const dtype = dtypeOption(op, options.dtype, 'float32');
    const constant = resolveConstant(op, options.constant, dtype, undefined);
    return withConstant(filled(dims, storedValue(value, dtype), dtype), constant);
  };
}

/**
 * A tensor of zeros. The default dtype is float32, as in MyGrad (not NumPy's float64).
 * @param shape - A size or a list of sizes.
 * @param options - `dtype` (default `'float32'`) and `constant`.
 * @returns A graph-free tensor of zeros.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size or a non-boolean `constant`;
 *   DTypeError for an unknown dtype; ConstantIntegerError for `constant: false` with an integer dtype.
 * @example
 * ```ts
 * const z = zeros([2, 2]);
 * z.toArray(); // [[0, 0], [0, 0]]
 * z.dtype; // "float32"
 * ```
 */
export const zeros = defineFilled('zeros', 0);

/**
 * A tensor of ones. The default dtype is float32, as in MyGrad.
 * @param shape - A size or a list of sizes.
 * @param options - `dtype` (default `'float32'`) and `constant`.
 * @returns A graph-free tensor of ones.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size; DTypeError for an unknown dtype;
 *   ConstantIntegerError for `constant: false` with an integer dtype.
 * @example
 * ```ts
 * ones(3, { dtype: 'int32' }).toArray(); // [1, 1, 1]
 * ```
 */
export const ones = defineFilled('ones', 1);

/**
 * A tensor whose values the caller is expected to overwrite (MyGrad's `empty`; mg fills it with zeros).
 * The default dtype is float32.
 * @param shape - A size or a list of sizes.
 * @param options - `dtype` (default `'float32'`) and `constant`.
 * @returns A graph-free tensor of `shape`.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size; DTypeError for an unknown dtype.
 * @example
 * ```ts
 * empty([2, 3]).shape; // [2, 3]
 * ```
 */
export const empty = defineFilled('empty', 0);

/**
 * A tensor of `shape` filled with `fillValue`. The dtype defaults to the fill value's: a JS number gives
 * float64, a boolean bool, a tensor its own dtype (e.g. an Int32Array-based tensor gives int32). A
 * non-scalar fill value is broadcast to `shape`. Not differentiable: the result has no graph.
 * @param shape - A size or a list of sizes.
 * @param fillValue - The value (or values, broadcast) to fill with.
 * @param options - `dtype` and `constant`.
 * @returns A graph-free tensor.
 * @throws ShapeError for a negative size or a fill value that does not broadcast to `shape`; MgTypeError for
 *   a non-integer size; DTypeError for an unknown dtype; ConstantIntegerError for `constant: false` with an
 *   integer dtype.
 * @example
 * ```ts
 * full([2], 3.5).toArray(); // [3.5, 3.5]
 * full([2, 2], [1, 2]).toArray(); // [[1, 2], [1, 2]]
 * full(2, 7, { dtype: 'int32' }).dtype; // "int32"
 * ```
 */
export function full(shape: ShapeLike, fillValue: TensorLike, options: CreationOptions = {}): Tensor {
  const dims = checkShape('full', shape);
  const requested =
    options.dtype === undefined || options.dtype === null ? undefined : parseDType(options.dtype, 'full');
  const out = fillWith('full', dims, fillValue, requested);
  return withConstant(out, resolveConstant('full', options.constant, out.dtype, undefined));
}

/** The shape, dtype and constant flag of a `*Like` result (MyGrad's `_resolve_constant` rule). */
function likeSpec(
  op: string,
  other: TensorLike,
  options: LikeOptions,
): { shape: Shape; dtype: DType; constant: boolean } {
  const source = asInput(other);
  const dtype = dtypeOption(op, options.dtype, source.dtype);
  const shape =
    options.shape === undefined || options.shape === null ? source.shape : checkShape(op, options.shape);
  // A non-constant tensor lets the dtype decide; anything else (a constant tensor, an array) gives a constant.
  const inferred = other instanceof Tensor && !other.constant ? undefined : true;
  return { shape, dtype, constant: resolveConstant(op, options.constant, dtype, inferred) };
}

function defineFilledLike(op: string, value: number): (other: TensorLike, options?: LikeOptions) => Tensor {
  return (other, options = {}) => {
    const { shape, dtype, constant } = likeSpec(op, other, options);
    return withConstant(filled(shape, storedValue(value, dtype), dtype), constant);
  };
}

/**
 * Zeros with the shape and dtype of `other`. The constant flag follows MyGrad: given, else the dtype's default
 * when `other` is a non-constant tensor, else true.
 * @param other - The tensor (or array) whose shape and dtype to mirror.
 * @param options - `dtype` and `shape` overrides, and `constant`.
 * @returns A graph-free tensor of zeros.
 * @throws ShapeError for a negative size in `shape`; DTypeError for an unknown dtype; ConstantIntegerError for
 *   `constant: false` with an integer dtype.
 * @example
 * ```ts
 * const z = zerosLike(tensor([[1, 2]]));
 * z.toArray(); // [[0, 0]]
 * z.constant; // false
 * ```
 */
export const zerosLike = defineFilledLike('zerosLike', 0);

/**
 * Ones with the shape and dtype of `other` (constant flag as in `zerosLike`).
 * @param other - The tensor (or array) whose shape and dtype to mirror.
 * @param options - `dtype` and `shape` overrides, and `constant`.
 * @returns A graph-free tensor of ones.
 * @throws ShapeError for a negative size in `shape`; DTypeError for an unknown dtype.
 * @example
 * ```ts
 * onesLike(tensor([1, 2]), { shape: [2, 1] }).toArray(); // [[1], [1]]
 * ```
 */
export const onesLike = defineFilledLike('onesLike', 1);

/**
 * A tensor with the shape and dtype of `other`, to be overwritten (mg fills it with zeros).
 * @param other - The tensor (or array) whose shape and dtype to mirror.
 * @param options - `dtype` and `shape` overrides, and `constant`.
 * @returns A graph-free tensor.
 * @throws ShapeError for a negative size in `shape`; DTypeError for an unknown dtype.
 * @example
 * ```ts
 * emptyLike(tensor([[1, 2, 3]])).shape; // [1, 3]
 * ```
 */
export const emptyLike = defineFilledLike('emptyLike', 0);

/**
 * `fillValue` with the shape and dtype of `other` (the fill value is cast to that dtype, so an int tensor
 * filled with 0.5 holds zeros). Constant flag as in `zerosLike`.
 * @param other - The tensor (or array) whose shape and dtype to mirror.
 * @param fillValue - The value (or values, broadcast) to fill with.
 * @param options - `dtype` and `shape` overrides, and `constant`.
 * @returns A graph-free tensor.
 * @throws ShapeError for a negative size in `shape` or a fill value that does not broadcast to it.
 * @example
 * ```ts
 * fullLike(tensor([1, 2]), 7).toArray(); // [7, 7]
 * ```
 */
export function fullLike(other: TensorLike, fillValue: TensorLike, options: LikeOptions = {}): Tensor {
  const { shape, dtype, constant } = likeSpec('fullLike', other, options);
  return withConstant(fillWith('fullLike', shape, fillValue, dtype), constant);
}

function eyeTensor(
  op: string,
  n: number,
  m: number | null | undefined,
  k: unknown,
  options: CreationOptions,
): Tensor {
  const [rows, cols] = checkShape(op, [n, m ?? n]) as [number, number];
  if (typeof k !== 'number' || !Number.isInteger(k)) {
    throw new MgTypeError(op, 'an integer k (the diagonal)', k);
  }
  const dtype = dtypeOption(op, options.dtype, 'float64');
  const constant = resolveConstant(op, options.constant, dtype, undefined);
  const values = new Float64Array(rows * cols);
  for (let i = Math.max(0, -k); i < rows && i + k < cols; i++) values[i * cols + i + k] = 1;
  return withConstant(fromFloat64(values, [rows, cols], dtype), constant);
}

/**
 * A 2-D tensor with ones on the k-th diagonal and zeros elsewhere (float64 by default).
 * @param N - The number of rows.
 * @param options - `M` (columns, default N), `k` (diagonal offset, default 0), `dtype`, `constant`.
 * @returns A graph-free N×M tensor.
 * @throws ShapeError for a negative N or M; MgTypeError for a non-integer N, M or k.
 * @example
 * ```ts
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * eye(2, { M: 3, k: 1 }).toArray(); // [[0, 1, 0], [0, 0, 1]]
 * ```
 */
export function eye(N: number, options: EyeOptions = {}): Tensor {
  return eyeTensor('eye', N, options.M, options.k ?? 0, options);
}

/**
 * The n×n identity matrix (float64 by default).
 * @param n - The number of rows and columns.
 * @param options - `dtype` and `constant`.
 * @returns A graph-free square tensor.
 * @throws ShapeError for a negative n; MgTypeError for a non-integer n.
 * @example
 * ```ts
 * identity(2, { dtype: 'int32' }).toArray(); // [[1, 0], [0, 1]]
 * ```
 */
export function identity(n: number, options: CreationOptions = {}): Tensor {
  return eyeTensor('identity', n, n, 0, options);
}

/** Rounds a value computed in float64 the way NumPy's fill for `dtype` stores it. */
function storeAs(dtype: DType): (x: number) => number {
  if (dtype === 'float32') return Math.fround;
  if (dtype === 'int32') return Math.trunc;
  if (dtype === 'bool') return (x) => (x !== 0 ? 1 : 0);
  return (x) => x;
}

/** Arrays longer than this are refused (they could not be allocated anyway). */
const MAX_LENGTH = 2 ** 31 - 1;

/**
 * Evenly spaced values in [start, stop), like NumPy's `arange`. Integer arguments (all of them) give an int32
 * tensor, which is constant; any fractional argument gives float64. The length is ceil((stop - start) / step),
 * and values are computed as NumPy does (start + i·((start + step) - start)).
 * @param start - The first value (or, alone, the stop value with start 0).
 * @param stop - The end, excluded.
 * @param step - The spacing (default 1).
 * @param options - `dtype` and `constant`, as a trailing object.
 * @returns A graph-free 1-D tensor.
 * @throws MgValueError for a zero step or a non-finite length; MgTypeError for non-numbers, or a bool result
 *   longer than 2; DTypeError for an unknown dtype.
 * @example
 * ```ts
 * arange(3).toArray(); // [0, 1, 2]
 * arange(3).dtype; // "int32"
 * arange(3, 7, 2).toArray(); // [3, 5]
 * arange(0, 1, 0.25).toArray(); // [0, 0.25, 0.5, 0.75]
 * arange(2, { dtype: 'float64' }).toArray(); // [0, 1]
 * ```
 */
export function arange(stop: number, options?: CreationOptions): Tensor;
export function arange(start: number, stop: number | null, options?: CreationOptions): Tensor;
export function arange(
  start: number,
  stop: number | null,
  step: number | null,
  options?: CreationOptions,
): Tensor;
export function arange(...args: readonly (number | null | undefined | CreationOptions)[]): Tensor {
  const last = args[args.length - 1];
  const hasOptions = typeof last === 'object' && last !== null;
  const options: CreationOptions = hasOptions ? last : {};
  const bounds = hasOptions ? args.slice(0, -1) : args;
  if (bounds.length < 1 || bounds.length > 3) {
    throw new MgTypeError(
      'arange',
      'one to three numbers (start, stop, step), then an optional options object',
      args,
    );
  }
  for (const b of bounds) {
    if (b !== null && b !== undefined && typeof b !== 'number') throw new MgTypeError('arange', 'numbers', b);
  }
  let [start, stop, step] = bounds as (number | null | undefined)[];
  if (start === null || start === undefined)
    throw new MgTypeError('arange', 'a number for start (or stop)', start);
  if (stop === null || stop === undefined) [start, stop] = [0, start];
  step ??= 1;
  const allIntegers = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step);
  const dtype = dtypeOption('arange', options.dtype, allIntegers ? 'int32' : 'float64');
  const constant = resolveConstant('arange', options.constant, dtype, undefined);
  if (step === 0) throw new MgValueError('arange: the step must not be zero (division by zero)');
  const ratio = Math.ceil((stop - start) / step);
  if (Number.isNaN(ratio)) throw new MgValueError('arange: cannot compute length');
  if (ratio > MAX_LENGTH) throw new MgValueError('arange: Maximum allowed size exceeded');
  const length = Math.max(0, ratio);
  if (dtype === 'bool' && length > 2) {
    throw new MgTypeError('arange', 'a result of at most length 2 for booleans', `length ${length}`);
  }
  // NumPy stores start and start + step, then fills element i with start + i·delta in the result dtype.
  const store = storeAs(dtype);
  const first = store(start);
  const second = store(start + step);
  const delta = store(second - first);
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    values[i] = i === 0 ? first : i === 1 ? second : store(first + store(store(i) * delta));
  }
  return withConstant(fromFloat64(values, [length], dtype), constant);
}

/** Start and stop broadcast together, as float64 data, and the float dtype NumPy computes the samples in. */
interface SpaceInputs {
  readonly starts: Float64Array;
  readonly stops: Float64Array;
  readonly shape: Shape;
  readonly dtype: DType;
}

function spaceInputs(op: string, start: TensorLike, stop: TensorLike): SpaceInputs {
  const a = asInput(start);
  const b = asInput(stop);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const asFloat = (d: DType): DType => (isFloat(d) ? d : 'float64');
  const dtype = resultType([
    { dtype: asFloat(a.dtype), scalar: a.ndim === 0 },
    { dtype: asFloat(b.dtype), scalar: b.ndim === 0 },
    { dtype: 'float64', scalar: true },
  ]);
  const read = (x: Tensor): Float64Array => {
    const f = castTo(x, 'float64');
    const full = shapesEqual(f.shape, shape)
      ? f
      : runKernel(shape, 'float64', (k, info) => k.broadcastTo(info(f), { shape, dtype: 'float64' }));
    return Float64Array.from(full.dataSync() as Float64Array);
  };
  return { starts: read(a), stops: read(b), shape, dtype };
}

function sampleCount(op: string, options: SpaceOptions): { num: number; endpoint: boolean } {
  const num = options.num ?? 50;
  const endpoint = options.endpoint ?? true;
  if (typeof num !== 'number' || !Number.isInteger(num)) throw new MgTypeError(op, 'an integer num', num);
  if (num < 0) throw new MgValueError(`${op}: Number of samples, ${num}, must be non-negative.`);
  if (num > MAX_LENGTH) throw new MgValueError(`${op}: Maximum allowed size exceeded (num ${num})`);
  if (typeof endpoint !== 'boolean') throw new MgTypeError(op, 'a boolean endpoint', endpoint);
  return { num, endpoint };
}

/** NumPy's linspace arithmetic, samples along a new leading axis: element (i, e) at i·size + e. */
function linspaceValues(
  starts: Float64Array,
  stops: Float64Array,
  num: number,
  endpoint: boolean,
): Float64Array {
  const size = starts.length;
  const div = endpoint ? num - 1 : num;
  const out = new Float64Array(num * size);
  let anyStepZero = false;
  for (let e = 0; e < size; e++) if ((stops[e]! - starts[e]!) / div === 0) anyStepZero = true;
  for (let e = 0; e < size; e++) {
    const start = starts[e]!;
    const delta = stops[e]! - start;
    const step = delta / div;
    for (let i = 0; i < num; i++) {
      // NumPy scales by step, unless some step underflowed to 0; with div = 0 it multiplies by delta.
      const offset = div > 0 ? (anyStepZero ? (i / div) * delta : i * step) : i * delta;
      out[i * size + e] = offset + start;
    }
    if (endpoint && num > 1) out[(num - 1) * size + e] = stops[e]!;
  }
  return out;
}

/** Moves the leading sample axis of `values` (num, ...shape) to `axis`. */
function placeAxis(
  op: string,
  values: Float64Array,
  num: number,
  shape: Shape,
  axis: unknown,
): { values: Float64Array; shape: number[] } {
  const ax = normalizeAxis(op, axis, shape.length + 1);
  const outShape = [...shape.slice(0, ax), num, ...shape.slice(ax)];
  if (ax === 0) return { values, shape: outShape };
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax));
  const size = outer * inner;
  const out = new Float64Array(values.length);
  for (let i = 0; i < num; i++) {
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < inner; r++) out[(o * num + i) * inner + r] = values[i * size + o * inner + r]!;
    }
  }
  return { values: out, shape: outShape };
}

/** Shared tail of the *space functions: resolve dtype and constant, move the axis, convert, wrap. */
function spaced(
  op: string,
  inputs: SpaceInputs,
  options: SpaceOptions,
  num: number,
  compute: (dtype: DType) => Float64Array,
): Tensor {
  const dtype = dtypeOption(op, options.dtype, inputs.dtype);
  const constant = resolveConstant(op, options.constant, dtype, undefined);
  const placed = placeAxis(op, compute(dtype), num, inputs.shape, options.axis ?? 0);
  return withConstant(fromFloat64(placed.values, placed.shape, dtype), constant);
}

/**
 * `num` evenly spaced samples from `start` to `stop` (inclusive unless `endpoint: false`), computed as NumPy
 * does (the last sample is exactly `stop`). Tensor-valued start/stop broadcast together and the samples run
 * along `axis`. Integer dtypes floor the samples. Not differentiable.
 * @param start - The first sample (a number or array-like).
 * @param stop - The last sample, or the end when `endpoint` is false.
 * @param options - `num` (default 50), `endpoint` (default true), `dtype`, `axis` (default 0), `constant`.
 * @returns A graph-free tensor (float64 unless float32 start/stop or `dtype` say otherwise).
 * @throws MgValueError for a negative num; MgTypeError for a non-integer num; AxisError for a bad axis;
 *   ShapeError when start and stop do not broadcast.
 * @example
 * ```ts
 * linspace(2, 3, { num: 5 }).toArray(); // [2, 2.25, 2.5, 2.75, 3]
 * linspace(0, 1, { num: 4, endpoint: false }).toArray(); // [0, 0.25, 0.5, 0.75]
 * linspace([0, 10], [1, 20], { num: 2, axis: 1 }).toArray(); // [[0, 1], [10, 20]]
 * ```
 */
export function linspace(start: TensorLike, stop: TensorLike, options: SpaceOptions = {}): Tensor {
  const { num, endpoint } = sampleCount('linspace', options);
  const inputs = spaceInputs('linspace', start, stop);
  return spaced('linspace', inputs, options, num, (dtype) => {
    const values = linspaceValues(inputs.starts, inputs.stops, num, endpoint);
    if (dtype === 'int32') for (let i = 0; i < values.length; i++) values[i] = Math.floor(values[i]!);
    return values;
  });
}

/**
 * `base ** linspace(start, stop)`: `num` samples evenly spaced on a log scale, from base^start to base^stop.
 * Not differentiable.
 * @param start - The exponent of the first sample.
 * @param stop - The exponent of the last sample (or the end when `endpoint` is false).
 * @param options - `num` (default 50), `endpoint`, `base` (default 10), `dtype`, `axis`, `constant`.
 * @returns A graph-free tensor.
 * @throws MgValueError for a negative num; MgTypeError for a non-integer num or a non-number base; AxisError
 *   for a bad axis.
 * @example
 * ```ts
 * logspace(0, 2, { num: 3 }).toArray(); // [1, 10, 100]
 * logspace(0, 3, { num: 4, base: 2 }).toArray(); // [1, 2, 4, 8]
 * ```
 */
export function logspace(start: TensorLike, stop: TensorLike, options: LogspaceOptions = {}): Tensor {
  const { num, endpoint } = sampleCount('logspace', options);
  const base = options.base ?? 10;
  if (typeof base !== 'number') throw new MgTypeError('logspace', 'a number base', base);
  const inputs = spaceInputs('logspace', start, stop);
  return spaced('logspace', inputs, options, num, () =>
    linspaceValues(inputs.starts, inputs.stops, num, endpoint).map((y) => base ** y),
  );
}

/**
 * `num` samples evenly spaced on a log scale with the endpoints given directly (a geometric progression).
 * Both endpoints negative gives negative samples; the first and last samples are exactly `start` and `stop`,
 * as in NumPy. Not differentiable.
 * @param start - The first sample (non-zero).
 * @param stop - The last sample (non-zero), or the end when `endpoint` is false.
 * @param options - `num` (default 50), `endpoint`, `dtype`, `axis`, `constant`.
 * @returns A graph-free tensor.
 * @throws MgValueError when start or stop is zero, or for a negative num; AxisError for a bad axis.
 * @example
 * ```ts
 * geomspace(1, 1000, { num: 4 }).toArray(); // [1, 10, 100, 1000]
 * geomspace(-1, -100, { num: 3 }).toArray(); // [-1, -10, -100]
 * ```
 */
export function geomspace(start: TensorLike, stop: TensorLike, options: SpaceOptions = {}): Tensor {
  const { num, endpoint } = sampleCount('geomspace', options);
  const inputs = spaceInputs('geomspace', start, stop);
  const { starts, stops } = inputs;
  if (starts.some((v) => v === 0) || stops.some((v) => v === 0)) {
    throw new MgValueError('geomspace: Geometric sequence cannot include zero');
  }
  return spaced('geomspace', inputs, options, num, () => {
    const size = starts.length;
    // Two negative endpoints: compute the positive progression and flip its sign, as NumPy does.
    const sign = starts.map((s, e) => (s < 0 && stops[e]! < 0 ? -1 : 1));
    const from = starts.map((s, e) => s * sign[e]!);
    const to = stops.map((s, e) => s * sign[e]!);
    const values = linspaceValues(from.map(Math.log10), to.map(Math.log10), num, endpoint).map(
      (y) => 10 ** y,
    );
    for (let e = 0; e < size; e++) {
      if (num > 0) values[e] = from[e]!;
      if (num > 1 && endpoint) values[(num - 1) * size + e] = to[e]!;
      for (let i = 0; i < num; i++) values[i * size + e] = values[i * size + e]! * sign[e]!;
    }
    return values;
  });
}

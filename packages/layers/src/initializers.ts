// MyGrad's nnet.initializers: weight tensors drawn (or set) for a layer's shape. Random draws come from
// @mg/core's generator (`random.seed` makes them reproducible); the formulas are MyGrad's, quirks included.
import {
  add,
  astype,
  type DType,
  full,
  identity,
  isFloat,
  MgValueError,
  multiply,
  parseDType,
  rand,
  randn,
  Tensor,
  type TensorLike,
  tensor,
} from '@mg/core';

/** What every initializer takes after the shape. */
export interface InitializerOptions {
  /** The dtype (default float32, as MyGrad's, except `constant`, which infers it from `value`). */
  readonly dtype?: DType | string | null;
  /** Whether the result is a constant (default: not, for a float dtype). */
  readonly constant?: boolean | null;
}

type ShapeArgs<O> = readonly [...(number | readonly number[])[], O] | readonly (number | readonly number[])[];

/** `(d0, d1, …, options?)` or `([d0, d1, …], options?)`, as MyGrad's `*shape` (one tuple counts as the shape). */
function shapeAndOptions<O extends object>(args: ShapeArgs<O>): [number[], O] {
  const last = args[args.length - 1];
  const hasOptions = typeof last === 'object' && last !== null && !Array.isArray(last);
  const dims = (hasOptions ? args.slice(0, -1) : args) as (number | readonly number[])[];
  const shape =
    dims.length === 1 && Array.isArray(dims[0]) ? [...(dims[0] as readonly number[])] : (dims as number[]);
  return [shape, (hasOptions ? last : {}) as O];
}

/** A float dtype for a random initializer (MyGrad: ValueError otherwise). */
function floatDtype(op: string, dtype: DType | string | null | undefined, what: string): DType {
  const parsed = parseDType(dtype ?? 'float32', op);
  if (!isFloat(parsed))
    throw new MgValueError(`${op}: ${what} initialization requires a floating-point dtype`);
  return parsed;
}

function atLeast2d(op: string, shape: readonly number[], what: string): void {
  if (shape.length < 2)
    throw new MgValueError(`${op}: ${what} initialization requires at least two dimensions`);
}

/** A number given as a number or a one-element tensor (MyGrad unwraps a Tensor with `.item()`). */
function scalar(value: number | Tensor): number {
  return value instanceof Tensor ? Number(value.item()) : value;
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Samples `mean + std·N(0, 1)` (or `lo + (hi - lo)·U[0, 1)`) as `dtype`. */
function drawn(
  shape: readonly number[],
  kind: 'normal' | 'uniform',
  a: number,
  b: number,
  dtype: DType,
  constant: boolean | null | undefined,
): Tensor {
  const unit = kind === 'normal' ? randn(...shape) : rand(...shape);
  const scaled = kind === 'normal' ? add(multiply(unit, b), a) : add(multiply(unit, b - a), a);
  return astype(scaled, dtype, { constant });
}

/** Options of `normal`. */
export interface NormalOptions extends InitializerOptions {
  readonly mean?: number | Tensor;
  readonly std?: number | Tensor;
}

/**
 * Samples from the normal distribution N(mean, std²).
 *
 * @param args - The shape (sizes, or one array of them), then `{ mean, std, dtype, constant }` (defaults 0, 1,
 *   float32).
 * @returns A tensor of that shape.
 * @throws MgValueError for a negative std or a non-float dtype.
 * @example
 * ```ts
 * const w = initializers.normal(2, 3, { std: 0.1 });
 * [w.shape, w.dtype]; // [[2, 3], "float32"]
 * ```
 */
export function normal(...args: ShapeArgs<NormalOptions>): Tensor {
  const [shape, { mean = 0, std = 1, dtype, constant }] = shapeAndOptions(args);
  const resolved = floatDtype('normal', dtype, 'Normal');
  const sigma = scalar(std);
  if (sigma < 0) throw new MgValueError('normal: Standard deviation must be non-negative');
  return drawn(shape, 'normal', scalar(mean), sigma, resolved, constant);
}

/** Options of `uniform`. */
export interface UniformOptions extends InitializerOptions {
  readonly lowerBound?: number | Tensor;
  readonly upperBound?: number | Tensor;
}

/**
 * Samples from the uniform distribution on [lowerBound, upperBound).
 *
 * @param args - The shape, then `{ lowerBound, upperBound, dtype, constant }` (defaults 0, 1, float32).
 * @returns A tensor of that shape.
 * @throws MgValueError when lowerBound ≥ upperBound or for a non-float dtype.
 * @example
 * ```ts
 * const w = initializers.uniform([4], { lowerBound: -1, upperBound: 1 });
 * w.toArray().every((v) => v >= -1 && v < 1); // true
 * ```
 */
export function uniform(...args: ShapeArgs<UniformOptions>): Tensor {
  const [shape, { lowerBound = 0, upperBound = 1, dtype, constant }] = shapeAndOptions(args);
  const [lo, hi] = [scalar(lowerBound), scalar(upperBound)];
  if (lo >= hi) throw new MgValueError('uniform: Uniform lower bound cannot be greater than upper bound');
  return drawn(shape, 'uniform', lo, hi, floatDtype('uniform', dtype, 'Uniform'), constant);
}

/** Options of the Glorot and He initializers. */
export interface GainOptions extends InitializerOptions {
  /** Scales the spread (e.g. 5/3 for tanh, √2 for relu); default 1. */
  readonly gain?: number | Tensor;
}

/**
 * Glorot (Xavier) normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)); as MyGrad computes the fans,
 * fan_in = shape[1]·shape[-1] and fan_out = shape[0]·shape[-1] beyond two dimensions.
 *
 * @param args - The shape (at least two dimensions), then `{ gain, dtype, constant }`.
 * @returns A tensor of that shape.
 * @throws MgValueError for fewer than two dimensions or a non-float dtype.
 * @example
 * ```ts
 * initializers.glorotNormal(3, 2).shape; // [3, 2]
 * ```
 */
export function glorotNormal(...args: ShapeArgs<GainOptions>): Tensor {
  const [shape, { gain = 1, dtype, constant }] = shapeAndOptions(args);
  const resolved = floatDtype('glorotNormal', dtype, 'Glorot Normal');
  atLeast2d('glorotNormal', shape, 'Glorot Normal');
  const field = shape.length > 2 ? shape[shape.length - 1]! : 1;
  const std = scalar(gain) * Math.sqrt(2 / (shape[1]! * field + shape[0]! * field));
  return drawn(shape, 'normal', 0, std, resolved, constant);
}

/**
 * Glorot (Xavier) uniform: U[-b, b) with b = gain·√(6 / (fan_in + fan_out)), fan_in = shape[1]·∏shape[2:],
 * fan_out = shape[0]·∏shape[2:].
 *
 * @param args - The shape (at least two dimensions), then `{ gain, dtype, constant }`.
 * @returns A tensor of that shape.
 * @throws MgValueError for fewer than two dimensions or a non-float dtype.
 * @example
 * ```ts
 * initializers.glorotUniform(3, 2, { gain: 5 / 3 }).dtype; // "float32"
 * ```
 */
export function glorotUniform(...args: ShapeArgs<GainOptions>): Tensor {
  const [shape, { gain = 1, dtype, constant }] = shapeAndOptions(args);
  atLeast2d('glorotUniform', shape, 'Glorot Uniform');
  const field = product(shape.slice(2));
  const bound = scalar(gain) * Math.sqrt(6 / (shape[1]! * field + shape[0]! * field));
  return drawn(shape, 'uniform', -bound, bound, floatDtype('glorotUniform', dtype, 'Uniform'), constant);
}

/**
 * He (Kaiming) normal: N(0, std²) with std = gain / √fan_in, fan_in = shape[1]·∏shape[2:].
 *
 * @param args - The shape (at least two dimensions), then `{ gain, dtype, constant }`.
 * @returns A tensor of that shape.
 * @throws MgValueError for fewer than two dimensions or a non-float dtype.
 * @example
 * ```ts
 * initializers.heNormal([4, 3, 2, 2], { gain: Math.SQRT2 }).shape; // [4, 3, 2, 2]
 * ```
 */
export function heNormal(...args: ShapeArgs<GainOptions>): Tensor {
  const [shape, { gain = 1, dtype, constant }] = shapeAndOptions(args);
  atLeast2d('heNormal', shape, 'He Normal');
  const std = scalar(gain) / Math.sqrt(shape[1]! * product(shape.slice(2)));
  return drawn(shape, 'normal', 0, std, floatDtype('heNormal', dtype, 'Normal'), constant);
}

/**
 * He (Kaiming) uniform, with MyGrad's bound b = gain / √(3 / shape[1] · ∏shape[2:]) (the usual
 * gain·√(3 / fan_in) only when ∏shape[2:] is 1 and shape[1] is 3: MyGrad's formula is kept as it is).
 *
 * @param args - The shape (at least two dimensions), then `{ gain, dtype, constant }`.
 * @returns A tensor of that shape, uniform on [-b, b).
 * @throws MgValueError for fewer than two dimensions or a non-float dtype.
 * @example
 * ```ts
 * initializers.heUniform(2, 3).shape; // [2, 3]
 * ```
 */
export function heUniform(...args: ShapeArgs<GainOptions>): Tensor {
  const [shape, { gain = 1, dtype, constant }] = shapeAndOptions(args);
  atLeast2d('heUniform', shape, 'He Uniform');
  const bound = scalar(gain) / Math.sqrt((3 / shape[1]!) * product(shape.slice(2)));
  return drawn(shape, 'uniform', -bound, bound, floatDtype('heUniform', dtype, 'Uniform'), constant);
}

/** Options of `constant`. */
export interface ConstantOptions extends InitializerOptions {
  /** The fill value (default 0); the dtype, when none is given, is `full`'s for it. */
  readonly value?: TensorLike;
}

/**
 * A tensor filled with `value`.
 *
 * @param args - The shape, then `{ value, dtype, constant }`.
 * @returns A tensor of that shape.
 * @example
 * ```ts
 * initializers.constant(2, 2, { value: 0.5 }).toArray(); // [[0.5, 0.5], [0.5, 0.5]]
 * ```
 */
export function constant(...args: ShapeArgs<ConstantOptions>): Tensor {
  const [shape, { value = 0, dtype, constant: isConstant }] = shapeAndOptions(args);
  return full(shape, value, { dtype, constant: isConstant });
}

/**
 * The Dirac delta initializer, for convolution filters that pass their input through: ones at
 * [i, i, k0 // 2, k1 // 2, …] for i < min(shape[0], shape[1]), zeros elsewhere.
 *
 * @param args - The shape (at least two dimensions), then `{ dtype, constant }` (default float32).
 * @returns A tensor of that shape.
 * @throws MgValueError for fewer than two dimensions.
 * @example
 * ```ts
 * initializers.dirac(2, 3).toArray(); // [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function dirac(...args: ShapeArgs<InitializerOptions>): Tensor {
  const [shape, { dtype, constant: isConstant }] = shapeAndOptions(args);
  if (shape.length < 2)
    throw new MgValueError('dirac: Dirac initialization requires at least two dimensions');
  const values = new Float64Array(product(shape));
  const strides = shape.map((_, i) => product(shape.slice(i + 1)));
  const centre = shape.slice(2).reduce((at, size, i) => at + Math.floor(size / 2) * strides[i + 2]!, 0);
  for (let i = 0; i < Math.min(shape[0]!, shape[1]!); i++)
    values[i * strides[0]! + i * strides[1]! + centre] = 1;
  return tensor(values, { dtype: parseDType(dtype ?? 'float32', 'dirac'), shape, constant: isConstant });
}

/** MyGrad's `mygrad.nnet.initializers`, `identity` (@mg/core's) included. */
export const initializers = {
  constant,
  dirac,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  identity,
  normal,
  uniform,
} as const;

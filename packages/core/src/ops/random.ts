// Seedable random tensors (MyGrad's mygrad.random): uniform, standard-normal and integer samples drawn from one
// module-wide xoroshiro128+ generator.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { type DType, parseDType } from '../dtype.js';
import { asInput } from '../engine.js';
import { DTypeError, MgTypeError, MgValueError, ShapeError } from '../errors.js';
import { getBackend } from '../registry.js';
import { broadcastShapes, checkShape, type Shape, shapesEqual, sizeOf } from '../shape.js';
import { makeTensor, resolveConstant, type Tensor, type TensorLike } from '../tensor.js';
import type { ShapeLike } from './creation.js';
import { castTo, runKernel } from './kernel.js';

/** Options of the random functions. */
export interface RandomOptions {
  /** Whether the result is a constant. Default: false (the samples are float64). */
  constant?: boolean | null;
}

/** Options of `randint`. */
export interface RandintOptions {
  /** The output shape; default: the broadcast shape of low and high (0-d for numbers). */
  shape?: ShapeLike | null;
  /** `'int32'` (NumPy's int64; the default) or `'bool'`. */
  dtype?: DType | string | null;
  /** Integer results are always constant; `false` throws. */
  constant?: boolean | null;
}

/** The four 32-bit words of a xoroshiro128+ state, spread from one seed by splitmix32 so nearby seeds differ. */
function stateFromSeed(seedNumber: number): number[] {
  let x = seedNumber | 0;
  const words = Array.from({ length: 4 }, () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  });
  // An all-zero state would only ever produce zeros.
  if (!words.some((w) => w !== 0)) words[0] = 1;
  return words;
}

let generator: RandomGenerator = xoroshiro128plusFromState(
  stateFromSeed((Date.now() ^ Math.floor(Math.random() * 0x100000000)) >>> 0),
);
// The polar method makes normals in pairs; the second one waits here for the next call.
let spareNormal: number | null = null;

/**
 * Seeds the generator behind every `mygrad.random` function, so the samples that follow are reproducible.
 * (The generator is xoroshiro128+, so the values differ from NumPy's for the same seed.)
 * @param seedNumber - An integer in [0, 2**32).
 * @throws MgTypeError for a non-integer seed; MgValueError for one out of range.
 * @example
 * ```ts
 * seed(0);
 * const a = rand(3).toArray();
 * seed(0);
 * JSON.stringify(rand(3).toArray()) === JSON.stringify(a); // true
 * ```
 */
export function seed(seedNumber: number): void {
  if (typeof seedNumber !== 'number' || !Number.isInteger(seedNumber)) {
    throw new MgTypeError('seed', 'an integer seed', seedNumber);
  }
  if (seedNumber < 0 || seedNumber > 0xffffffff) {
    throw new MgValueError(`seed: Seed must be between 0 and 2**32 - 1, got ${seedNumber}`);
  }
  generator = xoroshiro128plusFromState(stateFromSeed(seedNumber));
  spareNormal = null;
}

function uniform(): number {
  return uniformFloat64(generator);
}

/** A standard normal sample (Marsaglia's polar method). */
function normal(): number {
  if (spareNormal !== null) {
    const value = spareNormal;
    spareNormal = null;
    return value;
  }
  let u: number;
  let v: number;
  let s: number;
  do {
    u = 2 * uniform() - 1;
    v = 2 * uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s === 0);
  const scale = Math.sqrt((-2 * Math.log(s)) / s);
  spareNormal = v * scale;
  return u * scale;
}

/** A float64 tensor of `shape` whose elements are drawn one by one from `draw`. */
function sampled(op: string, shape: Shape, draw: () => number, constant: unknown): Tensor {
  const isConstant = resolveConstant(op, constant, 'float64', undefined);
  const values = new Float64Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw();
  const backend = getBackend();
  const out = makeTensor(backend.write(values, shape, 'float64'), shape, 'float64', backend);
  out.constant = isConstant;
  return out;
}

type VariadicShape = [...shape: number[], options: RandomOptions] | number[];

/** Splits `(d0, d1, …, options?)` into a validated shape and the options. */
function variadicShape(op: string, args: readonly (number | RandomOptions)[]): [number[], RandomOptions] {
  const last = args[args.length - 1];
  const hasOptions = typeof last === 'object' && last !== null;
  const dims = hasOptions ? args.slice(0, -1) : args;
  return [checkShape(op, [...dims]), hasOptions ? (last as RandomOptions) : {}];
}

/** The public function of `draw`-distributed samples taking the shape as separate sizes (`rand(2, 3)`). */
function defineVariadic(op: string, draw: () => number): (...args: VariadicShape) => Tensor {
  return (...args) => {
    const [shape, options] = variadicShape(op, args);
    return sampled(op, shape, draw, options.constant);
  };
}

/** The public function of uniform samples taking the shape as one argument (`random([2, 3])`). */
function defineUniform(op: string): (shape?: ShapeLike | null, options?: RandomOptions) => Tensor {
  return (shape, options = {}) => {
    const dims = shape === undefined || shape === null ? [] : checkShape(op, shape);
    return sampled(op, dims, uniform, options.constant);
  };
}

/**
 * Uniform samples from [0, 1), float64, of shape `(d0, d1, …)` (no sizes: a 0-d tensor).
 * @param args - The sizes, then optionally `{ constant }`.
 * @returns A float64 tensor of samples (not constant by default).
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size.
 * @example
 * ```ts
 * rand(2, 3).shape; // [2, 3]
 * rand().shape; // []
 * rand(2, { constant: true }).constant; // true
 * ```
 */
export const rand = defineVariadic('rand', uniform);

/**
 * Standard-normal samples, float64, of shape `(d0, d1, …)` (no sizes: a 0-d tensor).
 * @param args - The sizes, then optionally `{ constant }`.
 * @returns A float64 tensor of samples.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size.
 * @example
 * ```ts
 * randn(3, 2).shape; // [3, 2]
 * randn(4).dtype; // "float64"
 * ```
 */
export const randn = defineVariadic('randn', normal);

/**
 * Uniform samples from [0, 1), float64, of `shape` (default: a 0-d tensor). MyGrad's `random.random`; also
 * available as `random.random`, `random.randomSample`, `ranf` and `sample`.
 * @param shape - A size or a list of sizes.
 * @param options - `constant`.
 * @returns A float64 tensor of samples.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size.
 * @example
 * ```ts
 * randomSample([2, 4]).shape; // [2, 4]
 * ```
 */
export const randomSample = defineUniform('randomSample');

/**
 * Alias of `randomSample`: uniform samples from [0, 1).
 * @param shape - A size or a list of sizes.
 * @param options - `constant`.
 * @returns A float64 tensor of samples.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size.
 * @example
 * ```ts
 * ranf(3).shape; // [3]
 * ```
 */
export const ranf = defineUniform('ranf');

/**
 * Alias of `randomSample`: uniform samples from [0, 1).
 * @param shape - A size or a list of sizes.
 * @param options - `constant`.
 * @returns A float64 tensor of samples.
 * @throws ShapeError for a negative size; MgTypeError for a non-integer size.
 * @example
 * ```ts
 * sample().shape; // []
 * ```
 */
export const sample = defineUniform('sample');

/** Integer bounds as float64 data broadcast to `shape`. */
function boundData(x: Tensor, shape: Shape): Float64Array {
  const f = castTo(x, 'float64');
  const full = shapesEqual(f.shape, shape)
    ? f
    : runKernel(shape, 'float64', (k, info) => k.broadcastTo(info(f), { shape, dtype: 'float64' }));
  return full.dataSync() as Float64Array;
}

/**
 * Random integers from the discrete uniform distribution on [low, high) (on [0, low) without `high`).
 * Bounds may be arrays, broadcast together (and to `shape`). The result is int32 (NumPy's int64) or bool,
 * and always constant.
 * @param low - The lowest value (or, without `high`, one above the highest).
 * @param high - One above the highest value.
 * @param options - `shape`, `dtype` (`'int32'` or `'bool'`), `constant`.
 * @returns A constant integer tensor.
 * @throws MgValueError when low >= high or a bound is out of the dtype's range; ShapeError when the bounds
 *   do not broadcast to `shape`; MgTypeError for non-integer bounds or sizes; DTypeError for a float dtype.
 * @example
 * ```ts
 * const x = randint(1, 7, { shape: [2, 5] });
 * x.shape; // [2, 5]
 * x.dtype; // "int32"
 * randint(1).toArray(); // 0
 * ```
 */
export function randint(low: TensorLike, high?: TensorLike | null, options: RandintOptions = {}): Tensor {
  const dtype =
    options.dtype === undefined || options.dtype === null ? 'int32' : parseDType(options.dtype, 'randint');
  if (dtype !== 'int32' && dtype !== 'bool')
    throw new DTypeError('randint', 'an integer or bool dtype', dtype);
  const constant = resolveConstant('randint', options.constant, dtype, undefined);
  const lowT = high === undefined || high === null ? asInput(0) : asInput(low);
  const highT = high === undefined || high === null ? asInput(low) : asInput(high);
  const bounds = broadcastShapes('randint', lowT.shape, highT.shape);
  let shape: number[] = bounds;
  if (options.shape !== undefined && options.shape !== null) {
    shape = checkShape('randint', options.shape);
    if (!shapesEqual(broadcastShapes('randint', bounds, shape), shape)) {
      throw new ShapeError(
        `randint: shape mismatch: bounds of shape (${bounds.join(', ')}) cannot be broadcast to shape (${shape.join(', ')})`,
      );
    }
  }
  const lows = boundData(lowT, shape);
  const highs = boundData(highT, shape);
  const [min, max] = dtype === 'bool' ? [0, 2] : [-(2 ** 31), 2 ** 31];
  const values = new Int32Array(lows.length);
  for (let i = 0; i < values.length; i++) {
    const lo = lows[i]!;
    const hi = highs[i]!;
    if (!Number.isInteger(lo) || !Number.isInteger(hi))
      throw new MgTypeError('randint', 'integer bounds', [lo, hi]);
    if (lo >= hi) throw new MgValueError(`randint: low >= high (low ${lo}, high ${hi})`);
    if (lo < min) throw new MgValueError(`randint: low is out of bounds for ${dtype} (${lo})`);
    if (hi > max) throw new MgValueError(`randint: high is out of bounds for ${dtype} (${hi})`);
    values[i] = uniformInt(generator, lo, hi - 1);
  }
  const backend = getBackend();
  const stored = dtype === 'bool' ? Uint8Array.from(values) : values;
  const out = makeTensor(backend.write(stored, shape, dtype), shape, dtype, backend);
  out.constant = constant;
  return out;
}

/**
 * MyGrad's `mygrad.random` module as one object: `random.seed(0)`, `random.rand(2, 3)`, `random.random([2])`.
 * @example
 * ```ts
 * random.seed(1);
 * random.randn(2).shape; // [2]
 * random.random([2, 2]).dtype; // "float64"
 * ```
 */
export const random = {
  seed,
  rand,
  randn,
  randint,
  random: randomSample,
  randomSample,
  ranf,
  sample,
} as const;

// Property-based testing helpers on fast-check: arbitrary shapes, mutually broadcastable shapes and arrays,
// and ready-made forward (vs a reference) and backward (vs finite differences) properties.
import { type Tensor, tensor } from '@mg/core';
import * as fc from 'fast-check';
import { type ArrayInput, checkGradients, type GradCheckOptions } from './gradcheck.js';
import { compareArrays, type Tolerance, toleranceFor } from './tolerance.js';

/** Bounds of generated shapes. */
export interface ShapeOptions {
  /** Fewest dimensions. Default 0. */
  minDims?: number;
  /** Most dimensions. Default max(minDims, 3). */
  maxDims?: number;
  /** Smallest size of a dimension. Default 1. */
  minSide?: number;
  /** Largest size of a dimension. Default minSide + 3. */
  maxSide?: number;
}

function shapeBounds(options: ShapeOptions): Required<ShapeOptions> {
  const minDims = options.minDims ?? 0;
  const minSide = options.minSide ?? 1;
  return {
    minDims,
    maxDims: options.maxDims ?? Math.max(minDims, 3),
    minSide,
    maxSide: options.maxSide ?? minSide + 3,
  };
}

/**
 * Arbitrary array shapes.
 *
 * @param options - Bounds on the number of dimensions and their sizes.
 * @returns An arbitrary of shapes (arrays of non-negative integers).
 * @example
 * ```ts
 * import fc from 'fast-check';
 * fc.sample(arbShape({ minDims: 2, maxDims: 2, minSide: 3, maxSide: 3 }), 1); // [[3,3]]
 * ```
 */
export function arbShape(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minDims, maxDims, minSide, maxSide } = shapeBounds(options);
  return fc.array(fc.integer({ min: minSide, max: maxSide }), { minLength: minDims, maxLength: maxDims });
}

/** `n` shapes that broadcast together, and the shape they broadcast to. */
export interface BroadcastableShapes {
  readonly inputShapes: number[][];
  readonly resultShape: number[];
}

/**
 * `n` mutually broadcastable shapes, like hypothesis' `mutually_broadcastable_shapes`: each takes a trailing
 * slice of one common shape and may replace any of its dimensions by 1.
 *
 * @param n - How many shapes.
 * @param options - Bounds of every shape.
 * @returns An arbitrary of `{ inputShapes, resultShape }`.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * const [{ inputShapes, resultShape }] = fc.sample(arbBroadcastableShapes(2, { minDims: 1, maxDims: 1, minSide: 2, maxSide: 2 }), 1);
 * resultShape.length; // 1
 * inputShapes.every((s) => s.length === 1 && (s[0] === 1 || s[0] === resultShape[0])); // true
 * ```
 */
export function arbBroadcastableShapes(
  n: number,
  options: ShapeOptions = {},
): fc.Arbitrary<BroadcastableShapes> {
  const { minDims, maxDims, minSide, maxSide } = shapeBounds(options);
  const common = fc.array(fc.integer({ min: minSide, max: maxSide }), {
    minLength: maxDims,
    maxLength: maxDims,
  });
  const one = fc.record({
    ndim: fc.integer({ min: minDims, max: maxDims }),
    ones: fc.array(fc.boolean(), { minLength: maxDims, maxLength: maxDims }),
  });
  return fc.tuple(common, fc.array(one, { minLength: n, maxLength: n })).map(([base, picks]) => {
    const inputShapes = picks.map(({ ndim, ones }) =>
      base.slice(maxDims - ndim).map((side, i) => (ones[maxDims - ndim + i] ? 1 : side)),
    );
    const rank = Math.max(0, ...inputShapes.map((s) => s.length));
    const resultShape = Array.from({ length: rank }, (_, axis) => {
      let side = 1;
      for (const shape of inputShapes) {
        const d = shape[axis - (rank - shape.length)];
        if (d !== undefined && d !== 1) side = d;
      }
      return side;
    });
    return { inputShapes, resultShape };
  });
}

/** The dtypes `arbArray` can generate. */
export type ArbDType = 'float64' | 'float32' | 'int32' | 'bool';

/** A generated array: flat data, shape and dtype (usable wherever an `ArrayInput` is). */
export interface GeneratedArray extends ArrayInput {
  readonly dtype: ArbDType;
}

/** Options of `arbArray`. */
export interface ArrayOptions {
  /** A fixed shape or an arbitrary of shapes. Default `arbShape()`. */
  shape?: readonly number[] | fc.Arbitrary<readonly number[]>;
  /** Smallest value. Default -10. */
  min?: number;
  /** Largest value. Default 10. */
  max?: number;
  /** Default float64. bool data is 0/1. */
  dtype?: ArbDType;
}

function arbElement(dtype: ArbDType, min: number, max: number): fc.Arbitrary<number> {
  switch (dtype) {
    case 'float64':
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    case 'float32':
      return fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true });
    case 'int32':
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    case 'bool':
      return fc.boolean().map(Number);
  }
}

/**
 * Arbitrary arrays of finite values.
 *
 * @param options - Shape (fixed or arbitrary), value range and dtype.
 * @returns An arbitrary of `{ data, shape, dtype }`.
 * @example
 * ```ts
 * import fc from 'fast-check';
 * const [x] = fc.sample(arbArray({ shape: [2, 3], min: 0, max: 1 }), 1);
 * x.data.length; // 6
 * x.data.every((v) => v >= 0 && v <= 1); // true
 * ```
 */
export function arbArray(options: ArrayOptions = {}): fc.Arbitrary<GeneratedArray> {
  const dtype = options.dtype ?? 'float64';
  const element = arbElement(dtype, options.min ?? -10, options.max ?? 10);
  const shapes =
    options.shape === undefined
      ? arbShape()
      : isArbitrary(options.shape)
        ? options.shape
        : fc.constant(options.shape);
  return shapes.chain((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return fc
      .array(element, { minLength: size, maxLength: size })
      .map((data): GeneratedArray => ({ data, shape: [...shape], dtype }));
  });
}

function isArbitrary<T>(value: readonly number[] | fc.Arbitrary<T>): value is fc.Arbitrary<T> {
  return value instanceof fc.Arbitrary;
}

/** Options shared by `checkForward` and `checkBackward`. */
export interface PropertyOptions {
  /** The inputs; default: `arity` arrays with mutually broadcastable shapes, values in [min, max]. */
  inputs?: fc.Arbitrary<readonly GeneratedArray[]>;
  /** How many inputs the default generator makes. Default `fn.length`, at least 1. */
  arity?: number;
  /** Value range of the default inputs. */
  min?: number;
  max?: number;
  /** Dtype of the default inputs (checkBackward always uses float64). */
  dtype?: ArbDType;
  /** Shape bounds of the default inputs. */
  shapes?: ShapeOptions;
  /** Runs of the property. Defaults: 100 forward, 25 backward. */
  numRuns?: number;
  /** fast-check seed, to replay a failure. */
  seed?: number;
}

function defaultInputs(
  fn: (...xs: Tensor[]) => unknown,
  options: PropertyOptions,
  fallback: { min: number; max: number; shapes: ShapeOptions },
  dtype: ArbDType,
): fc.Arbitrary<readonly GeneratedArray[]> {
  if (options.inputs) return options.inputs;
  const arity = options.arity ?? Math.max(1, fn.length);
  const min = options.min ?? fallback.min;
  const max = options.max ?? fallback.max;
  return arbBroadcastableShapes(arity, options.shapes ?? fallback.shapes).chain(({ inputShapes }) =>
    fc.tuple(...inputShapes.map((shape) => arbArray({ shape, min, max, dtype }))),
  );
}

/** Runs a property and throws one readable Error (the failure's own message, seed, counterexample). */
function run<T>(what: string, property: fc.IProperty<T>, numRuns: number, seed: number | undefined): void {
  const details = fc.check(property, { numRuns, seed });
  if (!details.failed) return;
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    `${what} failed after ${details.numRuns} run(s) (seed ${details.seed}, path "${details.counterexamplePath}"): ${cause}\n` +
      `Counterexample: ${fc.stringify(details.counterexample)}`,
  );
}

function toTensor(x: GeneratedArray): Tensor {
  return tensor(x.data, { shape: x.shape, dtype: x.dtype });
}

/** What a forward reference returns: the expected flat values and shape. */
export interface ReferenceResult {
  readonly data: ArrayLike<number | boolean>;
  readonly shape: readonly number[];
}

/**
 * Property: `fn` on tensors made from generated inputs agrees with `reference` on the same inputs, in shape and
 * values (within the result dtype's tolerance unless `rtol`/`atol` are given). Throws an Error with the shrunk
 * counterexample, the seed to replay it, and what differed, when it does not.
 *
 * @param fn - The mg function under test.
 * @param reference - A plain-JS implementation on flat arrays.
 * @param options - Inputs, tolerances, runs and seed.
 * @throws Error describing the counterexample.
 * @example
 * ```ts
 * import { multiply } from '@mg/core';
 * checkForward(
 *   (a, b) => multiply(a, b),
 *   (a, b) => ({ data: a.data.map((v, i) => v * b.data[i]), shape: a.shape }),
 *   { inputs: arbArray({ shape: [3] }).chain((a) => arbArray({ shape: [3] }).map((b) => [a, b])) },
 * );
 * ```
 */
export function checkForward(
  fn: (...xs: Tensor[]) => Tensor,
  reference: (...xs: GeneratedArray[]) => ReferenceResult,
  options: PropertyOptions & Partial<Tolerance> = {},
): void {
  const inputs = defaultInputs(fn, options, { min: -10, max: 10, shapes: {} }, options.dtype ?? 'float64');
  run(
    'checkForward',
    fc.property(inputs, (xs) => {
      const out = fn(...xs.map(toTensor));
      const expected = reference(...xs);
      if (out.shape.length !== expected.shape.length || out.shape.some((d, i) => d !== expected.shape[i])) {
        throw new Error(`shape [${out.shape.join(', ')}], expected [${expected.shape.join(', ')}]`);
      }
      const base = toleranceFor(out.dtype);
      const tolerance = { rtol: options.rtol ?? base.rtol, atol: options.atol ?? base.atol };
      const difference = compareArrays(out.dataSync(), expected.data, out.dtype, tolerance);
      if (difference !== null) throw new Error(difference);
    }),
    options.numRuns ?? 100,
    options.seed,
  );
}

/**
 * Property: on generated float64 inputs, the gradients `backward()` gives agree with central finite differences
 * (see `checkGradients`). Choose `min`/`max` to keep inputs away from kinks and poles.
 *
 * @param fn - The mg function under test (every input is differentiated).
 * @param options - Inputs, finite-difference tolerances/step, runs and seed.
 * @throws Error describing the counterexample and the mismatching elements.
 * @example
 * ```ts
 * import { multiply } from '@mg/core';
 * checkBackward((a, b) => multiply(a, b), { numRuns: 5 });
 * ```
 */
export function checkBackward(
  fn: (...xs: Tensor[]) => Tensor,
  options: PropertyOptions & GradCheckOptions = {},
): void {
  const inputs = defaultInputs(
    fn,
    options,
    { min: -3, max: 3, shapes: { maxDims: 2, maxSide: 3 } },
    'float64',
  );
  run(
    'checkBackward',
    fc.property(inputs, (xs) => {
      const { mismatches } = checkGradients(fn, xs, options);
      if (mismatches.length > 0) {
        throw new Error(`${mismatches.length} gradient mismatches: ${mismatches.slice(0, 3).join('; ')}`);
      }
    }),
    options.numRuns ?? 25,
    options.seed,
  );
}

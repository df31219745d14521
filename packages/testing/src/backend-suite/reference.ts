// Naive references for the backend suite: plain test arrays, index arithmetic with division and modulo, and the
// scalar semantics of every element-wise function, written independently of any backend's kernels.
import {
  allocate,
  BINARY_OPS,
  type BinaryOp,
  type DType,
  type Shape,
  sizeOf,
  type TypedArray,
  UNARY_OPS,
  type UnaryOp,
} from '@mg/core';

/** Every dtype. */
export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32', 'bool'];
/** The float dtypes. */
export const FLOATS: readonly ('float64' | 'float32')[] = ['float64', 'float32'];
/** The numeric (non-bool) dtypes. */
export const NUMERIC: readonly DType[] = ['float64', 'float32', 'int32'];

/** A test tensor: its data as the dtype's TypedArray, before it is written to a backend. */
export interface TestArray {
  readonly values: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Stores plain numbers as `dtype`'s TypedArray the way the backend contract says a store behaves: bool is
 * `x != 0` (NaN included), float32 rounds, int32 converts like an Int32Array store.
 *
 * @param values - The numbers.
 * @param dtype - The dtype to store them as.
 * @returns A new TypedArray of that dtype.
 * @example
 * ```ts
 * Array.from(typed([Number.NaN, 0, -2], 'bool')); // [1, 0, 1]
 * typed([0.1], 'float32')[0] === Math.fround(0.1); // true
 * ```
 */
export function typed(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = dtype === 'bool' ? Number(truthy(v)) : v;
  }
  return out;
}

/**
 * A test array from plain numbers (stored as by `typed`).
 *
 * @param values - Row-major values, `sizeOf(shape)` of them.
 * @param shape - The shape.
 * @param dtype - The dtype.
 * @returns The test array.
 * @example
 * ```ts
 * const x = arr([1, 2, 3, 4], [2, 2], 'int32');
 * x.values instanceof Int32Array; // true
 * x.shape; // [2, 2]
 * ```
 */
export function arr(values: ArrayLike<number>, shape: Shape, dtype: DType): TestArray {
  return { values: typed(values, dtype), shape, dtype };
}

/**
 * The multi-index of flat (row-major) position `index` in `shape`.
 *
 * @example
 * ```ts
 * unravelIndex(5, [2, 3]); // [1, 2]
 * ```
 */
export function unravelIndex(index: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return idx;
}

/**
 * The flat (row-major) position of multi-index `idx` in `shape`.
 *
 * @example
 * ```ts
 * ravelMultiIndex([1, 2], [2, 3]); // 5
 * ```
 */
export function ravelMultiIndex(idx: readonly number[], shape: Shape): number {
  let index = 0;
  for (let i = 0; i < shape.length; i++) index = index * shape[i] + idx[i];
  return index;
}

/**
 * The flat index in `shape` that output multi-index `outIdx` reads under NumPy broadcasting (missing leading
 * axes and size-1 axes repeat).
 *
 * @example
 * ```ts
 * broadcastSource([2, 1], [3, 1]); // 2
 * broadcastSource([2, 1], [4]); // 1
 * ```
 */
export function broadcastSource(outIdx: readonly number[], shape: Shape): number {
  const offset = outIdx.length - shape.length;
  return ravelMultiIndex(
    shape.map((d, i) => (d === 1 ? 0 : outIdx[offset + i])),
    shape,
  );
}

/**
 * A naive broadcasting map: output element i is `f` of each input's element at its broadcast source.
 *
 * @example
 * ```ts
 * refBroadcast([arr([1, 2], [2, 1], 'float64'), arr([10, 20], [2], 'float64')], [2, 2], (a, b) => a + b); // [11, 21, 12, 22]
 * ```
 */
export function refBroadcast(
  xs: readonly TestArray[],
  outShape: Shape,
  f: (...values: number[]) => number,
): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_, i) => {
    const idx = unravelIndex(i, outShape);
    return f(...xs.map((x) => x.values[broadcastSource(idx, x.shape)]));
  });
}

/**
 * NumPy truthiness: nonzero, NaN included.
 *
 * @example
 * ```ts
 * [0, -0, Number.NaN, 2].map(truthy); // [false, false, true, true]
 * ```
 */
export function truthy(x: number): boolean {
  return Number.isNaN(x) || x !== 0;
}

/**
 * Wraps an integer to int32 through BigInt, independently of Int32Array stores and Math.imul.
 *
 * @example
 * ```ts
 * wrap32(2n ** 31n); // -2147483648
 * ```
 */
export function wrap32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

/**
 * Machine epsilon of a float dtype: the spacing of floats at 1 (one ulp of values in [1, 2)).
 *
 * @example
 * ```ts
 * epsilon('float32'); // 1.1920928955078125e-7
 * ```
 */
export function epsilon(dtype: DType): number {
  return dtype === 'float32' ? 2 ** -23 : 2 ** -52;
}

/**
 * An element-wise tolerance of `n` ulps (for `expectValues`' `abs`): `n` machine epsilons relative to each
 * expected value, and at least `n` spacings of the subnormals.
 *
 * @example
 * ```ts
 * ulps([4], 'float64', 2)(0); // 1.7763568394002505e-15
 * ulps([1e-40], 'float32', 1)(0) === 2 ** -149; // true
 * ```
 */
export function ulps(expected: ArrayLike<number>, dtype: DType, n: number): (i: number) => number {
  const eps = epsilon(dtype);
  const tiny = dtype === 'float32' ? 2 ** -149 : 2 ** -1074;
  return (i) => n * Math.max(eps * Math.abs(expected[i]), tiny);
}

// ---- Scalar semantics of the element-wise kernels. ----

/** Half to even via the fractional part (independent of Math.round). */
function halfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** C99 pow, whose special cases differ from `**`. */
function cPow(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return a ** b;
}

/** Python's float `%` by the floor definition (exact on dyadic test values), with its special cases. */
function pyMod(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || b === 0) return Number.NaN;
  if (!Number.isFinite(b)) return a === 0 || a > 0 === b > 0 ? a : b;
  const r = a - Math.floor(a / b) * b;
  return r === 0 ? (b < 0 ? -0 : 0) : r;
}

const isInt = (dtype: DType) => dtype === 'int32';
const big = BigInt;

/** The float-only unary functions (core casts their inputs to a float dtype first). */
export const FLOAT_FUNCTIONS: readonly UnaryOp[] = UNARY_OPS.slice(UNARY_OPS.indexOf('sqrt'));
/** The unary predicates, whose output is bool. */
export const PREDICATES: readonly UnaryOp[] = ['logicalNot', 'isnan', 'isinf', 'isfinite'];
/** The binary functions whose output is bool. */
export const BOOL_OUTPUT: ReadonlySet<BinaryOp> = new Set(BINARY_OPS.slice(BINARY_OPS.indexOf('equal')));

/** Each unary function on one value of `dtype`, as NumPy defines it (int32 through BigInt so wrapping is exact). */
export const REFERENCE_UNARY: Readonly<Record<UnaryOp, (x: number, dtype: DType) => number>> = {
  neg: (x, d) => (isInt(d) ? wrap32(-big(x)) : -x),
  abs: (x, d) => (isInt(d) ? wrap32(big(Math.abs(x))) : Math.abs(x)),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  square: (x, d) => (isInt(d) ? wrap32(big(x) * big(x)) : x * x),
  logicalNot: (x) => Number(!truthy(x)),
  isnan: (x) => Number(Number.isNaN(x)),
  isinf: (x) => Number(!Number.isFinite(x) && !Number.isNaN(x)),
  isfinite: (x) => Number(Number.isFinite(x)),
  floor: Math.floor,
  ceil: Math.ceil,
  round: halfEven,
  trunc: Math.trunc,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  reciprocal: (x) => 1 / x,
  exp: Math.exp,
  exp2: (x) => 2 ** x,
  expm1: Math.expm1,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
};

/** Each binary function on two values of `dtype`: C pow, Python `%`, NaN-propagating max/min, wrapping int32. */
export const REFERENCE_BINARY: Readonly<Record<BinaryOp, (a: number, b: number, dtype: DType) => number>> = {
  add: (a, b, d) =>
    isInt(d) ? wrap32(big(a) + big(b)) : d === 'bool' ? Number(truthy(a) || truthy(b)) : a + b,
  sub: (a, b, d) => (isInt(d) ? wrap32(big(a) - big(b)) : a - b),
  mul: (a, b, d) =>
    isInt(d) ? wrap32(big(a) * big(b)) : d === 'bool' ? Number(truthy(a) && truthy(b)) : a * b,
  div: (a, b) => a / b,
  pow: (a, b, d) => (isInt(d) ? wrap32(big(a) ** big(b)) : cPow(a, b)),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  atan2: Math.atan2,
  mod: (a, b, d) => {
    if (!isInt(d)) return pyMod(a, b);
    if (b === 0) return 0;
    return wrap32(((big(a) % big(b)) + big(b)) % big(b));
  },
  equal: (a, b) => Number(a === b),
  notEqual: (a, b) => Number(a !== b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  logicalAnd: (a, b) => Number(truthy(a) && truthy(b)),
  logicalOr: (a, b) => Number(truthy(a) || truthy(b)),
  logicalXor: (a, b) => Number(truthy(a) !== truthy(b)),
};

/**
 * The contract's conversions: to bool `x != 0` (NaN true), float to int32 truncates toward zero (wrapping like an
 * Int32Array store, NaN and infinities to 0), to float32 rounds.
 *
 * @example
 * ```ts
 * [refCast(-2.7, 'int32'), refCast(Number.NaN, 'bool'), refCast(2 ** 32 + 5, 'int32')]; // [-2, 1, 5]
 * ```
 */
export function refCast(x: number, to: DType): number {
  if (to === 'bool') return Number(truthy(x));
  if (to === 'int32') return Number.isFinite(x) ? wrap32(big(Math.trunc(x))) : 0;
  if (to === 'float32') return Math.fround(x);
  return x;
}

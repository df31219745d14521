// Data types, their TypedArray storage, and NumPy 1.24's type-promotion rules.
import { DTypeError } from './errors.js';

/** The data types a tensor can hold. NumPy's int64 maps to `int32` (JS has no fast 64-bit ints). */
export type DType = 'float64' | 'float32' | 'int32' | 'bool';

/**
 * Every dtype, in promotion order (each one casts safely to the ones after it, except int32 to float32).
 *
 * @example
 * ```ts
 * DTYPES; // ["bool", "int32", "float32", "float64"]
 * DTYPES.filter(isFloat); // ["float32", "float64"]
 * ```
 */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** The TypedArray that stores each dtype (`bool` is one byte per element, 0 or 1). */
export interface TypedArrayFor {
  float64: Float64Array;
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any TypedArray a tensor may be stored in. */
export type TypedArray = TypedArrayFor[DType];

const CONSTRUCTORS = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/**
 * Allocates a zero-filled TypedArray of `dtype`.
 *
 * @param dtype - The dtype whose storage to allocate.
 * @param size - The number of elements.
 * @returns A new `TypedArrayFor[dtype]` (Uint8Array for bool) of `size` zeros.
 *
 * @example
 * ```ts
 * allocate('int32', 3); // [0, 0, 0]
 * allocate('bool', 2) instanceof Uint8Array; // true
 * ```
 */
export function allocate<D extends DType>(dtype: D, size: number): TypedArrayFor[D] {
  return new CONSTRUCTORS[dtype](size) as TypedArrayFor[D];
}

/**
 * Copies `values` into a new TypedArray of `dtype`: to bool, any truthy value becomes 1; to int32, floats are
 * truncated toward zero (as Int32Array stores them).
 *
 * @param values - Numbers or booleans.
 * @param dtype - The target dtype.
 * @returns A new TypedArray of `values.length` elements.
 *
 * @example
 * ```ts
 * toTypedArray([1.7, -1.7, true], 'int32'); // [1, -1, 1]
 * toTypedArray([0, 2, -0.5], 'bool'); // [0, 1, 1]
 * toTypedArray([0.1], 'float32')[0]; // 0.10000000149011612
 * ```
 */
export function toTypedArray<D extends DType>(
  values: ArrayLike<number | boolean>,
  dtype: D,
): TypedArrayFor[D] {
  const out = allocate(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else {
    for (let i = 0; i < values.length; i++) out[i] = +values[i]!;
  }
  return out;
}

/**
 * The dtype a TypedArray stores.
 *
 * @param values - Anything.
 * @returns The dtype whose storage `values` is (a Uint8Array is `bool`), or undefined for anything else,
 *   including TypedArray kinds tensors do not use.
 *
 * @example
 * ```ts
 * dtypeOfTypedArray(new Float32Array(2)); // "float32"
 * dtypeOfTypedArray(new Uint8Array(2)); // "bool"
 * dtypeOfTypedArray(new Int16Array(2)) === undefined; // true
 * dtypeOfTypedArray([1, 2]) === undefined; // true
 * ```
 */
export function dtypeOfTypedArray(values: unknown): DType | undefined {
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  return undefined;
}

/**
 * Whether `dtype` is a float dtype: the only ones that can carry gradients.
 *
 * @param dtype - A dtype.
 * @returns True for `float32` and `float64`.
 *
 * @example
 * ```ts
 * isFloat('float32'); // true
 * isFloat('int32'); // false
 * isFloat(tensor([true]).dtype); // false
 * ```
 */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float64' || dtype === 'float32';
}

const ALIASES: Record<string, DType> = {
  float64: 'float64',
  float: 'float64',
  double: 'float64',
  float32: 'float32',
  single: 'float32',
  int32: 'int32',
  int64: 'int32',
  int: 'int32',
  bool: 'bool',
};

/**
 * Parses a dtype name. NumPy spellings are accepted: `float`/`double` are float64, `single` is float32, and
 * `int64`/`int` are int32 (which stands for NumPy's int64).
 *
 * @param name - The name to parse (any value; only the accepted strings parse).
 * @param op - The function name the error message starts with.
 * @returns The dtype.
 * @throws DTypeError when `name` is not an accepted dtype name.
 *
 * @example
 * ```ts
 * parseDType('int64'); // "int32"
 * parseDType('double'); // "float64"
 * const err = (() => {
 *   try {
 *     parseDType('complex128', 'astype');
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof DTypeError; // true
 * (err as DTypeError).message; // "astype: expected a dtype (bool, int32, float32, float64), received \"complex128\""
 * ```
 */
export function parseDType(name: unknown, op = 'dtype'): DType {
  if (typeof name === 'string' && Object.hasOwn(ALIASES, name)) return ALIASES[name]!;
  throw new DTypeError(op, `a dtype (${DTYPES.join(', ')})`, name);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
const KIND: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/**
 * The smallest dtype both `a` and `b` can be cast to safely (NumPy's `promote_types`, with int32 standing for
 * int64: int32 with float32 gives float64).
 *
 * @param a - A dtype.
 * @param b - Another dtype.
 * @returns The promoted dtype.
 *
 * @example
 * ```ts
 * promoteTypes('bool', 'int32'); // "int32"
 * promoteTypes('int32', 'float32'); // "float64"
 * promoteTypes('float32', 'float32'); // "float32"
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  // int32 with float32 gives float64, not float32: our int32 stands for int64, and NumPy's int64 + float32 is
  // float64.
  if ((a === 'int32' && b === 'float32') || (a === 'float32' && b === 'int32')) return 'float64';
  return RANK[a] >= RANK[b] ? a : b;
}

/** One operand of a promotion: its dtype, and whether it is a scalar (a JS number or a 0-d tensor). */
export interface PromotionOperand {
  readonly dtype: DType;
  readonly scalar: boolean;
}

/**
 * The result dtype of an operation on `operands`, with NumPy 1.24's value-based casting: scalars (0-d tensors
 * and plain numbers) do not widen arrays of the same kind, so `float32 array * 2.5` stays float32 while
 * `int array + 2.5` becomes float64.
 *
 * @param operands - Each operand's dtype and whether it is a scalar.
 * @returns The dtype the operation computes in (float64 when there are no operands).
 *
 * @example
 * ```ts
 * const f32 = { dtype: 'float32', scalar: false } as const;
 * const i32 = { dtype: 'int32', scalar: false } as const;
 * const pyFloat = { dtype: 'float64', scalar: true } as const;
 * resultType([f32, pyFloat]); // "float32"
 * resultType([i32, pyFloat]); // "float64"
 * resultType([f32, i32]); // "float64"
 * add(tensor([1, 2], { dtype: 'float32' }), 2.5).dtype; // "float32"
 * ```
 */
export function resultType(operands: readonly PromotionOperand[]): DType {
  let arrays: DType | undefined;
  let scalars: DType | undefined;
  for (const { dtype, scalar } of operands) {
    if (scalar) scalars = scalars === undefined ? dtype : promoteTypes(scalars, dtype);
    else arrays = arrays === undefined ? dtype : promoteTypes(arrays, dtype);
  }
  if (arrays === undefined) return scalars ?? 'float64';
  if (scalars === undefined || KIND[arrays] >= KIND[scalars]) return arrays;
  // A scalar of a higher kind: NumPy picks the smallest type of that kind that holds the array's values.
  if (KIND[scalars] === 2)
    return arrays === 'int32' ? 'float64' : scalars === 'float32' ? 'float32' : 'float64';
  return promoteTypes(arrays, scalars);
}

/**
 * The dtype of a float-only function's output (sqrt, exp, mean, …).
 *
 * @param dtype - The input's dtype.
 * @returns `dtype` for float32 and float64; float64 for int32 and bool.
 *
 * @example
 * ```ts
 * floatResult('float32'); // "float32"
 * floatResult('int32'); // "float64"
 * sqrt(tensor([4], { dtype: 'int32' })).dtype; // "float64"
 * ```
 */
export function floatResult(dtype: DType): DType {
  return isFloat(dtype) ? dtype : 'float64';
}

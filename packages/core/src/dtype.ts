// Data types, their TypedArray storage, and NumPy 1.24's type-promotion rules.
import { DTypeError } from './errors.js';

/** The data types a tensor can hold. NumPy's int64 maps to `int32` (JS has no fast 64-bit ints). */
export type DType = 'float64' | 'float32' | 'int32' | 'bool';

/** Every dtype, in promotion order. */
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

/** Allocates a zero-filled TypedArray of `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): TypedArrayFor[D] {
  return new CONSTRUCTORS[dtype](size) as TypedArrayFor[D];
}

/** Copies `values` into a new TypedArray of `dtype` (bool becomes 0/1; floats are truncated for int32). */
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

/** The dtype a TypedArray stores, or undefined for a TypedArray kind tensors do not use. */
export function dtypeOfTypedArray(values: unknown): DType | undefined {
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  return undefined;
}

/** True for `float32` and `float64`: the only dtypes that can carry gradients. */
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

/** Parses a dtype name (NumPy spellings such as `int64` and `float` are accepted), else throws DTypeError. */
export function parseDType(name: unknown, op = 'dtype'): DType {
  if (typeof name === 'string' && Object.hasOwn(ALIASES, name)) return ALIASES[name]!;
  throw new DTypeError(op, `a dtype (${DTYPES.join(', ')})`, name);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
const KIND: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/** The smallest dtype both `a` and `b` can be cast to safely (NumPy's `promote_types`). */
export function promoteTypes(a: DType, b: DType): DType {
  // int32 with float32 stays float32 here: NumPy's int64 + float32 gives float64, and our int32 stands for int64.
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

/** The dtype of a float-only function's output: floats keep their dtype, ints and bools become float64. */
export function floatResult(dtype: DType): DType {
  return isFloat(dtype) ? dtype : 'float64';
}

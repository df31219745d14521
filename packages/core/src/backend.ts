// The backend contract: storage and lifecycle, plus the closed list of primitive kernels every backend must
// implement. Core computes every output's shape and dtype and validates inputs before it calls a kernel, so
// kernels only do arithmetic: they may assume well-formed arguments.
import type { DType, TypedArray, TypedArrayFor } from './dtype.js';
import type { Shape } from './shape.js';

/** A backend's handle to a tensor's data. Opaque to core; each backend decides what it holds. */
export type DataId = object;

/** A kernel's view of a tensor: its data handle, shape and dtype (data is row-major and contiguous). */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The shape and dtype of a kernel's output, decided by core. */
export interface OutputSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Element-wise functions of one tensor. The output has the input's dtype, except the predicates (`isnan`,
 * `isinf`, `isfinite`, `logicalNot`), which return bool. Core casts inputs to a float dtype first for the float
 * functions (everything from `sqrt` on), so those only see float32/float64. IEEE semantics throughout
 * (`log(-1)` is NaN, `sqrt(-0)` is -0); `round` rounds half to even, like NumPy.
 *
 * @example
 * ```ts
 * UNARY_OPS.includes('expm1'); // true
 * // A plugin's fused kernel calls primitives on raw data handles:
 * const backend = getBackend();
 * const dataId = backend.write(new Float64Array([1, 4, 9]), [3], 'float64');
 * const x = { dataId, shape: [3], dtype: 'float64' } as const;
 * const out = backend.kernels.unary('sqrt', x, { shape: [3], dtype: 'float64' });
 * makeTensor(out, [3], 'float64').toArray(); // [1, 2, 3]
 * ```
 */
export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'square',
  'logicalNot',
  'isnan',
  'isinf',
  'isfinite',
  'floor',
  'ceil',
  'round',
  'trunc',
  'sqrt',
  'cbrt',
  'reciprocal',
  'exp',
  'exp2',
  'expm1',
  'log',
  'log2',
  'log10',
  'log1p',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
] as const;
/** The name of one element-wise unary function (see UNARY_OPS). */
export type UnaryOp = (typeof UNARY_OPS)[number];

/**
 * Element-wise functions of two tensors with NumPy broadcasting. Both inputs have the same dtype (core casts
 * them); the output has that dtype, except the comparisons and logical functions, which return bool.
 * `maximum`/`minimum` propagate NaN; `mod` takes the sign of the divisor (Python's `%`); `div` is true
 * division (core casts ints to float first); int32 arithmetic wraps like Int32Array stores.
 *
 * @example
 * ```ts
 * BINARY_OPS.includes('atan2'); // true
 * const backend = getBackend();
 * const a = backend.write(new Float64Array([1, 5]), [2], 'float64');
 * const b = backend.write(new Float64Array([3]), [1], 'float64');
 * const out = backend.kernels.binary(
 *   'less',
 *   { dataId: a, shape: [2], dtype: 'float64' },
 *   { dataId: b, shape: [1], dtype: 'float64' },
 *   { shape: [2], dtype: 'bool' },
 * );
 * makeTensor(out, [2], 'bool').toArray(); // [true, false]
 * ```
 */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'atan2',
  'mod',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
] as const;
/** The name of one element-wise binary function (see BINARY_OPS). */
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over a set of axes. sum/prod keep the input dtype (core casts bool up first); any/all give bool. */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all';

/**
 * The primitive kernels, with their signatures. Every backend implements all of them; the type of
 * `Backend.kernels` makes the compiler prove it, and `registerBackend` checks it again at run time for JS users.
 * Each returns a new DataId holding `out.shape`/`out.dtype` data; none mutates its inputs.
 */
export interface PrimitiveKernels {
  /** Element-wise unary function (see UNARY_OPS). */
  unary(op: UnaryOp, x: TensorInfo, out: OutputSpec): DataId;
  /** Element-wise binary function with broadcasting: `out.shape` is the broadcast shape of `a` and `b`. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, out: OutputSpec): DataId;
  /** `cond ? a : b` element-wise, all three broadcast to `out.shape`; `cond` is bool, `a` and `b` share a dtype. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, out: OutputSpec): DataId;
  /** Converts to `out.dtype` (to bool: x != 0; float to int32: truncation toward zero). */
  cast(x: TensorInfo, out: OutputSpec): DataId;
  /** Repeats `x` along size-1 (or missing leading) axes to `out.shape`. */
  broadcastTo(x: TensorInfo, out: OutputSpec): DataId;
  /**
   * Reduces over the sorted, distinct `axes`; `out.shape` is the input shape without those axes. max/min
   * propagate NaN and are never called on an empty reduction. An empty sum is 0, an empty prod 1.
   */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], out: OutputSpec): DataId;
  /** Index (int32) of the first maximum/minimum along `axis` (the first NaN if any); `out.shape` drops `axis`. */
  argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number, out: OutputSpec): DataId;
  /** Inclusive cumulative sum or product along `axis`; same shape and dtype. */
  cumulative(op: 'cumsum' | 'cumprod', x: TensorInfo, axis: number, out: OutputSpec): DataId;
  /**
   * Batched matrix product of `a` (..., M, K) and `b` (..., K, N), both of rank >= 2 and the same float dtype,
   * with broadcast batch dimensions. A transpose flag means that operand is stored with its last two axes
   * swapped: `transposeA` reads `a` as (..., K, M) and uses its transpose. `out.shape` is (...batch, M, N).
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, out: OutputSpec): DataId;
  /** Permutes axes: output axis i is input axis `perm[i]`. */
  transpose(x: TensorInfo, perm: readonly number[], out: OutputSpec): DataId;
  /**
   * Strided slice: output element (j0, j1, …) is input element (begin[0] + j0*step[0], …). `out.shape` gives the
   * count along each axis; steps may be negative; every index read is in range.
   */
  slice(x: TensorInfo, begin: readonly number[], step: readonly number[], out: OutputSpec): DataId;
  /**
   * Takes `indices` (int32, every value in [0, x.shape[axis])) along `axis`:
   * `out.shape` = x.shape[:axis] + indices.shape + x.shape[axis+1:].
   */
  gather(x: TensorInfo, indices: TensorInfo, axis: number, out: OutputSpec): DataId;
  /**
   * The adjoint of gather: a zero tensor of `out.shape` with each slice of `updates` added at its index along
   * `axis` (repeated indices accumulate). `updates.shape` = out.shape[:axis] + indices.shape + out.shape[axis+1:].
   */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, out: OutputSpec): DataId;
  /** Joins tensors of one dtype along an existing `axis`; the other axes agree. */
  concat(xs: readonly TensorInfo[], axis: number, out: OutputSpec): DataId;
  /** Pads with `value`: `paddings[i]` = [before, after] for axis i. */
  pad(
    x: TensorInfo,
    paddings: readonly (readonly [number, number])[],
    value: number,
    out: OutputSpec,
  ): DataId;
  /** A new tensor of `out.shape` with every element `value`. */
  fill(value: number, out: OutputSpec): DataId;
}

/** The name of one primitive kernel. */
export type PrimitiveName = keyof PrimitiveKernels;

/**
 * Every primitive kernel name (the closed list, checked against PrimitiveKernels by the compiler).
 * `registerBackend` refuses a backend that lacks any of them.
 *
 * @example
 * ```ts
 * PRIMITIVE_NAMES.length; // 16
 * PRIMITIVE_NAMES.every((name) => typeof getBackend().kernels[name] === 'function'); // true
 * ```
 */
export const PRIMITIVE_NAMES = [
  'unary',
  'binary',
  'where',
  'cast',
  'broadcastTo',
  'reduce',
  'argReduce',
  'cumulative',
  'matmul',
  'transpose',
  'slice',
  'gather',
  'scatterAdd',
  'concat',
  'pad',
  'fill',
] as const satisfies readonly PrimitiveName[];
// Compile-time proof that the list is complete: this fails to type-check when a kernel is missing from it.
const _complete: Record<PrimitiveName, true> = Object.fromEntries(PRIMITIVE_NAMES.map((n) => [n, true])) as {
  [K in (typeof PRIMITIVE_NAMES)[number]]: true;
};
void _complete;

/** Memory held by a backend. */
export interface MemoryInfo {
  /** Bytes of live tensor data. */
  readonly bytes: number;
  /** Number of live data buffers. */
  readonly buffers: number;
}

/**
 * A backend: storage, lifecycle and the primitive kernels. Register one with `registerBackend` and select it
 * with `setBackend(name)`. Values read back must equal what kernels computed, as the dtype's TypedArray.
 */
export interface Backend {
  /** Unique name, e.g. `cpu` or `wasm`. */
  readonly name: string;
  /**
   * True when a tensor's data is freed by the JS garbage collector with the tensor (TypedArrays on the cpu
   * backend). Otherwise (wasm memory) core registers every tensor with a FinalizationRegistry as a safety net
   * for tensors that are never disposed.
   */
  readonly garbageCollected?: boolean;
  /**
   * Prepares the backend (e.g. instantiates a wasm module). Called once, by `setBackend` or on first use. A
   * backend that is ready at once returns nothing (not a Promise), so it can be used without `await setBackend`.
   */
  init(): Promise<void> | void;
  /** Stores a copy of `values` (exactly `sizeOf(shape)` elements of `dtype`'s TypedArray). */
  write<D extends DType>(values: TypedArrayFor[D], shape: Shape, dtype: D): DataId;
  /**
   * The data as `dtype`'s TypedArray. Callers must not mutate it: a backend may return its own storage. A
   * backend whose storage is not a JS TypedArray returns a fresh copy.
   */
  readSync(dataId: DataId): TypedArray;
  /** Asynchronous read, for backends that compute off the main thread. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Frees the data. Using the DataId afterwards is an error. Disposing twice is a no-op. */
  dispose(dataId: DataId): void;
  /** Live memory. */
  memory(): MemoryInfo;
  /** The primitive kernels, all of them. */
  readonly kernels: PrimitiveKernels;
}

// Helpers that ops use to call the active backend's primitive kernels on tensors.
import type { BinaryOp, DataId, PrimitiveKernels, UnaryOp } from '../backend.js';
import { type DType, resultType } from '../dtype.js';
import { getBackend } from '../registry.js';
import { broadcastShapes, checkSize, type Shape } from '../shape.js';
import { Storage, type Tensor, wrapData } from '../tensor.js';

/**
 * Runs one primitive kernel on the active backend and wraps its output as a constant, graph-free tensor.
 * Core decides the output's shape and dtype; the kernel only computes.
 *
 * @param shape - The output's shape (what the kernel is told in its `out` argument).
 * @param dtype - The output's dtype.
 * @param call - Calls one kernel; `info(t)` gives the kernel's view of tensor `t`, moving its data to the
 *   active backend first if it lives elsewhere.
 * @returns The output tensor.
 * @throws DisposedTensorError when an input was disposed; BackendNotFoundError when no backend is active.
 */
export function runKernel(
  shape: Shape,
  dtype: DType,
  call: (kernels: PrimitiveKernels, info: (t: Tensor) => ReturnType<Tensor['_info']>) => DataId,
): Tensor {
  checkSize('kernel output', shape);
  const backend = getBackend();
  const dataId = call(backend.kernels, (t) => t._info(backend));
  return wrapData(new Storage(backend, dataId), shape, dtype);
}

/**
 * Casts with the `cast` kernel (to bool: x != 0; float to int32: truncation toward zero).
 *
 * @param x - A tensor.
 * @param dtype - The wanted dtype.
 * @returns `x` itself when it already has `dtype`, else a new constant tensor.
 */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return runKernel(x.shape, dtype, (k, info) => k.cast(info(x), { shape: x.shape, dtype }));
}

/**
 * A new tensor sharing `x`'s data, with another shape of the same size (no copy): the shared storage is
 * reference-counted, so disposing one keeps the data for the other.
 *
 * @param x - A tensor.
 * @param shape - A shape of `x.size` elements (not checked).
 * @returns A new constant tensor, never `x` itself.
 * @throws DisposedTensorError when `x` was disposed.
 */
export function reshapeData(x: Tensor, shape: Shape): Tensor {
  x._info();
  const storage = x._storage!;
  storage.refs++;
  return wrapData(storage, shape, x.dtype);
}

/**
 * Applies an element-wise unary kernel (see UNARY_OPS).
 *
 * @param op - The unary function.
 * @param x - The input, already of a dtype the kernel accepts (float for the float functions).
 * @param outDtype - The output's dtype: bool for predicates, else x's dtype.
 * @returns A constant tensor of x's shape.
 */
export function unaryKernel(op: UnaryOp, x: Tensor, outDtype: DType = x.dtype): Tensor {
  return runKernel(x.shape, outDtype, (k, info) => k.unary(op, info(x), { shape: x.shape, dtype: outDtype }));
}

/**
 * A 0-d tensor holding `value`.
 *
 * @param value - The value (stored as `dtype` stores it: truncated for int32, 0/1 for bool).
 * @param dtype - The dtype.
 * @returns A constant 0-d tensor.
 */
export function scalar(value: number, dtype: DType = 'float64'): Tensor {
  return runKernel([], dtype, (k) => k.fill(value, { shape: [], dtype }));
}

/**
 * A tensor of `shape` with every element `value`.
 *
 * @param shape - The shape.
 * @param value - The fill value.
 * @param dtype - The dtype.
 * @returns A constant tensor.
 */
export function filled(shape: Shape, value: number, dtype: DType): Tensor {
  return runKernel(shape, dtype, (k) => k.fill(value, { shape, dtype }));
}

function asTensor(x: Tensor | number): Tensor | { dtype: DType; ndim: number } {
  return typeof x === 'number' ? { dtype: 'float64', ndim: 0 } : x;
}

/**
 * Bool tensors as int32, because NumPy computes arithmetic on bools as integers.
 *
 * @param x - A tensor.
 * @returns An int32 copy of a bool `x`; any other `x` itself.
 */
export function numeric(x: Tensor): Tensor {
  return x.dtype === 'bool' ? castTo(x, 'int32') : x;
}

/**
 * The dtype two operands compute in, with NumPy 1.24 value-based promotion (0-d tensors act as scalars; see
 * `resultType`).
 *
 * @param a - The first operand's dtype and rank.
 * @param b - The second operand's dtype and rank.
 * @returns The common dtype.
 */
export function computeDType(a: { dtype: DType; ndim: number }, b: { dtype: DType; ndim: number }): DType {
  return resultType([
    { dtype: a.dtype, scalar: a.ndim === 0 },
    { dtype: b.dtype, scalar: b.ndim === 0 },
  ]);
}

/**
 * Applies an element-wise binary kernel (see BINARY_OPS) with broadcasting.
 *
 * @param name - The calling function's name, for the broadcast error.
 * @param op - The binary function.
 * @param a - The first operand (a JS number is a float64 scalar).
 * @param b - The second operand.
 * @param dtype - The dtype both are cast to before the kernel runs (default: their promoted dtype).
 * @param outDtype - The output's dtype (default: `dtype`; bool for comparisons and logical functions).
 * @returns A constant tensor of the broadcast shape.
 * @throws ShapeError when the shapes cannot be broadcast together.
 */
export function binaryKernel(
  name: string,
  op: BinaryOp,
  a: Tensor | number,
  b: Tensor | number,
  dtype: DType = computeDType(asTensor(a), asTensor(b)),
  outDtype: DType = dtype,
): Tensor {
  const ca = typeof a === 'number' ? scalar(a, dtype) : castTo(a, dtype);
  const cb = typeof b === 'number' ? scalar(b, dtype) : castTo(b, dtype);
  try {
    const shape = broadcastShapes(name, ca.shape, cb.shape);
    return runKernel(shape, outDtype, (k, info) =>
      k.binary(op, info(ca), info(cb), { shape, dtype: outDtype }),
    );
  } finally {
    // Scalars and casts made here are temporaries: free them now (wasm memory is not garbage-collected).
    if (ca !== a) ca.dispose();
    if (cb !== b) cb.dispose();
  }
}

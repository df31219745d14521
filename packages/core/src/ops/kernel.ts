// Helpers that ops use to call the active backend's primitive kernels on tensors.
import type { BinaryOp, DataId, PrimitiveKernels, UnaryOp } from '../backend.js';
import { type DType, resultType } from '../dtype.js';
import { getBackend } from '../registry.js';
import { broadcastShapes, type Shape } from '../shape.js';
import { Storage, type Tensor, wrapData } from '../tensor.js';

/** Runs one kernel on the active backend and wraps its output (of `shape` and `dtype`) as a tensor. */
export function runKernel(
  shape: Shape,
  dtype: DType,
  call: (kernels: PrimitiveKernels, info: (t: Tensor) => ReturnType<Tensor['_info']>) => DataId,
): Tensor {
  const backend = getBackend();
  const dataId = call(backend.kernels, (t) => t._info(backend));
  return wrapData(new Storage(backend, dataId), shape, dtype);
}

/** `x` as `dtype` (the same tensor when it already is). */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return runKernel(x.shape, dtype, (k, info) => k.cast(info(x), { shape: x.shape, dtype }));
}

/** A new tensor sharing `x`'s data, with another shape of the same size (no copy). Never `x` itself. */
export function reshapeData(x: Tensor, shape: Shape): Tensor {
  x._info();
  const storage = x._storage!;
  storage.refs++;
  return wrapData(storage, shape, x.dtype);
}

/** Applies an element-wise unary kernel; the output has `outDtype` (default: x's dtype). */
export function unaryKernel(op: UnaryOp, x: Tensor, outDtype: DType = x.dtype): Tensor {
  return runKernel(x.shape, outDtype, (k, info) => k.unary(op, info(x), { shape: x.shape, dtype: outDtype }));
}

/** A 0-d tensor holding `value` as `dtype`. */
export function scalar(value: number, dtype: DType = 'float64'): Tensor {
  return runKernel([], dtype, (k) => k.fill(value, { shape: [], dtype }));
}

/** A tensor of `shape` filled with `value`. */
export function filled(shape: Shape, value: number, dtype: DType): Tensor {
  return runKernel(shape, dtype, (k) => k.fill(value, { shape, dtype }));
}

function asTensor(x: Tensor | number): Tensor | { dtype: DType; ndim: number } {
  return typeof x === 'number' ? { dtype: 'float64', ndim: 0 } : x;
}

/** Bool tensors as int32 (NumPy computes arithmetic on bools as integers); others unchanged. */
export function numeric(x: Tensor): Tensor {
  return x.dtype === 'bool' ? castTo(x, 'int32') : x;
}

/** The dtype two operands compute in, with NumPy 1.24 value-based promotion (0-d tensors act as scalars). */
export function computeDType(a: { dtype: DType; ndim: number }, b: { dtype: DType; ndim: number }): DType {
  return resultType([
    { dtype: a.dtype, scalar: a.ndim === 0 },
    { dtype: b.dtype, scalar: b.ndim === 0 },
  ]);
}

/**
 * Applies an element-wise binary kernel with broadcasting: both inputs are cast to `dtype` (default: their
 * promoted dtype); the output has `outDtype` (default: `dtype`).
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
  const shape = broadcastShapes(name, ca.shape, cb.shape);
  return runKernel(shape, outDtype, (k, info) =>
    k.binary(op, info(ca), info(cb), { shape, dtype: outDtype }),
  );
}

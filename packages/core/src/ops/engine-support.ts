// The few graph-free tensor functions the engine itself needs (gradient seeding, reduction, accumulation).
import type { DType } from '../dtype.js';
import { asInput } from '../engine.js';
import type { Shape } from '../shape.js';
import { shapesEqual } from '../shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { add as addOp } from './arithmetic.js';
import { castTo, runKernel } from './kernel.js';

/** Graph-free `a + b` (the engine calls it with recording off). */
export const add = (a: Tensor, b: Tensor): Tensor => addOp(a, b);

/** `x` broadcast to `shape` (a copy). */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const t = asInput(x);
  if (shapesEqual(t.shape, shape)) return t;
  return runKernel(shape, t.dtype, (k, info) => k.broadcastTo(info(t), { shape, dtype: t.dtype }));
}

/** `x` as `dtype`. */
export function cast(x: Tensor, dtype: DType): Tensor {
  return castTo(x, dtype);
}

/** Sums `grad` over the axes along which a tensor of `shape` was broadcast to grad's shape (MyGrad's reduce_broadcast). */
export function sumToShape(grad: Tensor, shape: Shape): Tensor {
  const lead = grad.ndim - shape.length;
  if (lead < 0) return grad; // the engine reports the mismatch
  const axes: number[] = [];
  for (let i = 0; i < grad.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0) return grad;
  const kept = grad.shape.filter((_, i) => !axes.includes(i));
  // The reduced data is already laid out as `shape` (which only adds size-1 axes): wrap it in that shape directly.
  return runKernel(shape, grad.dtype, (k, info) =>
    k.reduce('sum', info(grad), axes, { shape: kept, dtype: grad.dtype }),
  );
}

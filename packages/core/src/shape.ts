// Shapes: sizes, broadcasting and axis normalisation, with MyGrad's (NumPy's) errors.
import { AxisError, describe, MgTypeError, ShapeError } from './errors.js';

/** A tensor's shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** The number of elements of a tensor of `shape`. */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The broadcast shape of `shapes` (NumPy rules), or a ShapeError naming `op` and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  let ndim = 0;
  for (const s of shapes) ndim = Math.max(ndim, s.length);
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const offset = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[offset + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[offset + i] = d;
      else {
        const list = shapes.map((x) => `(${x.join(', ')})`).join(' ');
        throw new ShapeError(`${op}: operands could not be broadcast together with shapes ${list}`);
      }
    }
  }
  return out;
}

/** Normalises one axis into [0, ndim), or throws AxisError. */
export function normalizeAxis(op: string, axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new MgTypeError(op, 'an integer axis', axis);
  }
  if (axis < -ndim || axis >= ndim) throw new AxisError(op, axis, ndim);
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises `axis` (undefined/null for all axes, an integer, or a list of integers) into a sorted list of
 * distinct axes in [0, ndim). Throws AxisError when out of range, ShapeError when repeated.
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | null | undefined,
  ndim: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) throw new MgTypeError(op, 'an integer or a list of integers for axis', axis);
  const axes = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(axes).size !== axes.length)
    throw new ShapeError(`${op}: duplicate value in axis ${describe(axis)}`);
  return axes.sort((a, b) => a - b);
}

/** Validates a user-supplied shape (non-negative integers), else throws. */
export function checkShape(op: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new MgTypeError(op, 'a shape (a list of integers)', shape);
  }
  if (list.some((d: number) => d < 0))
    throw new ShapeError(`${op}: negative dimensions are not allowed: ${describe(list)}`);
  return list as number[];
}

/** The shape after removing (or, with keepdims, setting to 1) the sorted `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

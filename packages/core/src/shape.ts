// Shapes: sizes, broadcasting and axis normalisation, with MyGrad's (NumPy's) errors.
import { AxisError, describe, MgTypeError, ShapeError } from './errors.js';

/** A tensor's shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/**
 * The number of elements of a tensor of `shape`.
 *
 * @param shape - A shape.
 * @returns The product of its dimensions (1 for a 0-d shape, 0 when any dimension is 0).
 *
 * @example
 * ```ts
 * sizeOf([2, 3, 4]); // 24
 * sizeOf([]); // 1
 * sizeOf([3, 0]); // 0
 * ```
 */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * Row-major (C-order) strides, in elements: how far apart consecutive indices along each axis are stored.
 *
 * @param shape - A shape.
 * @returns One stride per dimension.
 *
 * @example
 * ```ts
 * stridesOf([2, 3, 4]); // [12, 4, 1]
 * stridesOf([]); // []
 * ```
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/**
 * Whether two shapes are the same, dimension by dimension.
 *
 * @param a - A shape.
 * @param b - Another shape.
 * @returns True when `a` and `b` have the same rank and dimensions.
 *
 * @example
 * ```ts
 * shapesEqual([2, 3], tensor([[1, 2, 3], [4, 5, 6]]).shape); // true
 * shapesEqual([2, 3], [3, 2]); // false
 * shapesEqual([1, 3], [3]); // false
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape that `shapes` broadcast to, by NumPy's rules: shapes are aligned at their last axis, and each
 * dimension must equal the others or be 1.
 *
 * @param op - The function name the error message starts with.
 * @param shapes - The operands' shapes.
 * @returns The broadcast shape (a new array).
 * @throws ShapeError naming `op` and every shape when they cannot be broadcast together.
 *
 * @example
 * ```ts
 * broadcastShapes('add', [2, 1], [3]); // [2, 3]
 * broadcastShapes('where', [], [4, 1], [1, 5]); // [4, 5]
 * const err = (() => {
 *   try {
 *     broadcastShapes('add', [2], [3]);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * (err as ShapeError).message; // "add: operands could not be broadcast together with shapes (2) (3)"
 * ```
 */
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

/**
 * Normalises one axis into [0, ndim): negative axes count from the end.
 *
 * @param op - The function name the error message starts with.
 * @param axis - The axis as given.
 * @param ndim - The rank of the tensor it indexes.
 * @returns The axis in [0, ndim).
 * @throws MgTypeError when `axis` is not an integer; AxisError when it is outside [-ndim, ndim).
 *
 * @example
 * ```ts
 * normalizeAxis('sum', -1, 3); // 2
 * normalizeAxis('sum', 1, 3); // 1
 * const err = (() => {
 *   try {
 *     normalizeAxis('sum', 3, 3);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof AxisError; // true
 * ```
 */
export function normalizeAxis(op: string, axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new MgTypeError(op, 'an integer axis', axis);
  }
  if (axis < -ndim || axis >= ndim) throw new AxisError(op, axis, ndim);
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises `axis` (undefined/null for all axes, an integer, or a list of integers) into a sorted list of
 * distinct axes in [0, ndim), as reductions take it.
 *
 * @param op - The function name the error message starts with.
 * @param axis - undefined or null (every axis), one axis, or a list of axes; negative axes count from the
 *   end.
 * @param ndim - The rank of the tensor they index.
 * @returns The axes, sorted ascending.
 * @throws MgTypeError when `axis` or one of its items is not an integer; AxisError when an axis is out of
 *   range; ShapeError when an axis is repeated.
 *
 * @example
 * ```ts
 * normalizeAxes('sum', undefined, 3); // [0, 1, 2]
 * normalizeAxes('sum', -1, 3); // [2]
 * normalizeAxes('sum', [2, -3], 3); // [0, 2]
 * const err = (() => {
 *   try {
 *     normalizeAxes('sum', [1, -2], 3);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof ShapeError; // true
 * ```
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

/**
 * Validates a user-supplied shape: a list of non-negative integers, or one integer for a 1-d shape.
 *
 * @param op - The function name the error message starts with.
 * @param shape - The shape as given.
 * @returns The shape as a list (the given array itself when it is one).
 * @throws MgTypeError when `shape` is not an integer or a list of integers; ShapeError when a dimension is
 *   negative.
 *
 * @example
 * ```ts
 * checkShape('zeros', [2, 3]); // [2, 3]
 * checkShape('zeros', 4); // [4]
 * const err = (() => {
 *   try {
 *     checkShape('zeros', [2, -1]);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * (err as ShapeError).message; // "zeros: negative dimensions are not allowed: [2, -1]"
 * ```
 */
export function checkShape(op: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new MgTypeError(op, 'a shape (a list of integers)', shape);
  }
  if (list.some((d: number) => d < 0))
    throw new ShapeError(`${op}: negative dimensions are not allowed: ${describe(list)}`);
  checkSize(op, list as number[]);
  return list as number[];
}

/** The most elements one tensor may hold: the longest TypedArray V8 allocates, and 16 GiB of float64. */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Throws ShapeError for a shape too big to allocate, before anything is allocated (NumPy's "array is too big").
 * Core checks every shape it creates a tensor of; backends never see such a shape.
 *
 * @param op - The operation, for the message.
 * @param shape - The shape to check.
 * @throws ShapeError when the shape holds more than 2^31 - 1 elements.
 * @example
 * ```ts
 * checkSize('zeros', [1000, 1000]);
 * const err = (() => {
 *   try {
 *     zeros([1e6, 1e6]);
 *   } catch (e) {
 *     return e;
 *   }
 * })();
 * err instanceof ShapeError; // true
 * ```
 */
export function checkSize(op: string, shape: Shape): void {
  const size = sizeOf(shape);
  if (size > MAX_ELEMENTS) {
    throw new ShapeError(
      `${op}: array is too big: a shape of [${shape.join(', ')}] holds ${size} elements, more than the ${MAX_ELEMENTS} a tensor can`,
    );
  }
}

/**
 * The shape of a reduction's output: `shape` without `axes`, or with them set to 1 when `keepdims`.
 *
 * @param shape - The input's shape.
 * @param axes - The reduced axes, normalised (see `normalizeAxes`).
 * @param keepdims - Whether reduced axes stay as size-1 dimensions.
 * @returns The reduced shape (a new array).
 *
 * @example
 * ```ts
 * reducedShape([2, 3, 4], [0, 2], false); // [3]
 * reducedShape([2, 3, 4], [0, 2], true); // [1, 3, 1]
 * sum(tensor([[1, 2, 3]]), { axis: 1, keepdims: true }).shape; // [1, 1]
 * ```
 */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

// Shape manipulation: reshape, ravel, flatten, squeeze, expandDims, broadcastTo, atleast1d/2d/3d, transpose,
// moveaxis, swapaxes, roll, concatenate, stack, repeat and tile, with MyGrad's gradients.
import type { TensorInfo } from '../backend.js';
import { type DType, resultType } from '../dtype.js';
import { asInput, executeOp } from '../engine.js';
import { describe, MgTypeError, MgValueError, ShapeError } from '../errors.js';
import { type OpAttrs, Operation } from '../operation.js';
import { registerOp } from '../registry.js';
import { checkShape, normalizeAxes, normalizeAxis, type Shape, shapesEqual, sizeOf } from '../shape.js';
import { Tensor, type TensorLike, wrapData } from '../tensor.js';
import { type OpOptions, splitOptions } from './define.js';
import { castTo, runKernel } from './kernel.js';

declare module '../operation.js' {
  interface OpAttrs {
    'mg.reshape': { shape: Shape };
    'mg.ravel': { shape: Shape };
    'mg.flatten': { shape: Shape };
    'mg.squeeze': { shape: Shape };
    'mg.expandDims': { shape: Shape };
    'mg.atleast1d': { shape: Shape };
    'mg.atleast2d': { shape: Shape };
    'mg.atleast3d': { shape: Shape };
    'mg.broadcastTo': { shape: Shape };
    'mg.transpose': { perm: readonly number[] };
    'mg.moveaxis': { perm: readonly number[] };
    'mg.swapaxes': { perm: readonly number[] };
    'mg.roll': { axes: readonly number[] | null; shifts: readonly number[] };
    'mg.repeat': { axis: number | null; repeats: readonly number[] };
    'mg.tile': { reps: readonly number[] };
    'mg.concatenate': { axis: number | null };
    'mg.stack': { axis: number };
  }
}

/** Options of `squeeze`. */
export interface SqueezeOptions extends OpOptions {
  /** The size-1 axes to remove; default: every size-1 axis. */
  axis?: number | readonly number[] | null;
}

/** Options of `roll`. */
export interface RollOptions extends OpOptions {
  /** The axes to roll along (each paired with an entry of `shift`); default null: roll the flattened tensor. */
  axis?: number | readonly number[] | null;
}

/** Options of `concatenate`. */
export interface ConcatenateOptions extends OpOptions {
  /** The existing axis to join along (default 0); null flattens every input first. */
  axis?: number | null;
}

/** Options of `stack`. */
export interface StackOptions extends OpOptions {
  /** The position of the new axis in the result (default 0). */
  axis?: number;
}

/** Options of `repeat`. */
export interface RepeatOptions extends OpOptions {
  /** The axis to repeat along; default null: repeat the flattened tensor. */
  axis?: number | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Graph-free data helpers. Views are expressed by handing a kernel a TensorInfo with another shape of the same
// size (data is row-major and contiguous), so no temporary tensors hold references to shared storage.

/**
 * A new tensor sharing `x`'s data under `shape` (same size). Unlike `reshapeData` it never returns `x` itself:
 * an op's output must be a fresh tensor, or executeOp would make the input its own creator.
 */
function share(x: Tensor, shape: Shape): Tensor {
  x._info();
  const storage = x._storage!;
  storage.refs++;
  return wrapData(storage, shape, x.dtype);
}

/** `info` read as `shape` (same size, same row-major data). */
function asShape(info: TensorInfo, shape: Shape): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

function withAxis(shape: Shape, axis: number, size: number): number[] {
  const out = [...shape];
  out[axis] = size;
  return out;
}

/**
 * `x` (read as `view`) sliced to [start, stop) along `axis`, wrapped as `wrap` (default: the slice's shape).
 * The gradients of concatenate and stack are such slices of the upstream gradient.
 */
function sliceAlong(x: Tensor, view: Shape, axis: number, start: number, stop: number, wrap?: Shape): Tensor {
  const shape = withAxis(view, axis, stop - start);
  const begin = view.map((_, i) => (i === axis ? start : 0));
  const step = view.map(() => 1);
  return runKernel(wrap ?? shape, x.dtype, (k, info) =>
    k.slice(asShape(info(x), view), begin, step, { shape, dtype: x.dtype }),
  );
}

/** The inputs, each read as `pieces[i]` and cast to `dtype`, joined along `axis` (wrapped as `wrap`). */
function joinData(
  xs: readonly Tensor[],
  pieces: readonly Shape[],
  axis: number,
  dtype: DType,
  wrap?: Shape,
): Tensor {
  const cast = xs.map((x) => castTo(x, dtype));
  const shape = withAxis(
    pieces[0]!,
    axis,
    pieces.reduce((n, p) => n + p[axis]!, 0),
  );
  const out = runKernel(wrap ?? shape, dtype, (k, info) =>
    k.concat(
      cast.map((c, i) => asShape(info(c), pieces[i]!)),
      axis,
      { shape, dtype },
    ),
  );
  cast.forEach((c, i) => {
    if (c !== xs[i]) c.dispose();
  });
  return out;
}

/** `x` rolled by `shifts[i]` along `axes[i]` (axes null: along the flattened data), built from slices and concat. */
function rollData(x: Tensor, axes: readonly number[] | null, shifts: readonly number[]): Tensor {
  const view = axes === null ? [x.size] : x.shape;
  let current = x;
  (axes ?? [0]).forEach((axis, i) => {
    const n = view[axis]!;
    const s = n === 0 ? 0 : ((shifts[i]! % n) + n) % n;
    if (s === 0) return;
    // Rolling right by s moves the last s entries to the front.
    const head = sliceAlong(current, view, axis, n - s, n);
    const tail = sliceAlong(current, view, axis, 0, n - s);
    const next = joinData([head, tail], [head.shape, tail.shape], axis, x.dtype, x.shape);
    head.dispose();
    tail.dispose();
    if (current !== x) current.dispose();
    current = next;
  });
  return current === x ? share(x, x.shape) : current;
}

function indexTensor(indices: readonly number[]): Tensor {
  return new Tensor(Int32Array.from(indices));
}

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return inverse;
}

function named<T extends object>(target: T, name: string): T {
  Object.defineProperty(target, 'name', { value: name });
  return target;
}

// ---------------------------------------------------------------------------------------------------------------
// Argument validation.

function isIntegerList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => Number.isInteger(v));
}

/** An integer or a list of integers, as a list; MgTypeError otherwise. */
function intList(op: string, what: string, value: unknown): number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (!isIntegerList(list)) throw new MgTypeError(op, `an integer or a list of integers for ${what}`, value);
  return [...list];
}

/** Normalised axes in the order given: AxisError when out of range, MgValueError when repeated. */
function distinctAxes(op: string, what: string, value: unknown, ndim: number): number[] {
  const axes = intList(op, what, value).map((a) => normalizeAxis(op, a, ndim));
  if (new Set(axes).size !== axes.length)
    throw new MgValueError(`${op}: repeated axis in ${what} ${describe(value)}`);
  return axes;
}

function nonNegative(op: string, what: string, values: readonly number[], given: unknown): void {
  if (values.some((v) => v < 0)) {
    throw new MgValueError(`${op}: negative dimensions are not allowed in ${what}, got ${describe(given)}`);
  }
}

/** The broadcast length of two lists of lengths `a` and `b` (null: a scalar), or undefined when they clash. */
function broadcastLength(a: number | null, b: number | null): number | undefined {
  if (a === null) return b ?? 1;
  if (b === null || b === a || b === 1) return a;
  return a === 1 ? b : undefined;
}

function shapeText(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Ops that keep the data in order and only change the shape: the output shares the input's data, and the
// gradient is the upstream gradient reshaped back (MyGrad's _PreservesOrder).

type ReshapeLikeId =
  | 'mg.reshape'
  | 'mg.ravel'
  | 'mg.flatten'
  | 'mg.squeeze'
  | 'mg.expandDims'
  | 'mg.atleast1d'
  | 'mg.atleast2d'
  | 'mg.atleast3d';

function reshapeLikeOp<Id extends ReshapeLikeId>(id: Id, name: string) {
  const Op = class extends Operation<{ shape: Shape }> {
    static readonly id: Id = id;
    forward([x]: readonly Tensor[], { shape }: { shape: Shape }): Tensor {
      return share(x!, shape);
    }
    backwardVar(grad: Tensor): Tensor {
      return reshape(grad, this.variables[0]!.shape);
    }
  };
  registerOp(named(Op, name));
  return Op;
}

const Reshape = reshapeLikeOp('mg.reshape', 'Reshape');
const Ravel = reshapeLikeOp('mg.ravel', 'Ravel');
const Flatten = reshapeLikeOp('mg.flatten', 'Flatten');
const Squeeze = reshapeLikeOp('mg.squeeze', 'Squeeze');
const ExpandDims = reshapeLikeOp('mg.expandDims', 'ExpandDims');
const AtLeast1D = reshapeLikeOp('mg.atleast1d', 'AtLeast1D');
const AtLeast2D = reshapeLikeOp('mg.atleast2d', 'AtLeast2D');
const AtLeast3D = reshapeLikeOp('mg.atleast3d', 'AtLeast3D');

/** `newShape` with its one -1 resolved, checked against the size of a tensor of `shape`. */
function resolveShape(shape: Shape, newShape: unknown): number[] {
  const target = intList('reshape', 'the new shape', newShape);
  const unknown = target.filter((d) => d === -1).length;
  if (unknown > 1)
    throw new MgValueError(`reshape: can only specify one unknown dimension (-1), got ${describe(newShape)}`);
  if (target.some((d) => d < -1)) {
    throw new MgValueError(`reshape: negative dimensions are not allowed, got ${describe(newShape)}`);
  }
  const size = sizeOf(shape);
  const known = target.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const fits = unknown === 0 ? known === size : known !== 0 && size % known === 0;
  if (!fits) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${shapeText(shape)} (size ${size}) into shape ${shapeText(target)}`,
    );
  }
  return target.map((d) => (d === -1 ? size / known : d));
}

/**
 * A tensor with a new shape and the same data (C order). One dimension may be -1: it is inferred from the size.
 * The gradient is the upstream gradient reshaped back. mg has no views: the result is a new tensor (sharing the
 * immutable data), with no `.base`.
 * @param a The tensor to reshape.
 * @param newShape The new shape (an integer gives a 1-D result); one entry may be -1.
 * @param options `constant`.
 * @returns The reshaped tensor.
 * @throws ShapeError when the sizes differ; MgValueError for several -1s or other negative sizes; MgTypeError
 *   for a shape that is not integers.
 * @example
 * ```ts
 * reshape(tensor([1, 2, 3, 4, 5, 6]), [3, -1]).toArray(); // [[1, 2], [3, 4], [5, 6]]
 * reshape(tensor([[1, 2], [3, 4]]), 4).shape; // [4]
 * ```
 */
export function reshape(
  a: TensorLike,
  newShape: number | readonly number[],
  options: OpOptions = {},
): Tensor {
  const x = asInput(a);
  const shape = resolveShape(x.shape, newShape);
  return executeOp(Reshape, [x], { attrs: { shape }, constant: options.constant });
}

/**
 * The tensor flattened to 1-D in C order.
 * @param a The tensor to flatten.
 * @param options `constant`.
 * @returns A 1-D tensor of `a.size` elements.
 * @throws Nothing beyond invalid `constant` values.
 * @example
 * ```ts
 * ravel(tensor([[1, 2], [3, 4]])).toArray(); // [1, 2, 3, 4]
 * ```
 */
export function ravel(a: TensorLike, options: OpOptions = {}): Tensor {
  const x = asInput(a);
  return executeOp(Ravel, [x], { attrs: { shape: [x.size] }, constant: options.constant });
}

/**
 * The tensor flattened to 1-D in C order (MyGrad's `Tensor.flatten`; the same result as `ravel`).
 * @param a The tensor to flatten.
 * @param options `constant`.
 * @returns A 1-D tensor of `a.size` elements.
 * @throws Nothing beyond invalid `constant` values.
 * @example
 * ```ts
 * flatten(tensor([[[1], [2]], [[3], [4]]])).toArray(); // [1, 2, 3, 4]
 * ```
 */
export function flatten(a: TensorLike, options: OpOptions = {}): Tensor {
  const x = asInput(a);
  return executeOp(Flatten, [x], { attrs: { shape: [x.size] }, constant: options.constant });
}

/**
 * Removes size-1 axes: all of them by default, or those in `axis`.
 * @param a The tensor.
 * @param options `axis` (an integer or a list; default all size-1 axes) and `constant`.
 * @returns The tensor without those axes.
 * @throws MgValueError when a selected axis does not have size 1; AxisError for an axis out of range;
 *   ShapeError for a repeated axis.
 * @example
 * ```ts
 * const x = tensor([[[1], [2], [3]]]);
 * squeeze(x).shape; // [3]
 * squeeze(x, { axis: 0 }).shape; // [3, 1]
 * ```
 */
export function squeeze(a: TensorLike, options: SqueezeOptions = {}): Tensor {
  const x = asInput(a);
  const { axis } = options;
  let axes: number[];
  if (axis === undefined || axis === null) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  else {
    axes = normalizeAxes('squeeze', axis, x.ndim);
    const bad = axes.find((i) => x.shape[i] !== 1);
    if (bad !== undefined) {
      throw new MgValueError(
        `squeeze: cannot select an axis to squeeze out which has size not equal to one (axis ${bad} of shape ${shapeText(x.shape)})`,
      );
    }
  }
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  return executeOp(Squeeze, [x], { attrs: { shape }, constant: options.constant });
}

/**
 * Inserts size-1 axes, so that they sit at positions `axis` of the result.
 * @param a The tensor.
 * @param axis The position(s) of the new axes in the result (negative counts from the end).
 * @param options `constant`.
 * @returns The tensor with the new axes.
 * @throws AxisError when an axis is out of range for the result; MgValueError for a repeated axis.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * expandDims(x, 0).shape; // [1, 2]
 * expandDims(x, [0, -1]).shape; // [1, 2, 1]
 * ```
 */
export function expandDims(a: TensorLike, axis: number | readonly number[], options: OpOptions = {}): Tensor {
  const x = asInput(a);
  const count = typeof axis === 'number' ? 1 : Array.isArray(axis) ? axis.length : 0;
  const ndim = x.ndim + count;
  const axes = distinctAxes('expandDims', 'axis', axis, ndim);
  const rest = [...x.shape];
  const shape = Array.from({ length: ndim }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
  return executeOp(ExpandDims, [x], { attrs: { shape }, constant: options.constant });
}

// ---------------------------------------------------------------------------------------------------------------
// atleast1d/2d/3d: MyGrad's `atleast_kd(*tensors, constant=None)`.

/** `atleast1d`/`atleast2d`/`atleast3d`: one tensor gives a tensor, several give a list. */
export interface AtLeastFunction {
  (...args: [TensorLike, TensorLike, ...(TensorLike | OpOptions)[]]): Tensor[];
  (x: TensorLike, options?: OpOptions): Tensor;
}

function atleast(k: 1 | 2 | 3, Op: typeof AtLeast1D | typeof AtLeast2D | typeof AtLeast3D, name: string) {
  // NumPy's layouts: 1-D (N) becomes (1, N) or (1, N, 1); 2-D (M, N) becomes (M, N, 1).
  const grow = (shape: Shape): Shape => {
    if (shape.length >= k) return shape;
    if (shape.length === 0) return new Array<number>(k).fill(1);
    if (shape.length === 1) return k === 2 ? [1, shape[0]!] : [1, shape[0]!, 1];
    return [...shape, 1];
  };
  const one = (value: TensorLike, constant: boolean | null | undefined): Tensor => {
    if (
      value instanceof Tensor &&
      value.ndim >= k &&
      (constant === undefined || constant === null || value.constant === constant)
    ) {
      return value;
    }
    const x = asInput(value);
    return executeOp(Op, [x], { attrs: { shape: grow(x.shape) }, constant });
  };
  const fn = (...args: (TensorLike | OpOptions)[]): Tensor | Tensor[] => {
    const [tensors, options] = splitOptions<TensorLike>(args);
    if (tensors.length === 1) return one(tensors[0]!, options.constant);
    return tensors.map((t) => one(t, options.constant));
  };
  return named(fn, name) as AtLeastFunction;
}

/**
 * Tensors with at least one dimension: 0-d becomes shape [1]; others are returned unchanged (the same tensor
 * object, when it is a tensor and `constant` does not ask for a change). One input gives a tensor, several give
 * a list. A trailing plain object is the options (`constant`).
 * @param args The tensors, optionally followed by `{ constant }`.
 * @returns A tensor, or a list of tensors for several inputs.
 * @throws Nothing beyond invalid `constant` values.
 * @example
 * ```ts
 * atleast1d(tensor(3)).shape; // [1]
 * atleast1d(tensor(3), tensor([1, 2])).length; // 2
 * ```
 */
export const atleast1d: AtLeastFunction = atleast(1, AtLeast1D, 'atleast1d');

/**
 * Tensors with at least two dimensions: 0-d becomes [1, 1] and 1-D (N) becomes [1, N]; others are returned
 * unchanged. One input gives a tensor, several give a list; a trailing plain object is the options.
 * @param args The tensors, optionally followed by `{ constant }`.
 * @returns A tensor, or a list of tensors for several inputs.
 * @throws Nothing beyond invalid `constant` values.
 * @example
 * ```ts
 * atleast2d(tensor([1, 2, 3])).toArray(); // [[1, 2, 3]]
 * ```
 */
export const atleast2d: AtLeastFunction = atleast(2, AtLeast2D, 'atleast2d');

/**
 * Tensors with at least three dimensions: 0-d becomes [1, 1, 1], 1-D (N) becomes [1, N, 1] and 2-D (M, N)
 * becomes [M, N, 1]; others are returned unchanged. One input gives a tensor, several give a list; a trailing
 * plain object is the options.
 * @param args The tensors, optionally followed by `{ constant }`.
 * @returns A tensor, or a list of tensors for several inputs.
 * @throws Nothing beyond invalid `constant` values.
 * @example
 * ```ts
 * atleast3d(tensor([1, 2, 3])).shape; // [1, 3, 1]
 * atleast3d(tensor([[1, 2]])).shape; // [1, 2, 1]
 * ```
 */
export const atleast3d: AtLeastFunction = atleast(3, AtLeast3D, 'atleast3d');

// ---------------------------------------------------------------------------------------------------------------
// broadcastTo.

class BroadcastTo extends Operation<{ shape: Shape }> {
  static readonly id = 'mg.broadcastTo';
  forward([x]: readonly Tensor[], { shape }: { shape: Shape }): Tensor {
    if (shapesEqual(x!.shape, shape)) return share(x!, shape);
    return runKernel(shape, x!.dtype, (k, info) => k.broadcastTo(info(x!), { shape, dtype: x!.dtype }));
  }
  backwardVar(grad: Tensor): Tensor {
    // The engine sums a gradient over the axes its input was broadcast along: exactly broadcastTo's gradient.
    return grad;
  }
}
registerOp(BroadcastTo);

/**
 * The tensor broadcast to `shape` (NumPy rules: size-1 and missing leading axes are repeated). The gradient is
 * the upstream gradient summed back over the broadcast axes.
 * @param a The tensor.
 * @param shape The target shape.
 * @param options `constant`.
 * @returns A tensor of `shape`.
 * @throws ShapeError when `a` cannot be broadcast to `shape` or `shape` has negative sizes; MgTypeError for a
 *   shape that is not integers.
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * const y = broadcastTo(x, [3, 2]);
 * y.toArray(); // [[1, 2], [1, 2], [1, 2]]
 * y.backward();
 * x.grad?.toArray(); // [3, 3]
 * ```
 */
export function broadcastTo(
  a: TensorLike,
  shape: number | readonly number[],
  options: OpOptions = {},
): Tensor {
  const x = asInput(a);
  const target = checkShape('broadcastTo', shape);
  const offset = target.length - x.ndim;
  if (offset < 0 || x.shape.some((d, i) => d !== 1 && d !== target[offset + i])) {
    throw new ShapeError(
      `broadcastTo: operands could not be broadcast together with remapped shapes: cannot broadcast a tensor of shape ${shapeText(x.shape)} to the requested shape ${shapeText(target)}`,
    );
  }
  return executeOp(BroadcastTo, [x], { attrs: { shape: target }, constant: options.constant });
}

// ---------------------------------------------------------------------------------------------------------------
// Axis permutations: transpose, moveaxis, swapaxes. The gradient is the inverse permutation of the upstream grad.

type PermutationId = 'mg.transpose' | 'mg.moveaxis' | 'mg.swapaxes';

function permutationOp<Id extends PermutationId>(id: Id, name: string) {
  const Op = class extends Operation<{ perm: readonly number[] }> {
    static readonly id: Id = id;
    forward([x]: readonly Tensor[], { perm }: { perm: readonly number[] }): Tensor {
      if (perm.every((p, i) => p === i)) return share(x!, x!.shape);
      const shape = perm.map((p) => x!.shape[p]!);
      return runKernel(shape, x!.dtype, (k, info) => k.transpose(info(x!), perm, { shape, dtype: x!.dtype }));
    }
    backwardVar(grad: Tensor): Tensor {
      return transpose(grad, inversePermutation(this.attrs.perm));
    }
  };
  registerOp(named(Op, name));
  return Op;
}

const Transpose = permutationOp('mg.transpose', 'Transpose');
const MoveAxis = permutationOp('mg.moveaxis', 'MoveAxis');
const SwapAxes = permutationOp('mg.swapaxes', 'SwapAxes');

/**
 * Permutes the axes: result axis i is input axis `axes[i]`. Without `axes` the axes are reversed.
 * @param a The tensor.
 * @param axes A permutation of the axes (negative values count from the end), or null/omitted to reverse them.
 * @param options `constant`.
 * @returns The transposed tensor.
 * @throws MgValueError when `axes` is not a permutation of every axis (wrong length or repeated); AxisError
 *   for an axis out of range.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * transpose(x).toArray(); // [[1, 4], [2, 5], [3, 6]]
 * transpose(tensor([[[1, 2, 3]]]), [2, 0, 1]).shape; // [3, 1, 1]
 * ```
 */
export function transpose(
  a: TensorLike,
  ...rest: (number | readonly number[] | null | undefined | OpOptions)[]
): Tensor {
  // MyGrad's transpose(a, *axes): axes as separate integers or as one list, then an optional options object.
  const [args, options] = splitOptions<number | readonly number[] | null | undefined>(rest);
  const axes =
    args.length === 1 && typeof args[0] !== 'number' ? args[0] : args.length ? (args as number[]) : null;
  const x = asInput(a);
  let perm: number[];
  if (axes === undefined || axes === null) perm = Array.from({ length: x.ndim }, (_, i) => x.ndim - 1 - i);
  else {
    if (!Array.isArray(axes)) throw new MgTypeError('transpose', 'a list of integers for axes', axes);
    if (axes.length !== x.ndim) {
      throw new MgValueError(
        `transpose: axes don't match array: got ${describe(axes)} for a tensor of dimension ${x.ndim}`,
      );
    }
    perm = distinctAxes('transpose', 'axes', axes, x.ndim);
  }
  return executeOp(Transpose, [x], { attrs: { perm }, constant: options.constant });
}

/**
 * Moves axes to new positions; the other axes keep their order.
 * @param a The tensor.
 * @param source The axis (or axes) to move.
 * @param destination Where each of them goes in the result.
 * @param options `constant`.
 * @returns The tensor with its axes moved.
 * @throws AxisError for an axis out of range; MgValueError for repeated axes or when `source` and
 *   `destination` differ in length.
 * @example
 * ```ts
 * const x = tensor(new Float64Array(24), { shape: [2, 3, 4] });
 * moveaxis(x, 0, -1).shape; // [3, 4, 2]
 * moveaxis(x, [0, 1], [2, 0]).shape; // [3, 4, 2]
 * ```
 */
export function moveaxis(
  a: TensorLike,
  source: number | readonly number[],
  destination: number | readonly number[],
  options: OpOptions = {},
): Tensor {
  const x = asInput(a);
  const from = distinctAxes('moveaxis', '`source`', source, x.ndim);
  const to = distinctAxes('moveaxis', '`destination`', destination, x.ndim);
  if (from.length !== to.length) {
    throw new MgValueError(
      `moveaxis: \`source\` and \`destination\` arguments must have the same number of elements, got ${describe(source)} and ${describe(destination)}`,
    );
  }
  const perm = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => !from.includes(i));
  const moves = from.map((f, i) => [to[i]!, f] as const).sort((p, q) => p[0] - q[0]);
  for (const [dest, src] of moves) perm.splice(dest, 0, src);
  return executeOp(MoveAxis, [x], { attrs: { perm }, constant: options.constant });
}

/**
 * Interchanges two axes.
 * @param a The tensor.
 * @param axis1 One axis.
 * @param axis2 The other axis.
 * @param options `constant`.
 * @returns The tensor with the two axes swapped.
 * @throws AxisError for an axis out of range.
 * @example
 * ```ts
 * swapaxes(tensor([[1, 2, 3]]), 0, 1).toArray(); // [[1], [2], [3]]
 * ```
 */
export function swapaxes(a: TensorLike, axis1: number, axis2: number, options: OpOptions = {}): Tensor {
  const x = asInput(a);
  const i = normalizeAxis('swapaxes', axis1, x.ndim);
  const j = normalizeAxis('swapaxes', axis2, x.ndim);
  const perm = Array.from({ length: x.ndim }, (_, n) => (n === i ? j : n === j ? i : n));
  return executeOp(SwapAxes, [x], { attrs: { perm }, constant: options.constant });
}

// ---------------------------------------------------------------------------------------------------------------
// roll.

class Roll extends Operation<{ axes: readonly number[] | null; shifts: readonly number[] }> {
  static readonly id = 'mg.roll';
  forward(
    [x]: readonly Tensor[],
    { axes, shifts }: { axes: readonly number[] | null; shifts: readonly number[] },
  ): Tensor {
    return rollData(x!, axes, shifts);
  }
  backwardVar(grad: Tensor): Tensor {
    const { axes, shifts } = this.attrs;
    return roll(
      grad,
      shifts.map((s) => -s),
      { axis: axes },
    );
  }
}
registerOp(Roll);

/**
 * Rolls elements along axes: those shifted past the end reappear at the start. Without `axis` the tensor is
 * rolled as if flattened, then given its shape back. `shift` and `axis` pair up (either may be a single value
 * used for all); shifts on a repeated axis add up. The gradient is the upstream gradient rolled back.
 * @param a The tensor.
 * @param shift The number of places to shift by (negative: towards the start).
 * @param options `axis` (default null: flattened) and `constant`.
 * @returns The rolled tensor.
 * @throws AxisError for an axis out of range; ShapeError when `shift` and `axis` are lists of different
 *   lengths (neither of length 1); MgTypeError for non-integer shifts or axes.
 * @example
 * ```ts
 * roll(tensor([1, 2, 3, 4, 5]), 2).toArray(); // [4, 5, 1, 2, 3]
 * roll(tensor([[1, 2, 3], [4, 5, 6]]), -1, { axis: 1 }).toArray(); // [[2, 3, 1], [5, 6, 4]]
 * ```
 */
export function roll(a: TensorLike, shift: number | readonly number[], options: RollOptions = {}): Tensor {
  const x = asInput(a);
  const shifts = intList('roll', 'shift', shift);
  const { axis } = options;
  if (axis === undefined || axis === null) {
    const total = shifts.reduce((n, s) => n + s, 0);
    return executeOp(Roll, [x], { attrs: { axes: null, shifts: [total] }, constant: options.constant });
  }
  const axes = intList('roll', 'axis', axis).map((ax) => normalizeAxis('roll', ax, x.ndim));
  // shift and axis broadcast against each other like NumPy arrays: a scalar or a length-1 list pairs with all.
  const n = broadcastLength(
    typeof shift === 'number' ? null : shifts.length,
    typeof axis === 'number' ? null : axes.length,
  );
  if (n === undefined) {
    throw new ShapeError(
      `roll: shift ${describe(shift)} and axis ${describe(axis)} could not be broadcast together (shape mismatch: objects cannot be broadcast to a single shape)`,
    );
  }
  // Shifts that land on the same axis add up.
  const net = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ax = axes.length === 1 ? axes[0]! : axes[i]!;
    net.set(ax, (net.get(ax) ?? 0) + (shifts.length === 1 ? shifts[0]! : shifts[i]!));
  }
  return executeOp(Roll, [x], {
    attrs: { axes: [...net.keys()], shifts: [...net.values()] },
    constant: options.constant,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// repeat and tile.

class Repeat extends Operation<{ axis: number | null; repeats: readonly number[] }> {
  static readonly id = 'mg.repeat';
  private view: Shape = [];
  private indices: number[] = [];
  forward(
    [x]: readonly Tensor[],
    { axis, repeats }: { axis: number | null; repeats: readonly number[] },
  ): Tensor {
    // Without an axis the data is repeated flat; a 0-d tensor repeats like a 1-D one (NumPy broadcasts it).
    this.view = axis === null ? [x!.size] : x!.ndim === 0 ? [1] : x!.shape;
    this.indices = repeats.flatMap((r, i) => new Array<number>(r).fill(i));
    const ax = axis ?? 0;
    const shape = withAxis(this.view, ax, this.indices.length);
    const index = indexTensor(this.indices);
    const out = runKernel(shape, x!.dtype, (k, info) =>
      k.gather(asShape(info(x!), this.view), info(index), ax, { shape, dtype: x!.dtype }),
    );
    index.dispose();
    return out;
  }
  backwardVar(grad: Tensor): Tensor {
    // Every copy of an element sends its gradient back to that element.
    const x = this.variables[0]!;
    const index = indexTensor(this.indices);
    const out = runKernel(x.shape, grad.dtype, (k, info) =>
      k.scatterAdd(info(grad), info(index), this.attrs.axis ?? 0, { shape: this.view, dtype: grad.dtype }),
    );
    index.dispose();
    return out;
  }
}
registerOp(Repeat);

/**
 * Repeats each element: `repeats` times (an integer), or `repeats[i]` times for element i along the axis.
 * Without `axis` the tensor is flattened first and the result is 1-D. The gradient of an element is the sum
 * of the upstream gradient over its copies.
 * @param a The tensor.
 * @param repeats The number of repetitions: one for all, or one per element along the axis.
 * @param options `axis` (default null: flattened) and `constant`.
 * @returns The tensor with the repeated elements.
 * @throws AxisError for an axis out of range; ShapeError when the `repeats` list does not match the axis
 *   length; MgValueError for negative repeats; MgTypeError for non-integer repeats.
 * @example
 * ```ts
 * repeat(tensor([[1, 2], [3, 4]]), 2).toArray(); // [1, 1, 2, 2, 3, 3, 4, 4]
 * repeat(tensor([[1, 2], [3, 4]]), [1, 2], { axis: 0 }).toArray(); // [[1, 2], [3, 4], [3, 4]]
 * ```
 */
export function repeat(
  a: TensorLike,
  repeats: number | readonly number[],
  options: RepeatOptions = {},
): Tensor {
  const x = asInput(a);
  const counts = intList('repeat', 'repeats', repeats);
  nonNegative('repeat', 'repeats', counts, repeats);
  const { axis } = options;
  const ax = axis === undefined || axis === null ? null : normalizeAxis('repeat', axis, Math.max(1, x.ndim));
  const length = ax === null ? x.size : x.ndim === 0 ? 1 : x.shape[ax]!;
  if (counts.length !== 1 && counts.length !== length) {
    throw new ShapeError(
      `repeat: operands could not be broadcast together: ${counts.length} repeats for an axis of length ${length} (repeats ${describe(repeats)}, tensor of shape ${shapeText(x.shape)})`,
    );
  }
  const perElement = counts.length === 1 ? new Array<number>(length).fill(counts[0]!) : counts;
  return executeOp(Repeat, [x], { attrs: { axis: ax, repeats: perElement }, constant: options.constant });
}

class Tile extends Operation<{ reps: readonly number[] }> {
  static readonly id = 'mg.tile';
  // Tiling is a broadcast in disguise: (s0, s1) read as (1, s0, 1, s1), broadcast to (r0, s0, r1, s1) and read
  // back as (r0*s0, r1*s1). Its gradient sums the r axes of the upstream gradient read the same way.
  private padded: Shape = [];
  forward([x]: readonly Tensor[], { reps }: { reps: readonly number[] }): Tensor {
    this.padded = [...new Array<number>(reps.length - x!.ndim).fill(1), ...x!.shape];
    const inner = this.padded.flatMap((s) => [1, s]);
    const wide = this.padded.flatMap((s, i) => [reps[i]!, s]);
    const shape = this.padded.map((s, i) => s * reps[i]!);
    return runKernel(shape, x!.dtype, (k, info) =>
      k.broadcastTo(asShape(info(x!), inner), { shape: wide, dtype: x!.dtype }),
    );
  }
  backwardVar(grad: Tensor): Tensor {
    const { reps } = this.attrs;
    const wide = this.padded.flatMap((s, i) => [reps[i]!, s]);
    const axes = reps.map((_, i) => 2 * i);
    return runKernel(this.variables[0]!.shape, grad.dtype, (k, info) =>
      k.reduce('sum', asShape(info(grad), wide), axes, { shape: this.padded, dtype: grad.dtype }),
    );
  }
}
registerOp(Tile);

/**
 * Repeats the whole tensor `reps[i]` times along each axis i (NumPy's `tile`; not in MyGrad). When `reps` is
 * shorter than the tensor's rank it is padded with leading 1s; when longer, the tensor gets leading size-1
 * axes. The gradient sums the upstream gradient over the copies.
 * @param a The tensor.
 * @param reps The number of copies along each axis (an integer for the last axis only).
 * @param options `constant`.
 * @returns The tiled tensor.
 * @throws MgValueError for negative reps; MgTypeError for non-integer reps.
 * @example
 * ```ts
 * tile(tensor([1, 2]), 2).toArray(); // [1, 2, 1, 2]
 * tile(tensor([1, 2]), [2, 1]).toArray(); // [[1, 2], [1, 2]]
 * ```
 */
export function tile(a: TensorLike, reps: number | readonly number[], options: OpOptions = {}): Tensor {
  const x = asInput(a);
  const counts = intList('tile', 'reps', reps);
  nonNegative('tile', 'reps', counts, reps);
  const full = [...new Array<number>(Math.max(0, x.ndim - counts.length)).fill(1), ...counts];
  return executeOp(Tile, [x], { attrs: { reps: full }, constant: options.constant });
}

// ---------------------------------------------------------------------------------------------------------------
// concatenate and stack: one concat kernel call; each input's gradient is its slice of the upstream gradient.

type JoinId = 'mg.concatenate' | 'mg.stack';

interface JoinLayout {
  /** The axis the pieces are joined along. */
  readonly axis: number;
  /** Each input's shape as joined (flattened for concatenate without an axis, with the new axis for stack). */
  readonly pieces: readonly Shape[];
  /** The result dtype. */
  readonly dtype: DType;
}

function joinOp<Id extends JoinId>(
  id: Id,
  name: string,
  layout: (xs: readonly Tensor[], attrs: OpAttrs[Id]) => JoinLayout,
) {
  const Op = class extends Operation<OpAttrs[Id]> {
    static readonly id: Id = id;
    private axis = 0;
    private offsets: number[] = [];
    forward(xs: readonly Tensor[], attrs: OpAttrs[Id]): Tensor {
      const { axis, pieces, dtype } = layout(xs, attrs);
      this.axis = axis;
      this.offsets = [0];
      for (const p of pieces) this.offsets.push(this.offsets[this.offsets.length - 1]! + p[axis]!);
      return joinData(xs, pieces, axis, dtype);
    }
    backwardVar(grad: Tensor, index: number): Tensor {
      const x = this.variables[index]!;
      return sliceAlong(grad, grad.shape, this.axis, this.offsets[index]!, this.offsets[index + 1]!, x.shape);
    }
  };
  registerOp(named(Op, name));
  return Op;
}

const Concatenate = joinOp('mg.concatenate', 'Concatenate', (xs, { axis }) => ({
  axis: axis ?? 0,
  pieces: xs.map((x) => (axis === null ? [x.size] : x.shape)),
  // NumPy's concatenate promotes with value-based casting, so 0-d inputs (only allowed with axis null) act as
  // scalars; stack adds an axis first, so its inputs never do.
  dtype: resultType(xs.map((x) => ({ dtype: x.dtype, scalar: x.ndim === 0 }))),
}));

const Stack = joinOp('mg.stack', 'Stack', (xs, { axis }) => ({
  axis,
  pieces: xs.map((x) => {
    const shape = [...x.shape];
    shape.splice(axis, 0, 1);
    return shape;
  }),
  dtype: resultType(xs.map((x) => ({ dtype: x.dtype, scalar: false }))),
}));

function joinInputs(op: string, tensors: readonly TensorLike[]): Tensor[] {
  if (!Array.isArray(tensors)) throw new MgTypeError(op, 'a list of tensors', tensors);
  if (tensors.length === 0)
    throw new MgValueError(`${op}: need at least one array to ${op === 'stack' ? 'stack' : 'concatenate'}`);
  return tensors.map(asInput);
}

/**
 * Joins tensors along an existing axis. With `axis: null` every tensor is flattened first. The result dtype is
 * NumPy's promotion of the inputs' dtypes; each input's gradient is its slice of the upstream gradient.
 * @param tensors The tensors (at least one); they must agree on every axis but `axis`.
 * @param options `axis` (default 0; null flattens) and `constant`.
 * @returns The joined tensor.
 * @throws MgValueError for an empty list, 0-d inputs (with an axis) or inputs of different ranks; ShapeError
 *   when the shapes differ on another axis; AxisError for an axis out of range.
 * @example
 * ```ts
 * const a = tensor([[1, 2]]);
 * const b = tensor([[3, 4], [5, 6]]);
 * concatenate([a, b]).toArray(); // [[1, 2], [3, 4], [5, 6]]
 * concatenate([a, b], { axis: null }).toArray(); // [1, 2, 3, 4, 5, 6]
 * ```
 */
export function concatenate(tensors: readonly TensorLike[], options: ConcatenateOptions = {}): Tensor {
  const xs = joinInputs('concatenate', tensors);
  const { axis = 0 } = options;
  if (axis === null) return executeOp(Concatenate, xs, { attrs: { axis: null }, constant: options.constant });
  const first = xs[0]!;
  if (xs.some((x) => x.ndim === 0))
    throw new MgValueError('concatenate: zero-dimensional arrays cannot be concatenated');
  const ax = normalizeAxis('concatenate', axis, first.ndim);
  xs.forEach((x, i) => {
    if (x.ndim !== first.ndim) {
      throw new MgValueError(
        `concatenate: all the input arrays must have same number of dimensions, but the array at index 0 has ${first.ndim} dimension(s) and the array at index ${i} has ${x.ndim} dimension(s)`,
      );
    }
    const d = x.shape.findIndex((s, j) => j !== ax && s !== first.shape[j]);
    if (d >= 0) {
      throw new ShapeError(
        `concatenate: all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${first.shape[d]} and the array at index ${i} has size ${x.shape[d]} (shapes ${shapeText(first.shape)} and ${shapeText(x.shape)})`,
      );
    }
  });
  return executeOp(Concatenate, xs, { attrs: { axis: ax }, constant: options.constant });
}

/**
 * Joins tensors of one shape along a new axis, at position `axis` of the result. The result dtype is NumPy's
 * promotion of the inputs' dtypes; each input's gradient is its slice of the upstream gradient.
 * @param tensors The tensors (at least one), all of the same shape.
 * @param options `axis` (default 0) and `constant`.
 * @returns The stacked tensor, with one more dimension.
 * @throws MgValueError for an empty list; ShapeError when the shapes differ; AxisError for an axis out of
 *   range for the result.
 * @example
 * ```ts
 * const a = tensor([1, 2]);
 * const b = tensor([3, 4]);
 * stack([a, b]).toArray(); // [[1, 2], [3, 4]]
 * stack([a, b], { axis: 1 }).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly TensorLike[], options: StackOptions = {}): Tensor {
  const xs = joinInputs('stack', tensors);
  const first = xs[0]!;
  const bad = xs.findIndex((x) => !shapesEqual(x.shape, first.shape));
  if (bad >= 0) {
    throw new ShapeError(
      `stack: all input arrays must have the same shape, but the array at index 0 has shape ${shapeText(first.shape)} and the array at index ${bad} has shape ${shapeText(xs[bad]!.shape)}`,
    );
  }
  const ax = normalizeAxis('stack', options.axis ?? 0, first.ndim + 1);
  return executeOp(Stack, xs, { attrs: { axis: ax }, constant: options.constant });
}

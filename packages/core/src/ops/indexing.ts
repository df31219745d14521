// getitem: NumPy's basic and advanced indexing (MyGrad's Tensor.__getitem__) as one op, built from a strided
// slice, a transpose and a gather; the gradient scatter-adds back, so repeated indices accumulate.
import type { TensorInfo } from '../backend.js';
import { asInput, executeOp } from '../engine.js';
import { describe, MgIndexError, MgTypeError, MgValueError, ShapeError } from '../errors.js';
import { Operation } from '../operation.js';
import { registerOp } from '../registry.js';
import { broadcastShapes, type Shape, shapesEqual, sizeOf, stridesOf } from '../shape.js';
import { type NestedArray, Tensor, type TensorLike } from '../tensor.js';
import type { OpOptions } from './define.js';
import { reshapeData, runKernel } from './kernel.js';

/**
 * The normalised plan of one indexing: a strided slice over every input axis (axes taken by integer arrays
 * keep their full range), then, for advanced indexing, a gather of linear positions from the block of the
 * advanced axes, then a relabelling of the data as the output shape (dropping integer-indexed axes and adding
 * the size-1 axes of newaxis).
 */
interface GetItemAttrs {
  /** First element read along each input axis. */
  readonly begin: readonly number[];
  /** Stride along each input axis (negative: backwards). */
  readonly step: readonly number[];
  /** The slice's size along each input axis. */
  readonly sliced: Shape;
  /** Advanced indexing: how the sliced data is gathered from; null for basic indexing. */
  readonly gather: GatherPlan | null;
  /** The output's shape. */
  readonly shape: Shape;
}

/** The advanced-indexing step of a GetItemAttrs plan. */
interface GatherPlan {
  /** The transpose that makes the advanced axes adjacent (null when they already are). */
  readonly perm: readonly number[] | null;
  /** The transposed slice with its advanced axes merged into one, of size the product of theirs. */
  readonly grouped: Shape;
  /** The merged axis in `grouped`. */
  readonly axis: number;
  /** Row-major positions along the merged axis, one per element of the indices' broadcast shape. */
  readonly indices: Int32Array;
}

declare module '../operation.js' {
  interface OpAttrs {
    'mg.getitem': GetItemAttrs;
  }
}

/** A NumPy slice `start:stop:step`; an omitted or null field takes NumPy's default for the step's sign. */
export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

/**
 * One component of an index: an integer (negative counts from the end), `null` (a new size-1 axis), `'...'`
 * (as many full slices as needed), a Slice, a boolean (a 0-d mask), or an integer array (a tensor of int32,
 * an Int32Array, or nested JS arrays of integers) or a bool array (a tensor of bool or nested JS booleans) for
 * advanced indexing.
 */
export type IndexComponent =
  | number
  | boolean
  | null
  | '...'
  | Slice
  | Tensor
  | Int32Array
  | readonly NestedArray[];

/** An index: one component, or an array of components (NumPy's index tuple). */
export type Index = IndexComponent | readonly IndexComponent[];

const OP = 'getitem';

// ---- parsing: index components into entries, then entries into a plan ----

type Entry =
  | { readonly kind: 'int'; readonly value: number }
  | {
      readonly kind: 'slice';
      readonly start: number | null;
      readonly stop: number | null;
      readonly step: number;
    }
  | { readonly kind: 'newaxis' }
  | { readonly kind: 'ellipsis' }
  | { readonly kind: 'array'; readonly shape: Shape; readonly values: ArrayLike<number> }
  | { readonly kind: 'mask'; readonly shape: Shape; readonly values: ArrayLike<number> };

function invalidComponent(component: unknown): MgIndexError {
  return new MgIndexError(
    `${OP}: only integers, slices ({start, stop, step}), ellipsis ('...'), newaxis (null) and integer or ` +
      `boolean arrays are valid indices, received ${describe(component)}`,
  );
}

function sliceField(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new MgTypeError(OP, `slice ${name} to be an integer or null`, value);
  }
  return value;
}

function arrayEntry(t: Tensor, nested: boolean, component: unknown): Entry {
  // A copy: the tensor may be a temporary that is disposed right after.
  const values = t.dataSync().slice();
  if (t.dtype === 'bool') return { kind: 'mask', shape: t.shape, values };
  // JS numbers are all floats: nested arrays of integral numbers (or an empty list, like NumPy's) are integer
  // arrays; float tensors and Float32/64Arrays are not (NumPy's "arrays used as indices must be of integer type").
  const integral =
    t.dtype === 'int32' || (nested && Array.prototype.every.call(values, (v: number) => Number.isInteger(v)));
  if (!integral) {
    throw new MgIndexError(
      `${OP}: arrays used as indices must be of integer (or boolean) type, received ${describe(component)}`,
    );
  }
  // A 0-d integer array is an integer (NumPy), not an advanced index.
  if (t.ndim === 0) return { kind: 'int', value: values[0]! };
  return { kind: 'array', shape: t.shape, values };
}

function parseComponent(component: unknown): Entry {
  if (typeof component === 'number') {
    if (!Number.isInteger(component)) throw invalidComponent(component);
    return { kind: 'int', value: component };
  }
  if (typeof component === 'boolean') return { kind: 'mask', shape: [], values: [component ? 1 : 0] };
  if (component === null) return { kind: 'newaxis' };
  if (component === '...') return { kind: 'ellipsis' };
  if (component instanceof Tensor) return arrayEntry(component, false, component);
  if (Array.isArray(component) || ArrayBuffer.isView(component)) {
    const t = new Tensor(component as TensorLike);
    try {
      return arrayEntry(t, Array.isArray(component), component);
    } finally {
      t.dispose();
    }
  }
  if (typeof component === 'object' && Object.getPrototypeOf(component) === Object.prototype) {
    const keys = Object.keys(component);
    if (keys.some((k) => k !== 'start' && k !== 'stop' && k !== 'step')) throw invalidComponent(component);
    const { start, stop, step } = component as Slice;
    const s = sliceField(step, 'step') ?? 1;
    if (s === 0) throw new MgValueError(`${OP}: slice step cannot be zero`);
    return { kind: 'slice', start: sliceField(start, 'start'), stop: sliceField(stop, 'stop'), step: s };
  }
  throw invalidComponent(component);
}

/** Python's slice.indices: clamps start and stop into the axis and counts the elements taken. */
function resolveSlice(
  start: number | null,
  stop: number | null,
  step: number,
  n: number,
): { begin: number; count: number } {
  const clamp = (v: number | null, fallback: number): number => {
    if (v === null) return fallback;
    if (v < 0) return Math.max(v + n, step < 0 ? -1 : 0);
    return Math.min(v, step < 0 ? n - 1 : n);
  };
  const b = clamp(start, step < 0 ? n - 1 : 0);
  const e = clamp(stop, step < 0 ? -1 : n);
  const count =
    step < 0
      ? e < b
        ? Math.floor((b - e - 1) / -step) + 1
        : 0
      : b < e
        ? Math.floor((e - b - 1) / step) + 1
        : 0;
  // An empty slice reads nothing; begin 0 keeps the kernel's "every index in range" promise trivially true.
  return { begin: count === 0 ? 0 : b, count };
}

function checkedIndex(value: number, axis: number, n: number): number {
  if (value < -n || value >= n) {
    throw new MgIndexError(`${OP}: index ${value} is out of bounds for axis ${axis} with size ${n}`);
  }
  return value < 0 ? value + n : value;
}

/** One item of the expanded index: every input axis is taken by exactly one slice, int or advanced item. */
type Item =
  | {
      readonly kind: 'slice';
      readonly axis: number;
      readonly begin: number;
      readonly step: number;
      readonly count: number;
    }
  | { readonly kind: 'int'; readonly axis: number; readonly index: number }
  | { readonly kind: 'newaxis' }
  | { readonly kind: 'ellipsis' }
  | Advanced;

/**
 * An advanced index: the input axes it takes, its shape, and its coordinates along each axis (those of an
 * integer array are checked and made non-negative only once the broadcast shape is known to be non-empty).
 */
interface Advanced {
  readonly kind: 'advanced';
  readonly axes: readonly number[];
  readonly shape: Shape;
  readonly coords: readonly ArrayLike<number>[];
}

function dimsTaken(entry: Entry): number {
  if (entry.kind === 'int' || entry.kind === 'slice' || entry.kind === 'array') return 1;
  return entry.kind === 'mask' ? entry.shape.length : 0;
}

/** The row-major positions of the true elements of a mask, one coordinate array per mask axis. */
function nonzero(shape: Shape, values: ArrayLike<number>): Int32Array[] {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i]) count++;
  const coords = shape.map(() => new Int32Array(count));
  const strides = stridesOf(shape);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    if (!values[i]) continue;
    let rest = i;
    strides.forEach((s, j) => {
      coords[j]![at] = Math.floor(rest / s);
      rest %= s;
    });
    at++;
  }
  return coords;
}

function expand(shape: Shape, entries: readonly Entry[]): Item[] {
  const ndim = shape.length;
  const items: Item[] = [];
  let axis = 0;
  const full = (): Item => ({ kind: 'slice', axis, begin: 0, step: 1, count: shape[axis++]! });
  const taken = entries.reduce((n, e) => n + dimsTaken(e), 0);
  for (const entry of entries) {
    switch (entry.kind) {
      case 'ellipsis':
        // The ellipsis stays as an item: like any non-advanced component, it separates advanced indices.
        items.push(entry);
        for (let k = taken; k < ndim; k++) items.push(full());
        break;
      case 'newaxis':
        items.push(entry);
        break;
      case 'slice': {
        const { begin, count } = resolveSlice(entry.start, entry.stop, entry.step, shape[axis]!);
        items.push({ kind: 'slice', axis, begin, step: entry.step, count });
        axis++;
        break;
      }
      case 'int':
        items.push({ kind: 'int', axis, index: checkedIndex(entry.value, axis, shape[axis]!) });
        axis++;
        break;
      case 'array': {
        items.push({ kind: 'advanced', axes: [axis], shape: entry.shape, coords: [entry.values] });
        axis++;
        break;
      }
      case 'mask': {
        entry.shape.forEach((d, j) => {
          // NumPy skips the check for a mask axis of size 0 (it marks mask axes by a positive size).
          if (d !== shape[axis + j] && d > 0) {
            throw new MgIndexError(
              `${OP}: boolean index did not match indexed array along dimension ${axis + j}; dimension is ` +
                `${shape[axis + j]} but corresponding boolean dimension is ${d}`,
            );
          }
        });
        const coords = nonzero(entry.shape, entry.values);
        const count = entry.shape.length === 0 ? (entry.values[0] ? 1 : 0) : coords[0]!.length;
        const axes = entry.shape.map((_, j) => axis + j);
        items.push({ kind: 'advanced', axes, shape: [count], coords });
        axis += entry.shape.length;
        break;
      }
    }
  }
  while (axis < ndim) items.push(full());
  return items;
}

/** For each element of `target`, the row-major position of the element of `source` broadcast onto it. */
function broadcastMap(source: Shape, target: Shape): Int32Array {
  const size = sizeOf(target);
  if (shapesEqual(source, target)) return Int32Array.from({ length: size }, (_, i) => i);
  const offset = target.length - source.length;
  const strides = stridesOf(source);
  const step = target.map((_, i) => (i < offset || source[i - offset] === 1 ? 0 : strides[i - offset]!));
  const out = new Int32Array(size);
  const counter = new Array<number>(target.length).fill(0);
  let position = 0;
  for (let i = 0; i < size; i++) {
    out[i] = position;
    for (let a = target.length - 1; a >= 0; a--) {
      position += step[a]!;
      if (++counter[a]! < target[a]!) break;
      position -= step[a]! * target[a]!;
      counter[a] = 0;
    }
  }
  return out;
}

function broadcastIndexShapes(shapes: readonly Shape[]): number[] {
  try {
    return broadcastShapes(OP, ...shapes);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    const list = shapes.map((s) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`).join(' ');
    throw new MgIndexError(
      `${OP}: shape mismatch: indexing arrays could not be broadcast together with shapes ${list}`,
    );
  }
}

/** The gather step of advanced indexing, and the output shape. */
function planAdvanced(
  shape: Shape,
  items: readonly Item[],
  sliced: Shape,
): { gather: GatherPlan; shape: number[] } {
  const advanced = items.filter((i): i is Advanced => i.kind === 'advanced');
  const broadcast = broadcastIndexShapes(advanced.map((a) => a.shape));
  const first = items.findIndex((i) => i.kind === 'advanced');
  let last = items.length - 1;
  while (items[last]!.kind !== 'advanced') last--;
  // NumPy's rule: advanced indices next to each other put their dimensions where they stand; separated by
  // anything else (slice, newaxis, ellipsis), their dimensions go first.
  const adjacent = items.slice(first, last + 1).every((i) => i.kind === 'advanced');
  const sliceAxes = items.flatMap((i) => (i.kind === 'slice' ? [i.axis] : []));
  const before = adjacent ? items.slice(0, first).filter((i) => i.kind === 'slice').length : 0;
  const advancedAxes = advanced.flatMap((a) => a.axes);
  const perm = [...sliceAxes.slice(0, before), ...advancedAxes, ...sliceAxes.slice(before)];
  const block = advancedAxes.map((a) => shape[a]!);
  const blockStrides = stridesOf(block);
  const strideOf = new Map(advancedAxes.map((a, j) => [a, blockStrides[j]!]));
  const indices = new Int32Array(sizeOf(broadcast));
  // Like NumPy, index arrays are only bounds-checked when they select something.
  for (const item of indices.length > 0 ? advanced : []) {
    const offsets = new Int32Array(sizeOf(item.shape));
    item.axes.forEach((a, j) => {
      const stride = strideOf.get(a)!;
      const coords = item.coords[j]!;
      for (let i = 0; i < offsets.length; i++) offsets[i]! += checkedIndex(coords[i]!, a, shape[a]!) * stride;
    });
    const map = broadcastMap(item.shape, broadcast);
    for (let i = 0; i < indices.length; i++) indices[i]! += offsets[map[i]!]!;
  }
  const grouped = [
    ...sliceAxes.slice(0, before).map((a) => sliced[a]!),
    sizeOf(block),
    ...sliceAxes.slice(before).map((a) => sliced[a]!),
  ];
  const out: number[] = adjacent ? [] : [...broadcast];
  for (const item of items) {
    if (item.kind === 'slice') out.push(item.count);
    else if (item.kind === 'newaxis') out.push(1);
    else if (item === items[first] && adjacent) out.push(...broadcast);
  }
  return {
    gather: { perm: perm.every((p, i) => p === i) ? null : perm, grouped, axis: before, indices },
    shape: out,
  };
}

/** Normalises `index` for a tensor of `shape` into a plan, or throws NumPy's IndexError (or Type/ValueError). */
function planIndex(shape: Shape, index: unknown): GetItemAttrs {
  const entries = (Array.isArray(index) ? index : [index]).map(parseComponent);
  if (entries.filter((e) => e.kind === 'ellipsis').length > 1) {
    throw new MgIndexError(`${OP}: an index can only have a single ellipsis ('...')`);
  }
  const taken = entries.reduce((n, e) => n + dimsTaken(e), 0);
  if (taken > shape.length) {
    throw new MgIndexError(
      `${OP}: too many indices for array: array is ${shape.length}-dimensional, but ${taken} were indexed`,
    );
  }
  let items = expand(shape, entries);
  const isAdvanced = items.some((i) => i.kind === 'advanced');
  // With advanced indices present, integers are advanced indices too (0-d arrays), as in NumPy.
  if (isAdvanced) {
    items = items.map((i) =>
      i.kind === 'int'
        ? { kind: 'advanced', axes: [i.axis], shape: [], coords: [Int32Array.of(i.index)] }
        : i,
    );
  }
  const begin = new Array<number>(shape.length).fill(0);
  const step = new Array<number>(shape.length).fill(1);
  const sliced = [...shape];
  for (const item of items) {
    if (item.kind === 'slice') {
      begin[item.axis] = item.begin;
      step[item.axis] = item.step;
      sliced[item.axis] = item.count;
    } else if (item.kind === 'int') {
      begin[item.axis] = item.index;
      sliced[item.axis] = 1;
    }
  }
  if (isAdvanced) return { begin, step, sliced, ...planAdvanced(shape, items, sliced) };
  const out: number[] = [];
  for (const item of items) {
    if (item.kind === 'slice') out.push(item.count);
    else if (item.kind === 'newaxis') out.push(1);
  }
  return { begin, step, sliced, gather: null, shape: out };
}

// ---- the op ----

function isFullSlice(shape: Shape, { begin, step, sliced }: GetItemAttrs): boolean {
  return shape.every((d, a) => begin[a] === 0 && step[a] === 1 && sliced[a] === d);
}

/** A kernel's view of data under another shape of the same size and layout (no copy). */
function asShape(info: TensorInfo, shape: Shape): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

function indexTensor(indices: Int32Array): Tensor {
  return new Tensor(indices, { shape: [indices.length] });
}

function inverse(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    out[p] = i;
  });
  return out;
}

/** The shape of the gathered data before it is relabelled as the output: the merged axis holds one entry per index. */
function gatheredShape({ grouped, axis, indices }: GatherPlan): number[] {
  return [...grouped.slice(0, axis), indices.length, ...grouped.slice(axis + 1)];
}

class GetItem extends Operation<GetItemAttrs> {
  static readonly id = 'mg.getitem';

  forward([x]: readonly Tensor[], attrs: GetItemAttrs): Tensor {
    const { begin, step, sliced, gather, shape } = attrs;
    const source = x!;
    const { dtype } = source;
    if (!gather) {
      if (isFullSlice(source.shape, attrs)) return reshapeData(source, shape);
      // Dropping integer-indexed axes and adding newaxis ones keeps the sliced data's layout: label it directly.
      return runKernel(shape, dtype, (k, info) =>
        k.slice(info(source), begin, step, { shape: sliced, dtype }),
      );
    }
    const made: Tensor[] = [];
    let current = source;
    if (!isFullSlice(source.shape, attrs)) {
      current = runKernel(sliced, dtype, (k, info) =>
        k.slice(info(source), begin, step, { shape: sliced, dtype }),
      );
      made.push(current);
    }
    const { perm, grouped, axis, indices } = gather;
    if (perm) {
      const from = current;
      const permuted = perm.map((p) => sliced[p]!);
      current = runKernel(permuted, dtype, (k, info) =>
        k.transpose(info(from), perm, { shape: permuted, dtype }),
      );
      made.push(current);
    }
    const idx = indexTensor(indices);
    const from = current;
    const out = runKernel(shape, dtype, (k, info) =>
      k.gather(asShape(info(from), grouped), info(idx), axis, { shape: gatheredShape(gather), dtype }),
    );
    idx.dispose();
    for (const t of made) t.dispose();
    return out;
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    const { begin, step, sliced, gather } = this.attrs;
    const { dtype } = grad;
    const made: Tensor[] = [];
    // `current` holds data laid out as `layout` (its own label may differ: only the layout matters here).
    let current = grad;
    let layout: Shape = sliced;
    if (gather) {
      const { perm, grouped, axis, indices } = gather;
      const idx = indexTensor(indices);
      const from = current;
      const permuted = perm ? perm.map((p) => sliced[p]!) : sliced;
      current = runKernel(permuted, dtype, (k, info) =>
        k.scatterAdd(asShape(info(from), gatheredShape(gather)), info(idx), axis, { shape: grouped, dtype }),
      );
      idx.dispose();
      made.push(current);
      if (perm) {
        const src = current;
        current = runKernel(sliced, dtype, (k, info) =>
          k.transpose(info(src), inverse(perm), { shape: sliced, dtype }),
        );
        made.push(current);
      }
    }
    // The adjoint of the strided slice: scatter-add along each axis it narrowed, one axis at a time.
    for (let a = 0; a < x.ndim; a++) {
      const n = x.shape[a]!;
      if (begin[a] === 0 && step[a] === 1 && sliced[a] === n) continue;
      const idx = indexTensor(Int32Array.from({ length: sliced[a]! }, (_, j) => begin[a]! + j * step[a]!));
      const from = current;
      const fromLayout = layout;
      layout = fromLayout.map((d, i) => (i === a ? n : d));
      const target = layout;
      current = runKernel(target, dtype, (k, info) =>
        k.scatterAdd(asShape(info(from), fromLayout), info(idx), a, { shape: target, dtype }),
      );
      idx.dispose();
      made.push(current);
    }
    for (const t of made) if (t !== current) t.dispose();
    // A full slice without advanced indices (x[...], x[null]) only relabels: give the grad x's shape.
    return current === grad ? reshapeData(grad, x.shape) : current;
  }
}
registerOp(GetItem);

/**
 * `x[index]` with NumPy's indexing semantics (MyGrad's `Tensor.__getitem__`): basic indexing by integers,
 * slices, newaxis and ellipsis, and advanced indexing by integer arrays (broadcast together) and bool masks.
 * The gradient scatter-adds the upstream gradient back into x's shape, so repeated indices accumulate.
 * @param x The tensor to index.
 * @param index One component or an array of components (NumPy's index tuple): integers (negative count from
 *   the end), `{ start, stop, step }` slices, `null` (newaxis), `'...'` (ellipsis), integer arrays (int32
 *   tensors, Int32Arrays or nested JS integer arrays) and bool masks (bool tensors or nested JS booleans). A
 *   top-level JS array is always the tuple: write `[[0, 2]]` for NumPy's `x[[0, 2]]`.
 * @param options `constant`.
 * @returns The selected elements: a new tensor (0-d when every axis is taken by an integer).
 * @throws MgIndexError for an index out of range, too many indices, a float index, a bool mask whose shape does
 *   not match, index arrays that do not broadcast together, or two ellipses; MgValueError for a slice step of
 *   0; MgTypeError for a slice bound that is not an integer.
 * @example
 * ```ts
 * const x = tensor([[0, 1, 2], [3, 4, 5]]);
 * getitem(x, 1).toArray(); // [3, 4, 5]
 * getitem(x, [-1, { step: -1 }]).toArray(); // [5, 4, 3]
 * getitem(x, [null, '...', 0]).toArray(); // [[0, 3]]
 * getitem(x, [[1, 0], [2, 2]]).toArray(); // [5, 2]
 * getitem(x, [[[true, false, true], [false, false, true]]]).toArray(); // [0, 2, 5]
 * const v = tensor([1, 2, 3]);
 * getitem(v, [[0, 0, 2]]).backward();
 * v.grad?.toArray(); // [2, 0, 1]
 * ```
 */
export function getitem(x: TensorLike, index: Index, options: OpOptions = {}): Tensor {
  const t = asInput(x);
  const attrs = planIndex(t.shape, index);
  return executeOp(GetItem, [t], { attrs, constant: options.constant });
}

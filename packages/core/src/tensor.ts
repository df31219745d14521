// Tensor: data handle + shape + dtype, and the autodiff fields MyGrad gives it (grad, constant, creator).
import type { Backend, DataId, TensorInfo } from './backend.js';
import {
  allocate,
  type DType,
  dtypeOfTypedArray,
  isFloat,
  parseDType,
  type TypedArray,
  toTypedArray,
} from './dtype.js';
import { backward, clearGraph } from './engine.js';
import {
  ConstantIntegerError,
  DisposedTensorError,
  describe,
  MgTypeError,
  MgValueError,
  ShapeError,
} from './errors.js';
import type { Operation } from './operation.js';
import { getBackend } from './registry.js';
import { type Shape, sizeOf } from './shape.js';
import { tensorMethods } from './tensor-methods.js';

/** Nested JS arrays of numbers or booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** Anything mg accepts where MyGrad accepts an array-like: tensors, numbers, booleans, nested arrays, TypedArrays. */
export type TensorLike =
  | Tensor
  | NestedArray
  | TypedArray
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint8ClampedArray;

/** Options of `tensor()` and the Tensor constructor. */
export interface TensorOptions {
  /** The dtype; inferred from the data when omitted (JS numbers are float64, booleans bool). */
  dtype?: DType | string;
  /** Whether the tensor is a constant (gets no gradient). Default: not a float dtype. */
  constant?: boolean | null;
  /** The minimum number of dimensions (leading 1s are prepended). */
  ndmin?: number;
  /** The shape of flat data (a TypedArray or flat list); its size must match. */
  shape?: Shape;
}

/** @internal Shared, reference-counted data: reshape-like ops share it instead of copying. */
export class Storage {
  refs = 1;
  constructor(
    public backend: Backend,
    public dataId: DataId | null,
  ) {}
}

/**
 * @internal Who holds a tensor, for `tidy`: a scope disposes at its end the tensors whose `_scope` it still is.
 * A disposed tensor's `_scope` says how it was disposed (`label`), for DisposedTensorError's message.
 */
export class Scope {
  tensors: Tensor[] = [];
  constructor(
    /** How the tensors this scope disposes were disposed, e.g. `at the end of tidy("step")`. */
    readonly label: string,
    readonly parent: Scope | null,
  ) {}
}

/** @internal `_scope` of a gradient the engine assigned: it lives exactly as long as it is its tensor's grad. */
export const OWNED_GRAD = new Scope('with the tensor it was the gradient of', null);
const BY_DISPOSE = new Scope('by dispose()', null);
const GRAD_RELEASED = new Scope(
  "when it stopped being its tensor's gradient (a new backward(), nullGrad(), or a new op on that tensor " +
    'replaced it; keep() a gradient to hold it longer)',
  null,
);

let activeScope: Scope | null = null;
let liveTensors = 0;

/** @internal The innermost active scope (null outside every `tidy`). */
export function currentScope(): Scope | null {
  return activeScope;
}

/** @internal Makes `scope` the active one (tidy and backward open and close scopes with it). */
export function enterScope(scope: Scope | null): void {
  activeScope = scope;
}

/** @internal Disposes every tensor `scope` still holds; the scope is over. */
export function disposeScope(scope: Scope): void {
  const { tensors } = scope;
  scope.tensors = [];
  for (const t of tensors) if (t._scope === scope) t._dispose(scope);
}

/** @internal Moves `t` from the scope that holds it to `to` (null: no scope). */
export function moveToScope(t: Tensor, to: Scope | null): void {
  t._scope = to;
  if (to !== null) to.tensors.push(t);
}

/**
 * @internal Calls `visit` for every tensor `value` holds: `value` itself, or the tensors inside it, searched
 * through arrays, plain objects and Maps (each container once), and through the other objects `children`
 * opens (e.g. an Operation's properties). What `tidy` hands over and what an op saves are found this way.
 */
export function forEachHeldTensor(
  value: unknown,
  visit: (t: Tensor) => void,
  children?: (item: object) => readonly unknown[] | undefined,
): void {
  if (value instanceof Tensor) {
    visit(value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const seen = new Set<object>();
  const stack: object[] = [value];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item instanceof Tensor) {
      visit(item);
      continue;
    }
    if (seen.has(item)) continue;
    seen.add(item);
    const proto = Object.getPrototypeOf(item);
    const inner = Array.isArray(item)
      ? item
      : proto === Object.prototype || proto === null
        ? Object.values(item)
        : item instanceof Map
          ? [...item.values()]
          : (children?.(item) ?? []);
    for (const child of inner) if (typeof child === 'object' && child !== null) stack.push(child);
  }
}

/** @internal The number of tensors made and not yet disposed or finalized (see `memory()`). */
export function liveTensorCount(): number {
  return liveTensors;
}

/** @internal Drops `t.grad`, disposing it when `t` owned it (an engine-made grad that was not kept). */
export function releaseGrad(t: Tensor): void {
  const grad = t.grad;
  if (grad === null) return;
  t.grad = null;
  if (grad._scope === OWNED_GRAD) grad._dispose(GRAD_RELEASED);
}

/** @internal DisposedTensorError for a use of `t` (`context`: who used it), saying how `t` was disposed. */
export function disposedError(t: Tensor, context: string, advice = 'its data is gone'): DisposedTensorError {
  const how = t._scope?.label ?? BY_DISPOSE.label;
  return new DisposedTensorError(`${context}: ${describe(t)} was disposed ${how}; ${advice}`);
}

let pendingStorage: Storage | null = null;
let pendingShape: Shape = [];
let pendingDtype: DType = 'float64';

/** @internal Wraps backend data as a constant, graph-free tensor (used by kernels and ops). */
export function wrapData(storage: Storage, shape: Shape, dtype: DType): Tensor {
  pendingStorage = storage;
  pendingShape = shape;
  pendingDtype = dtype;
  return new Tensor(0);
}

/**
 * Wraps a DataId that `backend` (default: the active one) just produced as a tensor. For fused kernels of
 * plugins, which compute data with a backend directly. The tensor takes ownership of the data: disposing it
 * disposes the DataId.
 *
 * @param dataId - Data that `backend` holds, of `sizeOf(shape)` elements of `dtype`.
 * @param shape - The tensor's shape.
 * @param dtype - The data's dtype.
 * @param backend - The backend that holds `dataId`.
 * @returns A constant tensor with no creator.
 *
 * @example
 * ```ts
 * const backend = getBackend();
 * const dataId = backend.write(new Int32Array([1, 2, 3, 4]), [2, 2], 'int32');
 * const t = makeTensor(dataId, [2, 2], 'int32');
 * t.toArray(); // [[1, 2], [3, 4]]
 * t.constant; // true
 * ```
 */
export function makeTensor(
  dataId: DataId,
  shape: Shape,
  dtype: DType,
  backend: Backend = getBackend(),
): Tensor {
  return wrapData(new Storage(backend, dataId), shape, dtype);
}

let clock = 0;
/** @internal A monotonic counter ordering op creation and graph clearing. */
export function tick(): number {
  return ++clock;
}

/**
 * A multi-dimensional array that records the operations applied to it, so `backward()` can compute
 * gradients, with MyGrad's semantics.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3]);
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad?.toArray(); // [2, 4, 6]
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the methods of tensor-methods.ts are installed on the prototype
export class Tensor {
  /** The size of each dimension. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  /** The number of elements. */
  readonly size: number;
  /** True when this tensor never receives a gradient. */
  constant: boolean;
  /**
   * ∂ℒ/∂this from the last `backward()`, a constant tensor of this shape and dtype; null before or after reset.
   * This tensor owns it: it is disposed when replaced or nulled, or with this tensor, unless `keep()` was
   * called on it.
   */
  grad: Tensor | null = null;
  /** The operation that produced this tensor, or null for leaves and after the graph was cleared. */
  creator: Operation | null = null;
  /** @internal */
  _storage: Storage | null;
  /** @internal When this tensor's creator was cleared (0: never). */
  _clearedAt = 0;
  /** @internal When this tensor's creator was made. */
  _createdAt = 0;
  /** @internal The tidy scope that will dispose this tensor, OWNED_GRAD, or null; once disposed: how it was. */
  _scope: Scope | null;
  /** @internal Whether the safety net (FinalizationRegistry) holds this tensor. */
  _registered = false;

  /**
   * Makes a tensor from array-like data (a copy), as MyGrad's `Tensor(x)`.
   * @throws MgTypeError for non-numeric data or a non-boolean `constant`; ShapeError for ragged nested arrays;
   *   ConstantIntegerError for `constant: false` on integer or bool data.
   */
  constructor(data: TensorLike, options: TensorOptions = {}) {
    if (pendingStorage) {
      this._storage = pendingStorage;
      track(this, pendingStorage);
      this.shape = pendingShape;
      this.dtype = pendingDtype;
      this.size = sizeOf(pendingShape);
      this.constant = true;
      pendingStorage = null;
    } else {
      const { values, shape, dtype } = parseTensorData(data, options);
      this.shape = shape;
      this.dtype = dtype;
      this.size = values.length;
      // As MyGrad: a new tensor's default constant-ness comes from its dtype alone, even when copying a tensor.
      this.constant = resolveConstant('tensor', options.constant, dtype, undefined);
      const backend = getBackend();
      this._storage = new Storage(backend, backend.write(values, shape, dtype));
      track(this, this._storage);
    }
    // The one hook of tidy(): outside every scope it costs a comparison.
    const scope = activeScope;
    this._scope = scope;
    if (scope !== null) scope.tensors.push(this);
    liveTensors++;
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** @internal This tensor's data on `backend`, moved there (once) if it lives on another backend. */
  _info(backend: Backend = getBackend()): TensorInfo {
    const storage = this._storage;
    if (!storage || storage.dataId === null) throw disposedError(this, 'using a tensor');
    if (storage.backend !== backend) {
      const values = storage.backend.readSync(storage.dataId);
      if (this._registered) collected.unregister(this);
      this._registered = false;
      releaseStorage(storage);
      this._storage = new Storage(backend, backend.write(values, this.shape, this.dtype));
      track(this, this._storage);
    }
    return { dataId: this._storage!.dataId!, shape: this.shape, dtype: this.dtype };
  }

  /** The data as a TypedArray (Float64Array, Float32Array, Int32Array, or Uint8Array for bool). Do not mutate it. */
  dataSync(): TypedArray {
    const storage = this._storage;
    if (!storage || storage.dataId === null) throw disposedError(this, 'reading a tensor');
    return storage.backend.readSync(storage.dataId);
  }

  /** The data as a TypedArray; same as `dataSync()`. */
  get data(): TypedArray {
    return this.dataSync();
  }

  /** The data as nested JS arrays (a plain number or boolean for a 0-d tensor). */
  toArray(): NestedArray {
    const values = this.dataSync();
    const bool = this.dtype === 'bool';
    const read = (i: number): number | boolean => (bool ? values[i] !== 0 : values[i]!);
    if (this.shape.length === 0) return read(0);
    let offset = 0;
    const build = (axis: number): NestedArray[] => {
      const n = this.shape[axis]!;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = axis === this.shape.length - 1 ? read(offset++) : build(axis + 1);
      return out;
    };
    return build(0);
  }

  /**
   * The single element as a JS number (or boolean).
   * @throws MgValueError when the tensor has more than one element.
   */
  item(): number | boolean {
    if (this.size !== 1) {
      throw new MgValueError(
        `item: can only convert a tensor of size 1 to a scalar, got shape [${this.shape.join(', ')}]`,
      );
    }
    const value = this.dataSync()[0]!;
    return this.dtype === 'bool' ? value !== 0 : value;
  }

  /**
   * Back-propagates from this tensor: sets `.grad` on it and every non-constant tensor it depends on, then
   * clears the graph. On a non-scalar tensor it acts like `sum().backward()`; `grad` must broadcast to this
   * shape. A new backward replaces earlier grads. Each tensor owns the grad it gets (see `keep`); the
   * temporaries of back-propagation are disposed before it returns.
   * @throws DisposedTensorError when this tensor or a tensor of its graph was disposed.
   */
  backward(grad?: TensorLike | null): void {
    backward(this, grad ?? null);
  }

  /** Sets `grad` to null, disposing the old grad unless it was kept (see `keep`); returns this tensor. */
  nullGrad(): this {
    releaseGrad(this);
    return this;
  }

  /** Removes this tensor's graph: creators of it and everything upstream become null. */
  clearGraph(): void {
    clearGraph(this);
  }

  /**
   * Releases the data now (wasm memory is not seen by the GC), and the grad this tensor owns (see `keep`).
   * The tensor cannot be used afterwards. Tensors sharing data (reshapes) keep it until they are disposed
   * too. Disposing twice is a no-op.
   */
  dispose(): void {
    this._dispose(BY_DISPOSE);
  }

  /** @internal Disposes, recording `how` for the error a later use throws. */
  _dispose(how: Scope): void {
    const storage = this._storage;
    if (!storage) return;
    this._storage = null;
    this._scope = how;
    liveTensors--;
    if (this._registered) collected.unregister(this);
    releaseStorage(storage);
    const grad = this.grad;
    if (grad !== null && grad._scope === OWNED_GRAD) grad._dispose(OWNED_GRAD);
  }

  /** Disposes at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** True once `dispose()` ran. */
  get isDisposed(): boolean {
    return this._storage === null;
  }

  toString(): string {
    return `Tensor(${JSON.stringify(this.toArray())}${this.dtype === 'float64' ? '' : `, dtype=${this.dtype}`})`;
  }
}

/**
 * The safety net, not the mechanism: when a tensor that was never disposed is garbage-collected, its share of
 * the data is released (wasm memory is invisible to the GC). Explicit `dispose()`/`tidy` free memory at once.
 */
const collected = new FinalizationRegistry<Storage>((storage) => {
  liveTensors--;
  releaseStorage(storage);
});

/**
 * Tensors of non-GC backends made since the last flush, not yet registered with the safety net. A registration
 * costs ~0.5 µs in V8 (a third of a whole small op with its backward on wasm, plus the garbage collector's work
 * on the registry's cells), and most tensors are disposed soon after they are made (an op's intermediates,
 * backward's temporaries, a tidy's contents): those never need it. So tensors are registered in batches, at the
 * end of the current task (a microtask) or every 1024, and only if still alive then. A tensor dropped before
 * that stays reachable through this list until the flush, then is registered: the net still catches it.
 */
let pending: Tensor[] = [];
let flushQueued = false;
const PENDING_LIMIT = 1024;

function flushPending(): void {
  flushQueued = false;
  const batch = pending;
  pending = [];
  for (const t of batch) {
    const storage = t._storage;
    if (storage !== null && !t._registered) {
      collected.register(t, storage, t);
      t._registered = true;
    }
  }
}

/** Puts the tensor under the safety net (soon, see `pending`), unless its backend's memory is garbage-collected. */
function track(tensor: Tensor, storage: Storage): void {
  if (storage.backend.garbageCollected) return;
  pending.push(tensor);
  if (pending.length >= PENDING_LIMIT) flushPending();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushPending);
  }
}

function releaseStorage(storage: Storage): void {
  if (--storage.refs === 0 && storage.dataId !== null) {
    storage.backend.dispose(storage.dataId);
    storage.dataId = null;
  }
}

// The chainable methods (x.add(y).sum()) live in tensor-methods.ts, typed by interface merging.
export interface Tensor extends TensorMethodsType {
  /** The transpose (axes reversed), as a new tensor (see `transpose`). */
  readonly T: Tensor;
}
type TensorMethodsType = typeof tensorMethods;
for (const [name, fn] of Object.entries(tensorMethods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return this.transpose();
  },
  configurable: true,
});

/** @internal The `constant` flag MyGrad gives a new tensor: explicit wins; ints and bools are always constant. */
export function resolveConstant(
  op: string,
  constant: unknown,
  dtype: DType,
  inferred: boolean | undefined,
): boolean {
  if (constant !== undefined && constant !== null && typeof constant !== 'boolean') {
    throw new MgTypeError(op, '`constant` to be a boolean value', constant);
  }
  if (constant === false && !isFloat(dtype)) throw new ConstantIntegerError(op, dtype);
  if (typeof constant === 'boolean') return constant;
  return inferred ?? !isFloat(dtype);
}

function parseTensorData(
  data: TensorLike,
  options: TensorOptions,
): { values: TypedArray; shape: number[]; dtype: DType } {
  let values: TypedArray;
  let shape: number[];
  let dtype: DType;
  if (data instanceof Tensor) {
    values = data.dataSync();
    shape = [...data.shape];
    dtype = data.dtype;
  } else if (ArrayBuffer.isView(data)) {
    const own = dtypeOfTypedArray(data);
    // A user's Uint8Array holds bytes, not booleans: only our own storage uses it for bool.
    dtype = own && !(data instanceof Uint8Array) ? own : data instanceof Uint32Array ? 'float64' : 'int32';
    values = own === dtype ? (data as TypedArray) : toTypedArray(data as unknown as ArrayLike<number>, dtype);
    shape = [values.length];
  } else {
    const flat: (number | boolean)[] = [];
    shape = [];
    const kinds = { number: false, boolean: false, leafDepth: -1 };
    flattenNested(data, 0, shape, flat, kinds);
    dtype = kinds.number || !kinds.boolean ? 'float64' : 'bool';
    values = toTypedArray(flat, dtype);
  }
  if (options.shape) {
    if (sizeOf(options.shape) !== values.length) {
      throw new ShapeError(
        `tensor: cannot reshape data of size ${values.length} into shape [${options.shape.join(', ')}]`,
      );
    }
    shape = [...options.shape];
  }
  if (options.dtype !== undefined && options.dtype !== null) {
    const wanted = parseDType(options.dtype, 'tensor');
    if (wanted !== dtype) {
      values = toTypedArray(values, wanted);
      dtype = wanted;
    }
  }
  const ndmin = options.ndmin ?? 0;
  while (shape.length < ndmin) shape.unshift(1);
  if (values.length === 0 && sizeOf(shape) !== 0) values = allocate(dtype, 0);
  return { values, shape, dtype };
}

function flattenNested(
  data: unknown,
  depth: number,
  shape: number[],
  flat: (number | boolean)[],
  kinds: { number: boolean; boolean: boolean; leafDepth: number },
): void {
  if (Array.isArray(data)) {
    if (kinds.leafDepth >= 0 && depth >= kinds.leafDepth) raggedError(shape);
    if (shape.length === depth) shape.push(data.length);
    else if (shape[depth] !== data.length) raggedError(shape);
    for (const item of data) flattenNested(item, depth + 1, shape, flat, kinds);
    return;
  }
  if (kinds.leafDepth < 0) kinds.leafDepth = depth;
  if (depth !== kinds.leafDepth || depth < shape.length) raggedError(shape);
  if (typeof data === 'number') kinds.number = true;
  else if (typeof data === 'boolean') kinds.boolean = true;
  else if (data instanceof Tensor && data.size === 1 && data.ndim === 0) {
    flat.push(data.item());
    kinds.number ||= data.dtype !== 'bool';
    return;
  } else {
    throw new MgTypeError(
      'tensor',
      'Tensor data of a floating type, integer type, or boolean type',
      typeof data === 'string' ? `a string ${JSON.stringify(data)}` : data,
    );
  }
  flat.push(data);
}

function raggedError(shape: number[]): never {
  throw new ShapeError(
    `tensor: setting an array element with a sequence: the nested arrays are ragged (inhomogeneous after ${shape.length} dimensions)`,
  );
}

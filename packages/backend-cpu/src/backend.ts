// The cpu backend: TypedArray storage with memory accounting, and the kernel table wired to the kernel families.
import {
  allocate,
  type Backend,
  type DataId,
  DisposedTensorError,
  type DType,
  dtypeOfTypedArray,
  MgTypeError,
  type PrimitiveKernels,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type TypedArrayFor,
} from '@mg/core';
import { binary, broadcastTo, cast, unary, where } from './kernels/elementwise.js';
import { concat, fill, gather, pad, scatterAdd, slice, transpose } from './kernels/layout.js';
import { matmul } from './kernels/matmul.js';
import { argReduce, cumulative, reduce } from './kernels/reduce.js';
import type { CpuTensor } from './kernels/types.js';

// What a disposed handle points at: dropping the real array lets it be collected while the handle lives on.
const DISPOSED = new Float64Array(0);

/**
 * The cpu backend's DataId: the tensor's values, stored as its dtype's TypedArray.
 * @example
 * ```ts
 * const id = cpu().write(new Float32Array([1, 2]), [2], 'float32');
 * id instanceof CpuData; // true
 * Array.from((id as CpuData).values); // [1, 2]
 * ```
 */
export class CpuData {
  constructor(public values: TypedArray) {}
}

/**
 * A backend that can take ownership of a TypedArray as a tensor's data without copying. Fused kernels of
 * plugins check for it structurally (`typeof backend.adopt === 'function'`), so they need not import this
 * package, and fall back to `write` (a copy) on backends without it.
 */
export interface AdoptingBackend extends Backend {
  /**
   * Takes ownership of `values` as a tensor's data, WITHOUT copying (`write` copies). For fused kernels that
   * compute their output into a fresh TypedArray: wrapping it costs no second allocation and no copy. The
   * array counts in `memory()` until the DataId is disposed. The caller hands the array over: it must not
   * write to it afterwards (tensors never change their data, and `readSync` returns this very array).
   *
   * @param values - The data: exactly `dtype`'s TypedArray (Float64Array, Float32Array, Int32Array, or
   *   Uint8Array for bool), holding the tensor's elements in row-major order.
   * @param dtype - The data's dtype.
   * @returns A DataId whose values are `values` itself.
   * @throws MgTypeError when `values` is not `dtype`'s TypedArray (e.g. a Float64Array for float32).
   *
   * @example
   * ```ts
   * import { makeTensor } from '@mg/core';
   * import { cpu } from '@mg/backend-cpu';
   * const out = new Float32Array([1, 2, 3]);
   * const id = cpu().adopt(out, 'float32');
   * cpu().readSync(id) === out; // true
   * makeTensor(id, [3], 'float32', cpu()).toArray(); // [1, 2, 3]
   * ```
   */
  adopt<D extends DType>(values: TypedArrayFor[D], dtype: D): DataId;
}

/** The cpu backend; `ready` says that `init()` has nothing to wait for (it returns undefined, not a Promise). */
export interface CpuBackend extends AdoptingBackend {
  readonly name: 'cpu';
  readonly ready: true;
  /** Its TypedArrays are freed by the garbage collector with their tensors: core needs no finalizer. */
  readonly garbageCollected: true;
  init(): void;
}

/**
 * A new cpu backend with its own memory accounting (for tests that measure memory in isolation);
 * most programs use the shared `cpu()`.
 *
 * @example
 * ```ts
 * const a = createCpuBackend();
 * a.write(new Float64Array(4), [4], 'float64');
 * a.memory(); // {"bytes": 32, "buffers": 1}
 * createCpuBackend().memory(); // {"bytes": 0, "buffers": 0}
 * ```
 */
export function createCpuBackend(): CpuBackend {
  let bytes = 0;
  let buffers = 0;

  function store(values: TypedArray): CpuData {
    bytes += values.byteLength;
    buffers++;
    return new CpuData(values);
  }

  function handle(dataId: DataId): CpuData {
    if (!(dataId instanceof CpuData))
      throw new MgTypeError('cpu backend', 'a DataId made by the cpu backend', dataId);
    return dataId;
  }

  function valuesOf(dataId: DataId): TypedArray {
    const { values } = handle(dataId);
    if (values === DISPOSED) throw new DisposedTensorError('cpu backend: this data was disposed');
    return values;
  }

  const view = (x: TensorInfo): CpuTensor => ({ values: valuesOf(x.dataId), shape: x.shape, dtype: x.dtype });

  const kernels: PrimitiveKernels = {
    unary: (op, x, out) => store(unary(op, view(x), out.dtype)),
    binary: (op, a, b, out) => store(binary(op, view(a), view(b), out.shape, out.dtype)),
    where: (cond, a, b, out) => store(where(view(cond), view(a), view(b), out.shape, out.dtype)),
    cast: (x, out) => store(cast(view(x), out.dtype)),
    broadcastTo: (x, out) => store(broadcastTo(view(x), out.shape)),
    reduce: (op, x, axes, out) => store(reduce(op, view(x), axes, out.shape, out.dtype)),
    argReduce: (op, x, axis, out) => store(argReduce(op, view(x), axis, out.shape)),
    cumulative: (op, x, axis) => store(cumulative(op, view(x), axis)),
    matmul: (a, b, transposeA, transposeB, out) =>
      store(matmul(view(a), view(b), transposeA, transposeB, out.shape, out.dtype)),
    transpose: (x, perm) => store(transpose(view(x), perm)),
    slice: (x, begin, step, out) => store(slice(view(x), begin, step, out.shape)),
    gather: (x, indices, axis, out) => store(gather(view(x), view(indices), axis, out.shape)),
    scatterAdd: (updates, indices, axis, out) =>
      store(scatterAdd(view(updates), view(indices), axis, out.shape)),
    concat: (xs, axis, out) => store(concat(xs.map(view), axis, out.shape, out.dtype)),
    pad: (x, paddings, value, out) => store(pad(view(x), paddings, value, out.shape)),
    fill: (value, out) => store(fill(value, out.shape, out.dtype)),
  };

  return {
    name: 'cpu',
    ready: true,
    garbageCollected: true,
    // Synchronous on purpose: core activates a backend whose init returns no Promise on first use, so
    // `import '@mg/backend-cpu/register'` works without an `await setBackend('cpu')`.
    init() {},
    write<D extends DType>(values: TypedArrayFor[D], shape: Shape, dtype: D): DataId {
      const copy = allocate(dtype, sizeOf(shape));
      copy.set(values);
      return store(copy);
    },
    adopt<D extends DType>(values: TypedArrayFor[D], dtype: D): DataId {
      // Checked at run time too: a mismatched array would be read back as the wrong dtype.
      if (dtypeOfTypedArray(values) !== dtype) {
        const expected = allocate(dtype, 0).constructor.name;
        throw new MgTypeError('cpu backend: adopt', `a ${expected} for dtype ${dtype}`, values);
      }
      return store(values);
    },
    readSync: valuesOf,
    read: async (dataId) => valuesOf(dataId),
    dispose(dataId) {
      const data = handle(dataId);
      if (data.values === DISPOSED) return;
      bytes -= data.values.byteLength;
      buffers--;
      data.values = DISPOSED;
    },
    memory: () => ({ bytes, buffers }),
    kernels,
  };
}

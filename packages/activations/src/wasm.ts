// Fused kernels on the wasm backend: this package's small kernel modules (assembly/<family>.ts, one per op
// family, inlined as bytes), each instantiated with the backend's memory on first use, and the builder of fused
// kernels that call them. The backend is found structurally on `getBackend()`, so this package never imports
// @mg/backend-wasm.
import {
  type Backend,
  broadcastTo,
  type DataId,
  type DType,
  type FusedKernel,
  getBackend,
  makeTensor,
  type OpClass,
  type Operation,
  type Shape,
  type Tensor,
} from '@mg/core';
import eluBytes from './build/elu.wasm';
import gluBytes from './build/glu.wasm';
import logSoftmaxBytes from './build/log-softmax.wasm';
import logSoftmax64Bytes from './build/log-softmax64.wasm';
import piecewiseBytes from './build/piecewise.wasm';
import pointwiseBytes from './build/pointwise.wasm';
import softmaxBytes from './build/softmax.wasm';
import softmax64Bytes from './build/softmax64.wasm';
import { fusedKernel } from './fused.js';

type Ptr = number;
type Rows = (x: Ptr, out: Ptr, rows: number, len: number) => void;
type RowsGrad = (y: Ptr, g: Ptr, out: Ptr, rows: number, len: number) => void;

/** assembly/elu.ts: ELU·λ (SELU) forward, and backward from x and the output y. */
export interface EluKernels {
  eluF32(x: Ptr, out: Ptr, n: number, alpha: number, scale: number): void;
  eluF64(x: Ptr, out: Ptr, n: number, alpha: number, scale: number): void;
  eluGradF32(g: Ptr, x: Ptr, y: Ptr, dx: Ptr, n: number, alpha: number, scale: number): void;
  eluGradF64(g: Ptr, x: Ptr, y: Ptr, dx: Ptr, n: number, alpha: number, scale: number): void;
  /** Backward of ELU·λ with α = 1, from y alone. */
  eluGradYF32(g: Ptr, y: Ptr, dx: Ptr, n: number, scale: number): void;
  eluGradYF64(g: Ptr, y: Ptr, dx: Ptr, n: number, scale: number): void;
}

/** assembly/softmax.ts (the F32 functions) and softmax64.ts (the F64 ones): rows of `len` elements; backward from the output p. */
export interface SoftmaxKernels {
  softmaxF32: Rows;
  softmaxF64: Rows;
  softmaxGradF32: RowsGrad;
  softmaxGradF64: RowsGrad;
}

/**
 * assembly/log-softmax.ts (the F32 functions) and log-softmax64.ts (the F64 ones): rows of `len` elements;
 * backward from the output y.
 */
export interface LogSoftmaxKernels {
  logSoftmaxF32: Rows;
  logSoftmaxF64: Rows;
  logSoftmaxGradF32: RowsGrad;
  logSoftmaxGradF64: RowsGrad;
}

/** assembly/pointwise.ts: sigmoid (backward from the output y) and softSign (from x). */
export interface PointwiseKernels {
  sigmoidF32(x: Ptr, out: Ptr, n: number): void;
  sigmoidF64(x: Ptr, out: Ptr, n: number): void;
  sigmoidGradF32(g: Ptr, y: Ptr, dx: Ptr, n: number): void;
  sigmoidGradF64(g: Ptr, y: Ptr, dx: Ptr, n: number): void;
  softSignF32(x: Ptr, out: Ptr, n: number): void;
  softSignF64(x: Ptr, out: Ptr, n: number): void;
  softSignGradF32(g: Ptr, x: Ptr, dx: Ptr, n: number): void;
  softSignGradF64(g: Ptr, x: Ptr, dx: Ptr, n: number): void;
}

/** assembly/piecewise.ts: relu, leakyRelu (slope s) and hardTanh (bounds lo, hi); backward from x. */
export interface PiecewiseKernels {
  reluF32(x: Ptr, out: Ptr, n: number): void;
  reluF64(x: Ptr, out: Ptr, n: number): void;
  reluGradF32(g: Ptr, x: Ptr, dx: Ptr, n: number): void;
  reluGradF64(g: Ptr, x: Ptr, dx: Ptr, n: number): void;
  leakyReluF32(x: Ptr, out: Ptr, n: number, s: number): void;
  leakyReluF64(x: Ptr, out: Ptr, n: number, s: number): void;
  leakyReluGradF32(g: Ptr, x: Ptr, dx: Ptr, n: number, s: number): void;
  leakyReluGradF64(g: Ptr, x: Ptr, dx: Ptr, n: number, s: number): void;
  hardTanhF32(x: Ptr, out: Ptr, n: number, lo: number, hi: number): void;
  hardTanhF64(x: Ptr, out: Ptr, n: number, lo: number, hi: number): void;
  hardTanhGradF32(g: Ptr, x: Ptr, dx: Ptr, n: number, lo: number, hi: number): void;
  hardTanhGradF64(g: Ptr, x: Ptr, dx: Ptr, n: number, lo: number, hi: number): void;
}

/** assembly/glu.ts: `outer` blocks of [A, B], h elements each. */
export interface GluKernels {
  gluF32(x: Ptr, out: Ptr, outer: number, h: number): void;
  gluF64(x: Ptr, out: Ptr, outer: number, h: number): void;
  gluGradF32(g: Ptr, x: Ptr, dx: Ptr, outer: number, h: number): void;
  gluGradF64(g: Ptr, x: Ptr, dx: Ptr, outer: number, h: number): void;
}

/** A block of the wasm backend's memory: its DataId, with the byte address kernels take. */
interface WasmBlock extends DataId {
  readonly ptr: number;
}

/** What @mg/backend-wasm's backend object offers plugins (its `WasmKernelHost`), as far as used here. */
interface WasmHost {
  loadKernelsSync(bytes: Uint8Array): { readonly exports: object };
  kernelData(tensor: Tensor): WasmBlock;
  allocateData(dtype: DType, size: number): WasmBlock;
}

/**
 * Chrome compiles modules synchronously on the main thread only below 4 KB; each kernel module is smaller (a
 * test keeps them so: that is why there is one module per op family), so the first fused call of a family
 * instantiates its module synchronously and no async preparation step is needed.
 */
export const SYNC_COMPILE_LIMIT = 4096;

/** One of this package's kernel modules: its bytes, and its instance per wasm backend (made on first use). */
export class KernelModule<E extends object> {
  private readonly instances = new WeakMap<Backend, E>();

  constructor(
    /** The module's name (assembly/<name>.ts). */
    readonly name: string,
    /** The module's binary. */
    readonly bytes: Uint8Array<ArrayBuffer>,
  ) {}

  /** The module's exports, instantiated with `host`'s memory (once per backend). */
  on(host: Backend & WasmHost): E {
    let kernels = this.instances.get(host);
    if (kernels === undefined) {
      kernels = host.loadKernelsSync(this.bytes).exports as E;
      this.instances.set(host, kernels);
    }
    return kernels;
  }
}

export const eluModule = new KernelModule<EluKernels>('elu', eluBytes);
/** Softmax's float32 and float64 loops are one module each: together they pass 4 KB. */
export const softmaxModules: PerDtype<KernelModule<SoftmaxKernels>> = {
  float32: new KernelModule('softmax', softmaxBytes),
  float64: new KernelModule('softmax64', softmax64Bytes),
};
/** Log-softmax's float32 and float64 loops are one module each: together they pass 4 KB. */
export const logSoftmaxModules: PerDtype<KernelModule<LogSoftmaxKernels>> = {
  float32: new KernelModule('log-softmax', logSoftmaxBytes),
  float64: new KernelModule('log-softmax64', logSoftmax64Bytes),
};
export const pointwiseModule = new KernelModule<PointwiseKernels>('pointwise', pointwiseBytes);
export const piecewiseModule = new KernelModule<PiecewiseKernels>('piecewise', piecewiseBytes);
export const gluModule = new KernelModule<GluKernels>('glu', gluBytes);

/** Every kernel module (for tests: size, validation). */
export const kernelModules: readonly KernelModule<object>[] = [
  eluModule,
  softmaxModules.float32,
  softmaxModules.float64,
  logSoftmaxModules.float32,
  logSoftmaxModules.float64,
  pointwiseModule,
  piecewiseModule,
  gluModule,
];

/** The active backend, when it is a wasm backend that hosts plugin kernels. */
function activeHost(): (Backend & WasmHost) | null {
  const backend: Backend & Partial<WasmHost> = getBackend();
  return typeof backend.loadKernelsSync === 'function' &&
    typeof backend.kernelData === 'function' &&
    typeof backend.allocateData === 'function'
    ? (backend as Backend & WasmHost)
    : null;
}

/** The float dtypes the kernels have loops for. */
export type KernelDtype = 'float32' | 'float64';

/** One value per kernel dtype (e.g. a module each, when both do not fit one). */
export type PerDtype<T> = { readonly [D in KernelDtype]: T };

/** What a wasm kernel body gets: the module, its operands' pointers, and output tensors to write into. */
export interface KernelCall<E extends object> {
  readonly kernels: E;
  readonly dtype: KernelDtype;
  /** Byte address of a tensor's data (moved into wasm memory first if it lived elsewhere). */
  ptr(t: Tensor): number;
  /** A new tensor of `shape` (of `dtype`) that `body` writes at the address it is given; freed if it throws. */
  compute(shape: Shape, body: (out: number) => void): Tensor;
}

/**
 * A fused kernel of `Op` on the wasm backend, from a forward (output and saved state, computed through the
 * `KernelCall` it gets) and a backward. Where it does not apply — 0-d or empty inputs (see `fusedKernel`), a
 * dtype without loops, attrs that `accepts` refuses (e.g. a softmax over a leading axis), or a backend that is
 * not wasm — the op's composite runs instead, forward and backward.
 */
export function wasmKernel<A, S, E extends object>(
  Op: OpClass<A>,
  module: KernelModule<E> | PerDtype<KernelModule<E>>,
  rule: {
    readonly accepts?: (x: Tensor, attrs: A) => boolean;
    /** The output's shape, when it is not x's (the upstream gradient is broadcast to it). */
    readonly outputShape?: (x: Tensor, attrs: A) => Shape;
    readonly forward: (call: KernelCall<E>, x: Tensor, attrs: A) => { output: Tensor; saved: S };
    readonly backward: (call: KernelCall<E>, grad: Tensor, saved: S, x: Tensor, attrs: A) => Tensor;
  },
): FusedKernel<A, S | Operation<A>> {
  /** The op's composite, its forward run so that its backward has what forward caches. */
  const composite = (inputs: readonly Tensor[], attrs: A) => {
    const op = new Op();
    op.variables = inputs;
    op.attrs = attrs;
    return { output: op.forward(inputs, attrs), saved: op };
  };
  return fusedKernel<A, S | Operation<A>>(Op, {
    forward(inputs, attrs) {
      const x = inputs[0]!;
      const host = activeHost();
      if (host === null || !isKernelDtype(x.dtype) || (rule.accepts && !rule.accepts(x, attrs))) {
        return composite(inputs, attrs);
      }
      return rule.forward(callOn(host, moduleFor(module, x.dtype), x.dtype), x, attrs);
    },
    backwardVar(grad, index, saved, inputs, attrs) {
      // Reached only when forward ran the wasm loops (the wrapper sends the composite's saved op to its own
      // backward); if the backend was switched since, the composite recomputes what it needs.
      const x = inputs[0]!;
      const host = activeHost();
      if (host === null) return composite(inputs, attrs).saved.backwardVar(grad, index);
      const shape = rule.outputShape?.(x, attrs) ?? x.shape;
      const g =
        grad.shape.length === shape.length && grad.shape.every((d, i) => d === shape[i])
          ? grad
          : broadcastTo(grad, shape);
      try {
        const dtype = x.dtype as KernelDtype;
        return rule.backward(callOn(host, moduleFor(module, dtype), dtype), g, saved as S, x, attrs);
      } finally {
        if (g !== grad) g.dispose();
      }
    },
  });
}

function moduleFor<E extends object>(
  module: KernelModule<E> | PerDtype<KernelModule<E>>,
  dtype: KernelDtype,
): KernelModule<E> {
  return module instanceof KernelModule ? module : module[dtype];
}

function isKernelDtype(dtype: DType): dtype is KernelDtype {
  return dtype === 'float32' || dtype === 'float64';
}

function callOn<E extends object>(
  host: Backend & WasmHost,
  module: KernelModule<E>,
  dtype: KernelDtype,
): KernelCall<E> {
  return {
    kernels: module.on(host),
    dtype,
    ptr: (t) => host.kernelData(t).ptr,
    compute(shape, body) {
      let size = 1;
      for (const d of shape) size *= d;
      const data = host.allocateData(dtype, size);
      try {
        body(data.ptr);
      } catch (e) {
        host.dispose(data);
        throw e;
      }
      return makeTensor(data, shape, dtype, host);
    },
  };
}

/** A kernel module function taking pointers, lengths and scalars. */
type Loop = (...args: number[]) => void;

/** The names of a kernel's float32 and float64 functions in its module. */
type Loops<E> = readonly [float32: keyof E & string, float64: keyof E & string];

function loop<E extends object>(call: KernelCall<E>, [f32, f64]: Loops<E>): Loop {
  return call.kernels[call.dtype === 'float32' ? f32 : f64] as Loop;
}

/**
 * The wasm kernel of an element-wise op from the names of its module's functions: forward `(x, out, n,
 * ...params)`, backward `(g, x, dx, n, ...params)`, `(g, y, dx, n, ...params)` or `(g, x, y, dx, n,
 * ...params)` as `backwardFrom` says (y: the output, then kept for backward).
 */
export function wasmElementwise<A, E extends object>(
  Op: OpClass<A>,
  module: KernelModule<E>,
  spec: {
    readonly forward: Loops<E>;
    readonly backward: Loops<E>;
    readonly backwardFrom: 'x' | 'y' | 'xy';
    /** The scalar arguments after the length, from the attrs. */
    readonly params?: (attrs: A) => readonly number[];
  },
): FusedKernel<A, Tensor | null | Operation<A>> {
  const params = spec.params ?? (() => []);
  return wasmKernel<A, Tensor | null, E>(Op, module, {
    forward(call, x, attrs) {
      const kernel = loop(call, spec.forward);
      const output = call.compute(x.shape, (out) => kernel(call.ptr(x), out, x.size, ...params(attrs)));
      return { output, saved: spec.backwardFrom === 'x' ? null : output };
    },
    backward(call, grad, y, x, attrs) {
      const kernel = loop(call, spec.backward);
      const g = call.ptr(grad);
      const from =
        spec.backwardFrom === 'x'
          ? [call.ptr(x)]
          : spec.backwardFrom === 'y'
            ? [call.ptr(y!)]
            : [call.ptr(x), call.ptr(y!)];
      return call.compute(x.shape, (dx) => kernel(g, ...from, dx, x.size, ...params(attrs)));
    },
  });
}

/**
 * The wasm kernel of an op over slices along its `axes` attr (softmax, logSoftmax) from its module functions'
 * names: forward `(x, out, rows, len)`, backward `(y, g, dx, rows, len)` from the output y. Only trailing axes
 * (consecutive rows) run here; other axes run the composite.
 */
export function wasmRowwise<A extends { readonly axes: readonly number[] }, E extends object>(
  Op: OpClass<A>,
  module: KernelModule<E> | PerDtype<KernelModule<E>>,
  spec: { readonly forward: Loops<E>; readonly backward: Loops<E> },
): FusedKernel<A, Tensor | Operation<A>> {
  return wasmKernel<A, Tensor, E>(Op, module, {
    accepts: (x, { axes }) => rowLength(x, axes) !== null,
    forward(call, x, { axes }) {
      const length = rowLength(x, axes)!;
      const kernel = loop(call, spec.forward);
      const output = call.compute(x.shape, (out) => kernel(call.ptr(x), out, x.size / length, length));
      return { output, saved: output };
    },
    backward(call, grad, y, x, { axes }) {
      const length = rowLength(x, axes)!;
      const kernel = loop(call, spec.backward);
      return call.compute(x.shape, (dx) => kernel(call.ptr(y), call.ptr(grad), dx, x.size / length, length));
    },
  });
}

/** Elements per slice when `axes` are the trailing axes (the slices are then consecutive rows), else null. */
export function rowLength(x: Tensor, axes: readonly number[]): number | null {
  let length = 1;
  for (let i = 0; i < axes.length; i++) {
    if (axes[i] !== x.ndim - axes.length + i) return null;
    length *= x.shape[axes[i]!]!;
  }
  return length;
}

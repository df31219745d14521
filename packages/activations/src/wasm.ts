// Fused kernels on the wasm backend: this package's own small kernel module (assembly/kernels.ts, inlined as
// bytes), instantiated with the backend's memory on first use, and the builder of fused kernels that call it.
// The backend is found structurally on `getBackend()`, so this package never imports @mg/backend-wasm.
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
import kernelBytes from './build/kernels.wasm';
import { fusedKernel } from './fused.js';

/** The exports of assembly/kernels.ts: byte addresses, element counts and scalars. */
export interface WasmKernels {
  eluF32(x: number, out: number, slope: number, n: number, alpha: number): void;
  eluF64(x: number, out: number, slope: number, n: number, alpha: number): void;
  softmaxF32(x: number, out: number, rows: number, len: number): void;
  softmaxGradF32(p: number, g: number, out: number, rows: number, len: number): void;
  softmaxF64(x: number, out: number, rows: number, len: number): void;
  softmaxGradF64(p: number, g: number, out: number, rows: number, len: number): void;
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
 * Chrome compiles modules synchronously on the main thread only below 4 KB; the kernel module is smaller (a
 * test keeps it so), so the first fused call instantiates it synchronously and no async preparation step is
 * needed. A larger module would have to be loaded with the host's async `loadKernels` before first use.
 */
export const SYNC_COMPILE_LIMIT = 4096;

const instances = new WeakMap<Backend, WasmKernels>();

/** The active backend, when it is a wasm backend that hosts plugin kernels. */
function activeHost(): (Backend & WasmHost) | null {
  const backend: Backend & Partial<WasmHost> = getBackend();
  return typeof backend.loadKernelsSync === 'function' &&
    typeof backend.kernelData === 'function' &&
    typeof backend.allocateData === 'function'
    ? (backend as Backend & WasmHost)
    : null;
}

/** This package's kernels instantiated with `host`'s memory (once per backend). */
function kernelsOf(host: Backend & WasmHost): WasmKernels {
  let kernels = instances.get(host);
  if (kernels === undefined) {
    kernels = host.loadKernelsSync(kernelBytes).exports as WasmKernels;
    instances.set(host, kernels);
  }
  return kernels;
}

/** The wasm module's bytes (for tests: size, validation). */
export const wasmKernelBytes: Uint8Array = kernelBytes;

/** The float dtypes the kernels have loops for. */
export type KernelDtype = 'float32' | 'float64';

/** What a wasm kernel body gets: the module, its operands' pointers, and output tensors to write into. */
export interface KernelCall {
  readonly kernels: WasmKernels;
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
export function wasmKernel<A, S>(
  Op: OpClass<A>,
  rule: {
    readonly accepts?: (x: Tensor, attrs: A) => boolean;
    readonly forward: (call: KernelCall, x: Tensor, attrs: A) => { output: Tensor; saved: S };
    readonly backward: (call: KernelCall, grad: Tensor, saved: S, x: Tensor, attrs: A) => Tensor;
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
      return rule.forward(callOn(host, x.dtype), x, attrs);
    },
    backwardVar(grad, index, saved, inputs, attrs) {
      // Reached only when forward ran the wasm loops (the wrapper sends the composite's saved op to its own
      // backward); if the backend was switched since, the composite recomputes what it needs.
      const x = inputs[0]!;
      const host = activeHost();
      if (host === null) return composite(inputs, attrs).saved.backwardVar(grad, index);
      const g = grad.size === x.size ? grad : broadcastTo(grad, x.shape);
      try {
        return rule.backward(callOn(host, x.dtype as KernelDtype), g, saved as S, x, attrs);
      } finally {
        if (g !== grad) g.dispose();
      }
    },
  });
}

function isKernelDtype(dtype: DType): dtype is KernelDtype {
  return dtype === 'float32' || dtype === 'float64';
}

function callOn(host: Backend & WasmHost, dtype: KernelDtype): KernelCall {
  return {
    kernels: kernelsOf(host),
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

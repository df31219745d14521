// The plugin's fused kernels on the wasm backend: its own small kernel module (assembly/kernels.ts, inlined
// into the bundle as bytes), instantiated with the backend's memory on first use, and the kernel that calls
// it. The backend is found structurally on `getBackend()`, so the plugin never imports @mg/backend-wasm.
import {
  type Backend,
  type DataId,
  type DType,
  type FusedKernel,
  getBackend,
  makeTensor,
  type OpClass,
  Operation,
  type Tensor,
} from '@mg/core';
import kernelBytes from './build/kernels.wasm';

/** The ops the module has loops for: the prefix of their export names. */
export type WasmOpName = 'gelu' | 'silu';

/** A forward loop: y of n elements at x into out, and e^-|z| into term (what backward reuses). */
type ForwardLoop = (x: number, out: number, term: number, n: number) => void;
/** A backward loop: ∂ℒ/∂x of n elements from x, term and the upstream gradient g, into out. */
type BackwardLoop = (x: number, term: number, g: number, out: number, n: number) => void;

/** The exports of assembly/kernels.ts: byte addresses and element counts. */
export type WasmKernels = {
  readonly [K in `${WasmOpName}F32` | `${WasmOpName}F64`]: ForwardLoop;
} & {
  readonly [K in `${WasmOpName}GradF32` | `${WasmOpName}GradF64`]: BackwardLoop;
};

/** A block of the wasm backend's memory: its DataId, with the byte address the loops take. */
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
 * Browsers compile a module synchronously on the main thread only below 4 KB (Chrome). The kernel module
 * stays below (a test checks it), so the first fused call instantiates it with `loadKernelsSync` and users
 * need no asynchronous preparation step.
 */
export const SYNC_COMPILE_LIMIT = 4096;

/** The kernel module's bytes (for tests: size and validation). */
export const wasmKernelBytes: Uint8Array = kernelBytes;

/** The active backend when it is a wasm backend that hosts plugin kernels, else null. */
function activeHost(): (Backend & WasmHost) | null {
  const backend: Backend & Partial<WasmHost> = getBackend();
  return typeof backend.loadKernelsSync === 'function' &&
    typeof backend.kernelData === 'function' &&
    typeof backend.allocateData === 'function'
    ? (backend as Backend & WasmHost)
    : null;
}

const instances = new WeakMap<Backend, WasmKernels>();

/** The module instantiated with `host`'s memory, once per backend. */
function kernelsOf(host: Backend & WasmHost): WasmKernels {
  let kernels = instances.get(host);
  if (kernels === undefined) {
    kernels = host.loadKernelsSync(kernelBytes).exports as WasmKernels;
    instances.set(host, kernels);
  }
  return kernels;
}

/**
 * `count` new blocks of `size` elements for `body` to write into (given their addresses), each wrapped as a
 * tensor of `x`'s shape; if allocating or `body` throws, the blocks made so far are freed.
 */
function compute(
  host: Backend & WasmHost,
  x: Tensor,
  count: number,
  body: (ptrs: readonly number[]) => void,
): Tensor[] {
  const blocks: WasmBlock[] = [];
  try {
    for (let i = 0; i < count; i++) blocks.push(host.allocateData(x.dtype, x.size));
    body(blocks.map((block) => block.ptr));
  } catch (e) {
    for (const block of blocks) host.dispose(block);
    throw e;
  }
  return blocks.map((block) => makeTensor(block, x.shape, x.dtype, host));
}

/** `Op`'s composite forward on `inputs`; the op is the saved state, so that its backwardVar has its cache. */
function composite(Op: OpClass<{}>, inputs: readonly Tensor[]): { output: Tensor; saved: Operation<{}> } {
  const op = new Op();
  op.variables = inputs;
  op.attrs = {};
  return { output: op.forward(inputs, {}), saved: op };
}

/**
 * The fused wasm kernel of `Op`, an element-wise op whose loops the module exports as `${name}F32`,
 * `${name}GradF32`, `${name}F64` and `${name}GradF64`. Forward makes two tensors, the output and the term
 * e^-|z| (saved: the engine disposes it when the graph is cleared, or at once when no graph is recorded);
 * backward makes one. The op's composite runs instead, forward and backward, where the loops do not apply:
 * on a backend that is not the wasm one, for dtypes other than float32 and float64 (ints and bools: the
 * composite gives float64), and for 0-d inputs (a 0-d float32 gives float64 under value-based casting) and
 * empty ones (nothing to fuse).
 */
export function wasmKernel(Op: OpClass<{}>, name: WasmOpName): FusedKernel<{}, Tensor | Operation<{}>> {
  return {
    forward(inputs) {
      const x = inputs[0]!;
      const host = activeHost();
      if (host === null || (x.dtype !== 'float32' && x.dtype !== 'float64') || x.ndim === 0 || x.size === 0) {
        return composite(Op, inputs);
      }
      const kernels = kernelsOf(host);
      const loop = x.dtype === 'float32' ? kernels[`${name}F32`] : kernels[`${name}F64`];
      const xPtr = host.kernelData(x).ptr;
      const [output, term] = compute(host, x, 2, ([out, e]) => loop(xPtr, out!, e!, x.size));
      return { output: output!, saved: term! };
    },
    backwardVar(grad, index, saved, inputs) {
      if (saved instanceof Operation) return saved.backwardVar(grad, index);
      const x = inputs[0]!;
      const host = activeHost();
      // The backend was switched since forward: the composite recomputes what its backward needs.
      if (host === null) return composite(Op, inputs).saved.backwardVar(grad, index);
      const kernels = kernelsOf(host);
      const loop = x.dtype === 'float32' ? kernels[`${name}GradF32`] : kernels[`${name}GradF64`];
      // The engine hands backward a gradient of the output's shape and dtype, which are x's here.
      const [xPtr, ePtr, gPtr] = [x, saved, grad].map((t) => host.kernelData(t).ptr);
      return compute(host, x, 1, ([out]) => loop(xPtr!, ePtr!, gPtr!, out!, x.size))[0]!;
    },
  };
}

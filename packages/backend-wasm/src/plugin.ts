// Third-party wasm kernels that run in the backend's memory: the validation a plugin module must pass before it
// is instantiated with that memory, and the helpers a fused kernel needs (its tensors' pointers, output blocks).
import {
  type Backend,
  type DataId,
  type DType,
  getBackend,
  MgTypeError,
  MgValueError,
  type OutputSpec,
  type Tensor,
} from '@mg/core';
import type { WasmData } from './backend.js';
import { WasmModuleError } from './errors.js';
import type { Runtime } from './runtime.js';

/** A plugin module instantiated with the backend's memory: its exported functions, typed by the caller. */
export interface PluginModule<E extends object = Record<string, (...args: never[]) => unknown>> {
  /** The module's exports (functions taking pointers, lengths and numbers). */
  readonly exports: E;
  /** The memory it shares with the backend; views of it must be made anew after any allocation (growth). */
  readonly memory: WebAssembly.Memory;
}

/**
 * What the wasm backend object offers plugins, so that a package can find it structurally on `getBackend()`
 * (`typeof backend.loadKernelsSync === 'function'`) without importing `@mg/backend-wasm`.
 */
export interface WasmKernelHost {
  /** Validates, compiles and instantiates a plugin module with this backend's memory (initialising it first). */
  loadKernels<E extends object>(bytes: BufferSource): Promise<PluginModule<E>>;
  /**
   * The same, synchronously (`new WebAssembly.Module`): browsers allow that on the main thread only for small
   * modules (Chrome: under 4 KB); the backend must be initialised.
   */
  loadKernelsSync<E extends object>(bytes: BufferSource): PluginModule<E>;
  /** The backend's memory (the same object for the backend's whole life; its buffer changes when it grows). */
  wasmMemory(): WebAssembly.Memory;
  /** Where `tensor`'s data lies in this backend's memory, after moving it here if it lived on another backend. */
  kernelData(tensor: Tensor): WasmData;
  /** A new uninitialised block of `size` elements of `dtype`, owned by the backend: a DataId for `makeTensor`. */
  allocateData(dtype: DType, size: number): WasmData;
}

/** The section ids a plugin module may not have (WebAssembly core spec, binary format §5.5). */
const MEMORY_SECTION = 5;
const START_SECTION = 8;
const DATA_SECTION = 11;
const DATA_COUNT_SECTION = 12;

/** Reads an unsigned LEB128 number at `at`; returns it and the position after it. */
function leb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length || shift > 28)
      throw new WasmModuleError('wasm plugin: malformed module (bad LEB128)');
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

function asBytes(source: BufferSource): Uint8Array<ArrayBuffer> {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return new Uint8Array(source);
}

/**
 * Checks that a module can share the backend's memory without touching what it does not own: no data segments
 * (they are written at instantiation, over the backend's static data and heap), no start function, no memory of
 * its own, and no import except `env.memory`. A naive AssemblyScript build fails every one of these; see the
 * README for the asc flags that pass.
 *
 * @param bytes - The module's binary.
 * @param module - The same module compiled, for its import list (compiled here when not given).
 * @throws WasmModuleError naming the first problem found (or the compile error).
 *
 * @example
 * ```ts
 * // The smallest module, the header alone, passes; one with a start section (id 8) does not.
 * validateWasmKernels(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) === undefined; // true
 * let message = '';
 * try {
 *   validateWasmKernels(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 8, 1, 0]));
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes('a start function'); // true
 * ```
 */
export function validateWasmKernels(bytes: BufferSource, module?: WebAssembly.Module): void {
  const b = asBytes(bytes);
  checkSections(b);
  let compiled = module;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(b);
    } catch (e) {
      throw new WasmModuleError(`wasm plugin: the module does not compile: ${(e as Error).message}`);
    }
  }
  checkImports(compiled);
}

/** The binary checks: before compiling, so a module with data segments is never even compiled. */
function checkSections(b: Uint8Array): void {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (b.length < 8 || header.some((byte, i) => b[i] !== byte)) {
    throw new WasmModuleError('wasm plugin: not a WebAssembly (version 1) binary');
  }
  const reject = (what: string) => {
    throw new WasmModuleError(
      `wasm plugin: the module has ${what}; a plugin shares the backend's memory and may not write to it on ` +
        'instantiation or own memory (build with --importMemory --noExportMemory --runtime <empty file> ' +
        '--use abort= --noAssert --shrinkLevel 1)',
    );
  };
  for (let at = 8; at < b.length; ) {
    const id = b[at]!;
    const [size, body] = leb(b, at + 1);
    if (body + size > b.length)
      throw new WasmModuleError('wasm plugin: malformed module (truncated section)');
    if (id === MEMORY_SECTION) reject('a memory of its own');
    if (id === START_SECTION) reject('a start function');
    if (id === DATA_SECTION || id === DATA_COUNT_SECTION) {
      const [count] = leb(b, body);
      if (count > 0) reject(`${count} data segment${count === 1 ? '' : 's'}`);
    }
    at = body + size;
  }
}

function checkImports(module: WebAssembly.Module): void {
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'env' || imp.name !== 'memory' || imp.kind !== 'memory') {
      throw new WasmModuleError(
        `wasm plugin: the module imports ${imp.kind} ${imp.module}.${imp.name}; it may import only env.memory`,
      );
    }
  }
}

const instantiationError = (e: unknown) =>
  new WasmModuleError(`wasm plugin: could not instantiate the module: ${(e as Error).message}`);

/** What `kernelHost` needs of the backend it is part of. */
export interface HostParts {
  readonly self: () => Backend & { init(): Promise<void> };
  readonly runtime: () => Runtime;
  readonly output: (spec: OutputSpec) => WasmData;
  readonly handle: (dataId: DataId) => WasmData;
}

/** @internal The plugin methods of a wasm backend object (see `WasmKernelHost`). */
export function kernelHost(parts: HostParts): WasmKernelHost {
  const { self, runtime, output, handle } = parts;
  return {
    async loadKernels<E extends object>(bytes: BufferSource): Promise<PluginModule<E>> {
      await self().init();
      const b = asBytes(bytes);
      checkSections(b);
      let module: WebAssembly.Module;
      try {
        module = await WebAssembly.compile(b);
      } catch (e) {
        throw new WasmModuleError(`wasm plugin: the module does not compile: ${(e as Error).message}`);
      }
      checkImports(module);
      const memory = runtime().memory;
      try {
        const instance = await WebAssembly.instantiate(module, { env: { memory } });
        return { exports: instance.exports as E, memory };
      } catch (e) {
        throw instantiationError(e);
      }
    },
    loadKernelsSync<E extends object>(bytes: BufferSource): PluginModule<E> {
      const memory = runtime().memory;
      const b = asBytes(bytes);
      checkSections(b);
      let module: WebAssembly.Module;
      try {
        module = new WebAssembly.Module(b);
      } catch (e) {
        throw new WasmModuleError(`wasm plugin: the module does not compile: ${(e as Error).message}`);
      }
      checkImports(module);
      try {
        return { exports: new WebAssembly.Instance(module, { env: { memory } }).exports as E, memory };
      } catch (e) {
        throw instantiationError(e);
      }
    },
    wasmMemory: () => runtime().memory,
    kernelData: (tensor) => handle(tensor._info(self()).dataId),
    allocateData: (dtype, size) => output({ shape: [size], dtype }),
  };
}

/** The active backend as a plugin host, or a typed error saying it is not the wasm backend. */
function activeHost(what: string): Backend & WasmKernelHost {
  const backend = getBackend() as Backend & Partial<WasmKernelHost>;
  if (typeof backend.kernelData !== 'function' || typeof backend.loadKernels !== 'function') {
    throw new MgValueError(`${what}: the active backend is '${backend.name}', not the wasm backend`);
  }
  return backend as Backend & WasmKernelHost;
}

/**
 * Validates a plugin's kernel module (see `validateWasmKernels`) and instantiates it with the wasm backend's
 * memory, so that its functions work on tensors' data in place. The module never allocates: its kernels take
 * the pointers of `wasmData(tensor)` and of blocks from `allocateWasm`.
 *
 * @param bytes - The module's binary.
 * @param options - `backend`: the wasm backend to share memory with (default: the active backend);
 *   `functions`: export names that must be functions (checked, so a stale build fails here, not mid-kernel).
 * @returns The instance's exports, typed as `E`, and the shared memory.
 * @throws WasmModuleError when the module fails validation, does not compile or instantiate, or lacks one of
 *   `functions`; MgValueError when no backend is given and the active one is not wasm.
 *
 * @example
 * ```ts
 * // A module with one function, scale(ptr, factor): *ptr *= factor on a float32.
 * const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 9, 2, 96, 2, 127, 125, 0, 96, 0, 0, 2, 15, 1, 3, 101, 110, 118, 6, 109, 101, 109, 111, 114, 121, 2, 0, 0, 3, 2, 1, 0, 7, 9, 1, 5, 115, 99, 97, 108, 101, 0, 0, 10, 17, 1, 15, 0, 32, 0, 32, 0, 42, 2, 0, 32, 1, 148, 56, 2, 0, 11]);
 * const backend = createWasmBackend();
 * const kernels = await loadWasmKernels<{ scale(ptr: number, factor: number): void }>(bytes, { backend, functions: ['scale'] });
 * const data = backend.write(new Float32Array([1.5]), [1], 'float32') as WasmData;
 * kernels.exports.scale(data.ptr, 4);
 * Array.from(backend.readSync(data)); // [6]
 * ```
 */
export async function loadWasmKernels<E extends object = Record<string, (...args: never[]) => unknown>>(
  bytes: BufferSource,
  options: { readonly backend?: WasmKernelHost; readonly functions?: readonly (keyof E & string)[] } = {},
): Promise<PluginModule<E>> {
  const host = options.backend ?? activeHost('loadWasmKernels');
  const loaded = await host.loadKernels<E>(bytes);
  const exports = loaded.exports as Record<string, unknown>;
  const missing = (options.functions ?? []).filter((name) => typeof exports[name] !== 'function');
  if (missing.length > 0) {
    throw new WasmModuleError(
      `wasm plugin: the module does not export the function(s) ${missing.join(', ')}`,
    );
  }
  return loaded;
}

/**
 * Where a tensor's data lies in the active wasm backend's memory: its byte address `ptr`, `length` elements
 * and `dtype` (data on another backend is moved here first). The pointer stays valid while the tensor lives,
 * also across memory growth; typed-array views of the memory do not, so make them anew when you need one.
 *
 * @param tensor - A live tensor.
 * @returns Its WasmData (also its DataId on this backend).
 * @throws MgValueError when the active backend is not wasm; DisposedTensorError when `tensor` was disposed.
 *
 * @example
 * ```ts
 * const data = wasmData(tensor([1, 2, 3], { dtype: 'float32' }));
 * [data.length, data.dtype, data.ptr % 16]; // [3, "float32", 0]
 * ```
 */
export function wasmData(tensor: Tensor): WasmData {
  return activeHost('wasmData').kernelData(tensor);
}

/**
 * A new block of `size` elements of `dtype` in the active wasm backend's memory, for a kernel to write a result
 * into; wrap it with `makeTensor(data, shape, dtype)`, or free it with `getBackend().dispose(data)` if the kernel
 * fails. Its contents are undefined until written.
 *
 * @param dtype - The element type.
 * @param size - Number of elements (0 gives the null pointer).
 * @returns The block, a DataId of the active backend.
 * @throws MgValueError when the active backend is not wasm; MgTypeError for a size that is not a non-negative
 *   integer; WasmMemoryError when memory cannot grow to hold it.
 *
 * @example
 * ```ts
 * const data = allocateWasm('float64', 2);
 * const t = makeTensor(data, [2], 'float64');
 * t.shape; // [2]
 * ```
 */
export function allocateWasm(dtype: DType, size: number): WasmData {
  const host = activeHost('allocateWasm');
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new MgTypeError('allocateWasm', 'a non-negative integer size', size);
  }
  return host.allocateData(dtype, size);
}

/**
 * A new block for a tensor like `tensor`: its number of elements, of its dtype unless `dtype` is given.
 *
 * @param tensor - The tensor whose size to take.
 * @param dtype - The element type (default: `tensor`'s).
 * @returns The block, a DataId of the active wasm backend.
 * @throws As `allocateWasm`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
 * const data = allocateLike(x);
 * [data.length, data.dtype]; // [4, "float32"]
 * ```
 */
export function allocateLike(tensor: Tensor, dtype: DType = tensor.dtype): WasmData {
  return allocateWasm(dtype, tensor.size);
}

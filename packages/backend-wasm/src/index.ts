// @mg/backend-wasm: WebAssembly (SIMD) kernels for @mg/core, with tensors resident in wasm memory.
import { MgValueError } from '@mg/core';
import kernelBytes from '../build/mg.wasm';
import { makeWasmBackend, type WasmBackend, type WasmOptions } from './backend.js';

export type { WasmBackend, WasmOptions } from './backend.js';
export { WasmData } from './backend.js';
export { WasmMemoryError, WasmModuleError } from './errors.js';
export {
  allocateLike,
  allocateWasm,
  loadWasmKernels,
  type PluginModule,
  validateWasmKernels,
  type WasmKernelHost,
  wasmData,
} from './plugin.js';
export type { ModuleSource } from './runtime.js';

/**
 * A new wasm backend with its own module instance and memory (for tests that measure memory in isolation, or a
 * second instance with other options); most programs use the shared `wasm()`. Register it under its name
 * `'wasm'` only if `wasm()` is not registered.
 *
 * @param options - `module`: kernel bytes, a compiled module or a URL instead of the inlined build;
 *   `maxMemory` / `initialMemory`: bounds of its wasm memory in bytes.
 * @returns An uninitialised backend: `await backend.init()` (or `setBackend`) before use.
 *
 * @example
 * ```ts
 * const backend = createWasmBackend({ maxMemory: 16 * 2 ** 20 });
 * await backend.init();
 * const id = backend.write(new Float32Array([1, 2]), [2], 'float32');
 * backend.memory(); // {"bytes":8,"buffers":1}
 * Array.from(backend.readSync(id)); // [1, 2]
 * ```
 */
export function createWasmBackend(options: WasmOptions = {}): WasmBackend {
  return makeWasmBackend(() => ({ ...options, module: options.module ?? kernelBytes }));
}

let instance: WasmBackend | undefined;
let sharedOptions: WasmOptions = {};

/**
 * The wasm backend (`name: 'wasm'`), one instance per copy of this package, so registering it twice is a
 * no-op. Options (e.g. `{ module: url }` to fetch the kernels instead of using the inlined bytes) may be given
 * until it is initialised, also after `import '@mg/backend-wasm/register'` registered it.
 *
 * @param options - As for `createWasmBackend`; only before `init()`.
 * @returns The shared backend.
 * @throws MgValueError when options are given after the backend was initialised.
 *
 * @example
 * ```ts
 * wasm() === wasm(); // true
 * wasm().name; // "wasm"
 * ```
 */
export function wasm(options?: WasmOptions): WasmBackend {
  if (options !== undefined) {
    if (instance?.ready) {
      throw new MgValueError(
        'wasm: the backend is already initialised; options can only be given before init()',
      );
    }
    sharedOptions = options;
  }
  instance ??= makeWasmBackend(() => ({ ...sharedOptions, module: sharedOptions.module ?? kernelBytes }));
  return instance;
}

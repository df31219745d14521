// The wasm backend's own typed errors, both MgError subclasses so `catch (e) { e instanceof MgError }` sees them.
import { MgError } from '@mg/core';

/**
 * The wasm backend ran out of memory: an allocation larger than one block can be (1 GiB), or memory that
 * cannot grow further (past `maxMemory`, or past what the engine allows). Nothing was computed; every tensor
 * that existed before is intact. Python's MemoryError.
 *
 * @example
 * ```ts
 * const err = new WasmMemoryError('wasm backend: cannot allocate 2147483648 bytes');
 * err instanceof MgError; // true
 * err.pythonErrors; // ["MemoryError"]
 * ```
 */
export class WasmMemoryError extends MgError {
  override readonly pythonErrors: readonly string[] = ['MemoryError'];
}

/**
 * The kernel module could not be used: it failed to load or compile, lacks a kernel this version calls, or
 * the backend was used before `init()` finished (use `await setBackend('wasm')`).
 *
 * @example
 * ```ts
 * const err = new WasmModuleError('wasm backend: the module does not export matmul');
 * err instanceof MgError; // true
 * err.name; // "WasmModuleError"
 * ```
 */
export class WasmModuleError extends MgError {}

// @mg/backend-cpu: pure TypeScript kernels over TypedArrays for @mg/core.
import { type CpuBackend, createCpuBackend } from './backend.js';

export type { AdoptingBackend, CpuBackend } from './backend.js';
export { CpuData, createCpuBackend } from './backend.js';

let instance: CpuBackend | undefined;

/**
 * The cpu backend (`name: 'cpu'`), one instance per copy of this package, so registering it twice (e.g. by
 * `registerBackend(cpu())` and by `import '@mg/backend-cpu/register'`) is a no-op rather than a conflict.
 * @example
 * ```ts
 * cpu() === cpu(); // true
 * cpu().name; // "cpu"
 * ```
 */
export function cpu(): CpuBackend {
  instance ??= createCpuBackend();
  return instance;
}

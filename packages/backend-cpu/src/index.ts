// @mg/backend-cpu: pure TypeScript kernels over TypedArrays for @mg/core.
import { type CpuBackend, createCpuBackend } from './backend.js';

export type { CpuBackend } from './backend.js';
export { CpuData } from './backend.js';

/** A new cpu backend (`name: 'cpu'`): register it with core's `registerBackend`, or import `@mg/backend-cpu/register`. */
export function cpu(): CpuBackend {
  return createCpuBackend();
}

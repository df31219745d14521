// The cpu backend's test kit (arbitraries, naive index helpers, comparator, table runner), bound to a wasm
// backend instead, plus ulp tolerances for the functions whose last bit may differ from V8's.
import type { DataId, DType, TensorInfo, TypedArray } from '@mg/core';
import { type Arr, backend as cpuBackend } from '../../backend-cpu/test/helpers.js';
import { createWasmBackend } from '../src/index.js';

export {
  type Arr,
  arr,
  arrArb,
  broadcastArb,
  broadcastableTo,
  broadcastSource,
  DTYPES,
  expectValues,
  FLOATS,
  NUMERIC,
  permutationArb,
  propertyTable,
  ravel,
  SPECIALS,
  shapeArb,
  type Tolerance,
  truthy,
  typed,
  unravel,
  valueArb,
  wrap32,
} from '../../backend-cpu/test/helpers.js';

export const backend = createWasmBackend();
await backend.init();
export const kernels = backend.kernels;
export const cpu = cpuBackend;

/** Stores `x` in the wasm backend and returns the TensorInfo kernels take. */
export function info(x: Arr): TensorInfo {
  return { dataId: backend.write(x.values, x.shape, x.dtype), shape: x.shape, dtype: x.dtype };
}

/** Stores `x` in the cpu backend. */
export function cpuInfo(x: Arr): TensorInfo {
  return { dataId: cpu.write(x.values, x.shape, x.dtype), shape: x.shape, dtype: x.dtype };
}

export function read(dataId: DataId): TypedArray {
  return backend.readSync(dataId);
}

/** Machine epsilon of a float dtype: the spacing of floats at 1 (one ulp of values in [1, 2)). */
export function epsilon(dtype: DType): number {
  return dtype === 'float32' ? 2 ** -23 : 2 ** -52;
}

/** An element-wise tolerance of `n` ulps (machine epsilons relative to each expected value). */
export function ulps(expected: ArrayLike<number>, dtype: DType, n: number): (i: number) => number {
  const eps = epsilon(dtype);
  return (i) => n * eps * Math.abs(expected[i]!);
}

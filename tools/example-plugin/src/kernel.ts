// The plugin's fused-kernel helper: turns an element-wise rule (scalar functions of one element) into a fused
// cpu kernel, built only on @mg/core's public API.
import {
  allocate,
  type Backend,
  type DataId,
  type DType,
  type FusedKernel,
  floatResult,
  getBackend,
  makeTensor,
  resultType,
  type Shape,
  type Tensor,
  type TypedArray,
} from '@mg/core';

/**
 * A backend that can take a TypedArray as a tensor's data without copying (`@mg/backend-cpu`'s `adopt`). Checked
 * structurally: the plugin imports no backend, so it installs without one.
 */
interface Adopting {
  adopt(values: TypedArray, dtype: DType): DataId;
}

/** Freshly computed values as a constant tensor on the active backend, adopted when it can, else copied in. */
function wrap(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  const backend: Backend & Partial<Adopting> = getBackend();
  const dataId =
    typeof backend.adopt === 'function' ? backend.adopt(values, dtype) : backend.write(values, shape, dtype);
  return makeTensor(dataId, shape, dtype, backend);
}

/**
 * The dtype the composites return for input `x`: x combined with JS-number constants under NumPy 1.24's
 * value-based casting. An array keeps its float dtype, ints and bools give float64, and a 0-d float32 input
 * gives float64 (every operand is then a scalar, so the constants' float64 wins, as in MyGrad).
 */
export function outputDtype(x: Tensor): DType {
  return floatResult(
    resultType([
      { dtype: x.dtype, scalar: x.ndim === 0 },
      { dtype: 'float64', scalar: true },
    ]),
  );
}

/** An element-wise op as scalar functions of one element. */
export interface ElementwiseRule {
  /** What forward caches per element for backward (e.g. GELU's tanh term). */
  readonly term: (x: number) => number;
  /** The output from x and its term. */
  readonly value: (x: number, term: number) => number;
  /** ∂y/∂x from x and its term. */
  readonly derivative: (x: number, term: number) => number;
}

/**
 * A fused kernel for an element-wise op: one loop forward (output and cached term), one loop backward. It
 * computes in double precision and stores each result once in the output dtype's TypedArray.
 */
export function elementwiseKernel(rule: ElementwiseRule): FusedKernel<{}, TypedArray> {
  const { term, value, derivative } = rule;
  return {
    forward([x]) {
      const xs = x!.dataSync();
      const dtype = outputDtype(x!);
      const out = allocate(dtype, xs.length);
      const saved = allocate(dtype, xs.length);
      for (let i = 0; i < xs.length; i++) {
        const t = term(xs[i]!);
        saved[i] = t;
        out[i] = value(xs[i]!, t);
      }
      return { output: wrap(out, x!.shape, dtype), saved };
    },
    backwardVar(grad, _index, saved, [x]) {
      const xs = x!.dataSync();
      // The engine hands backward a gradient of the output's shape.
      const gs = grad.dataSync();
      const dtype = outputDtype(x!);
      const dx = allocate(dtype, xs.length);
      for (let i = 0; i < xs.length; i++) dx[i] = gs[i]! * derivative(xs[i]!, saved[i]!);
      return wrap(dx, x!.shape, dtype);
    },
  };
}

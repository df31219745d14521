// Finite-difference gradient checks: compare the gradients backward() computes with central differences
// of the forward function, in float64.
import { type DType, noAutodiff, type Tensor, tensor } from '@mg/core';

/** Options of `numericalGradients` and `checkGradients`. */
export interface GradCheckOptions {
  /** Step relative to max(1, |x|). Default 1e-6. */
  step?: number;
  /** Relative tolerance. Default 1e-5. */
  rtol?: number;
  /** Absolute tolerance. Default 1e-7. */
  atol?: number;
  /** The upstream gradient (flat, the output's size); default: random in [-1, 1) from a fixed seed. */
  upstream?: readonly number[];
}

/** A flat float64 array with its shape: what gradient checks take as inputs. */
export interface ArrayInput {
  readonly data: readonly number[];
  readonly shape: readonly number[];
}

function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32: small, deterministic, good enough for test data.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function evaluate(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly ArrayInput[],
  dtype: DType,
): Float64Array {
  return noAutodiff(() => {
    const out = fn(...inputs.map((x) => tensor(Float64Array.from(x.data), { shape: x.shape, dtype })));
    return Float64Array.from(out.dataSync(), Number);
  });
}

/**
 * ∂(sum(upstream * fn(inputs)))/∂inputs by central differences, one element at a time, in float64.
 *
 * @param fn - The function to differentiate (its graph is not recorded).
 * @param inputs - Flat float64 data with shapes.
 * @param upstream - The weights of the output elements (flat, the output's size).
 * @param options - `step`, relative to max(1, |x|).
 * @returns One Float64Array per input.
 * @example
 * ```ts
 * const [g] = numericalGradients((x) => x.mul(x), [{ data: [3], shape: [1] }], [1]);
 * Math.round(g[0] * 1e6) / 1e6; // 6
 * ```
 */
export function numericalGradients(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly ArrayInput[],
  upstream: readonly number[],
  options: GradCheckOptions = {},
): Float64Array[] {
  const step = options.step ?? 1e-6;
  return inputs.map((input, which) => {
    const grad = new Float64Array(input.data.length);
    for (let i = 0; i < input.data.length; i++) {
      const h = step * Math.max(1, Math.abs(input.data[i]!));
      const shifted = (delta: number) =>
        inputs.map((x, j) => {
          if (j !== which) return x;
          const data = [...x.data];
          data[i] = data[i]! + delta;
          return { data, shape: x.shape };
        });
      const plus = evaluate(fn, shifted(h), 'float64');
      const minus = evaluate(fn, shifted(-h), 'float64');
      let acc = 0;
      for (let k = 0; k < plus.length; k++) acc += upstream[k]! * (plus[k]! - minus[k]!);
      grad[i] = acc / (2 * h);
    }
    return grad;
  });
}

/** The result of `checkGradients`: per input, the analytic and numerical gradients and the worst mismatch. */
export interface GradCheckResult {
  readonly analytic: Float64Array[];
  readonly numerical: Float64Array[];
  /** Descriptions of elements outside tolerance (empty when the check passes). */
  readonly mismatches: string[];
}

/**
 * Runs `fn` on float64 tensors made from `inputs`, back-propagates an upstream gradient, and compares every
 * input's `.grad` with central differences. Returns the comparison; `mismatches` is empty when all agree.
 *
 * @example
 * ```ts
 * const result = checkGradients((x) => x.mul(x).sum(), [{ data: [1, 2], shape: [2] }]);
 * result.mismatches; // []
 * ```
 */
export function checkGradients(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly ArrayInput[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-7;
  const tensors = inputs.map((x) => tensor(Float64Array.from(x.data), { shape: x.shape }));
  const out = fn(...tensors);
  const random = seededUniform(1234);
  const upstream = options.upstream ?? Array.from({ length: out.size }, () => random() * 2 - 1);
  out.backward(tensor(Float64Array.from(upstream), { shape: out.shape }));
  const analytic = tensors.map((t) =>
    Float64Array.from(t.grad?.dataSync() ?? new Float64Array(t.size), Number),
  );
  const numerical = numericalGradients(fn, inputs, upstream, options);
  const mismatches: string[] = [];
  analytic.forEach((grad, which) => {
    grad.forEach((value, i) => {
      const expected = numerical[which]![i]!;
      if (!(Math.abs(value - expected) <= atol + rtol * Math.abs(expected))) {
        mismatches.push(`input ${which}[${i}]: backward gave ${value}, finite differences ${expected}`);
      }
    });
  });
  return { analytic, numerical, mismatches };
}

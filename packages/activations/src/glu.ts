// GLU: A·σ(B) with A, B the halves of x along an axis — MyGrad's nnet.activations.glu, registered as a plugin op
// (its composite is MyGrad's composition of the halves, sigmoid and multiply) with a fused cpu kernel.
import {
  add,
  allocate,
  asInput,
  astype,
  concatenate,
  executeOp,
  expFloat32,
  MgValueError,
  multiply,
  normalizeAxis,
  Operation,
  registerKernel,
  registerOp,
  reshape,
  subtract,
  sum,
  type Tensor,
  type TensorLike,
  type TypedArray,
  tensor,
  where,
} from '@mg/core';
import { floatInputs, fusedKernel, gradValues, type Values, wrap } from './fused.js';
import { sigmoid } from './sigmoid.js';
import { integerScalar } from './validate.js';
import { gluModule, wasmKernel } from './wasm.js';

declare module '@mg/core' {
  interface OpAttrs {
    'mg.glu': { axis: number };
  }
}

/**
 * One half of `x` along `axis` (0: the first, 1: the second). @mg/core has no slicing op, so x is viewed with
 * that axis split into [2, n/2] and the other half is masked out and summed away: each element is `value + 0`,
 * exact but for the sign of a zero.
 */
function half(x: Tensor, axis: number, which: 0 | 1): Tensor {
  const size = x.shape[axis]!;
  const split = [...x.shape.slice(0, axis), 2, size / 2, ...x.shape.slice(axis + 1)];
  const maskShape = [2, ...new Array<number>(x.ndim - axis).fill(1)];
  const mask = tensor(Uint8Array.of(which === 0 ? 1 : 0, which === 1 ? 1 : 0), {
    shape: maskShape,
    dtype: 'bool',
  });
  return sum(where(mask, reshape(x, split), 0), { axis });
}

/** `t` in `dtype` (the engine casts each input's gradient to the input's dtype before it sums them). */
const asDtype = (t: Tensor, dtype: Tensor['dtype']) => (t.dtype === dtype ? t : astype(t, dtype));

/**
 * The GLU op. Forward is MyGrad's composition, `multiply(A, sigmoid(B))` with A and B the halves of x, and
 * caches A and σ(B); backward is what back-propagating through it gives: g·σ(B) into the first half of x and
 * ((g·A)·σ(B))·(1 - σ(B)) (sigmoid's backward) into the second, each plus the 0 the other half's path adds.
 */
export class Glu extends Operation<{ axis: number }> {
  static readonly id = 'mg.glu';
  private first!: Tensor;
  private gate!: Tensor;

  forward([x]: readonly Tensor[], { axis }: { axis: number }): Tensor {
    this.first = half(x!, axis, 0);
    this.gate = sigmoid(half(x!, axis, 1));
    return multiply(this.first, this.gate);
  }

  backwardVar(grad: Tensor): Tensor {
    const x = this.variables[0]!;
    const gate = this.gate;
    const viaFirst = asDtype(multiply(grad, gate), x.dtype);
    const viaGate = asDtype(multiply(grad, this.first), gate.dtype);
    const viaSecond = asDtype(multiply(multiply(viaGate, gate), subtract(1, gate)), x.dtype);
    // Each half's gradient lands in x plus the other half's zeros (so -0 becomes 0), side by side along axis.
    return concatenate([add(viaFirst, 0), add(viaSecond, 0)], { axis: this.attrs.axis });
  }
}
registerOp(Glu);

/** glu's output shape: `shape` with the size along `axis` halved. */
function halved(shape: readonly number[], axis: number): number[] {
  return shape.map((d, i) => (i === axis ? d / 2 : d));
}

/** x viewed as (outer, 2, half) blocks: `outer` pairs of halves [A, B] of `half` consecutive elements each. */
function blocks(shape: readonly number[], axis: number): { outer: number; half: number } {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let half = shape[axis]! / 2;
  for (let i = axis + 1; i < shape.length; i++) half *= shape[i]!;
  return { outer, half };
}

/**
 * The forward loop template: out = (a + 0)·σ(b) per pair, σ from e^-|b| as sigmoid's kernel has it (no overflow
 * for large |b|), each σ also written into `gate` for backward.
 */
function gluForwardLoop(
  xs: Values,
  out: TypedArray,
  gate: TypedArray,
  outer: number,
  half: number,
  exp: (v: number) => number,
): void {
  for (let o = 0, a = 0, y = 0; o < outer; o++, a += half) {
    for (let end = a + half; a < end; a++, y++) {
      const b = xs[a + half]!;
      const e = exp(-Math.abs(b));
      const s = b >= 0 ? 1 / (e + 1) : e / (e + 1);
      gate[y] = s;
      // σ as stored (rounded to float32 for float32), as multiply gets it from sigmoid in the composite.
      out[y] = (xs[a]! + 0) * gate[y]!;
    }
  }
}

/** The backward loop template: both halves of dx in one pass, from g, A (read from x again) and σ(B). */
function gluBackwardLoop(
  gs: Values,
  xs: Values,
  gate: TypedArray,
  dx: TypedArray,
  outer: number,
  half: number,
): void {
  for (let o = 0, a = 0, y = 0; o < outer; o++, a += half) {
    for (let end = a + half; a < end; a++, y++) {
      const g = gs[y]!;
      const s = gate[y]!;
      dx[a] = g * s + 0;
      dx[a + half] = g * (xs[a]! + 0) * s * (1 - s) + 0;
    }
  }
}

// One loop each way over the (outer, 2, half) blocks (float inputs; ints and bools run the composite, and so do
// empty inputs). σ is kept in the output dtype, as sigmoid's kernel keeps it, and the output is A times that σ,
// as multiply gets it. Float64 results are the composite's to the last bit (the same operations in the same
// order as sigmoid's kernel, its composite and multiply); in float32, σ comes from expFloat32 and each result is
// computed in double and rounded once (so a gradient is finite where the composite's float32 steps overflow).
registerKernel(
  Glu.id,
  'cpu',
  fusedKernel<{ axis: number }, TypedArray>(
    Glu,
    {
      forward([x], { axis }) {
        const xs = x!.dataSync();
        const { dtype } = x!;
        const { outer, half } = blocks(x!.shape, axis);
        const out = allocate(dtype, outer * half);
        const gate = allocate(dtype, outer * half);
        gluForwardLoop(xs, out, gate, outer, half, dtype === 'float32' ? expFloat32 : Math.exp);
        const shape = halved(x!.shape, axis);
        return { output: wrap(out, shape, dtype), saved: gate };
      },
      backwardVar(g, _index, gate, [x], { axis }) {
        const xs = x!.dataSync();
        const { dtype } = x!;
        const { outer, half } = blocks(x!.shape, axis);
        const dx = allocate(dtype, xs.length);
        const shape = halved(x!.shape, axis);
        gluBackwardLoop(gradValues(g, shape, gate.length), xs, gate, dx, outer, half);
        return wrap(dx, x!.shape, dtype);
      },
    },
    floatInputs,
  ),
);

// On the wasm backend, one call into the glu module each way over the same (outer, 2, half) blocks; backward
// recomputes σ(B) rather than keeping it.
registerKernel(
  Glu.id,
  'wasm',
  wasmKernel(Glu, gluModule, {
    outputShape: (x, { axis }) => halved(x.shape, axis),
    forward({ kernels, dtype, ptr, compute }, x, { axis }) {
      const { outer, half } = blocks(x.shape, axis);
      const kernel = dtype === 'float32' ? kernels.gluF32 : kernels.gluF64;
      const shape = halved(x.shape, axis);
      return { output: compute(shape, (out) => kernel(ptr(x), out, outer, half)), saved: null };
    },
    backward({ kernels, dtype, ptr, compute }, grad, _saved, x, { axis }) {
      const { outer, half } = blocks(x.shape, axis);
      const kernel = dtype === 'float32' ? kernels.gluGradF32 : kernels.gluGradF64;
      return compute(x.shape, (dx) => kernel(ptr(grad), ptr(x), dx, outer, half));
    },
  }),
);

/** Options of `glu`. */
export interface GluOptions {
  /** The axis to split in half (an integer, or a one-element int tensor). Default -1. */
  axis?: number | TensorLike;
  /** Force the output to be (or not be) a constant; default: constant iff `x` is. */
  constant?: boolean | null;
}

/**
 * The gated linear unit (Dauphin et al., "Language Modeling with Gated Convolutional Networks", 2016): x is
 * split in half along `axis` into A (first half) and B (second half), and the result is `A · σ(B)`. Computed,
 * as MyGrad's, as `multiply(A, sigmoid(B))`, so both halves get gradients.
 *
 * @param x - The input; its size along `axis` must be even.
 * @param options - `axis` (default -1), `constant`.
 * @returns A·σ(B): x's shape with the size along `axis` halved; float inputs keep their dtype, int inputs give
 *   float64.
 * @throws MgTypeError when `axis` is not an integer (the message names the value and its type); AxisError when
 *   it is out of range for x (a 0-d x has no axis to split); MgValueError when x's size along `axis` is odd.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 0, 100]]);
 * const y = glu(x);
 * y.toArray(); // [[0.5, 2]]
 * y.backward();
 * x.grad?.toArray(); // [[0.5, 1, 0.25, 0]]
 * glu(tensor([[1, 2], [0, 100]]), { axis: 0 }).toArray(); // [[0.5, 2]]
 * ```
 */
export function glu(x: TensorLike, options: GluOptions = {}): Tensor {
  const input = asInput(x);
  const { axis: given = -1 } = options;
  const axis = normalizeAxis('glu', integerScalar('glu', 'axis', given), input.ndim);
  if (input.shape[axis]! % 2 !== 0) {
    throw new MgValueError(
      `glu: x must split in half along axis ${axis}, but its shape [${input.shape.join(', ')}] has an odd size there`,
    );
  }
  return executeOp(Glu, [input], { attrs: { axis }, constant: options.constant });
}

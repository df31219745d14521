// What the windowed layers share: MyGrad's per-dimension parameters (an int, or one per dimension) and the
// sliding windows over trailing dimensions, gathered with broadcast integer indices (MyGrad's
// sliding_window_view, as a differentiable gather: backward scatters into the input).
import { getitem, type IndexComponent, MgTypeError, MgValueError, type Tensor, tensor } from '@mg/core';

/**
 * `value` as n integers: one integer for every dimension, or a sequence of n. Each must be at least `min`
 * (MyGrad asserts this; mg throws MgValueError, or MgTypeError for what is not an integer).
 */
export function perDimension(op: string, name: string, value: unknown, n: number, min: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new MgTypeError(op, `\`${name}\` to be an integer or a sequence of ${n} integers`, value);
  }
  if (list.length !== n || list.some((v) => v < min)) {
    throw new MgValueError(
      `${op}: \`${name}\` must be ${n} integers, each at least ${min}; got ${JSON.stringify(value)}`,
    );
  }
  return list as number[];
}

/**
 * The number of window placements along each trailing dimension, or MgValueError with MyGrad's message when a
 * window does not tile a dimension exactly ("Stride and kernel dimensions are incompatible").
 */
export function placements(
  op: string,
  sizes: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  describe: string,
): number[] {
  const out = sizes.map((size, i) => (size - ((kernel[i]! - 1) * dilation[i]! + 1)) / stride[i]! + 1);
  if (!out.every((o) => Number.isInteger(o) && o > 0)) {
    throw new MgValueError(
      `${op}: Stride and kernel dimensions are incompatible: input dimensions (${sizes.join(', ')}), ${describe}`,
    );
  }
  return out;
}

/**
 * The windows of x over its last `kernel.length` dimensions: shape (...leading, O0, …, K0, …), where window
 * (o0, …) holds x[..., o0·s0 + k0·d0, …]. A gather (getitem with one broadcast int32 index per dimension), so
 * its gradient adds each window's back into x.
 */
export function windows(
  x: Tensor,
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  out: readonly number[],
): Tensor {
  const d = kernel.length;
  const indices: IndexComponent[] = kernel.map((k, i) => {
    const o = out[i]!;
    const values = new Int32Array(o * k);
    for (let p = 0; p < o; p++)
      for (let q = 0; q < k; q++) values[p * k + q] = p * stride[i]! + q * dilation[i]!;
    const shape = new Array<number>(2 * d).fill(1);
    shape[i] = o;
    shape[d + i] = k;
    return tensor(values, { dtype: 'int32', shape });
  });
  try {
    return getitem(x, ['...', ...indices]);
  } finally {
    // getitem copies the indices it is given: they need not wait for a GC (wasm memory).
    for (const index of indices) (index as Tensor).dispose();
  }
}

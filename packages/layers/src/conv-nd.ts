// convNd: MyGrad's nnet.layers.conv_nd, as padding (concatenated zeros), windows (a gather) and an einsum with the
// filters.
import {
  asInput,
  concatenate,
  einsum,
  MgValueError,
  type OpOptions,
  type Tensor,
  type TensorLike,
  zeros,
} from '@mg/core';
import { perDimension, placements, windows } from './windows.js';

/** Options of `convNd`. */
export interface ConvNdOptions extends OpOptions {
  /** Zeros added on both sides of each convolved dimension: an integer, or one per dimension (default 0). */
  readonly padding?: number | readonly number[];
  /** The spacing of the filter's taps: a positive integer, or one per dimension (default 1). */
  readonly dilation?: number | readonly number[];
}

/**
 * The N-d convolution (cross-correlation, as in deep learning) of a batch with a bank of filters:
 * `out[n, f, o…] = Σ_{c, k…} x[n, c, o·stride + k·dilation …] · w[f, c, k…]`, over x zero-padded by `padding`.
 *
 * @param x - Shape (N, C, X0, …): N data of C channels, at least one convolved dimension.
 * @param filterBank - Shape (F, C, K0, …): F filters over the same channels and as many dimensions.
 * @param stride - The step between placements: a positive integer, or one per convolved dimension.
 * @param options - `padding`, `dilation` (see ConvNdOptions); `constant`: force the output's constant flag.
 * @returns Shape (N, F, O0, …), Oi = (Xi + 2·padi - ((Ki - 1)·dilationi + 1)) / stridei + 1.
 * @throws MgValueError when x has fewer than 3 dimensions, x and the filters differ in dimensions or channels,
 *   the placements do not tile x exactly, or `stride`/`padding`/`dilation` are out of range (MyGrad asserts:
 *   AssertionError); MgTypeError when they are not integers.
 * @example
 * ```ts
 * const x = tensor([[[1, 2, 3, 4]]]); // N = 1, C = 1, X = 4
 * const w = tensor([[[1, -1]]]); // F = 1, K = 2
 * const y = convNd(x, w, 1);
 * y.toArray(); // [[[-1, -1, -1]]]
 * y.backward();
 * w.grad?.toArray(); // [[[6, 9]]]
 * ```
 */
export function convNd(
  x: TensorLike,
  filterBank: TensorLike,
  stride: number | readonly number[],
  options: ConvNdOptions = {},
): Tensor {
  const op = 'convNd';
  const data = asInput(x);
  const filters = asInput(filterBank);
  if (data.ndim < 3) {
    throw new MgValueError(
      `${op}: \`x\` must possess at least three dimensions, got ${data.ndim} dimensions`,
    );
  }
  if (data.ndim !== filters.ndim) {
    throw new MgValueError(
      `${op}: \`x\` (${data.ndim}-dimensions) must have the same dimensionality as \`filter_bank\` (${filters.ndim}-dimensions)`,
    );
  }
  if (filters.shape[1] !== data.shape[1]) {
    throw new MgValueError(
      `${op}: \`x.shape[1]\` (${data.shape[1]}) must match \`filter_bank.shape[1]\` (${filters.shape[1]})`,
    );
  }
  const d = data.ndim - 2;
  const kernel = filters.shape.slice(2);
  const dilation = perDimension(op, 'dilation', options.dilation ?? 1, d, 1);
  const padding = perDimension(op, 'padding', options.padding ?? 0, d, 0);
  const steps = perDimension(op, 'stride', stride, d, 1);
  const sizes = data.shape.slice(2).map((size, i) => size + 2 * padding[i]!);
  const out = placements(
    op,
    sizes,
    kernel,
    steps,
    dilation,
    `stride (${steps.join(', ')}), kernel (${kernel.join(', ')}), padding (${padding.join(', ')}), dilation (${dilation.join(', ')})`,
  );
  let padded = data;
  padding.forEach((p, i) => {
    if (p === 0) return;
    const shape = [...padded.shape];
    shape[2 + i] = p;
    const side = zeros(shape, { dtype: padded.dtype });
    padded = concatenate([side, padded, side], { axis: 2 + i });
  });
  const grid = windows(padded, kernel, steps, dilation, out); // (N, C, O…, K…)
  // One einsum letter per convolved dimension for the placements and for the taps (n, c, f are taken).
  const o = 'ghijklm'.slice(0, d);
  const k = 'pqrstuv'.slice(0, d);
  if (d > o.length) throw new MgValueError(`${op}: at most ${o.length} convolved dimensions, got ${d}`);
  return einsum(`nc${o}${k},fc${k}->nf${o}`, grid, filters, { constant: options.constant });
}

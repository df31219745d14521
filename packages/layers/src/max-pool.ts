// maxPool: MyGrad's nnet.layers.max_pool, as windows (a gather) and a max over each.
import { asInput, MgValueError, max, type OpOptions, reshape, type Tensor, type TensorLike } from '@mg/core';
import { perDimension, placements, windows } from './windows.js';

/**
 * Max-pooling over the trailing `pool.length` dimensions of x: each output element is the maximum of one
 * window of shape `pool`, the windows `stride` apart. The gradient goes to the first maximum of each window (in
 * row-major order), as MyGrad's.
 *
 * @param x - The data: shape (...leading, X0, …), at least `pool.length` dimensions.
 * @param pool - The window shape: one positive integer per pooled dimension.
 * @param stride - The step between windows: a positive integer, or one per pooled dimension.
 * @param options - `constant`: force the output's constant flag.
 * @returns Shape (...leading, O0, …), Oi = (Xi - pooli) / stridei + 1.
 * @throws MgValueError when the windows do not tile the pooled dimensions exactly, or `pool`/`stride` are not
 *   positive (MyGrad asserts: AssertionError); MgTypeError when they are not integers.
 * @example
 * ```ts
 * const x = tensor([[1, 5, 2, 0], [3, 4, 8, 1]]);
 * const y = maxPool(x, [2], 2);
 * y.toArray(); // [[5, 2], [4, 8]]
 * y.backward();
 * x.grad?.toArray(); // [[0, 1, 1, 0], [0, 1, 1, 0]]
 * ```
 */
export function maxPool(
  x: TensorLike,
  pool: readonly number[],
  stride: number | readonly number[],
  options: OpOptions = {},
): Tensor {
  const op = 'maxPool';
  const input = asInput(x);
  if (!Array.isArray(pool)) throw new MgValueError(`${op}: \`pool\` must be a sequence of positive integers`);
  const d = pool.length;
  const kernel = perDimension(op, 'pool', pool, d, 1);
  if (input.ndim < d) {
    throw new MgValueError(
      `${op}: the number of pooled dimensions (${d}) cannot exceed the data's (${input.ndim})`,
    );
  }
  const steps = perDimension(op, 'stride', stride, d, 1);
  const sizes = input.shape.slice(input.ndim - d);
  const ones = new Array<number>(d).fill(1);
  const out = placements(
    op,
    sizes,
    kernel,
    steps,
    ones,
    `stride (${steps.join(', ')}), pool (${kernel.join(', ')})`,
  );
  const grid = windows(input, kernel, steps, ones, out);
  const flat = reshape(grid, [...grid.shape.slice(0, grid.ndim - d), -1]);
  return max(flat, { axis: -1, constant: options.constant });
}

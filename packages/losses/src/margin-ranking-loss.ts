// marginRankingLoss: MyGrad's nnet.losses.margin_ranking_loss, composed of public mg functions.
import {
  asInput,
  isFloat,
  lessEqual,
  MgTypeError,
  MgValueError,
  mean,
  multiply,
  type OpOptions,
  subtract,
  type Tensor,
  type TensorLike,
  tensor,
  where,
} from '@mg/core';

/**
 * The mean margin ranking loss of pairs of scores: `mean(max(0, margin - y·(x1 - x2)))`, where y = 1 says x1
 * should rank higher and y = -1 that x2 should. A term that is not positive counts 0 (and has no gradient); a NaN
 * term stays NaN, as MyGrad's.
 *
 * @param x1 - Shape-(N,) or (N, D) float scores.
 * @param x2 - Float scores of x1's shape.
 * @param y - 1 or -1 for every pair: a scalar, or shape-(N,) (broadcast over D). Never differentiated.
 * @param margin - A non-negative number.
 * @param options - `constant`: force the output's constant flag.
 * @returns The mean loss, a 0-d tensor.
 * @throws MgValueError when x1 is not 1-d or 2-d, x1 and x2 differ in shape, `margin` is not a non-negative
 *   number, or `y` is neither a scalar nor shape-(N,); MgTypeError when x1 or x2 does not hold floats.
 * @example
 * ```ts
 * const x1 = tensor([1, 2, 3]);
 * const x2 = tensor([2, 0, 3]);
 * const loss = marginRankingLoss(x1, x2, 1, 0.5);
 * loss.item(); // 0.6666666666666666
 * loss.backward();
 * x1.grad?.toArray(); // [-0.3333333333333333, 0, -0.3333333333333333]
 * ```
 */
export function marginRankingLoss(
  x1: TensorLike,
  x2: TensorLike,
  y: TensorLike,
  margin: number,
  options: OpOptions = {},
): Tensor {
  const op = 'marginRankingLoss';
  const a = asInput(x1);
  const b = asInput(x2);
  if (a.ndim < 1 || a.ndim > 2) throw new MgValueError(`${op}: \`x1\` must have shape (N,) or (N, D)`);
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new MgValueError(`${op}: \`x1\` and \`x2\` must have the same shape`);
  }
  if (!isFloat(a.dtype)) throw new MgTypeError(op, '`x1` to contain floats', `${a.dtype} data`);
  if (!isFloat(b.dtype)) throw new MgTypeError(op, '`x2` to contain floats', `${b.dtype} data`);
  // As MyGrad's `isinstance(margin, Real) and not margin < 0`: NaN passes.
  if (typeof margin !== 'number' || margin < 0) {
    throw new MgValueError(`${op}: \`margin\` must be a non-negative scalar, got ${String(margin)}`);
  }
  // MyGrad takes y's data (no gradient); one element is a scalar, which keeps x's float dtype.
  let sign: Tensor | number = tensor(y, { constant: true });
  if (sign.size === 1) sign = Number(sign.item());
  else if (sign.ndim !== 1 || sign.shape[0] !== a.shape[0]) {
    throw new MgValueError(`${op}: \`y\` must be a scalar or shape-(N,) array of ones`);
  } else if (a.ndim === 2) sign = sign.reshape([-1, 1]);
  const terms = subtract(margin, multiply(sign, subtract(a, b)));
  return mean(where(lessEqual(terms, 0), 0, terms), { constant: options.constant });
}

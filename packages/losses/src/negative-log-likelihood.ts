// negativeLogLikelihood: MyGrad's nnet.losses.negative_log_likelihood, composed of public mg functions.
import {
  asInput,
  getitem,
  MgValueError,
  mean,
  multiply,
  negative,
  type OpOptions,
  ones,
  type Tensor,
  type TensorLike,
  tensor,
} from '@mg/core';
import { classLabels, rows } from './validate.js';

/** Options of `negativeLogLikelihood`. */
export interface NegativeLogLikelihoodOptions extends OpOptions {
  /** Shape-(C,) weight of each class (default: all 1). Never differentiated. */
  readonly weights?: TensorLike | null;
}

/**
 * The mean, weighted negative log-likelihood of N rows of class log-probabilities at their true classes:
 * `-mean(x[i, y_true[i]] · weights[y_true[i]])`.
 *
 * @param x - Shape-(N, C) log-probabilities (e.g. `logSoftmax(scores)`).
 * @param yTrue - Shape-(N,) true class indices in [0, C) (negative ones count from the end): an int32 tensor,
 *   an integer TypedArray or an array of integers. Never differentiated.
 * @param options - `weights`: shape-(C,) class weights; `constant`: force the output's constant flag.
 * @returns The mean loss, a 0-d tensor.
 * @throws MgValueError when `x` is not 2-d, `yTrue` is not shape-(N,) or `weights` not shape-(C,); MgTypeError
 *   when `yTrue` is not integer data; MgIndexError for a class index out of range.
 * @example
 * ```ts
 * const x = tensor([
 *   [-0.5, -1, -2],
 *   [-3, -0.1, -4],
 * ]);
 * const loss = negativeLogLikelihood(x, [0, 1], { weights: [2, 1, 1] });
 * loss.item(); // 0.55
 * loss.backward();
 * x.grad?.toArray(); // [[-1, 0, 0], [0, -0.5, 0]]
 * ```
 */
export function negativeLogLikelihood(
  x: TensorLike,
  yTrue: TensorLike,
  options: NegativeLogLikelihoodOptions = {},
): Tensor {
  const op = 'negativeLogLikelihood';
  const logProbs = asInput(x);
  const labels = classLabels(op, logProbs, yTrue);
  const [n, c] = logProbs.shape as [number, number];
  // MyGrad takes the weights' data: they get no gradient.
  const weights = options.weights == null ? ones([c]) : tensor(options.weights, { constant: true });
  if (weights.ndim !== 1 || weights.shape[0] !== c) {
    throw new MgValueError(
      `${op}: \`weights\` must be a shape-(C,) array: expected shape (${c},), got (${weights.shape.join(', ')}${weights.ndim === 1 ? ',' : ''})`,
    );
  }
  const picked = multiply(getitem(logProbs, [rows(n), labels]), getitem(weights, labels));
  return negative(mean(picked, { constant: options.constant }));
}

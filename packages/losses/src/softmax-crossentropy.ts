// softmaxCrossentropy: MyGrad's nnet.losses.softmax_crossentropy, composed of public mg functions.
import { logSoftmax } from '@mg/activations';
import {
  asInput,
  divide,
  getitem,
  negative,
  type OpOptions,
  sum,
  type Tensor,
  type TensorLike,
} from '@mg/core';
import { classLabels, rows } from './validate.js';

/**
 * The mean cross-entropy of the softmax of N rows of class scores against their true classes:
 * `-Σᵢ log softmax(x)[i, y_true[i]] / N`, with log-softmax computed stably (max subtraction). Its gradient is
 * `(softmax(x) - onehot(y_true)) / N`.
 *
 * @param x - Shape-(N, C) scores (C classes for each of N data).
 * @param yTrue - Shape-(N,) true class indices in [0, C) (negative ones count from the end): an int32 tensor,
 *   an integer TypedArray or an array of integers. Never differentiated.
 * @param options - `constant`: force the output's constant flag.
 * @returns The mean loss, a 0-d tensor of x's float dtype (float64 for integer scores).
 * @throws MgValueError when `x` is not 2-d or `yTrue` is not shape-(N,); MgTypeError when `yTrue` is not
 *   integer data; MgIndexError for a class index out of range.
 * @example
 * ```ts
 * const x = tensor([
 *   [2, 2, 2],
 *   [0, 0, 1e6],
 * ]);
 * const loss = softmaxCrossentropy(x, [0, 2]);
 * loss.item(); // 0.5493061443340549
 * loss.backward();
 * x.grad?.toArray(); // [[-0.33333333333333337, 0.16666666666666666, 0.16666666666666666], [0, 0, 0]]
 * ```
 */
export function softmaxCrossentropy(x: TensorLike, yTrue: TensorLike, options: OpOptions = {}): Tensor {
  const scores = asInput(x);
  const labels = classLabels('softmaxCrossentropy', scores, yTrue);
  const n = scores.shape[0]!;
  const picked = getitem(logSoftmax(scores, { axis: -1 }), [rows(n), labels]);
  return divide(negative(sum(picked)), n, { constant: options.constant });
}

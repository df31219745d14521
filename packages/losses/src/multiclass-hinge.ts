// multiclassHinge: MyGrad's nnet.losses.multiclass_hinge, composed of public mg functions.
import {
  add,
  asInput,
  divide,
  getitem,
  lessEqual,
  logicalOr,
  type OpOptions,
  reshape,
  subtract,
  sum,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { classLabels, labelMask, numberParam, rows } from './validate.js';

/** Options of `multiclassHinge`. */
export interface MulticlassHingeOptions extends OpOptions {
  /** The margin each wrong class's score must stay below the true class's by (default 1). */
  readonly hinge?: number;
}

/**
 * The mean multiclass hinge (SVM) loss of N rows of class scores:
 * `Σᵢ Σ_{j ≠ y_true[i]} max(0, x[i, j] - x[i, y_true[i]] + hinge) / N`. A margin that is not positive counts 0
 * (and has no gradient); a NaN margin stays NaN, as MyGrad's.
 *
 * @param x - Shape-(N, C) scores.
 * @param yTrue - Shape-(N,) true class indices in [0, C) (negative ones count from the end): an int32 tensor,
 *   an integer TypedArray or an array of integers. Never differentiated.
 * @param options - `hinge`: the margin (default 1); `constant`: force the output's constant flag.
 * @returns The mean loss, a 0-d tensor.
 * @throws MgValueError when `x` is not 2-d or `yTrue` is not shape-(N,); MgTypeError when `yTrue` is not
 *   integer data or `hinge` not a number; MgIndexError for a class index out of range.
 * @example
 * ```ts
 * const x = tensor([
 *   [3, 1, 2.5],
 *   [0, 2, 1],
 * ]);
 * const loss = multiclassHinge(x, [0, 1]);
 * loss.item(); // 0.25
 * loss.backward();
 * x.grad?.toArray(); // [[-0.5, 0, 0.5], [0, 0, 0]]
 * ```
 */
export function multiclassHinge(
  x: TensorLike,
  yTrue: TensorLike,
  options: MulticlassHingeOptions = {},
): Tensor {
  const op = 'multiclassHinge';
  const hinge = numberParam(op, 'hinge', options.hinge ?? 1);
  const scores = asInput(x);
  const labels = classLabels(op, scores, yTrue);
  const [n, c] = scores.shape as [number, number];
  const correct = reshape(getitem(scores, [rows(n), labels]), [n, 1]);
  const margins = add(subtract(scores, correct), hinge);
  // Zero where the margin is not positive, and at the true class (whose margin is always `hinge`).
  const dropped = logicalOr(lessEqual(margins, 0), labelMask(labels, c));
  return divide(sum(where(dropped, 0, margins)), n, { constant: options.constant });
}

// focalLoss and softmaxFocalLoss: MyGrad's nnet.losses.focal_loss (an Operation, whose backward handles
// p → 1 and γ < 1 by L'Hôpital) and softmax_focal_loss (softmax, then focal_loss).
import { softmax } from '@mg/activations';
import {
  add,
  asInput,
  clip,
  divide,
  executeOp,
  getitem,
  lessEqual,
  log,
  MgValueError,
  multiply,
  negative,
  Operation,
  type OpOptions,
  power,
  registerOp,
  requirePluginApi,
  reshape,
  subtract,
  type Tensor,
  type TensorLike,
  where,
} from '@mg/core';
import { classLabels, labelMask, numberParam, rows } from './validate.js';

requirePluginApi(1, '@mg/losses');

/** FocalLoss's attributes: the weighting α, the focusing γ and each datum's true class (in [0, C)). */
export interface FocalLossAttrs {
  readonly alpha: number;
  readonly gamma: number;
  readonly labels: Int32Array;
}

declare module '@mg/core' {
  interface OpAttrs {
    'mg.focalLoss': FocalLossAttrs;
  }
}

/**
 * The focal loss of each datum, `-α·(1 - p)^γ·log p` with p the probability of its true class (1 - p clipped to
 * [0, 1]); backward is MyGrad's closed form, not the composition's (which is NaN where 1 - p = 0).
 */
export class FocalLoss extends Operation<FocalLossAttrs> {
  static readonly id = 'mg.focalLoss';
  private p!: Tensor;
  private q!: Tensor;
  private logP!: Tensor;
  private qGamma!: Tensor;

  forward([probs]: readonly Tensor[], { alpha, gamma, labels }: FocalLossAttrs): Tensor {
    this.p = getitem(probs!, [rows(labels.length), labels]);
    this.q = clip(subtract(1, this.p), 0, 1);
    this.logP = log(this.p);
    this.qGamma = power(this.q, gamma);
    return negative(multiply(multiply(alpha, this.qGamma), this.logP));
  }

  backwardVar(grad: Tensor): Tensor {
    const { alpha, gamma, labels } = this.attrs;
    const { p, q, logP, qGamma } = this;
    // dL/dp = -α·((1 - p)^γ / p - γ·(1 - p)^(γ-1)·log p), with np.isclose's branches; subtracted from 0 as
    // MyGrad's `back[labels] -= …` does (a zero slope is +0).
    let slope: Tensor;
    if (Math.abs(gamma) <= 1e-15) slope = subtract(0, divide(alpha, p));
    else {
      let term2: Tensor;
      if (Math.abs(gamma - 1) <= 1e-8 + 1e-15) term2 = negative(logP);
      else {
        term2 = multiply(multiply(-gamma, power(q, gamma - 1)), logP);
        // For γ < 1 and p → 1 the term → 0 (L'Hôpital); MyGrad zeroes it where |1 - p| ≤ 1e-25.
        if (gamma < 1) term2 = where(lessEqual(q, 1e-25), 0, term2);
      }
      slope = subtract(0, multiply(alpha, add(divide(qGamma, p), term2)));
    }
    const [n, c] = this.variables[0]!.shape as [number, number];
    const perDatum = reshape(multiply(slope, grad), [n, 1]);
    return where(labelMask(labels, c), perDatum, 0);
  }
}
registerOp(FocalLoss);

/** Options of `focalLoss` and `softmaxFocalLoss`. */
export interface FocalLossOptions extends OpOptions {
  /** The weighting factor α (default 1). */
  readonly alpha?: number;
  /** The focusing parameter γ ≥ 0 (default 0: the cross entropy of the probabilities, scaled by α). */
  readonly gamma?: number;
}

/**
 * The focal loss (Lin et al., "Focal Loss for Dense Object Detection", 2017) of each of N data:
 * `-α·(1 - p)^γ·log p`, with p the probability the datum's row gives its true class. γ = 0 is α times the cross
 * entropy; larger γ down-weights well-classified data.
 *
 * @param classProbs - Shape-(N, C) class probabilities.
 * @param targets - Shape-(N,) true class indices in [0, C) (negative ones count from the end): an int32 tensor,
 *   an integer TypedArray or an array of integers. Never differentiated.
 * @param options - `alpha` (default 1), `gamma` (default 0, non-negative); `constant`: force the output's
 *   constant flag.
 * @returns The shape-(N,) losses (not their mean).
 * @throws MgValueError when `gamma` is not a non-negative number, `classProbs` is not 2-d or `targets` not
 *   shape-(N,); MgTypeError when `targets` is not integer data or `alpha` not a number; MgIndexError for a class
 *   index out of range.
 * @example
 * ```ts
 * const p = tensor([
 *   [0.5, 0.25, 0.25],
 *   [0.1, 0.8, 0.1],
 * ]);
 * const loss = focalLoss(p, [0, 1], { gamma: 2 });
 * loss.toArray(); // [0.17328679513998632, 0.008925742052568391]
 * ```
 */
export function focalLoss(
  classProbs: TensorLike,
  targets: TensorLike,
  options: FocalLossOptions = {},
): Tensor {
  const op = 'focalLoss';
  const { alpha = 1, gamma = 0, constant } = options;
  // MyGrad: `not isinstance(gamma, Real) or gamma < 0` (NaN passes).
  if (typeof gamma !== 'number' || gamma < 0) {
    throw new MgValueError(`${op}: \`gamma\` must be a non-negative number, got: ${String(gamma)}`);
  }
  const probs = asInput(classProbs);
  const labels = classLabels(op, probs, targets);
  return executeOp(FocalLoss, [probs], {
    attrs: { alpha: numberParam(op, 'alpha', alpha), gamma, labels },
    constant,
  });
}

/**
 * The focal loss of the softmax of N rows of class scores: `focalLoss(softmax(scores), targets, options)`.
 *
 * @param scores - Shape-(N, C) class scores.
 * @param targets - Shape-(N,) true class indices (see `focalLoss`). Never differentiated.
 * @param options - `alpha` (default 1), `gamma` (default 0); `constant`: force the output's constant flag.
 * @returns The shape-(N,) losses.
 * @throws As `focalLoss`.
 * @example
 * ```ts
 * const scores = tensor([[2, 0, 0]]);
 * const loss = softmaxFocalLoss(scores, [0], { gamma: 1 });
 * loss.toArray(); // [0.051026378732398306]
 * ```
 */
export function softmaxFocalLoss(
  scores: TensorLike,
  targets: TensorLike,
  options: FocalLossOptions = {},
): Tensor {
  return focalLoss(softmax(asInput(scores)), targets, options);
}

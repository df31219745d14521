// @mg/losses: MyGrad's loss functions (mygrad.nnet.losses), built on @mg/core's public API and
// @mg/activations, as a third-party plugin would be.
export {
  FocalLoss,
  type FocalLossAttrs,
  type FocalLossOptions,
  focalLoss,
  softmaxFocalLoss,
} from './focal-loss.js';
export { marginRankingLoss } from './margin-ranking-loss.js';
export { type MulticlassHingeOptions, multiclassHinge } from './multiclass-hinge.js';
export { type NegativeLogLikelihoodOptions, negativeLogLikelihood } from './negative-log-likelihood.js';
export { softmaxCrossentropy } from './softmax-crossentropy.js';

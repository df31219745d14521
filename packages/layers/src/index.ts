// @mg/layers: MyGrad's neural-network layers (mygrad.nnet.layers), built on @mg/core's public API and
// @mg/activations, as a third-party plugin would be.
export { type BatchnormOptions, batchnorm } from './batchnorm.js';
export { type ConvNdOptions, convNd } from './conv-nd.js';
export { type GruOptions, gru } from './gru.js';
export {
  type ConstantOptions,
  type GainOptions,
  type InitializerOptions,
  initializers,
  type NormalOptions,
  type UniformOptions,
} from './initializers.js';
export { maxPool } from './max-pool.js';

// @mg/activations: MyGrad's activation functions, each registered with @mg/core as a plugin op.
export { Elu, elu } from './elu.js';

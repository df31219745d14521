// @mg/activations: MyGrad's activation functions, each registered with @mg/core as a plugin op (or composed of
// @mg/core's public functions where MyGrad composes them too).
export { Elu, elu } from './elu.js';
export { Glu, type GluOptions, glu } from './glu.js';
export { HardTanh, type HardTanhOptions, hardTanh } from './hard-tanh.js';
export { LeakyRelu, leakyRelu } from './leaky-relu.js';
export { LogSoftmax, logSoftmax, logsoftmax } from './log-softmax.js';
export { Relu, relu } from './relu.js';
export { Selu, selu } from './selu.js';
export { Sigmoid, sigmoid } from './sigmoid.js';
export { SoftSign, softSign } from './soft-sign.js';
export { Softmax, type SoftmaxAttrs, type SoftmaxOptions, softmax } from './softmax.js';
export { tanh } from './tanh.js';

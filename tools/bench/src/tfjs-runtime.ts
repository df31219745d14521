// TensorFlow.js as one CommonJS bundle: tfjs-core's ESM build with all its gradients registered (the npm
// `main` of tfjs-core registers none; @tensorflow/tfjs, which does, is not a dependency here) and both
// backends, built from their ESM sources so that everything shares a single copy of tfjs-core.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';

export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
export * as tf from '@tensorflow/tfjs-core';

// The backend conformance suite of @mg/testing, run against the wasm backend, with the latitude its own math
// needs: the suite's references are V8's Math, the wasm kernels use AssemblyScript's (musl's) libm and
// vectorised float32 exp/log polynomials, and float32 matmul accumulates in float32 like BLAS sgemm.
import { describeBackendKernels } from '@mg/testing/backend-suite';
import { createWasmBackend } from '../src/index.js';

describeBackendKernels('wasm', () => createWasmBackend(), {
  tolerance: {
    // Two libms, each within about 1-2 ulps; the f32x4 exp/log polynomials stay within four.
    transcendentalUlps: (op, dtype) =>
      op === 'pow' || op === 'atan2' ? 2 : dtype === 'float32' && (op === 'exp' || op === 'log') ? 4 : 3,
    float32MatmulAccumulation: 'float32',
  },
});

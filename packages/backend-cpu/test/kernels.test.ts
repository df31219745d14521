// The backend conformance suite of @mg/testing, run against the cpu backend, whose results are JavaScript's Math
// bit for bit (except float32 exp) with float32 matmul accumulated in double: the suite's default tolerances.
import { describeBackendKernels } from '@mg/testing/backend-suite';
import { createCpuBackend } from '../src/index.js';

describeBackendKernels('cpu', () => createCpuBackend(), {
  // float32 exp is core's expFloat32: within one float32 ulp of Math.exp, twice as fast.
  tolerance: { transcendentalUlps: (op, dtype) => (op === 'exp' && dtype === 'float32' ? 1 : 0) },
});

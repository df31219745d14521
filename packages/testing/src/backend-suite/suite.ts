// describeBackendKernels: the kernel-level conformance suite every mg backend must pass, registered as vitest
// describe/it blocks for one backend.
import type { Backend } from '@mg/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractTests } from './contract.js';
import { elementwiseBeyondTests, elementwiseTests } from './elementwise.js';
import {
  type BackendSuiteOptions,
  Harness,
  Registry,
  resolveTolerance,
  type SuiteContext,
} from './harness.js';
import { layoutTests } from './layout.js';
import { matmulTests } from './matmul.js';
import { reductionBeyondTests, reductionTests } from './reductions.js';

/**
 * Registers the backend conformance suite for one backend as vitest `describe`/`it` blocks: every primitive
 * kernel against naive references on fast-check inputs (random shapes, empty and 0-d tensors, IEEE special
 * values, int32 wrap-around, broadcasting, long rows and the shapes where blocked or vectorised loops change
 * regime), NumPy's semantics at the edges as golden values, and the storage, memory-accounting and dispose
 * contract. A new backend is done when this suite passes for it. Call it at the top level of a test file.
 *
 * Groups: `unary`, `binary`, `where`, `cast`, `broadcastTo`, `golden values`, `reduce`, `argReduce`,
 * `cumulative`, `matmul`, `transpose`, `slice`, `gather`, `scatterAdd`, `concat`, `pad`, `fill` (the kernels);
 * `backend`, `storage`, `memory`, `dispose`, `kernel outputs` (the backend object); and `beyond the contract`:
 * behaviour core never relies on (bool sums, float functions on int32, NaN cast to int32, empty
 * arg-reductions) that the first-party backends share, which a new backend may skip.
 *
 * After every kernel test the suite disposes each input it wrote and each output a kernel returned, and checks
 * that `memory()` is back where the test started (a kernel that leaks a temporary fails there).
 *
 * @param name - The title of the top-level describe block (usually the backend's name).
 * @param create - Makes the backend. The suite calls it once for the kernel tests and once per storage and
 *   memory test, and calls `init()` on what it returns (so return a backend that is not initialised yet, or one
 *   whose `init` may be called again).
 * @param options - Numerical tolerances (`transcendentalUlps`, `float32MatmulAccumulation`) and tests to skip.
 * @throws Error (as a failing test) when a skip pattern matches no test.
 * @example
 * ```ts
 * // test/kernels.test.ts of a backend package, run by vitest
 * import { describeBackendKernels } from '@mg/testing/backend-suite';
 * import { createMyBackend } from '../src/index.js';
 *
 * describeBackendKernels('my-backend', () => createMyBackend(), {
 *   tolerance: { transcendentalUlps: 2, float32MatmulAccumulation: 'float32' },
 *   skip: ['beyond the contract'],
 * });
 * ```
 */
export function describeBackendKernels(
  name: string,
  create: () => Backend | Promise<Backend>,
  options: BackendSuiteOptions = {},
): void {
  const harness = new Harness();
  const registry = new Registry(options.skip ?? [], harness);
  const fresh = async (): Promise<Backend> => {
    const backend = await create();
    await backend.init();
    return backend;
  };
  describe(name, () => {
    beforeAll(async () => {
      harness.backend = await fresh();
    });
    const root = registry.root();
    const ctx: SuiteContext = { root, h: harness, tolerance: resolveTolerance(options.tolerance), fresh };
    elementwiseTests(ctx);
    reductionTests(ctx);
    matmulTests(ctx);
    layoutTests(ctx);
    contractTests(ctx);
    root.group('beyond the contract', (g) => {
      elementwiseBeyondTests(g, ctx);
      reductionBeyondTests(g, ctx);
    });
    // Vitest collects every describe block before running any test, so by now each pattern has been tried.
    it('names only existing tests in its skip patterns', () => {
      expect(registry.unmatched(), 'skip patterns that match no test').toEqual([]);
    });
  });
}

// The backend suite's plumbing: its options, the backend under test with every DataId a test makes recorded
// (and disposed, with a leak check, when the test ends), and test registration with skip patterns and
// fast-check property tables.
import type { Backend, BinaryOp, DataId, PrimitiveKernels, TensorInfo, TypedArray, UnaryOp } from '@mg/core';
import { PRIMITIVE_NAMES } from '@mg/core';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestArray } from './reference.js';

/** The functions whose last bits may differ between math libraries (see `BackendSuiteTolerance`). */
export type TranscendentalOp =
  | Exclude<
      UnaryOp,
      | 'neg'
      | 'abs'
      | 'sign'
      | 'square'
      | 'logicalNot'
      | 'isnan'
      | 'isinf'
      | 'isfinite'
      | 'floor'
      | 'ceil'
      | 'round'
      | 'trunc'
      | 'sqrt'
      | 'reciprocal'
    >
  | Extract<BinaryOp, 'pow' | 'atan2'>;

/** Per-backend numerical latitude of the suite. The defaults demand what the cpu backend does. */
export interface BackendSuiteTolerance {
  /**
   * Ulps (machine epsilons relative to the value) a transcendental function may differ from JavaScript's `Math`
   * (computed in double, rounded once to float32): the unary functions from `cbrt` on except `reciprocal`, and
   * binary `pow` and `atan2`. A number for all of them, or one per function and float dtype. Default 0 (bit
   * for bit). A backend with its own libm (musl in WebAssembly, a GPU's) needs a few.
   */
  readonly transcendentalUlps?: number | ((op: TranscendentalOp, dtype: 'float32' | 'float64') => number);
  /**
   * How float32 matmul accumulates. `'float64'` (default): in double, rounded once, so every result is within
   * one float32 ulp of the exact value and a sum that float32 steps would lose must be kept. `'float32'`: in
   * float32, like BLAS sgemm; results need only meet the classic bound (k + 2)·eps·Σ|a||b| of a length-k dot
   * product.
   */
  readonly float32MatmulAccumulation?: 'float64' | 'float32';
}

/**
 * A test to leave out (registered as skipped, so it shows in the report): a string names a group or a test by
 * its path below the suite's name, titles joined by `' > '` (`'storage'`, `'unary > exp float32'`); a RegExp
 * matches such paths. Every pattern must match at least one test.
 */
export type SkipPattern = string | RegExp;

/** Options of `describeBackendKernels`. */
export interface BackendSuiteOptions {
  /** Numerical latitude for transcendental functions and float32 matmul. */
  readonly tolerance?: BackendSuiteTolerance;
  /**
   * Tests to skip. Skipping `'memory'` also turns off the check, after every kernel test, that disposing what
   * the test made brings `memory()` back to where it started.
   */
  readonly skip?: readonly SkipPattern[];
}

/** The tolerances with their defaults filled in. */
export interface ResolvedTolerance {
  ulps(op: TranscendentalOp, dtype: 'float32' | 'float64'): number;
  readonly float32MatmulAccumulation: 'float64' | 'float32';
}

/** Fills in the defaults: exact transcendentals, float32 matmul accumulated in double. */
export function resolveTolerance(tolerance: BackendSuiteTolerance = {}): ResolvedTolerance {
  const { transcendentalUlps: ulps = 0 } = tolerance;
  return {
    ulps: typeof ulps === 'number' ? () => ulps : ulps,
    float32MatmulAccumulation: tolerance.float32MatmulAccumulation ?? 'float64',
  };
}

/**
 * The backend under test, set before the first test runs. Every DataId its tracked kernels return and every
 * array `info` writes is recorded, and disposed when the test ends.
 */
export class Harness {
  #backend: Backend | undefined;
  #live: DataId[] = [];
  readonly kernels: PrimitiveKernels;

  constructor() {
    const tracked: Record<string, (...args: never[]) => DataId> = {};
    for (const name of PRIMITIVE_NAMES) {
      tracked[name] = (...args: never[]) => {
        // Called as a method: a backend's kernels may be a class instance.
        const { kernels } = this.backend;
        return this.#track((kernels[name] as (...args: never[]) => DataId).apply(kernels, args));
      };
    }
    this.kernels = tracked as unknown as PrimitiveKernels;
  }

  get backend(): Backend {
    if (this.#backend === undefined) throw new Error('backend suite: the backend is not created yet');
    return this.#backend;
  }

  set backend(backend: Backend) {
    this.#backend = backend;
  }

  /** Writes `x` to the backend and returns the TensorInfo kernels take. */
  info(x: TestArray): TensorInfo {
    return {
      dataId: this.#track(this.backend.write(x.values, x.shape, x.dtype)),
      shape: x.shape,
      dtype: x.dtype,
    };
  }

  read(dataId: DataId): TypedArray {
    return this.backend.readSync(dataId);
  }

  /** Disposes everything the test made. */
  release(): void {
    for (const id of this.#live) this.backend.dispose(id);
    this.#live = [];
  }

  #track(id: DataId): DataId {
    this.#live.push(id);
    return id;
  }
}

/** A property table: one test per row, each a fast-check property over `arb(row)`. */
export interface PropertySpec<R, T> {
  name(row: R): string;
  arb(row: R): fc.Arbitrary<T>;
  check(row: R, input: T): void;
  /** Runs per row; default 50. */
  runs?: number;
  /** Shrink counterexamples (default). Off for big fixed shapes, where shrinking takes minutes. */
  shrink?: boolean;
}

/** Where tests are registered: a describe block of the suite, with its path for skip patterns. */
export interface SuiteGroup {
  group(title: string, body: (group: SuiteGroup) => void): void;
  /** A test of the kernels through the harness: what it made is disposed afterwards, and must be all it held. */
  test(title: string, fn: () => void | Promise<void>): void;
  table<R, T>(rows: readonly R[], spec: PropertySpec<R, T>): void;
}

/** Registers groups and tests, skipping those the patterns name and remembering which patterns matched. */
export class Registry {
  readonly #skip: readonly SkipPattern[];
  readonly #matched = new Set<SkipPattern>();
  readonly #checkMemory: boolean;
  readonly #harness: Harness;

  constructor(skip: readonly SkipPattern[], harness: Harness) {
    this.#skip = skip;
    this.#checkMemory = !skip.includes('memory');
    this.#harness = harness;
  }

  /** The top-level group: its children's paths start below the suite's name. */
  root(): SuiteGroup {
    return this.#group([]);
  }

  /** The patterns that matched no test (a typo would silently skip nothing). */
  unmatched(): SkipPattern[] {
    return this.#skip.filter((p) => !this.#matched.has(p));
  }

  #skipped(path: string): boolean {
    let hit = false;
    for (const p of this.#skip) {
      const match = typeof p === 'string' ? path === p || path.startsWith(`${p} > `) : path.search(p) !== -1;
      if (match) {
        this.#matched.add(p);
        hit = true;
      }
    }
    return hit;
  }

  #group(path: readonly string[]): SuiteGroup {
    const test = (title: string, fn: () => void | Promise<void>): void => {
      const skipped = this.#skipped([...path, title].join(' > '));
      (skipped ? it.skip : it)(title, () => this.#run(fn));
    };
    return {
      group: (title, body) => describe(title, () => body(this.#group([...path, title]))),
      test,
      table: (rows, spec) => {
        for (const row of rows) {
          test(spec.name(row), () =>
            fc.assert(
              fc.property(spec.arb(row), (input) => spec.check(row, input)),
              { numRuns: spec.runs ?? 50, endOnFailure: spec.shrink === false },
            ),
          );
        }
      },
    };
  }

  async #run(fn: () => void | Promise<void>): Promise<void> {
    const harness = this.#harness;
    const before = harness.backend.memory();
    try {
      await fn();
    } catch (error) {
      harness.release();
      throw error;
    }
    harness.release();
    if (this.#checkMemory) {
      expect(harness.backend.memory(), 'memory() after disposing every input and output of the test').toEqual(
        before,
      );
    }
  }
}

/** What every group of the suite registers its tests with. */
export interface SuiteContext {
  /** The suite's describe block. */
  readonly root: SuiteGroup;
  /** The backend under test, shared by the kernel tests. */
  readonly h: Harness;
  readonly tolerance: ResolvedTolerance;
  /** A new backend from the user's `create`, initialised (for tests of storage and memory). */
  fresh(): Promise<Backend>;
}

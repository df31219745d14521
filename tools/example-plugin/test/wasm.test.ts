// The fused wasm kernels of gelu and silu, on @mg/backend-wasm (registered and selected here, whichever
// backend the run's setup picked): the module is a valid plugin module under 4 KB; fused agrees with the
// composite on random inputs (fast-check) and with a double-precision reference, special values included;
// gradients agree with finite differences; a forward and a backward each call the module once, and what
// forward saves is freed with the graph; 0-d, empty, int and bool inputs, and a backend switched before
// backward, use the composite. (The `test` script runs this file in the first run only: it selects wasm
// itself.)

import { validateWasmKernels, wasm } from '@mg/backend-wasm';
import {
  type DType,
  getBackend,
  kernelCoverage,
  memory,
  registerBackend,
  setBackend,
  setForceComposite,
  type Tensor,
  tensor,
  tidy,
} from '@mg/core';
import { arbArray, arbShape, checkBackward, checkGradients } from '@mg/testing';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gelu, gelu, Silu, silu } from '../src/index.js';
import { SYNC_COMPILE_LIMIT, type WasmKernels, wasmKernelBytes } from '../src/wasm.js';

const K = Math.sqrt(2 / Math.PI);
const C = 0.044715;

/**
 * Both ops are x·σ(z): GELU's x/2·(1 + tanh(u)) equals x·σ(2u) (1 + tanh(u) = 2σ(2u)), SiLU has z = x. `dz`
 * is ∂z/∂x, so ∂y/∂x = σ + x·σ·(1 - σ)·dz.
 */
const OPS = [
  {
    name: 'gelu',
    fn: (x: Tensor) => gelu(x),
    id: Gelu.id,
    z: (v: number) => 2 * K * (v + C * v ** 3),
    dz: (v: number) => 2 * K * (1 + 3 * C * v * v),
    tanhForm: (v: number) => 0.5 * v * (1 + Math.tanh(K * (v + C * v ** 3))),
  },
  {
    name: 'silu',
    fn: (x: Tensor) => silu(x),
    id: Silu.id,
    z: (v: number) => v,
    dz: (_v: number) => 1,
    tanhForm: (v: number) => v / (1 + Math.exp(-v)),
  },
] as const;
type Op = (typeof OPS)[number];
const DTYPES = ['float32', 'float64'] as const;

/** The unit roundoff of a float dtype. */
const unit = (dtype: DType) => (dtype === 'float32' ? 2 ** -24 : 2 ** -53);

/**
 * y = x·σ(z) and ∂y/∂x in double precision, σ and 1 - σ computed from e^-|z| (no overflow, no cancellation),
 * with `scale` (the sum of the derivative's terms' magnitudes) and `amplification` (how much a relative error
 * of z is magnified in σ: 1 + |z|·(1 - σ(z)); 1 where σ or 1 - σ has underflowed) for tolerances.
 */
function reference(op: Op, v: number) {
  const z = op.z(v);
  const e = Math.exp(-Math.abs(z));
  const [s, sc] = z >= 0 ? [1 / (1 + e), e / (1 + e)] : [e / (1 + e), 1 / (1 + e)];
  // σ·(1 - σ) is 0 where e^-|z| underflows: the product is then 0 even where dz overflows (GELU, huge |x|).
  const p = s * sc === 0 ? 0 : s * sc * op.dz(v);
  return {
    y: v * s,
    dy: s + v * p,
    scale: Math.abs(s) + Math.abs(v * p),
    amplification: 1 + (s === 0 || sc === 0 ? 0 : Math.abs(z) * sc),
  };
}

/** Within `ulps` roundoffs (relative to `scale`) of `expected`, plus a floor; NaN and ±∞ must match. */
function near(actual: number, expected: number, scale: number, ulps: number, dtype: DType): boolean {
  if (!Number.isFinite(expected) || !Number.isFinite(actual))
    return Object.is(actual, expected) || actual === expected;
  const floor = dtype === 'float32' ? 1e-37 : 1e-300;
  return Math.abs(actual - expected) <= ulps * unit(dtype) * scale + floor;
}

/**
 * Roundoffs (times `amplification`) the fused results may be off the reference: measured at most 3.1 for
 * float32 (vector exp, division, products) and 5.1 for float64 (where the reference itself is as far off).
 */
const REFERENCE_ULPS = { float32: 5, float64: 10 } as const;

/** Checks y and ∂ℒ/∂x (for the `upstream` gradient) of `op` on `data`, fused, against `reference`. */
function expectReference(op: Op, data: readonly number[], dtype: 'float32' | 'float64'): void {
  const { x, y, grad } = run(false, op, data, [data.length], dtype);
  const g = upstream(data.length);
  x.forEach((v, i) => {
    const r = reference(op, v);
    const dr = g[i]! * r.dy;
    const ulps = REFERENCE_ULPS[dtype];
    const at = `x = ${v} (${i} of ${x.length})`;
    expect(
      near(y[i]!, r.y, Math.abs(r.y) * r.amplification, ulps, dtype),
      `y at ${at}: ${y[i]} vs ${r.y}`,
    ).toBe(true);
    const scale = Math.abs(g[i]!) * r.scale * r.amplification;
    expect(near(grad[i]!, dr, scale, ulps, dtype), `grad at ${at}: ${grad[i]} vs ${dr}`).toBe(true);
  });
}

/** Runs `body` with composites forced (or not), restoring the previous setting. */
function withComposite<T>(composite: boolean, body: () => T): T {
  const previous = setForceComposite(composite);
  try {
    return body();
  } finally {
    setForceComposite(previous);
  }
}

/** A deterministic upstream gradient with positive and negative entries. */
const upstream = (size: number) => Array.from({ length: size }, (_, i) => ((i * 7) % 11) / 4 - 1.2);

interface Outcome {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly x: number[];
  readonly y: number[];
  readonly grad: number[];
}

/** fn(x) and x's gradient for `upstream`, on the fused path or the composite. */
function run(
  composite: boolean,
  op: Op,
  data: readonly number[],
  shape: readonly number[],
  dtype: DType,
): Outcome {
  return withComposite(composite, () => {
    const x = tensor(Float64Array.from(data), { dtype }).reshape(shape);
    const y = op.fn(x);
    y.backward(tensor(Float64Array.from(upstream(y.size)), { dtype: y.dtype }).reshape(y.shape));
    return {
      dtype: y.dtype,
      shape: y.shape,
      x: Array.from(x.dataSync(), Number),
      y: Array.from(y.dataSync(), Number),
      grad: Array.from(x.grad!.dataSync(), Number),
    };
  });
}

/** The calls into the module's exports, recorded by wrapping the exports the backend instantiates. */
const calls: { name: string; n: number }[] = [];

beforeAll(async () => {
  registerBackend(wasm());
  await setBackend('wasm');
  // Before any fused call in this file (its modules, the plugin's instance cache included, are its own).
  const host = wasm();
  const load = host.loadKernelsSync.bind(host);
  host.loadKernelsSync = ((bytes: Uint8Array) => {
    const loaded = load<WasmKernels>(bytes);
    const exports = Object.fromEntries(
      Object.entries(loaded.exports).map(([name, f]: [string, (...args: number[]) => void]) => [
        name,
        (...args: number[]) => {
          calls.push({ name, n: args[args.length - 1]! });
          f(...args);
        },
      ]),
    );
    return { ...loaded, exports };
  }) as typeof host.loadKernelsSync;
});
afterAll(async () => {
  await setBackend('cpu');
});

/** The module calls made by `body`. */
function callsOf(body: () => void): { name: string; n: number }[] {
  const start = calls.length;
  body();
  return calls.slice(start);
}

describe('the wasm kernel module', () => {
  it('is a valid plugin module, small enough to compile synchronously in browsers', () => {
    expect(SYNC_COMPILE_LIMIT).toBe(4096);
    expect(() => validateWasmKernels(wasmKernelBytes)).not.toThrow();
    expect(wasmKernelBytes.length).toBeLessThan(SYNC_COMPILE_LIMIT);
    expect(Object.keys(wasm().loadKernelsSync(wasmKernelBytes).exports).sort()).toEqual([
      'geluF32',
      'geluF64',
      'geluGradF32',
      'geluGradF64',
      'siluF32',
      'siluF64',
      'siluGradF32',
      'siluGradF64',
    ]);
  });

  it('backs fused wasm kernels for both ops', () => {
    expect(getBackend().name).toBe('wasm');
    expect(kernelCoverage().wasm?.fused).toEqual(expect.arrayContaining([Gelu.id, Silu.id]));
  });
});

describe.each(OPS)('$name on wasm', (op) => {
  it('uses an identity the reference relies on: the tanh form equals x·σ(z)', () => {
    for (let v = -4; v <= 6; v += 0.125) {
      expect(Math.abs(op.tanhForm(v) - reference(op, v).y)).toBeLessThanOrEqual(
        1e-15 * Math.max(1, Math.abs(v)),
      );
    }
  });

  it.each(DTYPES)('agrees with the composite on random %s inputs (fast-check)', (dtype) => {
    // Shapes of 1 to 3 dims of sides 1..9: sizes are mostly not multiples of 4 (vector body and scalar tail).
    const inputs = fc.oneof(
      arbArray({
        shape: arbShape({ minDims: 1, maxDims: 3, minSide: 1, maxSide: 9 }),
        min: -10,
        max: 10,
        dtype,
      }),
      arbArray({ shape: fc.integer({ min: 1, max: 41 }).map((n) => [n]), min: -10, max: 10, dtype }),
    );
    fc.assert(
      fc.property(inputs, ({ data, shape }) => {
        const fused = run(false, op, data, shape, dtype);
        const composite = run(true, op, data, shape, dtype);
        expect([fused.dtype, fused.shape]).toEqual([composite.dtype, composite.shape]);
        // Both round to the dtype: the composite at each of its steps (1 + tanh cancels for x < 0), so they
        // differ by a few roundoffs of the largest intermediate, ~max(1, |x|) (measured: at most 4).
        fused.x.forEach((v, i) => {
          const scale = Math.max(1, Math.abs(v));
          const at = `x = ${v}`;
          expect(near(fused.y[i]!, composite.y[i]!, scale, 16, dtype), `y at ${at}`).toBe(true);
          expect(near(fused.grad[i]!, composite.grad[i]!, scale, 16, dtype), `grad at ${at}`).toBe(true);
        });
      }),
      { numRuns: 60 },
    );
  });

  it.each(DTYPES)(
    'is within a few roundoffs of a double-precision reference, %s, in the tails too',
    (dtype) => {
      // One long array (the vector loop), from where y underflows to where y = x…
      const grid = Array.from({ length: 4801 }, (_, i) => -120 + i * 0.05);
      expectReference(op, grid, dtype);
      // …and arrays of 1 to 3 elements, which only the scalar tail loop sees.
      for (let start = -300, size = 1; start < 300; start += size, size = (size % 3) + 1) {
        expectReference(
          op,
          Array.from({ length: size }, (_, i) => (start + i) / 10),
          dtype,
        );
      }
    },
  );

  it('agrees with finite differences (float64, fused)', () => {
    withComposite(false, () => {
      const data = [-7, -3.5, -1, -0.2, 0, 0.4, 1.5, 3, 6.5];
      let mismatches: string[] = [];
      const made = callsOf(() => {
        mismatches = checkGradients(op.fn, [{ data, shape: [9] }]).mismatches;
      });
      expect(made.map((c) => c.name)).toContain(`${op.name}GradF64`);
      expect(mismatches).toEqual([]);
      checkBackward(op.fn, { min: -6, max: 6, numRuns: 20, shapes: { minDims: 1, maxDims: 2, maxSide: 7 } });
    });
  });

  it.each(DTYPES)(
    'gives no NaN where the composite gives a number, %s: NaN, ±∞, overflowing e^x',
    (dtype) => {
      const round = dtype === 'float32' ? Math.fround : (v: number) => v;
      const data = [
        Number.NaN,
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        ...[
          1e-40, 1e-8, 0.5, 20, 80, 87, 88.5, 89, 90, 95, 100, 103, 104, 105, 200, 800, 1e4, 1e19, 1e30, 3e38,
        ],
        ...(dtype === 'float64' ? [709, 710, 745, 746, 1000, 1e100, 1e154, 1e200, 1e300] : []),
      ].flatMap((v) => [v, -v].map(round));
      data.push(-0, 0);
      const fused = run(false, op, data, [data.length], dtype);
      const composite = run(true, op, data, [data.length], dtype);
      const g = upstream(data.length);
      fused.x.forEach((v, i) => {
        const at = `x = ${v}`;
        if (!Number.isNaN(composite.y[i])) expect(fused.y[i], `y at ${at}`).not.toBeNaN();
        if (!Number.isNaN(composite.grad[i])) expect(fused.grad[i], `grad at ${at}`).not.toBeNaN();
        const r = reference(op, v);
        const dr = g[i]! * r.dy;
        // Where the reference is NaN (x NaN or -∞, and ∂y/∂x where 0·∞ arises: ±∞, x² overflowing) the fused
        // kernel gives what the composite gives.
        if (Number.isNaN(r.y)) expect(fused.y[i], `y at ${at}`).toEqual(composite.y[i]);
        else
          expect(
            near(fused.y[i]!, r.y, Math.abs(r.y) * r.amplification, REFERENCE_ULPS[dtype], dtype),
            `y at ${at}`,
          ).toBe(true);
        if (Number.isNaN(dr)) expect(fused.grad[i], `grad at ${at}`).toEqual(composite.grad[i]);
        else {
          const scale = Math.abs(g[i]!) * r.scale * r.amplification;
          expect(
            near(fused.grad[i]!, dr, scale, REFERENCE_ULPS[dtype], dtype),
            `grad at ${at}: ${fused.grad[i]} vs ${dr}`,
          ).toBe(true);
        }
      });
    },
  );

  it.each(DTYPES)(
    'calls the module once per forward and backward, %s; the saved term goes with the graph',
    (dtype) => {
      withComposite(false, () => {
        const n = 11;
        const bytes = n * (dtype === 'float32' ? 4 : 8);
        const suffix = dtype === 'float32' ? 'F32' : 'F64';
        const data = Array.from({ length: n }, (_, i) => i - 5.5);

        // No graph (a constant input): the term forward saves is disposed at once; only the output is new.
        const c = tensor(data, { dtype, constant: true });
        let before = memory();
        let y!: Tensor;
        expect(callsOf(() => (y = op.fn(c)))).toEqual([{ name: `${op.name}${suffix}`, n }]);
        expect([memory().buffers - before.buffers, memory().bytes - before.bytes]).toEqual([1, bytes]);
        y.dispose();

        // A graph: the output and the saved term; backward() clears the graph and frees the term.
        const x = tensor(data, { dtype });
        before = memory();
        expect(callsOf(() => (y = op.fn(x)))).toEqual([{ name: `${op.name}${suffix}`, n }]);
        expect([memory().buffers - before.buffers, memory().bytes - before.bytes]).toEqual([2, 2 * bytes]);
        expect(callsOf(() => y.backward())).toEqual([{ name: `${op.name}Grad${suffix}`, n }]);
        // Left: y, its grad (the seed) and x's grad; the term is gone.
        expect([memory().buffers - before.buffers, memory().bytes - before.bytes]).toEqual([3, 3 * bytes]);
      });
    },
  );

  it('runs the composite for 0-d, empty, int32 and bool inputs (the module is not called)', () => {
    const cases: [readonly number[], readonly number[], DType][] = [
      [[-1.5], [], 'float32'],
      [[0.75], [], 'float64'],
      [[], [0], 'float32'],
      [[], [2, 0, 3], 'float64'],
      [[-3, 0, 2, 5, -1], [5], 'int32'],
      [[1, 0, 1], [3], 'bool'],
    ];
    for (const [data, shape, dtype] of cases) {
      let fused!: { y: Tensor; grad: Tensor | null };
      const made = callsOf(() => {
        fused = withComposite(false, () => {
          const x = tensor(Float64Array.from(data), { dtype }).reshape(shape);
          const y = op.fn(x);
          if (!y.constant) y.backward();
          return { y, grad: x.grad };
        });
      });
      expect(made, `${dtype} [${shape.join(', ')}]`).toEqual([]);
      const composite = withComposite(true, () =>
        op.fn(tensor(Float64Array.from(data), { dtype }).reshape(shape)),
      );
      expect(fused.y.dtype).toBe(composite.dtype);
      expect(fused.y.shape).toEqual(composite.shape);
      expect(Array.from(fused.y.dataSync(), Number)).toEqual(Array.from(composite.dataSync(), Number));
    }
  });
});

describe('wasm kernels in a program', () => {
  it('backward still works after the backend was switched to cpu (through the composite)', async () => {
    for (const op of OPS) {
      const data = [-2, -0.5, 0.25, 1, 3];
      const x = tensor(data, { dtype: 'float32' });
      const y = op.fn(x);
      await setBackend('cpu');
      try {
        expect(callsOf(() => y.backward())).toEqual([]);
        Array.from(x.grad!.dataSync()).forEach((g, i) => {
          const r = reference(op, data[i]!);
          expect(near(g, r.dy, r.scale, 16, 'float32'), `${op.name} grad at x = ${data[i]}`).toBe(true);
        });
      } finally {
        await setBackend('wasm');
      }
    }
  });

  it('takes inputs made on another backend (moved into wasm memory)', async () => {
    await setBackend('cpu');
    const x = tensor([-1, 0.5, 2, -3, 4], { dtype: 'float64' });
    await setBackend('wasm');
    for (const op of OPS) {
      const made = callsOf(() => {
        const y = op.fn(x);
        Array.from(y.dataSync()).forEach((v, i) => {
          const r = reference(op, x.dataSync()[i]!);
          expect(
            near(v, r.y, Math.abs(r.y) * r.amplification, 8, 'float64'),
            `${op.name}: ${v} vs ${r.y}`,
          ).toBe(true);
        });
      });
      expect(made.map((c) => c.name)).toEqual([`${op.name}F64`]);
    }
  });

  it('leaves no wasm memory behind after tidy (the fused path, its saved term included)', () => {
    withComposite(false, () => {
      const before = wasm().memory();
      const x = tensor(
        Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 6),
        { dtype: 'float32' },
      );
      for (let i = 0; i < 3; i++) {
        tidy(() => {
          silu(gelu(x)).sum().backward();
        });
      }
      x.nullGrad();
      x.dispose();
      expect(wasm().memory()).toEqual(before);
    });
  });
});

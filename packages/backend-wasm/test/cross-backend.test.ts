// Random programs: chains of kernel calls whose tensors stay resident in wasm memory (outputs feed later steps,
// tensors are disposed at random), each step checked against the cpu backend run on the same input values.
import {
  BINARY_OPS,
  broadcastShapes,
  type DType,
  type OutputSpec,
  type ReduceOp,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  UNARY_OPS,
} from '@mg/core';
import { BOOL_OUTPUT, DTYPES, FLOAT_FUNCTIONS, PREDICATES } from '@mg/testing/backend-suite';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpu as cpuBackend } from '../../backend-cpu/src/index.js';
import { createWasmBackend } from '../src/index.js';

const backend = createWasmBackend();
await backend.init();
const cpu = cpuBackend();

/** A small seeded generator (mulberry32), so a failing program can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const isFloat = (d: DType) => d === 'float64' || d === 'float32';

function randomShape(r: Rng): number[] {
  const kind = r.next();
  // Some long rows and big blocks, so the SIMD loops and tiled copies run, not only their scalar tails.
  if (kind < 0.12) return r.pick([[33, 70], [3, 130], [260], [2, 40, 9], [129, 3]]);
  const rank = r.int(0, 4);
  return Array.from({ length: rank }, () => (r.next() < 0.06 ? 0 : r.int(1, 5)));
}

function randomValues(r: Rng, n: number, dtype: DType): TypedArray {
  const out =
    dtype === 'float64'
      ? new Float64Array(n)
      : dtype === 'float32'
        ? new Float32Array(n)
        : dtype === 'int32'
          ? new Int32Array(n)
          : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    if (dtype === 'bool') out[i] = u < 0.5 ? 1 : 0;
    else if (dtype === 'int32') out[i] = u < 0.9 ? r.int(-6, 6) : r.int(-(2 ** 31), 2 ** 31 - 1);
    else if (u < 0.03) out[i] = r.pick([Number.NaN, Infinity, -Infinity, -0, 0]);
    else if (u < 0.3) out[i] = r.int(-4, 4);
    else out[i] = (r.next() - 0.5) * 6;
  }
  return out;
}

/** One tensor in both backends' memory, holding the same values. */
interface Pair {
  readonly shape: number[];
  readonly dtype: DType;
  readonly wasm: TensorInfo;
}

function make(r: Rng, shape: number[], dtype: DType): Pair {
  const values = randomValues(r, sizeOf(shape), dtype);
  return { shape, dtype, wasm: { dataId: backend.write(values, shape, dtype), shape, dtype } };
}

/** The same tensor in the cpu backend, written from what wasm holds now (not from the original values). */
function mirror(p: Pair): TensorInfo {
  return {
    dataId: cpu.write(backend.readSync(p.wasm.dataId), p.shape, p.dtype),
    shape: p.shape,
    dtype: p.dtype,
  };
}

function broadcastableFrom(r: Rng, shape: readonly number[]): number[] {
  const drop = r.int(0, shape.length);
  return shape.slice(drop).map((d) => (r.next() < 0.3 ? 1 : d));
}

interface Step {
  readonly name: string;
  readonly out: OutputSpec;
  readonly inputs: Pair[];
  run(k: typeof backend.kernels, xs: TensorInfo[]): object;
  /** Relative tolerance is applied to |expected| plus this per-element scale (sums of absolute terms). */
  scale?(xs: TensorInfo[]): ArrayLike<number>;
}

function absOf(x: TensorInfo): TensorInfo {
  return { ...x, dataId: cpu.kernels.unary('abs', x, { shape: x.shape, dtype: x.dtype }) };
}

/** Picks a random kernel call that applies to `x` (and random partners), or null when none does. */
function randomStep(r: Rng, pool: Pair[], x: Pair): Step | null {
  const { shape, dtype } = x;
  const kind = r.int(0, 15);
  switch (kind) {
    case 0:
    case 1: {
      const ops = UNARY_OPS.filter((op) => isFloat(dtype) || !FLOAT_FUNCTIONS.includes(op));
      const op = r.pick(ops);
      const outDtype = PREDICATES.includes(op) ? 'bool' : dtype;
      return {
        name: `unary ${op} ${dtype}`,
        out: { shape, dtype: outDtype },
        inputs: [x],
        run: (k, [a]) => k.unary(op, a!, { shape, dtype: outDtype }),
      };
    }
    case 2:
    case 3: {
      const op = r.pick(BINARY_OPS.filter((o) => isFloat(dtype) || (o !== 'div' && o !== 'atan2')));
      const partners = pool.filter((p) => p.dtype === dtype && p !== x);
      let y: Pair;
      try {
        y =
          partners.length > 0 && r.next() < 0.4
            ? r.pick(partners)
            : make(r, broadcastableFrom(r, shape), dtype);
        broadcastShapes('test', shape, y.shape);
      } catch {
        return null;
      }
      const [a, b] = r.next() < 0.5 ? [x, y] : [y, x];
      const outShape = broadcastShapes('test', a.shape, b.shape);
      const outDtype = BOOL_OUTPUT.has(op) ? 'bool' : dtype;
      return {
        name: `binary ${op} ${dtype} (${a.shape}) (${b.shape})`,
        out: { shape: outShape, dtype: outDtype },
        inputs: [a, b],
        run: (k, [p, q]) => k.binary(op, p!, q!, { shape: outShape, dtype: outDtype }),
      };
    }
    case 4: {
      const c = make(r, broadcastableFrom(r, shape), 'bool');
      const y = make(r, broadcastableFrom(r, shape), dtype);
      const outShape = broadcastShapes('test', c.shape, x.shape, y.shape);
      return {
        name: `where ${dtype}`,
        out: { shape: outShape, dtype },
        inputs: [c, x, y],
        run: (k, [p, q, s]) => k.where(p!, q!, s!, { shape: outShape, dtype }),
      };
    }
    case 5: {
      const to = r.pick(DTYPES);
      return {
        name: `cast ${dtype} -> ${to}`,
        out: { shape, dtype: to },
        inputs: [x],
        run: (k, [a]) => k.cast(a!, { shape, dtype: to }),
      };
    }
    case 6: {
      const outShape = [
        ...(r.next() < 0.5 ? [r.int(1, 3)] : []),
        ...shape.map((d) => (d === 1 ? r.int(1, 4) : d)),
      ];
      return {
        name: `broadcastTo (${shape}) -> (${outShape})`,
        out: { shape: outShape, dtype },
        inputs: [x],
        run: (k, [a]) => k.broadcastTo(a!, { shape: outShape, dtype }),
      };
    }
    case 7: {
      const ops: ReduceOp[] =
        isFloat(dtype) || dtype === 'int32'
          ? ['sum', 'prod', 'max', 'min', 'any', 'all']
          : ['max', 'min', 'any', 'all'];
      const op = r.pick(ops);
      const axes = shape.map((_, i) => i).filter(() => r.next() < 0.5);
      if ((op === 'max' || op === 'min') && axes.some((a) => shape[a] === 0)) return null;
      const outShape = shape.filter((_, i) => !axes.includes(i));
      const outDtype = op === 'any' || op === 'all' ? 'bool' : dtype;
      return {
        name: `reduce ${op} ${dtype} (${shape}) axes [${axes}]`,
        out: { shape: outShape, dtype: outDtype },
        inputs: [x],
        run: (k, [a]) => k.reduce(op, a!, axes, { shape: outShape, dtype: outDtype }),
        scale:
          op === 'sum' && isFloat(dtype)
            ? ([a]) => cpu.readSync(cpu.kernels.reduce('sum', absOf(a!), axes, { shape: outShape, dtype }))
            : undefined,
      };
    }
    case 8: {
      if (shape.length === 0) return null;
      const axis = r.int(0, shape.length - 1);
      if (shape[axis] === 0) return null;
      const op = r.pick(['argmax', 'argmin'] as const);
      const outShape = shape.filter((_, i) => i !== axis);
      return {
        name: `${op} ${dtype} (${shape}) axis ${axis}`,
        out: { shape: outShape, dtype: 'int32' },
        inputs: [x],
        run: (k, [a]) => k.argReduce(op, a!, axis, { shape: outShape, dtype: 'int32' }),
      };
    }
    case 9: {
      if (shape.length === 0 || dtype === 'bool') return null;
      const axis = r.int(0, shape.length - 1);
      const op = r.pick(['cumsum', 'cumprod'] as const);
      return {
        name: `${op} ${dtype} (${shape}) axis ${axis}`,
        out: { shape, dtype },
        inputs: [x],
        run: (k, [a]) => k.cumulative(op, a!, axis, { shape, dtype }),
      };
    }
    case 10: {
      if (!isFloat(dtype) || shape.length < 2) return null;
      const [tA, tB] = [r.next() < 0.5, r.next() < 0.5];
      const m = shape[shape.length - (tA ? 1 : 2)]!;
      const kk = shape[shape.length - (tA ? 2 : 1)]!;
      const n = r.pick([1, 3, 8, 17, 40]);
      const batch = broadcastableFrom(r, shape.slice(0, -2));
      const b = make(r, [...batch, ...(tB ? [n, kk] : [kk, n])], dtype);
      const outShape = [...broadcastShapes('test', shape.slice(0, -2), batch), m, n];
      return {
        name: `matmul ${dtype} (${shape})${tA ? 'ᵀ' : ''} (${b.shape})${tB ? 'ᵀ' : ''}`,
        out: { shape: outShape, dtype },
        inputs: [x, b],
        run: (k, [p, q]) => k.matmul(p!, q!, tA, tB, { shape: outShape, dtype }),
        scale: ([p, q]) =>
          cpu.readSync(cpu.kernels.matmul(absOf(p!), absOf(q!), tA, tB, { shape: outShape, dtype })),
      };
    }
    case 11: {
      const perm = shape.map((_, i) => i).sort(() => r.next() - 0.5);
      const outShape = perm.map((p) => shape[p]!);
      return {
        name: `transpose (${shape}) [${perm}]`,
        out: { shape: outShape, dtype },
        inputs: [x],
        run: (k, [a]) => k.transpose(a!, perm, { shape: outShape, dtype }),
      };
    }
    case 12: {
      const begin: number[] = [];
      const step: number[] = [];
      const count: number[] = [];
      for (const d of shape) {
        if (d === 0) {
          begin.push(0);
          step.push(1);
          count.push(0);
          continue;
        }
        const b = r.int(0, d - 1);
        const s = r.pick([1, 2, 3, -1, -2]);
        const max = s > 0 ? Math.floor((d - 1 - b) / s) + 1 : Math.floor(b / -s) + 1;
        begin.push(b);
        step.push(s);
        count.push(r.int(0, max));
      }
      return {
        name: `slice (${shape}) begin [${begin}] step [${step}]`,
        out: { shape: count, dtype },
        inputs: [x],
        run: (k, [a]) => k.slice(a!, begin, step, { shape: count, dtype }),
      };
    }
    case 13: {
      if (shape.length === 0) return null;
      const axis = r.int(0, shape.length - 1);
      const size = shape[axis]!;
      if (size === 0) return null;
      const idxShape = r.pick([[], [3], [2, 2], [5]]);
      const indices: Pair = {
        shape: idxShape,
        dtype: 'int32',
        wasm: {
          dataId: backend.write(
            Int32Array.from({ length: sizeOf(idxShape) }, () => r.int(0, size - 1)),
            idxShape,
            'int32',
          ),
          shape: idxShape,
          dtype: 'int32',
        },
      };
      const gathered = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
      if (r.next() < 0.5) {
        return {
          name: `gather ${dtype} (${shape}) axis ${axis} indices (${idxShape})`,
          out: { shape: gathered, dtype },
          inputs: [x, indices],
          run: (k, [a, i]) => k.gather(a!, i!, axis, { shape: gathered, dtype }),
        };
      }
      const updates = make(r, gathered, dtype);
      return {
        name: `scatterAdd ${dtype} into (${shape}) axis ${axis} indices (${idxShape})`,
        out: { shape, dtype },
        inputs: [updates, indices],
        run: (k, [u, i]) => k.scatterAdd(u!, i!, axis, { shape, dtype }),
      };
    }
    case 14: {
      if (shape.length === 0) return null;
      const axis = r.int(0, shape.length - 1);
      const others = Array.from({ length: r.int(1, 3) }, () =>
        make(
          r,
          shape.map((d, i) => (i === axis ? r.int(0, 4) : d)),
          dtype,
        ),
      );
      const all = [x, ...others];
      const outShape = shape.map((d, i) => (i === axis ? all.reduce((s, p) => s + p.shape[axis]!, 0) : d));
      return {
        name: `concat ${dtype} axis ${axis} of ${all.length}`,
        out: { shape: outShape, dtype },
        inputs: all,
        run: (k, xs) => k.concat(xs, axis, { shape: outShape, dtype }),
      };
    }
    default: {
      const paddings = shape.map(() => [r.int(0, 2), r.int(0, 2)] as [number, number]);
      const value = r.pick([0, -1, 2.5, Number.NaN]);
      const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
      return {
        name: `pad ${dtype} (${shape}) with ${value}`,
        out: { shape: outShape, dtype },
        inputs: [x],
        run: (k, [a]) => k.pad(a!, paddings, value, { shape: outShape, dtype }),
      };
    }
  }
}

function compare(
  name: string,
  dtype: DType,
  got: TypedArray,
  expected: TypedArray,
  scale?: ArrayLike<number>,
) {
  expect(got.constructor.name, name).toBe(expected.constructor.name);
  expect(got.length, name).toBe(expected.length);
  const rel = dtype === 'float32' ? 1e-5 : 1e-12;
  for (let i = 0; i < expected.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    if (g === e || (Number.isNaN(g) && Number.isNaN(e))) continue;
    const tol = isFloat(dtype) && Number.isFinite(e) ? rel * (Math.abs(e) + (scale?.[i] ?? 0)) : 0;
    if (!(Math.abs(g - e) <= tol)) expect.fail(`${name}: element ${i}: wasm ${g}, cpu ${e}`);
  }
}

function runProgram(seed: number, steps: number): void {
  const r = rng(seed);
  const pool: Pair[] = Array.from({ length: 4 }, () => make(r, randomShape(r), r.pick(DTYPES)));
  const before = backend.memory();
  for (let s = 0; s < steps; s++) {
    if (pool.length > 2 && r.next() < 0.15) {
      const [gone] = pool.splice(r.int(0, pool.length - 1), 1);
      backend.dispose(gone!.wasm.dataId);
      continue;
    }
    if (r.next() < 0.1) pool.push(make(r, randomShape(r), r.pick(DTYPES)));
    const step = randomStep(r, pool, r.pick(pool));
    if (step === null) continue;
    const cpuInputs = step.inputs.map(mirror);
    const expected = cpu.readSync(step.run(cpu.kernels, cpuInputs));
    const outId = step.run(
      backend.kernels,
      step.inputs.map((p) => p.wasm),
    );
    compare(
      `seed ${seed} step ${s}: ${step.name}`,
      step.out.dtype,
      backend.readSync(outId),
      expected,
      step.scale?.(cpuInputs),
    );
    // Keep results of moderate size in play; the rest are dropped so values stay finite and memory churns.
    const big = Array.from(expected).some((v) => Math.abs(v) > 1e6);
    if (!big && sizeOf(step.out.shape) < 20000)
      pool.push({ shape: [...step.out.shape], dtype: step.out.dtype, wasm: { dataId: outId, ...step.out } });
    else backend.dispose(outId);
  }
  for (const p of pool) backend.dispose(p.wasm.dataId);
  expect(backend.memory().buffers).toBeLessThanOrEqual(before.buffers + 200);
}

describe('random programs', () => {
  it('agree with the cpu backend step by step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => runProgram(seed, 60)),
      { numRuns: 60 },
    );
  });

  it('keep earlier tensors intact while memory grows under them', () => {
    const small = backend.write(new Float64Array([1, 2, 3]), [3], 'float64');
    const before = backend.heapBytes();
    const big = backend.kernels.fill(7, { shape: [4, 2 ** 20], dtype: 'float64' });
    expect(backend.heapBytes()).toBeGreaterThan(before);
    expect(Array.from(backend.readSync(small))).toEqual([1, 2, 3]);
    backend.dispose(big);
    backend.dispose(small);
  });
});

// Free-running chains: each backend works on its own results, as a user's program would.
const shape: Shape = [64, 50];
describe('chains', () => {
  it('ELU-like chains (exp, sub, mul, less, where, sum) match in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const r = rng(7);
      const values = randomValues(r, sizeOf(shape), dtype);
      const results = [backend, cpu].map((b) => {
        const x = { dataId: b.write(values as Float32Array | Float64Array, shape, dtype), shape, dtype };
        const spec = { shape, dtype };
        const s = (v: number) => ({ dataId: b.kernels.fill(v, { shape: [], dtype }), shape: [], dtype });
        const e = { ...x, dataId: b.kernels.unary('exp', x, spec) };
        const em1 = { ...x, dataId: b.kernels.binary('sub', e, s(1), spec) };
        const scaled = { ...x, dataId: b.kernels.binary('mul', em1, s(0.5), spec) };
        const neg = {
          ...x,
          dtype: 'bool' as const,
          dataId: b.kernels.binary('less', x, s(0), { shape, dtype: 'bool' }),
        };
        const y = { ...x, dataId: b.kernels.where(neg, scaled, x, spec) };
        const total = b.kernels.reduce('sum', y, [0, 1], { shape: [], dtype });
        return [b.readSync(y.dataId), b.readSync(total)];
      });
      compare(`elu ${dtype}`, dtype, results[0]![0]!, results[1]![0]!);
      compare(`elu sum ${dtype}`, dtype, results[0]![1]!, results[1]![1]!, [sizeOf(shape) * 10]);
    }
  });
});

// End-to-end @mg/core programs (forward and backward) under `setBackend('wasm')`, compared with the same
// programs on the cpu backend; each backend works on its own results throughout.
import {
  add,
  concatenate,
  cumsum,
  type DType,
  divide,
  exp,
  getitem,
  less,
  log,
  matmul,
  max,
  maximum,
  mean,
  multiply,
  registerBackend,
  setBackend,
  subtract,
  sum,
  type Tensor,
  tanh,
  tensor,
  transpose,
  where,
} from '@mg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpu } from '../../backend-cpu/src/index.js';
import { wasm } from '../src/index.js';

beforeAll(async () => {
  registerBackend(cpu());
  registerBackend(wasm());
});

afterAll(async () => {
  await setBackend('cpu');
});

/** Deterministic values in [-2, 2). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

function param(shape: number[], seed: number, dtype: DType): Tensor {
  const flat = values(
    shape.reduce((p, d) => p * d, 1),
    seed,
  );
  return tensor(flat, { dtype }).reshape(shape);
}

const flat = (t: Tensor | null): number[] =>
  t === null ? [] : ([t.toArray()].flat(Infinity as 1) as number[]);

type Program = (dtype: DType) => Tensor[];

const PROGRAMS: Record<string, Program> = {
  'two-layer MLP with softmax cross-entropy': (dtype) => {
    const x = param([16, 5], 1, dtype);
    const w1 = param([5, 7], 2, dtype);
    const b1 = param([7], 3, dtype);
    const w2 = param([7, 3], 4, dtype);
    const h = tanh(add(matmul(x, w1), b1));
    const logits = matmul(h, w2);
    const shifted = subtract(logits, max(logits, { axis: 1, keepdims: true }));
    const logp = subtract(shifted, log(sum(exp(shifted), { axis: 1, keepdims: true })));
    const labels = [0, 2, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 2, 0, 1, 1];
    const picked = getitem(logp, [labels.map((_, i) => i), labels]);
    const loss = multiply(mean(picked), -1);
    loss.backward();
    return [loss, logits, w1.grad!, b1.grad!, w2.grad!];
  },
  'ELU composite with where, less and broadcasting': (dtype) => {
    const x = param([40, 33], 5, dtype);
    const alpha = 0.7;
    const y = where(less(x, 0), multiply(subtract(exp(x), 1), alpha), x);
    const z = sum(multiply(y, y), { axis: 0 });
    const total = sum(z);
    total.backward();
    return [y, z, x.grad!];
  },
  'transposed matmuls, concatenation, cumsum and maximum': (dtype) => {
    const a = param([3, 6, 4], 6, dtype);
    const b = param([4, 5], 7, dtype);
    const c = matmul(transpose(matmul(a, b), [0, 2, 1]), a);
    const joined = concatenate([c, maximum(c, 0.5)], { axis: 1 });
    const s = cumsum(joined, { axis: 2 });
    const loss = mean(divide(s, add(multiply(s, s), 1)));
    loss.backward();
    return [c, s, loss, a.grad!, b.grad!];
  },
};

async function run(backend: 'cpu' | 'wasm', program: Program, dtype: DType): Promise<number[][]> {
  await setBackend(backend);
  return program(dtype).map(flat);
}

describe('core programs on wasm match cpu', () => {
  for (const [name, program] of Object.entries(PROGRAMS)) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name} (${dtype})`, async () => {
        const expected = await run('cpu', program, dtype);
        const got = await run('wasm', program, dtype);
        const tol = dtype === 'float64' ? 1e-10 : 1e-4;
        expect(got.length).toBe(expected.length);
        got.forEach((values, k) => {
          expect(values.length).toBe(expected[k]!.length);
          values.forEach((v, i) => {
            const e = expected[k]![i]!;
            if (Math.abs(v - e) > tol * (1 + Math.abs(e)))
              expect.fail(`output ${k}, element ${i}: wasm ${v}, cpu ${e}`);
          });
        });
      });
    }
  }

  it('keeps tensors resident in wasm memory and frees them on dispose', async () => {
    await setBackend('wasm');
    const before = wasm().memory();
    const x = tensor([1, 2, 3], { dtype: 'float32' });
    const y = exp(x);
    expect(wasm().memory().buffers).toBe(before.buffers + 2);
    expect(y.toArray()).toEqual(Array.from(new Float32Array([1, 2, 3].map(Math.exp))));
    x.dispose();
    y.dispose();
    expect(wasm().memory()).toEqual(before);
  });

  it('moves tensors made on the cpu backend to wasm when they are used there', async () => {
    await setBackend('cpu');
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    await setBackend('wasm');
    const y = matmul(x, x);
    expect(y.toArray()).toEqual([
      [7, 10],
      [15, 22],
    ]);
  });
});

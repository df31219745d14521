// Memory of a long training loop on the wasm backend, whose memory the garbage collector cannot see: flat with
// tidy(), and bounded without it (the FinalizationRegistry safety net frees what the collector drops).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  add,
  type Backend,
  exp,
  less,
  matmul,
  mean,
  memory,
  multiply,
  noAutodiff,
  registerBackend,
  setBackend,
  subtract,
  type Tensor,
  tensor,
  tidy,
  where,
} from '@mg/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';

// An instance of its own, so its memory counts only this file's tensors.
const instance: WasmBackend = createWasmBackend();
const backend: Backend = { ...instance, name: 'wasm-training' };

beforeAll(async () => {
  await instance.init();
  registerBackend(backend);
  await setBackend('wasm-training');
});

/** Deterministic values in [-scale, scale). */
function values(n: number, seed: number, scale: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}

const f32 = (n: number, seed: number, scale: number, shape: number[], constant?: boolean): Tensor =>
  tensor(values(n, seed, scale), { dtype: 'float32', shape, constant });

/** A batch of 4 inputs of 8 features and a fixed regression target. */
function makeData(): { x: Tensor; target: Tensor } {
  return { x: f32(32, 1, 1, [4, 8], true), target: f32(4, 2, 1, [4, 1], true) };
}

/** The weights and biases of an 8 → 16 (ELU) → 1 MLP. */
function makeParams(): Tensor[] {
  return [f32(128, 3, 0.3, [8, 16]), f32(16, 4, 0.1, [16]), f32(16, 5, 0.3, [16, 1]), f32(1, 6, 0.1, [1])];
}

const elu = (z: Tensor): Tensor => where(less(z, 0), subtract(exp(z), 1), z);

/** Forward, MSE, backward and the SGD update; returns the new parameters and the loss. Disposes nothing. */
function step(x: Tensor, target: Tensor, params: Tensor[], lr = 0.05): { next: Tensor[]; loss: Tensor } {
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const hidden = elu(add(matmul(x, w1), b1));
  const err = subtract(add(matmul(hidden, w2), b2), target);
  const loss = mean(multiply(err, err));
  loss.backward();
  const next = noAutodiff(() => params.map((p) => subtract(p, multiply(p.grad!, lr))));
  return { next, loss };
}

const STEPS = 10_000;

/**
 * Full collections with macrotasks between them for the FinalizationRegistry callbacks to run, until `settled()`
 * (at most 100 rounds: callbacks are batched and, on a loaded machine, later than one round).
 */
async function collect(gc: () => void, settled: () => boolean = () => false): Promise<void> {
  for (let round = 0; round < 100; round++) {
    gc();
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, round < 3 ? 0 : 5));
    if (round >= 2 && settled()) return;
  }
}

/**
 * The loop without tidy, in a frame of its own: once it returns, only the current parameters are reachable
 * (a variable of the async test holding the initial ones would keep them and their grads alive).
 */
function trainWithoutTidy(x: Tensor, target: Tensor) {
  let params = makeParams();
  const start = memory();
  let lastLoss = Number.POSITIVE_INFINITY;
  for (let i = 1; i <= STEPS; i++) {
    const { next, loss } = step(x, target, params); // MyGrad style: nothing is disposed
    params = next;
    if (i === STEPS) lastLoss = loss.item() as number;
  }
  return { start, params, lastLoss, end: memory() };
}

// 10,000 steps take a few seconds alone, far more on a loaded 2-core machine: generous timeouts, no timings.
describe('a 10,000-step training loop on wasm', { timeout: 120_000 }, () => {
  it('keeps memory() exactly flat with tidy', () => {
    const { x, target } = makeData();
    let params = makeParams();
    let atStep100: ReturnType<typeof memory> | undefined;
    let heapAt100 = 0;
    let firstLoss = 0;
    let lastLoss = 0;
    for (let i = 1; i <= STEPS; i++) {
      const result = tidy('training step', () => {
        const { next, loss } = step(x, target, params);
        for (const p of params) p.dispose(); // and their grads with them
        return { next, loss: loss.item() as number };
      });
      params = result.next;
      if (i === 1) firstLoss = result.loss;
      lastLoss = result.loss;
      if (i === 100) {
        atStep100 = memory();
        heapAt100 = instance.heapBytes();
      }
    }
    expect(memory()).toEqual(atStep100);
    expect(instance.heapBytes()).toBe(heapAt100);
    // Only the data: x, target and the four parameters (no grads left, nothing else).
    expect(memory().buffers).toBe(6);
    expect(lastLoss).toBeLessThan(firstLoss / 10);
    for (const t of [x, target, ...params]) t.dispose();
    expect(memory()).toEqual({ bytes: 0, buffers: 0, tensors: 0 });
  });

  it('stays bounded without tidy or dispose: the FinalizationRegistry frees what the GC collects', async () => {
    // global.gc is not exposed in vitest's workers; the flag can still be set at run time, and a new context
    // then gets a gc() that runs a full, synchronous collection.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await collect(gc);
    const { x, target } = makeData();
    const { start, params, lastLoss, end } = trainWithoutTidy(x, target);
    expect(lastLoss).toBeLessThan(0.05);
    // Finalization callbacks are tasks: none can run inside a synchronous loop, so all its garbage is there.
    expect(end.buffers).toBeGreaterThan(start.buffers + STEPS);
    await collect(gc, () => memory().buffers === start.buffers);
    // Everything but x, target and the current parameters was garbage, and has been freed.
    expect(memory()).toEqual(start);
    // (Using them after the collection keeps them alive through it.)
    for (const t of [x, target, ...params]) t.dispose();
    expect(memory()).toEqual({ bytes: 0, buffers: 0, tensors: 0 });
  });
});

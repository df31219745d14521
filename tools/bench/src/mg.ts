// mg's contenders: the cpu backend in float32 and float64, and the wasm backend (float32) when
// @mg/backend-wasm exports a working `wasm()` factory.
import { elu, logSoftmax, softmax } from '@mg/activations';
import { cpu } from '@mg/backend-cpu';
import {
  add,
  type Backend,
  findBackend,
  matmul,
  mean,
  multiply,
  negative,
  noAutodiff,
  registerBackend,
  setBackend,
  subtract,
  sum,
  type Tensor,
  tensor,
} from '@mg/core';
import type { Readout } from './check.js';
import type { Contender, Prepared } from './harness.js';
import { type Inputs, need } from './inputs.js';
import { MLP, TINY_ADDS, type WorkloadId, type WorkloadSpec } from './workloads.js';

type FloatDType = 'float32' | 'float64';

/** Reads a result back, refusing a dtype other than the contender's (a silent float64 would skew timings). */
function read(t: Tensor | null, dtype: FloatDType): ArrayLike<number> {
  if (t === null) throw new Error('missing result (a gradient was not computed)');
  if (t.dtype !== dtype) throw new Error(`result dtype is ${t.dtype}, expected ${dtype}`);
  return t.dataSync();
}

/** What a workload body made in one run: the read-back results and the tensors to free afterwards. */
interface RunOutput {
  readonly readout: Readout;
  readonly made: readonly (Tensor | null)[];
  /** Results checked untimed. */
  readonly verify?: () => Readout;
}

/**
 * Wraps a workload body: `inputs` are freed by dispose, what a run made by release (mg-wasm keeps data in
 * wasm memory until disposed), and gradients on the inputs are dropped between runs.
 */
function prepared(inputs: readonly Tensor[], body: () => RunOutput): Prepared {
  let last: RunOutput | null = null;
  const release = () => {
    for (const t of last?.made ?? []) t?.dispose();
    for (const t of inputs) {
      t.grad?.dispose();
      t.nullGrad();
    }
    last = null;
  };
  return {
    run() {
      last = body();
      return last.readout;
    },
    verify: () => last?.verify?.() ?? [],
    release,
    dispose() {
      release();
      for (const t of inputs) t.dispose();
    },
  };
}

type Body = (inputs: Inputs, dtype: FloatDType) => Prepared;

/** Builds the workload bodies for one dtype. Forward-only workloads use constant inputs (no graph recorded). */
function bodies(): Record<WorkloadId, Body> {
  const make = (inputs: Inputs, name: string, dtype: FloatDType, constant: boolean): Tensor => {
    const { values, shape } = need(inputs, name);
    const data = dtype === 'float32' ? values : Float64Array.from(values);
    return tensor(data, { dtype, shape: [...shape], constant });
  };
  const matmulForward: Body = (inputs, dtype) => {
    const a = make(inputs, 'a', dtype, true);
    const b = make(inputs, 'b', dtype, true);
    return prepared([a, b], () => {
      const c = matmul(a, b);
      return { readout: [read(c, dtype)], made: [c] };
    });
  };
  return {
    'elu-fwd': (inputs, dtype) => {
      const x = make(inputs, 'x', dtype, true);
      return prepared([x], () => {
        const y = elu(x, 1);
        return { readout: [read(y, dtype)], made: [y] };
      });
    },
    'elu-fwd-bwd': (inputs, dtype) => {
      const x = make(inputs, 'x', dtype, false);
      return prepared([x], () => {
        const y = elu(x, 1);
        y.backward();
        return { readout: [read(x.grad, dtype)], made: [y, y.grad] };
      });
    },
    sum: (inputs, dtype) => {
      const x = make(inputs, 'x', dtype, true);
      return prepared([x], () => {
        const s = sum(x);
        return { readout: [read(s, dtype)], made: [s] };
      });
    },
    softmax: (inputs, dtype) => {
      const x = make(inputs, 'x', dtype, true);
      return prepared([x], () => {
        const y = softmax(x, { axis: -1 });
        return { readout: [read(y, dtype)], made: [y] };
      });
    },
    'matmul-128': matmulForward,
    'matmul-256': matmulForward,
    'matmul-512': matmulForward,
    'matmul-1024': matmulForward,
    'matmul-512-fwd-bwd': (inputs, dtype) => {
      const a = make(inputs, 'a', dtype, false);
      const b = make(inputs, 'b', dtype, false);
      return prepared([a, b], () => {
        const c = matmul(a, b);
        c.backward();
        return { readout: [read(a.grad, dtype), read(b.grad, dtype)], made: [c, c.grad] };
      });
    },
    'broadcast-add-fwd-bwd': (inputs, dtype) => {
      const a = make(inputs, 'a', dtype, false);
      const b = make(inputs, 'b', dtype, false);
      return prepared([a, b], () => {
        const c = add(a, b);
        c.backward();
        return { readout: [read(a.grad, dtype), read(b.grad, dtype)], made: [c, c.grad] };
      });
    },
    'mlp-step': (inputs, dtype) => {
      const x = make(inputs, 'x', dtype, true);
      const onehot = make(inputs, 'onehot', dtype, true);
      const params = ['w1', 'b1', 'w2', 'b2'].map((name) => make(inputs, name, dtype, false));
      const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
      return prepared([x, onehot, ...params], () => {
        const z1 = matmul(x, w1);
        const a1 = add(z1, b1);
        const h = elu(a1, 1);
        const z2 = matmul(h, w2);
        const logits = add(z2, b2);
        const logp = logSoftmax(logits, { axis: -1 });
        const picked = multiply(onehot, logp);
        const perRow = sum(picked, { axis: 1 });
        const avg = mean(perRow);
        const loss = negative(avg);
        loss.backward();
        const updated = noAutodiff(() => params.map((p) => subtract(p, multiply(p.grad!, MLP.learningRate))));
        return {
          readout: [read(loss, dtype)],
          made: [z1, a1, h, z2, logits, logp, picked, perRow, avg, loss, loss.grad, ...updated],
          verify: () => updated.map((p) => read(p, dtype)),
        };
      });
    },
    'tiny-add-bwd': (inputs, dtype) => {
      const x = make(inputs, 'x', dtype, false);
      const y = make(inputs, 'y', dtype, false);
      return prepared([x, y], () => {
        let z = add(x, y);
        z.backward();
        for (let i = 1; i < TINY_ADDS; i++) {
          // Freed as a user of the wasm backend would (`using`); next to nothing on cpu, where the GC frees them.
          z.grad?.dispose();
          z.dispose();
          x.grad?.dispose();
          y.grad?.dispose();
          z = add(x, y);
          z.backward();
        }
        return { readout: [read(z, dtype), read(x.grad, dtype), read(y.grad, dtype)], made: [z, z.grad] };
      });
    },
  };
}

/** The mg contender `id`: workloads run on the backend registered as `backendName`, in `dtype`. */
export function mgContender(id: Contender['id'], backendName: string, dtype: FloatDType): Contender {
  const table = bodies();
  return {
    id,
    async activate() {
      await setBackend(backendName);
    },
    prepare: (workload: WorkloadSpec, inputs: Inputs) => table[workload.id](inputs, dtype),
  };
}

function isBackend(value: unknown): value is Backend {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Backend).name === 'string' &&
    typeof (value as Backend).kernels === 'object'
  );
}

/**
 * Loads @mg/backend-wasm and registers its `wasm()` backend; returns it, or why it cannot be used (missing
 * export, factory or init throwing, or a smoke test computing a wrong sum).
 */
export async function loadMgWasm(): Promise<Backend | string> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('@mg/backend-wasm')) as Record<string, unknown>;
  } catch (error) {
    return `@mg/backend-wasm did not load: ${error instanceof Error ? error.message : String(error)}`;
  }
  const factory = mod.wasm;
  if (typeof factory !== 'function') return '@mg/backend-wasm does not export a wasm() factory yet';
  try {
    const backend: unknown = await (factory as () => unknown)();
    if (!isBackend(backend)) return "@mg/backend-wasm's wasm() did not return a backend";
    if (findBackend(backend.name) !== backend) registerBackend(backend);
    await setBackend(backend.name);
    const probe = add(
      tensor([1, 2, 3, 4], { dtype: 'float32' }),
      tensor([10, 20, 30, 40], { dtype: 'float32' }),
    );
    const got = Array.from(probe.dataSync());
    probe.dispose();
    if (got.join() !== '11,22,33,44') return `@mg/backend-wasm smoke test: 1..4 + 10..40 gave [${got}]`;
    return backend;
  } catch (error) {
    return `@mg/backend-wasm failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await setBackend('cpu');
  }
}

/** mg-cpu f32 and f64, plus mg-wasm when asked for and available (else the reason it is not, for the notes). */
export async function mgContenders(
  withWasm: boolean,
): Promise<{ contenders: Contender[]; wasmProblem: string | null }> {
  const backend = cpu();
  if (findBackend('cpu') !== backend) registerBackend(backend);
  await setBackend('cpu');
  const contenders = [
    mgContender('mg-cpu-f32', 'cpu', 'float32'),
    mgContender('mg-cpu-f64', 'cpu', 'float64'),
  ];
  if (!withWasm) return { contenders, wasmProblem: null };
  const wasm = await loadMgWasm();
  if (typeof wasm === 'string') return { contenders, wasmProblem: wasm };
  contenders.push(mgContender('mg-wasm', wasm.name, 'float32'));
  return { contenders, wasmProblem: null };
}

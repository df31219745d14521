// TensorFlow.js 4.22 contenders: tfjs-backend-cpu and tfjs-backend-wasm (SIMD build, loaded from node_modules),
// running the same workloads through tfjs's public API, every run inside tf.tidy.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Contender, Prepared } from './harness.js';
import { type Inputs, need } from './inputs.js';
import type * as Runtime from './tfjs-runtime.js';
import { MLP, TINY_ADDS, type WorkloadId, type WorkloadSpec } from './workloads.js';

type Tf = typeof TfCore;
type Tensor = TfCore.Tensor;

/** What one run returns from its tidy: results read back (timed) and results only checked (untimed). */
interface RunTensors {
  read: Tensor[];
  more?: Tensor[];
  [key: string]: Tensor[] | undefined;
}

function readF32(t: Tensor): ArrayLike<number> {
  if (t.dtype !== 'float32') throw new Error(`result dtype is ${t.dtype}, expected float32`);
  return t.dataSync() as Float32Array;
}

function prepared(tf: Tf, inputs: readonly Tensor[], body: () => RunTensors): Prepared {
  let last: RunTensors | null = null;
  return {
    run() {
      last = tf.tidy(body) as RunTensors;
      return last.read.map(readF32);
    },
    verify: () => (last?.more ?? []).map(readF32),
    release() {
      if (last) tf.dispose([...last.read, ...(last.more ?? [])]);
      last = null;
    },
    dispose() {
      tf.dispose([...inputs]);
    },
  };
}

type Body = (inputs: Inputs) => Prepared;

function bodies(tf: Tf): Record<WorkloadId, Body> {
  const make = (inputs: Inputs, name: string): Tensor => {
    const { values, shape } = need(inputs, name);
    return tf.tensor(values, [...shape], 'float32');
  };
  const matmulForward: Body = (inputs) => {
    const a = make(inputs, 'a');
    const b = make(inputs, 'b');
    return prepared(tf, [a, b], () => ({ read: [tf.matMul(a, b)] }));
  };
  return {
    'elu-fwd': (inputs) => {
      const x = make(inputs, 'x');
      return prepared(tf, [x], () => ({ read: [tf.elu(x)] }));
    },
    'elu-fwd-bwd': (inputs) => {
      const x = make(inputs, 'x');
      const grad = tf.grad((t: Tensor) => tf.elu(t));
      return prepared(tf, [x], () => ({ read: [grad(x)] }));
    },
    sum: (inputs) => {
      const x = make(inputs, 'x');
      return prepared(tf, [x], () => ({ read: [tf.sum(x)] }));
    },
    softmax: (inputs) => {
      const x = make(inputs, 'x');
      return prepared(tf, [x], () => ({ read: [tf.softmax(x, -1)] }));
    },
    'matmul-128': matmulForward,
    'matmul-256': matmulForward,
    'matmul-512': matmulForward,
    'matmul-1024': matmulForward,
    'matmul-512-fwd-bwd': (inputs) => {
      const a = make(inputs, 'a');
      const b = make(inputs, 'b');
      const grads = tf.grads((p: Tensor, q: Tensor) => tf.matMul(p, q));
      return prepared(tf, [a, b], () => ({ read: grads([a, b]) }));
    },
    'broadcast-add-fwd-bwd': (inputs) => {
      const a = make(inputs, 'a');
      const b = make(inputs, 'b');
      const grads = tf.grads((p: Tensor, q: Tensor) => tf.add(p, q));
      return prepared(tf, [a, b], () => ({ read: grads([a, b]) }));
    },
    'mlp-step': (inputs) => {
      const x = make(inputs, 'x');
      const onehot = make(inputs, 'onehot');
      const params = ['w1', 'b1', 'w2', 'b2'].map((name) => make(inputs, name));
      // The same composition as mg's (not tf.losses.softmaxCrossEntropy), so both do the same work.
      const step = tf.valueAndGrads((w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => {
        const h = tf.elu(tf.add(tf.matMul(x, w1), b1));
        const logits = tf.add(tf.matMul(h, w2), b2);
        return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits, -1)), 1)));
      });
      return prepared(tf, [x, onehot, ...params], () => {
        const { value, grads } = step(params);
        const updated = params.map((p, i) => tf.sub(p, tf.mul(grads[i]!, MLP.learningRate)));
        return { read: [value], more: updated };
      });
    },
    'tiny-add-bwd': (inputs) => {
      const x = make(inputs, 'x');
      const y = make(inputs, 'y');
      const step = tf.valueAndGrads((p: Tensor, q: Tensor) => tf.add(p, q));
      return prepared(tf, [x, y], () => {
        let { value, grads } = step([x, y]);
        for (let i = 1; i < TINY_ADDS; i++) {
          tf.dispose([value, ...grads]);
          ({ value, grads } = step([x, y]));
        }
        return { read: [value, ...grads] };
      });
    },
  };
}

/** Facts about the tfjs setup, for the report header. */
export interface TfjsInfo {
  readonly version: string;
  readonly wasmSimd: boolean | null;
  readonly wasmThreads: boolean | null;
}

/**
 * Loads tfjs-core with its cpu and wasm backends (wasm binaries from the package's dist directory) in
 * production mode (no debug checks, no banner), and returns one contender per backend that initialises.
 */
export async function tfjsContenders(wanted: {
  cpu: boolean;
  wasm: boolean;
}): Promise<{ contenders: Contender[]; info: TfjsInfo; problems: string[] }> {
  const require = createRequire(import.meta.url);
  // The bundle built next to dist by tsup (see tsup.config.ts and tfjs-runtime.ts).
  const { tf, setWasmPaths } = require('../build/tfjs-runtime.cjs') as typeof Runtime;
  const dist = path.dirname(
    require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
  );
  setWasmPaths(`${dist}${path.sep}`);
  tf.enableProdMode();
  const table = bodies(tf);
  const contenders: Contender[] = [];
  const problems: string[] = [];
  let wasmSimd: boolean | null = null;
  let wasmThreads: boolean | null = null;
  for (const [id, backend] of [
    ['tfjs-cpu', 'cpu'],
    ['tfjs-wasm', 'wasm'],
  ] as const) {
    if (!wanted[backend]) continue;
    let ok = false;
    try {
      ok = await tf.setBackend(backend);
    } catch (error) {
      problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!ok) {
      problems.push(`${id}: tf.setBackend('${backend}') failed`);
      continue;
    }
    if (backend === 'wasm') {
      wasmSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      wasmThreads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    }
    contenders.push({
      id,
      async activate() {
        if (tf.getBackend() !== backend && !(await tf.setBackend(backend)))
          throw new Error(`tf.setBackend('${backend}') failed`);
      },
      prepare: (workload: WorkloadSpec, inputs: Inputs) => table[workload.id](inputs),
    });
  }
  return { contenders, info: { version: tf.version_core, wasmSimd, wasmThreads }, problems };
}

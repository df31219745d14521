// Forward+backward of every @mg/activations op on @mg/backend-wasm, through its fused kernel and through its
// composite (setForceComposite), float32 and float64, interleaved in one process: the table of
// packages/activations/README.md.
// usage: node scripts/fused-vs-composite.mjs [REPS]   (after building the packages: pnpm build)
import {
  elu,
  glu,
  hardTanh,
  leakyRelu,
  logSoftmax,
  relu,
  selu,
  sigmoid,
  softmax,
  softSign,
} from '@mg/activations';
import { wasm } from '@mg/backend-wasm';
import { registerBackend, setBackend, setForceComposite, tensor } from '@mg/core';

const reps = Number(process.argv[2] ?? 30);
const n = 1_000_000;
/** Element-wise ops run on 1M elements; row-wise ones (and glu) on 1000×1000, last axis. */
const OPS = [
  ['elu', (x) => elu(x, 1), [n]],
  ['selu', (x) => selu(x), [n]],
  ['sigmoid', (x) => sigmoid(x), [n]],
  ['softSign', (x) => softSign(x), [n]],
  ['relu', (x) => relu(x), [n]],
  ['leakyRelu', (x) => leakyRelu(x, 0.1), [n]],
  ['hardTanh', (x) => hardTanh(x), [n]],
  ['glu', (x) => glu(x, { axis: -1 }), [1000, 1000]],
  ['logSoftmax', (x) => logSoftmax(x), [1000, 1000]],
  ['softmax', (x) => softmax(x), [1000, 1000]],
];

const backend = wasm();
registerBackend(backend);
await setBackend('wasm');

// Inputs in [-3, 3) from a fixed linear congruential sequence.
const values = new Float64Array(n);
let seed = 1;
for (let i = 0; i < n; i++) {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  values[i] = (6 * seed) / 2 ** 31 - 3;
}

const median = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};

/** One forward+backward of `fn` on `x` on the fused path or the composite; ms, everything the run made disposed. */
function once(fn, x, composite) {
  const previous = setForceComposite(composite);
  try {
    const start = performance.now();
    const y = fn(x);
    y.backward();
    const ms = performance.now() - start;
    y.grad?.dispose();
    y.dispose();
    x.grad?.dispose();
    x.nullGrad();
    return ms;
  } finally {
    setForceComposite(previous);
  }
}

/**
 * Medians of `reps` runs of each (dtype, path) pair, the four run in turn every round (as the harness does, so that
 * the machine's drift hits every column alike), after 5 untimed rounds.
 */
function timeAll(fn, shape) {
  const configs = ['float32', 'float64'].flatMap((dtype) =>
    [false, true].map((composite) => ({ x: tensor(values, { dtype }).reshape(shape), composite, times: [] })),
  );
  for (let r = 0; r < reps + 5; r++) {
    for (const c of configs) {
      const ms = once(fn, c.x, c.composite);
      if (r >= 5) c.times.push(ms);
    }
  }
  for (const c of configs) c.x.dispose();
  return configs.map((c) => median(c.times));
}

const format = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toPrecision(3));
console.log('| op | float32 fused | float32 composite | float64 fused | float64 composite |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, fn, shape] of OPS) {
  console.log(`| ${name} | ${timeAll(fn, shape).map(format).join(' | ')} |`);
}

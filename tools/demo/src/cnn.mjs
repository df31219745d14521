// The CNN demo: a small convolutional network (8×8 digit → 3×3 conv, 8 filters → ReLU → 2×2 max-pool → 10
// classes) trained with SGD on the UCI handwritten digits with @mg/layers and @mg/losses, on the CPU backend
// (`--wasm` for the wasm backend); reports held-out accuracy.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { relu } from '@mg/activations';
import {
  argmax,
  equal,
  getBackend,
  matmul,
  mean,
  noAutodiff,
  random,
  setBackend,
  tensor,
  tidy,
} from '@mg/core';
import { convNd, initializers, maxPool } from '@mg/layers';
import { softmaxCrossentropy } from '@mg/losses';
import '@mg/backend-cpu/register';
import '@mg/backend-wasm/register';

if (process.argv.includes('--wasm')) await setBackend('wasm');

const rows = gunzipSync(readFileSync(new URL('../data/digits.csv.gz', import.meta.url)))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(',').map(Number));

// Deterministic shuffle, then 80/20 train/test split; images as (N, 1, 8, 8).
random.seed(0);
const order = Array.from(random.rand(rows.length).dataSync(), (r, i) => [r, i])
  .sort((a, b) => a[0] - b[0])
  .map(([, i]) => i);
const split = Math.floor(rows.length * 0.8);
const pick = (idx) => ({
  x: tensor(
    idx.map((i) => rows[i].slice(0, 64).map((p) => p / 16)),
    { dtype: 'float32', constant: true }, // data: no gradient
  ).reshape([idx.length, 1, 8, 8]),
  y: Int32Array.from(idx, (i) => rows[i][64]),
});
const train = pick(order.slice(0, split));
const test = pick(order.slice(split));

const filters = 8;
let params = [
  initializers.heNormal(filters, 1, 3, 3, { gain: Math.SQRT2 }), // 8×8 → 6×6
  initializers.glorotUniform(filters * 3 * 3, 10), // pooled 3×3 per filter
  initializers.constant(10, { dtype: 'float32' }),
];

const forward = (x) => {
  const [w, wOut, bOut] = params;
  const features = maxPool(relu(convNd(x, w, 1)), [2, 2], 2); // (N, 8, 3, 3)
  return matmul(features.reshape([x.shape[0], -1]), wOut).add(bOut);
};
const accuracy = ({ x, y }) =>
  tidy(() => noAutodiff(() => mean(equal(argmax(forward(x), { axis: 1 }), tensor(y))).item()));

const memoryBefore = getBackend().memory().bytes;
const batch = 32;
const lr = 0.1;
const started = performance.now();
for (let epoch = 1; epoch <= 15; epoch++) {
  let total = 0;
  for (let start = 0; start < split; start += batch) {
    const stop = Math.min(start + batch, split);
    // One SGD step in a tidy: its intermediates are freed at once (on wasm they would wait for a GC).
    const next = tidy(() => {
      const loss = softmaxCrossentropy(
        forward(train.x.getitem([{ start, stop }])),
        train.y.subarray(start, stop),
      );
      loss.backward();
      total += Number(loss.item()) * (stop - start);
      return noAutodiff(() => params.map((p) => p.sub(p.grad.mul(lr))));
    });
    for (const p of params) {
      p.grad?.dispose();
      p.dispose();
    }
    params = next;
  }
  if (epoch % 5 === 0) {
    console.log(
      `epoch ${String(epoch).padStart(2)}: train loss ${(total / split).toFixed(4)}, test accuracy ${(100 * accuracy(test)).toFixed(1)}%`,
    );
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(
  `trained on ${split} digits in ${seconds} s (${getBackend().name}); held-out accuracy ${(100 * accuracy(test)).toFixed(1)}% on ${rows.length - split}; memory held ${getBackend().memory().bytes - memoryBefore} bytes more than before training`,
);

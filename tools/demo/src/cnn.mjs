// The CNN demo: a small convolutional network (8×8 digit → 3×3 conv, 8 filters → ReLU → 2×2 max-pool → 10
// classes) trained with SGD on the UCI handwritten digits with @mg/layers and @mg/losses, on the CPU backend
// (`--wasm` for the wasm backend); reports held-out accuracy.
import { relu } from '@mg/activations';
import { argmax, equal, getBackend, matmul, mean, noAutodiff, setBackend, tensor, tidy } from '@mg/core';
import { convNd, initializers, maxPool } from '@mg/layers';
import { softmaxCrossentropy } from '@mg/losses';
import '@mg/backend-cpu/register';
import '@mg/backend-wasm/register';
import { loadDigits } from './digits.mjs';

if (process.argv.includes('--wasm')) await setBackend('wasm');

// Images as (N, 1, 8, 8).
const digits = loadDigits();
const [train, test] = [digits.train, digits.test].map(({ x, y }) => ({
  x: x.reshape([y.length, 1, 8, 8]),
  y,
}));
const split = train.y.length;

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
  `trained on ${split} digits in ${seconds} s (${getBackend().name}); held-out accuracy ${(100 * accuracy(test)).toFixed(1)}% on ${test.y.length}; memory held ${getBackend().memory().bytes - memoryBefore} bytes more than before training`,
);

// The demo: trains a small MLP (64 → 64 ELU → 10, softmax cross-entropy, SGD) on the UCI handwritten digits
// with mg on the CPU backend, and reports held-out accuracy.
import { elu, logSoftmax } from '@mg/activations';
import { argmax, equal, matmul, mean, multiply, noAutodiff, random, sum, tensor } from '@mg/core';
import '@mg/backend-cpu/register';
import { loadDigits } from './digits.mjs';

const { train, test } = loadDigits();
const split = train.y.length;
const oneHot = (labels) =>
  tensor(
    labels.map((c) => Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0))),
    { dtype: 'float32' },
  );

const init = (fanIn, fanOut) =>
  random
    .randn(fanIn, fanOut)
    .mul(Math.sqrt(2 / fanIn))
    .astype('float32');
let w1 = init(64, 64);
let b1 = tensor(new Float32Array(64));
let w2 = init(64, 10);
let b2 = tensor(new Float32Array(10));

const forward = (x) => elu(matmul(x, w1).add(b1), 1).matmul(w2).add(b2);
const accuracy = ({ x, y }) =>
  noAutodiff(() => mean(equal(argmax(forward(x), { axis: 1 }), tensor(y))).item());

const batch = 64;
const lr = 0.2;
const started = performance.now();
for (let epoch = 1; epoch <= 30; epoch++) {
  let total = 0;
  for (let start = 0; start < split; start += batch) {
    const idx = Array.from({ length: Math.min(batch, split - start) }, (_, k) => start + k);
    const xb = train.x.getitem([{ start, stop: start + idx.length }]);
    const yb = oneHot(Array.from(train.y.subarray(start, start + idx.length)));
    // Cross-entropy: -mean over the batch of sum(onehot * logSoftmax(logits)).
    const loss = mean(sum(multiply(yb, logSoftmax(forward(xb))), { axis: 1 })).neg();
    loss.backward();
    total += Number(loss.item()) * idx.length;
    [w1, b1, w2, b2] = noAutodiff(() => [w1, b1, w2, b2].map((p) => p.sub(p.grad.mul(lr))));
  }
  if (epoch % 5 === 0) {
    console.log(
      `epoch ${String(epoch).padStart(2)}: train loss ${(total / split).toFixed(4)}, test accuracy ${(100 * accuracy(test)).toFixed(1)}%`,
    );
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(
  `trained on ${split} digits in ${seconds} s; held-out accuracy ${(100 * accuracy(test)).toFixed(1)}% on ${test.y.length}`,
);

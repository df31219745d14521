// Smoke demo: fits y = 2x - 1 with one ELU-free linear layer by gradient descent, on the CPU backend.
import { mean, noAutodiff, square, subtract, tensor } from '@mg/core';
import '@mg/backend-cpu/register';
import { elu } from '@mg/activations';

const xs = tensor([[-2], [-1], [0], [1], [2], [3]]);
const ys = tensor([[-5], [-3], [-1], [1], [3], [5]]);
let w = tensor([[0.1]]);
let b = tensor([0]);

for (let step = 0; step <= 200; step++) {
  const loss = mean(square(subtract(xs.matmul(w).add(b), ys)));
  loss.backward();
  if (step % 50 === 0) console.log(`step ${step}: loss ${Number(loss.item()).toFixed(6)}`);
  [w, b] = noAutodiff(() => [w.sub(w.grad.mul(0.05)), b.sub(b.grad.mul(0.05))]);
}
console.log(`w = ${Number(w.item()).toFixed(4)} (want 2), b = ${Number(b.item()).toFixed(4)} (want -1)`);
console.log('elu([-1, 0, 1], 1) =', JSON.stringify(elu([-1, 0, 1], 1).toArray()));

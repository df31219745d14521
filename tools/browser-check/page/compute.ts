// The computation the browser check runs: a tiny forward+backward on whichever backend is active, shared by
// the page (wasm in Chromium) and the test's reference run (cpu in Node).
import { elu } from '@mg/activations';
import { getBackend, matmul, sum, tensor } from '@mg/core';

/** What the page publishes and the test compares. */
export interface CheckResult {
  backend: string;
  loss: number;
  wGrad: number[][];
  xGrad: number[][];
}

/** sum(elu(x @ w)) for fixed x (3×4) and w (4×2), with the gradients of both inputs. */
export function forwardBackward(): CheckResult {
  // Mixed signs so elu's negative branch (alpha·(eˣ−1)) and its gradient are exercised, not just identity.
  const x = tensor([
    [0.5, -1.2, 0.3, 2.0],
    [-0.7, 0.1, -1.5, 0.4],
    [1.1, 0.9, -0.2, -0.8],
  ]);
  const w = tensor([
    [0.2, -0.5],
    [-0.3, 0.8],
    [0.6, 0.1],
    [-0.4, 0.7],
  ]);
  const loss = sum(elu(matmul(x, w), 1));
  loss.backward();
  return {
    backend: getBackend().name,
    loss: loss.item() as number,
    wGrad: w.grad!.toArray() as number[][],
    xGrad: x.grad!.toArray() as number[][],
  };
}

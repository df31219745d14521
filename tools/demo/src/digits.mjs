// The demos' data: the UCI handwritten digits (8×8 images, 0–16 grey levels; see ../data/README.md), shuffled
// deterministically (random.seed(0)) and split 80/20 into train and test sets.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { random, tensor } from '@mg/core';

/**
 * The train and test sets: `x` a constant float32 (N, 64) tensor of pixels scaled to [0, 1] (data: no gradient),
 * `y` the N labels (Int32Array). Call after a backend is ready.
 */
export function loadDigits() {
  const rows = gunzipSync(readFileSync(new URL('../data/digits.csv.gz', import.meta.url)))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number));
  random.seed(0);
  const order = Array.from(random.rand(rows.length).dataSync(), (r, i) => [r, i])
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => i);
  const split = Math.floor(rows.length * 0.8);
  const pick = (idx) => ({
    x: tensor(
      idx.map((i) => rows[i].slice(0, 64).map((p) => p / 16)),
      { dtype: 'float32', constant: true },
    ),
    y: Int32Array.from(idx, (i) => rows[i][64]),
  });
  return { train: pick(order.slice(0, split)), test: pick(order.slice(split)) };
}

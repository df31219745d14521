// Finite-difference gradient checks agree with correct backward passes and catch wrong ones.
import { multiply, noAutodiff, tensor } from '@mg/core';
import { describe, expect, it } from 'vitest';
import { checkGradients, numericalGradients } from '../src/index.js';

describe('numericalGradients', () => {
  it('differentiates sum(upstream * f(x)) by central differences', () => {
    const [g] = numericalGradients((x) => multiply(x, x), [{ data: [1, -2, 3], shape: [3] }], [1, 2, 3]);
    expect([...g!].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([2, -8, 18]);
  });
});

describe('checkGradients', () => {
  it('agrees with a correct backward', () => {
    const result = checkGradients(
      (a, b) => multiply(a, b),
      [
        { data: [1, 2, 3], shape: [3] },
        { data: [0.5], shape: [1] },
      ],
    );
    expect(result.mismatches).toEqual([]);
    expect(result.analytic).toHaveLength(2);
  });
  it('reports mismatches of a detached graph', () => {
    const result = checkGradients(
      (x) =>
        multiply(
          noAutodiff(() => tensor(x.dataSync(), { shape: x.shape })),
          2,
        ),
      [{ data: [1, 2], shape: [2] }],
    );
    expect(result.mismatches).toHaveLength(2);
  });
});

// The demos as a user runs them: each trains on the UCI digits and must reach its held-out accuracy, on each
// backend, leaving no tensor memory behind (the CNN demo frees every step's tensors). An end-to-end check of
// @mg/core, both backends, @mg/activations, @mg/layers and @mg/losses together (no timings are asserted).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const run = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, [fileURLToPath(new URL(`../src/${script}`, import.meta.url)), ...args], {
    encoding: 'utf8',
  });

const heldOut = (output: string) => Number(/held-out accuracy ([\d.]+)%/.exec(output)?.[1] ?? Number.NaN);

describe('demos', () => {
  it('the MLP reaches 93 % held-out accuracy', () => {
    expect(heldOut(run('main.mjs'))).toBeGreaterThanOrEqual(93);
  });

  it.each([
    ['cpu', []],
    ['wasm', ['--wasm']],
  ] as const)(
    'the CNN (convNd, maxPool, softmaxCrossentropy) reaches 90 % on %s, memory flat',
    (name, args) => {
      const output = run('cnn.mjs', ...args);
      expect(heldOut(output)).toBeGreaterThanOrEqual(90);
      expect(output).toMatch(/memory held 0 bytes more than before training/);
      expect(output).toContain(`(${name})`);
    },
  );
});

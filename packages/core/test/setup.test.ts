// The suite runs on the backend the test script asked for (MG_BACKEND), not silently on another.
import { expect, it } from 'vitest';
import { getBackend, tensor } from '../src/index.js';

it('runs on the backend named by MG_BACKEND (default cpu)', () => {
  expect(getBackend().name).toBe(process.env.MG_BACKEND ?? 'cpu');
  expect(tensor([1])._storage?.backend.name).toBe(process.env.MG_BACKEND ?? 'cpu');
});

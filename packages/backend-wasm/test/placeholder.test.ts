// The package is a placeholder until the wasm backend lands; this pins what it exports today.
import { expect, it } from 'vitest';
import * as wasm from '../src/index.js';

it('exports only the placeholder marker', () => {
  expect(Object.keys(wasm)).toEqual(['placeholder']);
  expect(wasm.placeholder).toBe('backend-wasm');
});

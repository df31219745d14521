import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { wasmBinary } from '../backend-wasm/vitest.wasm-plugin.js';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the sources of core, both backends and the test kit, and against the built @mg/activations
// (nx's `test` target builds it first), whose own `@mg/core` imports resolve to the same sources. The suite runs
// once per backend: core's test/setup.ts selects wasm when MG_BACKEND=wasm (see the `test` script).
export default defineProject({
  plugins: [wasmBinary()],
  resolve: {
    alias: {
      '@mg/core': src('../core/src/index.ts'),
      '@mg/backend-cpu': src('../backend-cpu/src/index.ts'),
      '@mg/backend-wasm': src('../backend-wasm/src/index.ts'),
      '@mg/testing': src('../testing/src/index.ts'),
    },
  },
  test: {
    name: process.env.MG_BACKEND === 'wasm' ? 'layers (wasm)' : 'layers',
    testTimeout: 30_000,
    setupFiles: ['../core/test/setup.ts'],
  },
});

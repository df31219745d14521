import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { wasmBinary } from '../backend-wasm/vitest.wasm-plugin.js';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Core's tests run against the sources of core and of the CPU backend (core knows no kernels of its own), so
// they need no build; the package.json `nx` block adds backend-cpu's sources to this target's cache inputs.
export default defineProject({
  plugins: [wasmBinary()],
  resolve: {
    alias: {
      '@mg/core': src('./src/index.ts'),
      '@mg/backend-cpu': src('../backend-cpu/src/index.ts'),
      '@mg/backend-wasm': src('../backend-wasm/src/index.ts'),
      '@mg/testing': src('../testing/src/index.ts'),
    },
  },
  test: { name: 'core', testTimeout: 30_000, setupFiles: ['./test/setup.ts'] },
});

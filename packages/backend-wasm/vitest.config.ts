import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { wasmBinary } from './vitest.wasm-plugin.ts';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the sources of core and of the cpu backend (imported by relative path), the reference the
// wasm kernels are compared with.
export default defineProject({
  plugins: [wasmBinary()],
  resolve: {
    alias: {
      '@mg/core': src('../core/src/index.ts'),
      '@mg/testing/backend-suite': src('../testing/src/backend-suite/index.ts'),
    },
  },
  test: { name: 'backend-wasm', testTimeout: 30_000 },
});

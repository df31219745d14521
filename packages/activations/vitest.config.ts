import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the sources of core, the CPU backend and the test kit (no build needed).
export default defineProject({
  resolve: {
    alias: {
      '@mg/core': src('../core/src/index.ts'),
      '@mg/backend-cpu': src('../backend-cpu/src/index.ts'),
      '@mg/testing': src('../testing/src/index.ts'),
    },
  },
  test: { name: 'activations', testTimeout: 30_000, setupFiles: ['../core/test/setup.ts'] },
});

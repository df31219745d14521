import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the sources of core, the CPU backend and the test kit (no build needed).
export default defineProject({
  resolve: {
    alias: {
      '@mg/core': src('../../packages/core/src/index.ts'),
      '@mg/backend-cpu': src('../../packages/backend-cpu/src/index.ts'),
      '@mg/testing': src('../../packages/testing/src/index.ts'),
    },
  },
  test: { name: 'example-plugin', testTimeout: 30_000, setupFiles: ['./test/setup.ts'] },
});

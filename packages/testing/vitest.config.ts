import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The kit's tests run against the sources of core and of the CPU backend, so they need no build.
export default defineProject({
  resolve: {
    alias: {
      '@mg/core': src('../core/src/index.ts'),
      '@mg/backend-cpu': src('../backend-cpu/src/index.ts'),
    },
  },
  test: { name: 'testing', testTimeout: 30_000, setupFiles: ['./test/setup.ts'] },
});

// Vitest config of the mutant backends' suite, which backend-suite.test.ts runs in a child process (its tests
// are meant to fail, so the kit's own test run must not collect them).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@mg/core': src('../../../core/src/index.ts'),
      '@mg/backend-cpu': src('../../../backend-cpu/src/index.ts'),
    },
  },
  test: { root: src('.'), include: ['mutants.suite.ts'] },
});

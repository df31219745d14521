import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: { '@mg/testing/backend-suite': src('../testing/src/backend-suite/index.ts') },
  },
  test: { name: 'backend-cpu', testTimeout: 30_000 },
});

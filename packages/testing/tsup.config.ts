import { defineConfig } from 'tsup';

export default defineConfig({
  // The backend suite is its own entry, so the main one never imports vitest (an optional peer dependency).
  entry: { index: 'src/index.ts', 'backend-suite': 'src/backend-suite/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});

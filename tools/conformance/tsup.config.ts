import { defineConfig } from 'tsup';

// A private CLI: ESM only. Splitting keeps run.ts (which imports the @mg packages) in its own chunk, loaded
// lazily by cli.ts so that a broken package is reported instead of crashing at startup.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  banner: { js: '#!/usr/bin/env node' },
});

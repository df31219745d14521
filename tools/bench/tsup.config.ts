import { defineConfig } from 'tsup';

// A private CLI: ESM only. The mg packages and TensorFlow.js stay external (tfjs is a devDependency, which
// tsup would otherwise bundle, splitting tfjs-core in two); splitting keeps the lazily loaded modules apart.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  external: [/^@mg\//, /^@tensorflow\//],
  banner: { js: '#!/usr/bin/env node' },
});

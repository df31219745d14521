import { defineConfig } from 'tsup';

export default defineConfig([
  // The CLI: ESM only; the mg packages stay external (they are consumed built, as users get them).
  // Splitting keeps the lazily loaded modules apart.
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    clean: true,
    sourcemap: true,
    target: 'es2022',
    splitting: true,
    external: [/^@mg\//, /^@tensorflow\//],
    banner: { js: '#!/usr/bin/env node' },
  },
  // TensorFlow.js, bundled from its ESM sources (`module` before `main`) into CommonJS, where the emscripten
  // loader of tfjs-backend-wasm finds `__dirname` and `require`. Its own directory: the CLI build cleans dist.
  {
    entry: ['src/tfjs-runtime.ts'],
    outDir: 'build',
    clean: true,
    format: ['cjs'],
    sourcemap: false,
    target: 'es2022',
    platform: 'node',
    noExternal: [/^@tensorflow\//],
    esbuildOptions(options) {
      options.mainFields = ['module', 'main'];
    },
  },
]);

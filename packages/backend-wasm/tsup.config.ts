import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

// register.ts imports './index.js': keep that import (instead of bundling a second copy of the backend, with its
// own singleton and its own copy of the wasm bytes) and point it at the sibling file of the same format.
const registerSharesIndex: Plugin = {
  name: 'register-shares-index',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith('register.ts') ? { path: `./index${extension}`, external: true } : undefined,
    );
  },
};

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: false,
  // The kernel module is inlined as bytes; 'neutral' makes esbuild decode them with atob, not Node's Buffer.
  platform: 'neutral',
  loader: { '.wasm': 'binary' },
  esbuildPlugins: [registerSharesIndex],
});

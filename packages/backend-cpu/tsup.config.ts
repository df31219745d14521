import { defineConfig } from 'tsup';
import { registerSharesIndex } from '../../tools/tsup/plugins.js';

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // With splitting, index.js is a bare re-export of a shared chunk and its source map has no sources, which
  // the pack check rejects; each entry bundling its own copy costs a few kilobytes.
  splitting: false,
  esbuildPlugins: [registerSharesIndex],
});

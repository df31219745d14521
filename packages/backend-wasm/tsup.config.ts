import { defineConfig } from 'tsup';
import { registerSharesIndex } from '../../tools/tsup/plugins.js';

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

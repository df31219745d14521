import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The wasm kernel module (src/build/kernels.wasm, from `pnpm run asbuild`) is inlined as bytes; 'neutral'
  // makes esbuild decode them with atob, not Node's Buffer, so that users' bundlers need no configuration.
  platform: 'neutral',
  loader: { '.wasm': 'binary' },
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, type Plugin } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const KERNELS = here('./src/build/kernels.wasm');
const SUFFIX = '?example-plugin-bytes';

/**
 * Lets the sources import the kernel module as bytes (`import bytes from './build/kernels.wasm'`), as tsup's
 * binary loader does for the bundle. test/build-kernels.ts compiles it first when it is missing or stale.
 */
function kernelBytes(): Plugin {
  return {
    name: 'example-plugin-kernel-bytes',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('.wasm') || importer === undefined) return null;
      const path = join(dirname(importer), source);
      return path === KERNELS ? `${path}${SUFFIX}` : null;
    },
    load(id) {
      if (!id.endsWith(SUFFIX)) return null;
      const base64 = readFileSync(KERNELS).toString('base64');
      return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

// Tests run against the sources of core, the CPU backend and the test kit (no build needed), and against the
// built @mg/backend-wasm, as a third party's tests would (nx's `test` target builds it first: dependsOn
// ^build). The suite runs once per backend: test/setup.ts selects wasm when MG_BACKEND=wasm (see the `test`
// script).
export default defineProject({
  plugins: [kernelBytes()],
  resolve: {
    alias: {
      '@mg/core': here('../../packages/core/src/index.ts'),
      '@mg/backend-cpu': here('../../packages/backend-cpu/src/index.ts'),
      '@mg/testing': here('../../packages/testing/src/index.ts'),
    },
  },
  test: {
    name: process.env.MG_BACKEND === 'wasm' ? 'example-plugin (wasm)' : 'example-plugin',
    testTimeout: 30_000,
    globalSetup: ['./test/build-kernels.ts'],
    setupFiles: ['./test/setup.ts'],
  },
});

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, type Plugin } from 'vitest/config';
import { wasmBinary } from '../backend-wasm/vitest.wasm-plugin.js';

const root = dirname(fileURLToPath(import.meta.url));
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SUFFIX = '?mg-kernels';

/**
 * Lets the sources import this package's kernel modules as bytes (`import bytes from './build/elu.wasm'`), as
 * tsup's binary loader does for the bundle, compiling assembly/ first (scripts/asbuild.mjs, through asc's API)
 * when the build is missing or older than its sources. Other `.wasm` imports are left to the next plugin.
 */
function kernelBytes(): Plugin {
  const newest = () =>
    Math.max(
      ...['assembly', 'assembly/lib'].flatMap((dir) =>
        readdirSync(join(root, dir)).map((name) => statSync(join(root, dir, name)).mtimeMs),
      ),
    );
  return {
    name: 'mg-activations-kernels',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('.wasm') || importer === undefined || !importer.startsWith(join(root, 'src'))) {
        return null;
      }
      return `${join(dirname(importer), source)}${SUFFIX}`;
    },
    async load(suffixed) {
      if (!suffixed.endsWith(SUFFIX)) return null;
      const id = suffixed.slice(0, -SUFFIX.length);
      if (!existsSync(id) || statSync(id).mtimeMs < newest()) {
        const { buildKernels } = await import('./scripts/asbuild.mjs');
        await buildKernels();
      }
      const base64 = readFileSync(id).toString('base64');
      return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

// Tests run against the sources of core, the CPU and wasm backends and the test kit (no build needed).
export default defineProject({
  plugins: [kernelBytes(), wasmBinary()],
  resolve: {
    alias: {
      '@mg/core': src('../core/src/index.ts'),
      '@mg/backend-cpu': src('../backend-cpu/src/index.ts'),
      '@mg/backend-wasm': src('../backend-wasm/src/index.ts'),
      '@mg/testing': src('../testing/src/index.ts'),
    },
  },
  test: { name: 'activations', testTimeout: 30_000, setupFiles: ['../core/test/setup.ts'] },
});

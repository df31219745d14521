// Compiles every kernel module: assembly/<name>.ts → src/build/<name>.wasm (one module per op family, each
// under the 4 KB that browsers compile synchronously). `assembly/lib/` holds code the modules share (inlined
// into each), `assembly/rt-none.ts` the empty runtime. Run by the `asbuild` script and by the vitest plugin.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The asc flags of a plugin module: no runtime, no data, the backend's memory imported (see PLUGINS.md §8). */
export const ASC_FLAGS = [
  '--importMemory',
  '--noExportMemory',
  '--runtime',
  './assembly/rt-none',
  '--use',
  'abort=',
  '--noAssert',
  '-O3',
  '--enable',
  'simd',
  '--shrinkLevel',
  '1',
];

/** The kernel modules' names (assembly/<name>.ts). */
export function kernelModules() {
  return readdirSync(join(root, 'assembly'))
    .filter((file) => file.endsWith('.ts') && file !== 'rt-none.ts')
    .map((file) => file.slice(0, -3));
}

/** Builds every module; throws on the first compile error. */
export async function buildKernels() {
  const asc = (await import('assemblyscript/asc')).default;
  mkdirSync(join(root, 'src', 'build'), { recursive: true });
  const cwd = process.cwd();
  process.chdir(root);
  try {
    for (const name of kernelModules()) {
      const args = [`assembly/${name}.ts`, '--outFile', `src/build/${name}.wasm`, ...ASC_FLAGS];
      const { error, stderr } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr });
      if (error) throw new Error(`asc failed on assembly/${name}.ts: ${error.message}\n${stderr.toString()}`);
    }
  } finally {
    process.chdir(cwd);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildKernels();

// A vite plugin that lets the tests import the kernel module as bytes (`import bytes from '../build/mg.wasm'`),
// as tsup's binary loader does for the bundle; it compiles assembly/ first when the build is missing or stale.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '?mg-bytes';

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir).map((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

/** Runs the package's `asbuild` script (the asc command line) through asc's API. */
async function build(): Promise<void> {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const argv = scripts.asbuild!.split(/\s+/).slice(1);
  const asc = (await import('assemblyscript/asc')).default;
  const { error, stderr } = await asc.main(argv, { stdout: process.stdout, stderr: process.stderr });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
}

export function wasmBinary(): Plugin {
  return {
    name: 'mg-wasm-binary',
    enforce: 'pre',
    // A suffix of our own keeps vite's and vitest's own wasm handling (ES module integration) away from the file.
    async resolveId(source, importer) {
      if (!source.endsWith('.wasm') || importer === undefined) return null;
      return `${join(dirname(importer), source)}${SUFFIX}`;
    },
    async load(suffixed) {
      if (!suffixed.endsWith(SUFFIX)) return null;
      const id = suffixed.slice(0, -SUFFIX.length);
      const stale = !existsSync(id) || statSync(id).mtimeMs < newestSource(join(root, 'assembly'));
      if (stale && id.startsWith(join(root, 'build'))) {
        const cwd = process.cwd();
        process.chdir(root);
        try {
          await build();
        } finally {
          process.chdir(cwd);
        }
      }
      const base64 = readFileSync(id).toString('base64');
      return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

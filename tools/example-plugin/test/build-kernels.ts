// vitest globalSetup: compiles assembly/ into src/build/kernels.wasm (the package's `asbuild` script, through
// asc's API) when the module is missing or older than its sources — e.g. on a fresh clone, where the
// git-ignored build directory does not exist yet — so that `vitest run` works without `pnpm build` first.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function buildKernels(): Promise<void> {
  const wasm = join(root, 'src/build/kernels.wasm');
  const sources = readdirSync(join(root, 'assembly')).map(
    (name) => statSync(join(root, 'assembly', name)).mtimeMs,
  );
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= Math.max(...sources)) return;
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const asc = (await import('assemblyscript/asc')).default;
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { error, stderr } = await asc.main(scripts.asbuild!.split(/\s+/).slice(1), {
      stdout: process.stdout,
      stderr: process.stderr,
    });
    if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  } finally {
    process.chdir(cwd);
  }
}

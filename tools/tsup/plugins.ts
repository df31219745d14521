// esbuild plugins shared by the packages' tsup configs.
import type { Plugin } from 'esbuild';

/**
 * register.ts imports './index.js': keep that import (instead of bundling a second copy of the backend, with its
 * own singleton — and for wasm its own copy of the module bytes) and point it at the sibling file of the same
 * format. Without it, `import '<backend>/register'` plus `registerBackend(<backend>())` registers two different
 * objects under one name.
 */
export const registerSharesIndex: Plugin = {
  name: 'register-shares-index',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith('register.ts') ? { path: `./index${extension}`, external: true } : undefined,
    );
  },
};

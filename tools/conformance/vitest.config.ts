import { defineProject } from 'vitest/config';

// The runner is tested against the BUILT packages (dist), as the CLI runs: no source aliases here.
export default defineProject({
  test: { name: 'conformance', setupFiles: ['./test/setup.ts'], testTimeout: 30_000 },
});

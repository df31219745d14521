import { defineProject } from 'vitest/config';

// The harness's own tests: statistics, result comparison, report and argument parsing. No timings.
export default defineProject({
  test: { name: 'bench', testTimeout: 30_000 },
});

import { defineProject } from 'vitest/config';

// The demos run as a user runs them (node, the built packages); training takes seconds on 2 cores.
export default defineProject({ test: { name: 'demo', testTimeout: 120_000 } });

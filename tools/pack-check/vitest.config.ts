import { defineProject } from 'vitest/config';

// Packing and npm installs are slow on 2 cores; one file, generous timeouts.
export default defineProject({ test: { name: 'pack-check', testTimeout: 120_000, hookTimeout: 300_000 } });

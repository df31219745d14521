import { defineProject } from 'vitest/config';

// Runs against the BUILT packages (no source aliases): the page bundles them exactly as a user would.
// Bundling and starting Chromium are slow on 2 cores; generous timeouts.
export default defineProject({ test: { name: 'browser-check', testTimeout: 120_000, hookTimeout: 120_000 } });

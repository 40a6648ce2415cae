import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages export `interlink:source` -> src/index.ts first, so tests run against the sources
// of their dependencies, never against a stale dist/.
const conditions = ['interlink:source', ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    // Fault tests stop and restart the shared brokers, so they run on their own afterwards, one
    // file at a time (vitest.fault.config.ts), never beside tests that use the same brokers.
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.fault.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

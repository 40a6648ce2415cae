import { defineConfig } from 'vitest/config';

// Workspace packages export `interlink:source` -> src/index.ts, so tests run against the sources of
// their dependencies, never against a stale dist/.
const conditions = ['interlink:source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});

import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages export `interlink:source` -> src/index.ts first, so tests run against the sources
// of their dependencies, never against a stale dist/.
const conditions = ['interlink:source', ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions } },
  resolve: {
    // The spawn harness moved to @interlink/testing/spawn; apps/platform/src/main.test.ts still
    // imports its old name. Remove with apps/platform/tsconfig.test.json's `paths` once it moves.
    alias: {
      '@interlink/gateway/internal/testing': fileURLToPath(
        new URL('./packages/testing/src/spawn.ts', import.meta.url),
      ),
    },
  },
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

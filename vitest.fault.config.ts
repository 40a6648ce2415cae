import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Tests that stop and restart PostgreSQL, Redis, NATS or RabbitMQ: run after the main suite, one file
// at a time, so no other test sees the outage. Each restarts what it stopped before it finishes.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/src/**/*.fault.test.ts', 'apps/*/src/**/*.fault.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

import { fileURLToPath } from 'node:url';
import { createBullmqBackend, createJobManager, defineJobType } from '@interlink/jobs';
import { Type } from '@sinclair/typebox';
import { redisUrl } from '../brokers/broker-urls.js';

/** The worker that takes `probe` jobs and never finishes them; run it with `typeScriptNodeArgs`. */
export const killTestWorkerFile = fileURLToPath(new URL('./kill-test-worker.ts', import.meta.url));

/**
 * The job manager of the kill -9 test, the same in the test and in the worker process it kills:
 * one `probe` type on BullMQ under `prefix`, with short locks so a stalled job is recovered within
 * the test, and one attempt, so the recovery must not use one up.
 */
export function createKillTestJobs(prefix: string) {
  return createJobManager({
    backend: createBullmqBackend({
      connection: { url: redisUrl, maxRetriesPerRequest: null },
      prefix,
      lockDurationMs: 1000,
      stalledIntervalMs: 300,
    }),
    classes: {
      work: { queue: 'kill-test', attempts: 1, keepCompleted: 'all', keepFailed: 'all', concurrency: 1 },
    },
    types: { probe: defineJobType({ class: 'work', schema: Type.Object({ n: Type.Integer() }) }) },
  });
}

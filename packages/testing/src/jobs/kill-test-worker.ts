// A worker process for the kill -9 test: it takes jobs of `probe` and never finishes them, printing
// `started <id>` so the test knows when to kill it. Run with `typeScriptNodeArgs`.

import { createBullmqBackend, createJobManager, defineJobType } from '@interlink/jobs';
import { Type } from '@sinclair/typebox';
import { redisUrl } from '../brokers/broker-urls.js';

const prefix = process.argv[2];
if (!prefix) throw new Error('usage: kill-test-worker.ts <prefix>');

const jobs = createJobManager({
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
jobs.handle('probe', async (_, { id }) => {
  process.stdout.write(`started ${id}\n`);
  await new Promise(() => {});
});
jobs.start();
process.stdout.write('ready\n');

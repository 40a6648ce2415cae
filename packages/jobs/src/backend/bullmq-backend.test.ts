import { deleteKeysWithPrefix, redisUrl, uniqueName } from '@interlink/testing';
import { runJobBackendConformance } from '@interlink/testing/jobs';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createBullmqBackend } from './bullmq-backend.js';
import type { JobBackend } from './job-backend.js';

// Every key of this file's run starts with this, so files run in parallel and a crashed run is cleaned next time.
const filePrefix = uniqueName('test-jobs-');
const prefixes = new Map<JobBackend, string>();
let n = 0;

function backendWith(prefix: string): JobBackend {
  // Short locks so a job abandoned at shutdown is recovered within a test, not after 30 s.
  const backend = createBullmqBackend({
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    prefix,
    lockDurationMs: 1000,
    stalledIntervalMs: 300,
  });
  prefixes.set(backend, prefix);
  return backend;
}

runJobBackendConformance('BullMQ on Redis', {
  create: () => backendWith(`${filePrefix}-${++n}`),
  replica: (of) => backendWith(prefixes.get(of)!),
});

afterAll(async () => {
  const redis = new Redis(redisUrl);
  await deleteKeysWithPrefix(redis, filePrefix);
  await redis.quit();
});

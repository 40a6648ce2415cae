import { currentContext, runWithContext } from '@interlink/core';
import { createJobManager, createMemoryBackend, defineJobType } from '@interlink/jobs';
import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';

let delivered!: (to: string) => void;
const sent = new Promise<string>((resolve) => {
  delivered = resolve;
});

// #region manager
const jobs = createJobManager({
  // In memory for tests and `npm start`; createBullmqBackend() (Redis) for replicas. Same semantics.
  backend: createMemoryBackend(),
  // A class is one queue with its retry, retention and concurrency policy.
  classes: {
    mail: {
      queue: 'mail',
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      keepCompleted: 100,
      keepFailed: 500,
      concurrency: 5,
    },
  },
  // Your job types: a class, a payload schema, a timeout and a breaker each.
  types: {
    'send-welcome': defineJobType({
      class: 'mail',
      schema: Type.Object({
        to: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 }),
        name: Type.String(),
      }),
      timeoutMs: 10_000,
      breaker: { failureThreshold: 5, cooldownMs: 60_000 }, // the mail provider is down: defer
    }),
    'send-digest': defineJobType({ class: 'mail', schema: Type.Object({}) }),
  },
  schedules: [{ id: 'daily-digest', type: 'send-digest', cron: '0 7 * * *', tz: 'Europe/Paris' }],
  registry: new Registry(), // or the service's createMetrics().registry
});

jobs.handle('send-welcome', async ({ to, name }, job) => {
  // Runs in the producer's trace (a new span) and tenant; `job.signal` aborts on timeout or shutdown.
  job.signal.throwIfAborted();
  console.log(`welcome ${name} <${to}>`, job.attempt, currentContext()?.tenantId);
  delivered(to);
});
jobs.handle('send-digest', async () => {
  // build and send the digest
});
jobs.start(); // one worker per class that has a handler, with the class's concurrency
await jobs.applySchedules(); // creates or updates in place every configured schedule

// In a request handler, the context (trace, tenant) travels with the job:
await runWithContext(
  {
    requestId: 'req-1',
    tenantId: 'acme',
    trace: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 },
  },
  () => jobs.add('send-welcome', { to: 'ada@example.com', name: 'Ada' }, { id: 'welcome-ada' }), // idempotent id
);
await jobs
  .add('send-welcome', { to: 'not an address' } as never)
  .catch((error: { code?: string }) => console.log(error.code)); // ERR_JOB_PAYLOAD_INVALID: nothing queued
// #endregion manager

console.log(await sent); // ada@example.com
await jobs.close(); // stop taking jobs, wait up to 30 s for running ones, close the backend

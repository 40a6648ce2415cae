import { currentContext } from '@interlink/core';
import { createBullmqBackend, createJobManager, createMemoryBackend } from '@interlink/jobs';
import { integrationPreset, orderPreset } from '@interlink/jobs/presets';
import { Registry } from 'prom-client';

// Redis when REDIS_URL is set, memory otherwise.
const backend = process.env.REDIS_URL ? createBullmqBackend() : createMemoryBackend();
const jobs = createJobManager({
  backend,
  classes: { ...integrationPreset.classes, ...orderPreset.classes },
  types: { ...integrationPreset.types, ...orderPreset.types },
  schedules: orderPreset.schedules,
  registry: new Registry(), // or the service's createMetrics().registry
});

jobs.handle('webhook', async ({ provider, event }, job) => {
  // Runs in the producer's trace (a new span) and tenant: currentContext() is set.
  console.log(provider, event, job.attempt, currentContext()?.tenantId);
});
jobs.handle('order-expiration', async (_payload, { signal }) => {
  // expire orders in batches; stop when `signal` aborts (timeout or forced shutdown)
  signal.throwIfAborted();
});
jobs.start(); // one worker per class that has a handler, with the class's concurrency
await jobs.applySchedules(); // creates or updates in place every schedule of the configuration

// In a request handler (the context carries the trace and the verified tenant):
await jobs.add(
  'webhook',
  { provider: 'stripe', event: 'charge.succeeded', payload: { id: 'ch_1' } },
  { id: 'evt_1' }, // idempotent: adding evt_1 again does nothing
);
await jobs
  .add('webhook', { provider: 'paypal' } as never)
  .catch((error: { code?: string }) => console.log(error.code)); // ERR_JOB_PAYLOAD_INVALID: nothing queued

await jobs.close(); // stop taking jobs, wait up to 30 s for running ones, close connections
// In a service: service.onClose('jobs', () => jobs.close()) runs it on SIGTERM/SIGINT (core's kit).

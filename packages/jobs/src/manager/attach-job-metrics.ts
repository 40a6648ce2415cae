import type Prom from 'prom-client';
import type { JobBackend } from '../backend/job-backend.js';
import { createJobMetrics } from '../metrics/job-metrics.js';
import type { CompiledTypes } from './compile-job-types.js';

export interface AttachJobMetricsOptions {
  registry: Prom.Registry;
  prefix?: string | undefined;
  backend: JobBackend;
  compiled: CompiledTypes;
  /** Jobs this process runs now on a queue. */
  running: (queue: string) => number;
}

/**
 * Registers the jobs series for the manager's queues and types, and gives each type its own
 * series, looked up once so a finished job does no label work.
 */
export function attachJobMetrics(options: AttachJobMetricsOptions): void {
  const { backend, compiled, running } = options;
  const { types, byQueue } = compiled;
  const metrics = createJobMetrics({
    registry: options.registry,
    queues: () => [...byQueue.keys()],
    countJobs: async (queue) => backend.countJobs(queue),
    active: () => [...byQueue.keys()].map((queue) => [queue, running(queue)] as const),
    breakers: () =>
      [...types.values()].filter((t) => t.breaker).map((t) => [t.name, t.breaker!.state] as const),
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  for (const type of types.values()) type.metrics = metrics.forType(type.cls.queue, type.name);
}

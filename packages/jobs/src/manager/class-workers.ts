import type { JobBackend, JobWorker } from '../backend/job-backend.js';
import type { CompiledType } from './compile-job-types.js';
import type { PriorityClass } from './job-definitions.js';
import type { JobAttempt } from './job-runner.js';

export interface ClassWorkersOptions {
  backend: JobBackend;
  byQueue: Map<string, Map<string, CompiledType>>;
  attempt: JobAttempt;
}

/** The manager's workers: one per class queue, each running every type of its queue. */
export interface ClassWorkers {
  /** Starts a worker per queue not started yet, at its class's concurrency. */
  start(queues: Map<string, PriorityClass>): void;
  /** Jobs this process runs now on `queue`. */
  running(queue: string): number;
  /** Closes every worker, waiting up to `timeoutMs`; resolves to the jobs left unfinished. */
  close(timeoutMs: number): Promise<number>;
}

export function createClassWorkers(options: ClassWorkersOptions): ClassWorkers {
  const { backend, byQueue, attempt } = options;
  const workers: JobWorker[] = [];
  const workerOf = new Map<string, JobWorker>();
  const startedQueues = new Set<string>();
  return {
    start(queues) {
      for (const [queue, cls] of queues) {
        // Starting twice must not double a class's concurrency.
        if (startedQueues.has(queue)) continue;
        startedQueues.add(queue);
        const queueTypes = byQueue.get(queue) ?? new Map<string, CompiledType>();
        const worker = backend.work(queue, (job) => attempt(queueTypes, job), {
          concurrency: cls.concurrency,
        });
        workers.push(worker);
        workerOf.set(queue, worker);
      }
    },
    running: (queue) => workerOf.get(queue)?.running ?? 0,
    async close(timeoutMs) {
      const results = await Promise.all(workers.map((w) => w.close({ timeoutMs })));
      return results.reduce((sum, r) => sum + r.unfinished, 0);
    },
  };
}

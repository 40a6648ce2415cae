import { JobsError } from '../errors/jobs-error.js';
import { JOB_STATES, type JobBackend, type JobState, type JobWorker } from './job-backend.js';
import { createMemoryQueueStore, type MemJob, memoryJobRecord, storable } from './memory-queue-store.js';
import { createMemoryScheduler } from './memory-scheduler.js';
import { createMemoryWorkers } from './memory-workers.js';
import { validateNewJob, validateSchedule } from './validate-job-input.js';

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** Clock, for schedules; defaults to `Date.now`. */
  now?: () => number;
}

/**
 * An in-process {@link JobBackend} with BullMQ's semantics (attempts, backoff, retention, priorities,
 * schedules, idempotent ids, pause), for `npm start` with no Redis and for unit tests. Jobs live only
 * as long as the process: it is not a durable store and cannot share work across processes.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): JobBackend {
  const now = options.now ?? Date.now;
  let closed = false;
  const isClosed = () => closed;
  const handles = new Set<JobWorker>();

  function assertOpen(): void {
    if (closed) throw new JobsError('ERR_JOB_MANAGER_CLOSED', 'the memory job backend is closed');
  }

  const store = createMemoryQueueStore({ now, wake: (queue) => workers.pump(queue) });
  const { queues, queueOf, enqueue, addOne, requireJob } = store;
  const workers = createMemoryWorkers({ store, now, isClosed, assertOpen, handles });
  const scheduler = createMemoryScheduler({ store, now, isClosed });

  const backend: JobBackend = {
    kind: 'memory',
    shared: false,
    async add(queue, job) {
      assertOpen();
      return addOne(queue, job);
    },
    async addBulk(queue, jobs) {
      assertOpen();
      // All or nothing, as BullMQ's bulk add is one transaction.
      for (const job of jobs) {
        validateNewJob(job);
        storable(job.data);
      }
      return jobs.map((job) => addOne(queue, job));
    },
    work: workers.work,
    async getJob(queue, id) {
      const job = queues.get(queue)?.jobs.get(id);
      return job ? memoryJobRecord(queue, job) : undefined;
    },
    async listJobs(queue, state, start = 0, end = -1) {
      const q = queues.get(queue);
      if (!q) return [];
      let jobs: MemJob[];
      if (state === 'completed' || state === 'failed') {
        jobs = (state === 'completed' ? q.completed : q.failed).map((id) => q.jobs.get(id)!).reverse();
      } else {
        jobs = [...q.jobs.values()].filter((j) => j.state === state).sort((a, b) => b.seq - a.seq);
      }
      return jobs.slice(start, end < 0 ? undefined : end + 1).map((j) => memoryJobRecord(queue, j));
    },
    async countJobs(queue) {
      const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
      for (const job of queues.get(queue)?.jobs.values() ?? []) counts[job.state]++;
      return counts;
    },
    async retryJob(queue, id) {
      assertOpen();
      const q = queueOf(queue);
      const job = requireJob(queue, id);
      if (job.state !== 'failed') throw new JobsError('ERR_JOB_NOT_FAILED', `job "${id}" is ${job.state}`);
      q.failed = q.failed.filter((f) => f !== id);
      job.attemptsMade = 0;
      job.finishedAt = undefined;
      enqueue(queue, q, job);
    },
    async promoteJob(queue, id) {
      const q = queueOf(queue);
      const job = requireJob(queue, id);
      if (job.state === 'delayed') enqueue(queue, q, job);
    },
    async pauseQueue(queue) {
      queueOf(queue).paused = true;
    },
    async resumeQueue(queue) {
      queueOf(queue).paused = false;
      workers.pump(queue);
    },
    async isQueuePaused(queue) {
      return queues.get(queue)?.paused ?? false;
    },
    async upsertSchedule(queue, spec) {
      assertOpen();
      validateSchedule(spec);
      scheduler.upsert(queue, spec);
    },
    async removeSchedule(queue, id) {
      return scheduler.remove(queue, id);
    },
    async listSchedules(queue) {
      return scheduler.list(queue);
    },
    async obliterate(queue) {
      const q = queues.get(queue);
      if (!q) return;
      for (const job of q.jobs.values()) clearTimeout(job.timer);
      scheduler.disarm(q);
      queues.delete(queue);
    },
    async close(options = {}) {
      if (closed) return;
      closed = true;
      for (const q of queues.values()) scheduler.disarm(q);
      await Promise.all([...handles].map((h) => h.close(options)));
      for (const q of queues.values()) for (const job of q.jobs.values()) clearTimeout(job.timer);
    },
  };
  return backend;
}

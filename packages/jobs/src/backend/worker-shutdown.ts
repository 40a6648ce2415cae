import { JobsError } from '../errors/jobs-error.js';
import type { JobWorker } from './job-backend.js';

/** How long a worker's close waits for its running jobs when the caller gives no timeout. */
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

/** The abort reason of a job its worker gave up on at shutdown (another worker takes the job over). */
export function workerClosedError(): JobsError {
  return new JobsError('ERR_JOB_MANAGER_CLOSED', 'the worker closed before the job finished');
}

/**
 * Waits for a closing worker's running jobs: resolves when `idle` does or after `timeoutMs`,
 * whichever comes first, and leaves no timer behind.
 */
export async function idleOrTimeout(idle: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}

/**
 * The {@link JobWorker} a backend hands out, kept in `handles` (what the backend's close closes)
 * while it is open. `shutdown` runs once however often `close` is called; every caller gets its result.
 */
export function workerHandle(
  handles: Set<JobWorker>,
  shutdown: (timeoutMs: number) => Promise<{ unfinished: number }>,
  running: () => number,
): JobWorker {
  let closing: Promise<{ unfinished: number }> | undefined;
  const handle: JobWorker = {
    close(options = {}) {
      closing ??= shutdown(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS).finally(() =>
        handles.delete(handle),
      );
      return closing;
    },
    get running() {
      return running();
    },
  };
  handles.add(handle);
  return handle;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { deleteKeysWithPrefix, redisUrl, typeScriptNodeArgs, uniqueName } from '@interlink/testing';
import { createKillTestJobs, killTestWorkerFile } from '@interlink/testing/jobs';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';

const prefix = uniqueName('test-jobs-kill-');

function startWorkerProcess(): { child: ChildProcess; lines: string[] } {
  const child = spawn(process.execPath, [...typeScriptNodeArgs, killTestWorkerFile, prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, REDIS_URL: redisUrl },
  });
  const lines: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n')));
  return { child, lines };
}

describe('BullMQ backend: a worker process killed with SIGKILL mid-job', () => {
  const jobs = createKillTestJobs(prefix);

  afterAll(async () => {
    await jobs.close({ timeoutMs: 1000 });
    const redis = new Redis(redisUrl);
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('has its job recovered and run to completion by another worker, with no attempt used', async () => {
    const { child, lines } = startWorkerProcess();
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    try {
      // Starting transpiles the sources (typescript, core, fastify): slow on a loaded machine.
      await vi.waitFor(() => expect(lines).toContain('ready'), { timeout: 45_000, interval: 50 });
      const id = await jobs.add('probe', { n: 1 });
      await vi.waitFor(() => expect(lines).toContain(`started ${id}`), { timeout: 10_000, interval: 20 });
      expect((await jobs.getJob('work', id))?.state).toBe('active');
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const runs: number[] = [];
      jobs.handle('probe', async ({ n }, { attempt }) => {
        runs.push(attempt);
        return n * 10;
      });
      jobs.start();
      const done = await vi.waitFor(
        async () => {
          const job = await jobs.getJob('work', id);
          if (job?.state !== 'completed') throw new Error(`job is ${job?.state}`);
          return job;
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(done.returnValue).toBe(10);
      expect(done.attemptsMade).toBe(1);
      expect(runs).toEqual([1]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});

// A worker process for the kill -9 test: it takes jobs of `probe` and never finishes them, printing
// `started <id>` so the test knows when to kill it. Run with `typeScriptNodeArgs`.
import { createKillTestJobs } from './kill-test-jobs.js';

const prefix = process.argv[2];
if (!prefix) throw new Error('usage: kill-test-worker.ts <prefix>');

const jobs = createKillTestJobs(prefix);
jobs.handle('probe', async (_, { id }) => {
  process.stdout.write(`started ${id}\n`);
  await new Promise(() => {});
});
jobs.start();
process.stdout.write('ready\n');

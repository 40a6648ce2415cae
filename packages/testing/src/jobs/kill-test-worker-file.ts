import { fileURLToPath } from 'node:url';

/** The worker that takes `probe` jobs and never finishes them; run it with `typeScriptNodeArgs`. */
export const killTestWorkerFile = fileURLToPath(new URL('./kill-test-worker.ts', import.meta.url));

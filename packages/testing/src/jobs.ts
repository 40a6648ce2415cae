/** `@interlink/testing/jobs`: the conformance suite every job backend runs, and its kill -9 worker. */
export { type BackendHarness, runJobBackendConformance } from './jobs/job-backend-conformance.js';
export { createKillTestJobs, killTestWorkerFile } from './jobs/kill-test-jobs.js';

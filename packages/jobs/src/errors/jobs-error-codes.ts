import type { ErrorCodeTable } from '@interlink/core';

/** The codes of `@interlink/jobs`. Each is listed in `docs/errors.md`; `error-codes.test.ts` checks it. */
export const jobsErrorCodes = {
  ERR_JOB_PAYLOAD_INVALID: { status: 400, title: 'Job payload invalid' },
  ERR_JOB_TYPE_UNKNOWN: { status: 400, title: 'Unknown job type' },
  ERR_JOB_ID_INVALID: { status: 400, title: 'Invalid job id' },
  ERR_JOB_OPTIONS_INVALID: { status: 400, title: 'Invalid job options' },
  ERR_JOB_SCHEDULE_INVALID: { status: 400, title: 'Invalid job schedule' },
  ERR_JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  ERR_JOB_NOT_FAILED: { status: 409, title: 'Job is not failed' },
  ERR_JOB_TIMEOUT: { status: 504, title: 'Job timed out' },
  ERR_JOB_HANDLER_MISSING: { status: 500, title: 'No handler for job type' },
  ERR_JOBS_CLOSED: { status: 503, title: 'Job manager closed' },
  ERR_JOBS_UNAVAILABLE: { status: 503, title: 'Job store unavailable' },
} as const satisfies ErrorCodeTable;

export type JobsErrorCode = keyof typeof jobsErrorCodes;

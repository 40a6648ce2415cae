import type { ErrorCodeTable } from '@interlink/core';

/**
 * The codes of `@interlink/jobs`, all `ERR_JOB_`. Each is listed in `docs/errors.md`;
 * `error-codes.test.ts` checks it. `retryable: false` marks a failure no retry can fix (the payload
 * will not become valid, an unknown type will not become known): such a job fails at once.
 */
export const jobsErrorCodes = {
  ERR_JOB_PAYLOAD_INVALID: { status: 400, title: 'Job payload invalid', retryable: false },
  ERR_JOB_TYPE_UNKNOWN: { status: 400, title: 'Unknown job type', retryable: false },
  ERR_JOB_ID_INVALID: { status: 400, title: 'Invalid job id' },
  ERR_JOB_OPTIONS_INVALID: { status: 400, title: 'Invalid job options' },
  ERR_JOB_SCHEDULE_INVALID: { status: 400, title: 'Invalid job schedule' },
  ERR_JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  ERR_JOB_NOT_FAILED: { status: 409, title: 'Job is not failed' },
  ERR_JOB_TIMEOUT: { status: 504, title: 'Job timed out' },
  ERR_JOB_HANDLER_MISSING: { status: 500, title: 'No handler for job type', retryable: false },
  ERR_JOB_MANAGER_CLOSED: { status: 503, title: 'Job manager closed' },
  ERR_JOB_STORE_UNAVAILABLE: { status: 503, title: 'Job store unavailable' },
} as const satisfies ErrorCodeTable;

export type JobsErrorCode = keyof typeof jobsErrorCodes;

import { defineErrorCodes } from '@interlink/core';

/**
 * The codes of `@interlink/jobs`, all `ERR_JOB_`. Each is listed in `docs/errors.md`;
 * `error-codes.test.ts` checks it. `(not retryable)` marks a failure no retry can fix (the payload
 * will not become valid, an unknown type will not become known): such a job fails at once.
 */
export const jobsErrorCodes = defineErrorCodes(`
  ERR_JOB_PAYLOAD_INVALID    400 Job payload invalid (not retryable)
  ERR_JOB_TYPE_UNKNOWN       400 Unknown job type (not retryable)
  ERR_JOB_ID_INVALID         400 Invalid job id
  ERR_JOB_OPTIONS_INVALID    400 Invalid job options
  ERR_JOB_SCHEDULE_INVALID   400 Invalid job schedule
  ERR_JOB_NOT_FOUND          404 Job not found
  ERR_JOB_NOT_FAILED         409 Job is not failed
  ERR_JOB_TIMEOUT            504 Job timed out
  ERR_JOB_HANDLER_MISSING    500 No handler for job type (not retryable)
  ERR_JOB_MANAGER_CLOSED     503 Job manager closed
  ERR_JOB_STORE_UNAVAILABLE  503 Job store unavailable
`);

export type JobsErrorCode = keyof typeof jobsErrorCodes;

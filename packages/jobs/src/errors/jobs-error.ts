import { errorClassFor } from '@interlink/core';
import { jobsErrorCodes } from './jobs-error-codes.js';

/** An error of `@interlink/jobs`, with a code from {@link jobsErrorCodes}. */
export class JobsError extends errorClassFor('JobsError', jobsErrorCodes) {}

/**
 * Codes whose failure is final: retrying cannot help (the payload will not become valid, an unknown
 * type will not become known), so the job fails at once and keeps its remaining attempts unused.
 */
export const PERMANENT_JOB_ERROR_CODES: ReadonlySet<string> = new Set([
  'ERR_JOB_PAYLOAD_INVALID',
  'ERR_JOB_TYPE_UNKNOWN',
  'ERR_JOB_HANDLER_MISSING',
]);

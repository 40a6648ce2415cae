import { errorClassFor } from '@interlink/core';
import { jobsErrorCodes } from './jobs-error-codes.js';

/** An error of `@interlink/jobs`, with a code from {@link jobsErrorCodes}. */
export class JobsError extends errorClassFor('JobsError', jobsErrorCodes) {}

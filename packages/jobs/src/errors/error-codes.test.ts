import { describeErrorTable } from '@interlink/testing/errors';
import { jobsErrorCodes } from './jobs-error-codes.js';

describeErrorTable('@interlink/jobs', jobsErrorCodes, 'ERR_JOB_');

import { describeErrorTable } from '@interlink/testing/errors';
import { coreErrorCodes } from './error-codes.js';

describeErrorTable('@interlink/core', coreErrorCodes, 'ERR_');

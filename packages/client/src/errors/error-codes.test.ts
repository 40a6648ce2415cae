import { describeErrorTable } from '@interlink/testing/errors';
import { clientErrorCodes } from './client-error-codes.js';

describeErrorTable('@interlink/client', clientErrorCodes, 'ERR_');

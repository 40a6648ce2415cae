import { describeErrorTable } from '@interlink/testing/errors';
import { busErrorCodes } from './bus-error-codes.js';

describeErrorTable('@interlink/bus', busErrorCodes, 'ERR_BUS_');

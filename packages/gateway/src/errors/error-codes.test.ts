import { describeErrorTable } from '@interlink/testing/errors';
import { gatewayErrorCodes } from './gateway-error.js';

describeErrorTable('@interlink/gateway', gatewayErrorCodes, 'ERR_GATEWAY_');

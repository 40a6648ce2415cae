import { defineErrorCodes, errorClassFor } from '@interlink/core';

/** The codes of `@interlink/gateway`; `docs/errors.md` lists each one (checked by a test). */
export const gatewayErrorCodes = defineErrorCodes(`
  ERR_GATEWAY_UNAUTHENTICATED       401 Authentication required
  ERR_GATEWAY_STREAM_TOKEN_INVALID  401 Invalid stream token
  ERR_GATEWAY_INVALID_IDENTITY      403 Identity not usable for streaming
  ERR_GATEWAY_CONNECTION_LIMIT      429 Too many stream connections
  ERR_GATEWAY_PATH_REJECTED         400 Proxy path rejected
  ERR_GATEWAY_URL_MALFORMED         400 Malformed URL
  ERR_GATEWAY_BODY_TOO_LARGE        413 Request body too large
  ERR_GATEWAY_UPSTREAM_TIMEOUT      504 Upstream timed out
  ERR_GATEWAY_UPSTREAM_FAILED       502 Upstream failed
  ERR_GATEWAY_EVENT_INVALID         400 Invalid event
  ERR_GATEWAY_EVENT_UNROUTABLE      422 Event's subject and body name different audiences
  ERR_GATEWAY_PUBLISH_FAILED        503 Event not published
  ERR_GATEWAY_CONFIG                500 Invalid gateway configuration
  ERR_GATEWAY_SIGN_IN_REFUSED       403 Development sign-in refused
`);

export type GatewayErrorCode = keyof typeof gatewayErrorCodes;

/** Every error the gateway raises; becomes an RFC 9457 problem through core's error handler. */
export class GatewayError extends errorClassFor('GatewayError', gatewayErrorCodes) {}

import { type ErrorCodeTable, errorClassFor } from '@interlink/core';

/** The codes of `@interlink/gateway`; `docs/errors.md` lists each one (checked by a test). */
export const gatewayErrorCodes = {
  ERR_GATEWAY_UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  ERR_GATEWAY_STREAM_TOKEN_INVALID: { status: 401, title: 'Invalid stream token' },
  ERR_GATEWAY_INVALID_IDENTITY: { status: 403, title: 'Identity not usable for streaming' },
  ERR_GATEWAY_CONNECTION_LIMIT: { status: 429, title: 'Too many stream connections' },
  ERR_GATEWAY_PATH_REJECTED: { status: 400, title: 'Proxy path rejected' },
  ERR_GATEWAY_URL_MALFORMED: { status: 400, title: 'Malformed URL' },
  ERR_GATEWAY_BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  ERR_GATEWAY_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out' },
  ERR_GATEWAY_UPSTREAM_FAILED: { status: 502, title: 'Upstream failed' },
  ERR_GATEWAY_EVENT_INVALID: { status: 400, title: 'Invalid event' },
  ERR_GATEWAY_EVENT_UNROUTABLE: { status: 422, title: "Event's subject and body name different audiences" },
  ERR_GATEWAY_PUBLISH_FAILED: { status: 503, title: 'Event not published' },
  ERR_GATEWAY_CONFIG: { status: 500, title: 'Invalid gateway configuration' },
} as const satisfies ErrorCodeTable;

export type GatewayErrorCode = keyof typeof gatewayErrorCodes;

/** Every error the gateway raises; becomes an RFC 9457 problem through core's error handler. */
export const GatewayError = errorClassFor('GatewayError', gatewayErrorCodes);
export type GatewayError = InstanceType<typeof GatewayError>;

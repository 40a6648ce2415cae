import type { ErrorCodeTable } from '@interlink/core';

/**
 * The codes of `@interlink/client`. Statuses are what the *calling* service answers its own caller
 * when it lets the error propagate: an upstream failure is a 502/503/504 of ours, never the
 * upstream's status passed through.
 */
export const clientErrorCodes = {
  ERR_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out' },
  ERR_UPSTREAM_UNAVAILABLE: { status: 503, title: 'Upstream unavailable' },
  ERR_UPSTREAM_STATUS: { status: 502, title: 'Upstream answered with an error' },
  ERR_UPSTREAM_RESPONSE_INVALID: { status: 502, title: 'Upstream response invalid' },
  ERR_CIRCUIT_OPEN: { status: 503, title: 'Circuit open' },
  ERR_BULKHEAD_FULL: { status: 503, title: 'Too many concurrent upstream requests' },
  ERR_RETRY_BUDGET_EXHAUSTED: { status: 503, title: 'Retry budget exhausted' },
  ERR_CLIENT_ABORTED: { status: 499, title: 'Request aborted by the caller' },
  ERR_CLIENT_REQUEST_INVALID: { status: 500, title: 'Outbound request invalid' },
  ERR_INSECURE_TARGET: { status: 500, title: 'Insecure upstream URL' },
} as const satisfies ErrorCodeTable;

export type ClientErrorCode = keyof typeof clientErrorCodes;

import type { ErrorCodeTable } from '@interlink/core';

/**
 * The codes of `@interlink/client`. Statuses are what the *calling* service answers its own caller
 * when it lets the error propagate: an upstream failure is a 502/503/504 of ours, never the
 * upstream's status passed through. `retryable` (core's one property, read by the bus and jobs
 * when a handler lets the error escape) says whether the same call may succeed later; whether the
 * client repeats it within the call is `retriesWithinCall` in retry/retry-rules.ts.
 */
export const clientErrorCodes = {
  ERR_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out', retryable: true },
  ERR_UPSTREAM_UNAVAILABLE: { status: 503, title: 'Upstream unavailable', retryable: true },
  ERR_UPSTREAM_STATUS: { status: 502, title: 'Upstream answered with an error' },
  ERR_UPSTREAM_RESPONSE_INVALID: { status: 502, title: 'Upstream response invalid', retryable: false },
  ERR_CIRCUIT_OPEN: { status: 503, title: 'Circuit open', retryable: true },
  ERR_BULKHEAD_FULL: { status: 503, title: 'Too many concurrent upstream requests', retryable: true },
  ERR_RETRY_BUDGET_EXHAUSTED: { status: 503, title: 'Retry budget exhausted', retryable: true },
  ERR_CLIENT_ABORTED: { status: 499, title: 'Request aborted by the caller', retryable: false },
  ERR_CLIENT_REQUEST_INVALID: { status: 500, title: 'Outbound request invalid', retryable: false },
  ERR_INSECURE_TARGET: { status: 500, title: 'Insecure upstream URL', retryable: false },
} as const satisfies ErrorCodeTable;

export type ClientErrorCode = keyof typeof clientErrorCodes;

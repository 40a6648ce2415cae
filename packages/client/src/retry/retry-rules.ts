import type { ClientError } from '../errors/client-error.js';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** RFC 9110 §9.2.2: methods whose repetition has the same effect as one request. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Statuses that say "not now" rather than "no": worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * Whether a failed attempt is repeated within the same call: a status that says "not now", a
 * connect timeout or a refused connection (nothing was processed). A passed deadline, an open
 * circuit, a full bulkhead or a spent budget are retryable later (core's `retryable`), not now.
 */
export function retriesWithinCall(failure: ClientError): boolean {
  switch (failure.code) {
    case 'ERR_UPSTREAM_STATUS':
      return failure.upstream !== undefined && isRetryableStatus(failure.upstream.status);
    case 'ERR_UPSTREAM_TIMEOUT':
      return failure.extensions?.reason === 'connect';
    case 'ERR_UPSTREAM_UNAVAILABLE':
      return failure.extensions?.reason === 'connection';
    default:
      return false;
  }
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds from
 * `now`, or `undefined` when absent or malformed.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[A-Za-z]/.test(trimmed)) return undefined;
  return Math.max(0, date - now);
}

import { ClientError } from '../errors/client-error.js';

/** What a call does when the upstream fails (seed 002's three cases). */
export type FailurePolicy<T = never> = FailClosedPolicy | NoFallbackPolicy | FallbackPolicy<T>;

export interface FailClosedPolicy {
  readonly kind: 'failClosed';
}
export interface NoFallbackPolicy {
  readonly kind: 'none';
}
export interface FallbackPolicy<T> {
  readonly kind: 'fallback';
  readonly value: T | (() => T);
}

/**
 * For security decisions (`checkTicketNotTransferred`): any doubt is an error. Never combined with
 * a fallback; a typed route declared `failClosed` also has its response validated strictly.
 */
export function failClosed(): FailClosedPolicy {
  return { kind: 'failClosed' };
}

/** For writes: the failure propagates as it is, with no default. The client's default. */
export function none(): NoFallbackPolicy {
  return { kind: 'none' };
}

/**
 * For non-critical reads (availability, prices): when the upstream is out (unreachable, timing
 * out, 5xx, circuit open, budget spent), return `value` and count it in
 * `interlink_client_fallbacks_total`. A function is called each time, so mutable defaults are not shared.
 * An upstream's 4xx is an answer, not an outage, and still raises.
 */
export function fallback<T>(value: T | (() => T)): FallbackPolicy<T> {
  return { kind: 'fallback', value };
}

/** Whether `error` means the upstream is out, so a fallback may stand in for its answer. */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof ClientError)) return false;
  switch (error.code) {
    case 'ERR_UPSTREAM_TIMEOUT':
    case 'ERR_UPSTREAM_UNAVAILABLE':
    case 'ERR_CIRCUIT_OPEN':
    case 'ERR_BULKHEAD_FULL':
    case 'ERR_RETRY_BUDGET_EXHAUSTED':
    case 'ERR_UPSTREAM_RESPONSE_INVALID':
      return true;
    case 'ERR_UPSTREAM_STATUS': {
      const status = error.upstream?.status ?? 0;
      return status >= 500 || status === 429;
    }
    default:
      return false;
  }
}

/** The fallback value of a policy. */
export function fallbackValue<T>(policy: FallbackPolicy<T>): T {
  return typeof policy.value === 'function' ? (policy.value as () => T)() : policy.value;
}

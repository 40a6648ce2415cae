import { backoffDelay } from '@interlink/core';
import type { BackoffPolicy } from './job-backend.js';

/**
 * The delay before the next run after the `attemptsMade`-th failure, as BullMQ computes it, so the
 * memory backend matches the Redis one: `fixed` is always `delay`, `exponential` is core's backoff
 * from `delay` with no jitter and no cap (`2^(attemptsMade-1) * delay`).
 */
export function retryDelay(policy: BackoffPolicy | undefined, attemptsMade: number): number {
  if (!policy) return 0;
  return policy.type === 'fixed'
    ? policy.delay
    : backoffDelay(attemptsMade, { initialMs: policy.delay, jitter: 0 });
}

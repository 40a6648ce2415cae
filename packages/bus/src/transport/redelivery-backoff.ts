import { exponentialBackoff } from '@interlink/core';
import type { Backoff } from './transport.js';

/**
 * The delay before each redelivery when a subscription gives none: seed 002's reconnect curve,
 * 1 s doubling to 30 s with 30 % jitter, so consumers that failed together do not retry together.
 */
export function defaultRedeliveryBackoff(): Backoff {
  return exponentialBackoff({ initialMs: 1000, maxMs: 30_000, jitter: 0.3 });
}

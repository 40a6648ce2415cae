import { BusError } from '../errors/bus-error-codes.js';
import type { Backoff, SubscribeOptions } from './transport.js';

/** Subscription options with defaults applied and checked. */
export interface NormalizedSubscribeOptions {
  group: string;
  concurrency: number;
  maxDeliver: number;
  backoff: Backoff | undefined;
}

/** Applies defaults (concurrency 1, 5 deliveries) and throws `ERR_BUS_INVALID_OPTIONS` on nonsense. */
export function normalizeSubscribeOptions(options: SubscribeOptions): NormalizedSubscribeOptions {
  const concurrency = options.concurrency ?? 1;
  const maxDeliver = options.maxDeliver ?? 5;
  if (typeof options.group !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(options.group)) {
    throw new BusError(
      'ERR_BUS_INVALID_OPTIONS',
      'A subscription needs a group of letters, digits, "_" or "-"',
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000) {
    throw new BusError('ERR_BUS_INVALID_OPTIONS', 'concurrency must be an integer from 1 to 10000');
  }
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1 || maxDeliver > 1000) {
    throw new BusError('ERR_BUS_INVALID_OPTIONS', 'maxDeliver must be an integer from 1 to 1000');
  }
  return { group: options.group, concurrency, maxDeliver, backoff: options.backoff };
}
